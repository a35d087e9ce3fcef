import Foundation
import XCTest
@testable import Optima

/// Saved models: a model written and read back predicts exactly what the trained network
/// computes on the same rows (same encoding, scaling and kept features), an FSA model
/// takes the full-width file, and files that do not fit (columns, damaged models) are one
/// DataError naming the file, exit status 2 on the command line.
final class SavedModelTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("optima-model-\(getpid())-\(name.hashValue)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func path(_ name: String) -> String { folder + "/" + name }

    private func write(_ name: String, _ lines: [String]) throws -> String {
        let p = path(name)
        try (lines.joined(separator: "\n") + "\n").write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    /// A small table with a header, a categorical column and a label that depends on `a` and
    /// the colour: `count` rows from `seed`, columns a, b, color, noise, y.
    private func table(rows count: Int, seed: UInt64) -> [[String]] {
        var g = Xoshiro256(seed: seed, stream: 7)
        let colours = ["blue", "green", "red"]
        return (0..<count).map { i in
            let a = g.uniform(-1, 1), b = g.uniform(-1, 1), noise = g.uniform(0, 10)
            // Every colour in every file, so training and new rows share the categories.
            let colour = colours[i % 3]
            let y = (a > 0) != (colour == "red") ? "yes" : "no"
            return [String(a), String(b), colour, String(noise), y]
        }
    }

    private let header = ["a", "b", "color", "noise", "y"]

    private func csv(_ name: String, _ rows: [[String]], header: [String]?) throws -> String {
        try write(name, (header.map { [$0] } ?? []).map { $0.joined(separator: ",") } + rows.map { $0.joined(separator: ",") })
    }

    /// The columns of `rows` in the order `order` (indices into `header`).
    private func reorder(_ rows: [[String]], _ order: [Int]) -> [[String]] { rows.map { r in order.map { r[$0] } } }

    // MARK: round trips

    func testCarModelPredictsWhatTheTrainedNetworkComputes() throws {
        let options = DataOptions()
        let (train, test, transform) = try DataSource.loadTransformed("car", options: options)
        var r = Recipe()
        r.hidden = [8]
        r.training.epochs = 5
        r.training.batchSize = 32
        let net = r.makeNetwork(features: train.featureCount, task: train.task)
        let outcome = r.run(network: net, train: train, test: test)
        let model = SavedModel(network: net, train: train, transform: transform, data: "car",
                               settings: ["command": "train"], seed: r.seed)
        try ModelFile.write(model, to: path("car.json"))
        let back = try ModelFile.read(path("car.json"))

        XCTAssertEqual(back.network.parameters.array, net.parameters.array)
        XCTAssertEqual(back.network.shape, net.shape)
        XCTAssertEqual(back.classNames, ["acc", "good", "unacc", "vgood"])
        XCTAssertEqual(back.featureNames, train.featureNames)
        XCTAssertEqual(back.layout, train.layout)
        XCTAssertEqual(back.layout.columns.map(\.name), ["buying", "maint", "doors", "persons", "lug_boot", "safety", "class"])
        XCTAssertEqual(back.transform.scaler?.shift, transform.scaler?.shift)
        XCTAssertEqual(back.transform.scaler?.factor, transform.scaler?.factor)
        XCTAssertEqual(back.settings["command"], "train")
        XCTAssertEqual(back.seed, r.seed)

        // Every row of the raw file, encoded by the saved layout, against the network on the
        // rows as training encoded them: the same outputs to the bit.
        let file = try DataFiles.find("car/car.data", in: try DataFiles.dataDirectory())
        let p = try back.predict(file: file)
        guard case let .whole(all, _) = try DataSource.loadUnsplit("car", options: options) else {
            return XCTFail("car has no fixed split")
        }
        let expected = net.predict(transform.apply(all).features, rows: all.count)
        XCTAssertEqual(p.count, 1728)
        XCTAssertEqual(p.outputs, expected)
        XCTAssertEqual(p.evaluation?.accuracy, Metrics.accuracy(outputs: expected, labels: all.targets, width: 4))
        // The training rows alone give the run's own training accuracy back.
        let unscaled = try DataSource.loadUnscaled("car", options: options)
        XCTAssertEqual(back.predict(EncodedRows(data: unscaled.train, labelled: true)).evaluation, outcome.train)
        XCTAssertEqual(back.predict(EncodedRows(data: unscaled.test, labelled: true)).evaluation, outcome.test)

        let csv = p.csv
        XCTAssertEqual(csv.header, ["predicted", "p_acc", "p_good", "p_unacc", "p_vgood"])
        XCTAssertEqual(csv.rows.count, 1728)
        for (row, values) in zip(csv.rows, p.values).prefix(50) {
            XCTAssertEqual(values.reduce(0, +), 1, accuracy: 1e-9)
            XCTAssertEqual(row[0], back.classNames[values.indices.max { values[$0] < values[$1] }!])
        }
    }

    func testFSAModelKeepsTheSelectedFeaturesAndTakesTheFullWidthFile() throws {
        let trainRows = table(rows: 150, seed: 1), newRows = table(rows: 30, seed: 2)
        let trainFile = try csv("train.csv", trainRows, header: header)
        let newFile = try csv("new.csv", newRows, header: header)
        var options = DataOptions()
        options.testFile = newFile
        let (train, test, transform) = try DataSource.loadTransformed(trainFile, options: options)
        XCTAssertEqual(train.featureNames, ["a", "b", "color=blue", "color=green", "color=red", "noise"])

        var r = Recipe()
        r.hidden = [16]
        r.training.epochs = 12
        r.training.batchSize = 16
        var s = NodeSelectionSettings()
        s.nodeTargets = [4]
        s.featureTarget = 2
        let net = r.makeNetwork(features: train.featureCount, task: train.task)
        let fsa = try NodeSelection(s, network: net, epochs: 12)
        _ = r.run(network: net, train: train, test: test, afterEpoch: fsa.callAsFunction)
        XCTAssertEqual(net.shape.sizes, [2, 4, 1])

        try ModelFile.write(SavedModel(network: net, train: train, transform: transform, data: trainFile,
                                       settings: [:], seed: r.seed), to: path("fsa.json"))
        let model = try ModelFile.read(path("fsa.json"))
        XCTAssertEqual(model.network.featureIndices, net.featureIndices)
        XCTAssertEqual(model.keptFeatureNames, net.featureIndices.map { train.featureNames[$0] })
        XCTAssertEqual(model.featureNames.count, 6, "the model keeps the full width it encodes")
        XCTAssertEqual(model.network.shape.inputCount, 2)

        let expected = net.predict(test.columns(net.featureIndices).features, rows: test.count)
        let full = try model.predict(file: newFile)
        XCTAssertEqual(full.outputs, expected)
        XCTAssertEqual(full.evaluation, Evaluation(network: net, data: test.columns(net.featureIndices)))

        // Columns in another order are matched by name.
        let order = [3, 4, 2, 0, 1]
        let shuffled = try csv("shuffled.csv", reorder(newRows, order), header: order.map { header[$0] })
        XCTAssertEqual(try model.predict(file: shuffled).outputs, expected)
        // Matched by name, the columns the model does not use may be left out; one it uses may not.
        let usedColumns = Set(model.keptFeatureNames.map { String($0.split(separator: "=")[0]) })
        let usedOrder = header.indices.filter { usedColumns.contains(header[$0]) || $0 == header.count - 1 }
        XCTAssertLessThan(usedOrder.count, header.count, "the model uses every column: \(model.keptFeatureNames)")
        let narrow = try csv("used.csv", reorder(newRows, usedOrder), header: usedOrder.map { header[$0] })
        XCTAssertEqual(try model.predict(file: narrow).outputs, expected)
        let lacking = try csv("lacking.csv", reorder(newRows, Array(usedOrder.dropFirst())),
                              header: usedOrder.dropFirst().map { header[$0] })
        XCTAssertThrowsError(try model.predict(file: lacking)) {
            XCTAssertTrue("\($0)".contains("feature column '\(header[usedOrder[0]])' is missing"), "\($0)")
        }
        // Without a header, by position: the feature columns alone ...
        let bare = try csv("bare.csv", reorder(newRows, [0, 1, 2, 3]), header: nil)
        let unlabelled = try model.predict(file: bare)
        XCTAssertEqual(unlabelled.outputs, expected)
        XCTAssertNil(unlabelled.evaluation)
        // ... with the labels in a file of their own.
        let labels = try write("new.labels", newRows.map { $0[4] })
        XCTAssertEqual(try model.predict(file: bare, labelsFile: labels).evaluation, full.evaluation)
        // ... or every column, the label in its place.
        XCTAssertEqual(try model.predict(file: try csv("bare-labelled.csv", newRows, header: nil)).evaluation, full.evaluation)
    }

    // MARK: missing values

    /// `--missing mean`: a numeric column's missing cells are filled with the training rows'
    /// mean (not the held-out rows'), a categorical column's are a category of their own; the
    /// saved model keeps both, and predict fills new rows' missing cells the same way. Without
    /// it a missing cell is a one-line error naming the flag.
    func testMissingValuesFilledWithTheTrainingMeans() throws {
        var rows = table(rows: 60, seed: 8)
        rows[1][0] = ""          // a: empty
        rows[2][1] = "NA"        // b: a marker
        rows[3][2] = "?"         // color: its own category
        let trainFile = try csv("train.csv", Array(rows.prefix(40)), header: header)
        let testFile = try csv("test.csv", Array(rows.suffix(20)), header: header)
        var options = DataOptions()
        options.testFile = testFile
        XCTAssertThrowsError(try DataSource.loadTransformed(trainFile, options: options)) {
            XCTAssertTrue("\($0)".contains("train.csv:3") && "\($0)".contains("--missing mean"), "\($0)")
        }
        options.encoding.fillMissing = true
        let (train, test, transform) = try DataSource.loadTransformed(trainFile, options: options)
        XCTAssertEqual(train.featureNames, ["a", "b", "color=(missing)", "color=blue", "color=green", "color=red", "noise"])
        // The fills: means over the 39 training rows that have a value (the 20 test rows take no part).
        let a = rows.prefix(40).compactMap { Double($0[0]) }, b = rows.prefix(40).compactMap { Double($0[1]) }
        XCTAssertEqual(a.count, 39)
        XCTAssertEqual(Double(transform.fills![0]), a.reduce(0, +) / 39, accuracy: 1e-6)
        XCTAssertEqual(Double(transform.fills![1]), b.reduce(0, +) / 39, accuracy: 1e-6)
        XCTAssertFalse(train.features.contains { !$0.isFinite })
        XCTAssertEqual(test.count, 20)

        var r = Recipe()
        r.hidden = [4]
        r.training.epochs = 3
        let net = r.makeNetwork(features: train.featureCount, task: train.task)
        _ = r.run(network: net, train: train, test: nil)
        try ModelFile.write(SavedModel(network: net, train: train, transform: transform, data: trainFile, settings: [:],
                                       seed: 1), to: path("m.json"))
        let model = try ModelFile.read(path("m.json"))
        XCTAssertEqual(model.transform.fills, transform.fills)
        XCTAssertTrue(model.layout.missingAllowed)
        // New rows with missing cells predict as the same rows with the fills written in.
        var new = table(rows: 4, seed: 9)
        var filled = new
        new[0][0] = ""; filled[0][0] = "\(transform.fills![0])"
        new[1][1] = "null"; filled[1][1] = "\(transform.fills![1])"
        let got = try model.predict(file: try csv("new.csv", new, header: header)).outputs
        let want = try model.predict(file: try csv("filled.csv", filled, header: header)).outputs
        for (g, w) in zip(got, want) { XCTAssertEqual(g, w, accuracy: 1e-5) }
    }

    // MARK: new files that do not fit

    func testNewFilesThatDoNotFitTheModelAreOneLineErrors() throws {
        let rows = table(rows: 60, seed: 3)
        var options = DataOptions()
        options.testFraction = 0.2
        let trainFile = try csv("train.csv", rows, header: header)
        let (train, _, transform) = try DataSource.loadTransformed(trainFile, options: options)
        var r = Recipe()
        r.hidden = [4]
        r.training.epochs = 2
        let net = r.makeNetwork(features: train.featureCount, task: train.task)
        _ = r.run(network: net, train: train, test: nil)
        let model = SavedModel(network: net, train: train, transform: transform, data: trainFile, settings: [:], seed: 1)

        func refused(_ name: String, _ rows: [[String]], header: [String]?, labels: String? = nil,
                     _ expected: String, line: UInt = #line) throws {
            let file = try csv(name, rows, header: header)
            XCTAssertThrowsError(try model.predict(file: file, labelsFile: labels), name, line: line) { e in
                guard let e = e as? DataError else { return XCTFail("\(name): \(e) is not a DataError", line: line) }
                XCTAssertEqual(e.file, file, line: line)
                XCTAssertTrue(e.description.contains(expected), "\(name): \(e)", line: line)
                XCTAssertFalse(e.description.contains("\n"), line: line)
            }
        }
        let some = Array(rows.prefix(5))
        try refused("missing.csv", reorder(some, [0, 2, 3, 4]), header: ["a", "color", "noise", "y"],
                    "feature column 'b' is missing")
        try refused("extra.csv", some.map { $0 + ["7"] }, header: header + ["weight"], "extra column 'weight'")
        try refused("renamed.csv", some, header: ["a", "B", "color", "noise", "y"],
                    "column 'B' is not one the model was trained on, and its feature column 'b' is missing")
        try refused("twice.csv", some.map { $0 + [$0[0]] }, header: header + ["a"], "column 'a' appears twice")
        try refused("narrow.csv", reorder(some, [0, 1, 2]), header: nil, "3 columns, but the model takes 4 feature columns (or 5")
        try refused("wide.csv", some.map { $0 + ["1"] }, header: nil, "6 columns")
        try refused("colour.csv", [["0.5", "0.1", "purple", "1", "yes"]], header: header,
                    "value 'purple' in column 'color' never occurred in the training data")
        try refused("word.csv", [["half", "0.1", "red", "1", "yes"]], header: header, "'half' in column 'a' is not a finite number")
        try refused("class.csv", [["0.5", "0.1", "red", "1", "maybe"]], header: header,
                    "class 'maybe' in column 'y' is not one of the model's classes")
        let labels = try write("two.labels", ["yes", "no"])
        try refused("both.csv", some, header: header, labels: labels, "has a label column 'y' and --labels gives labels too")
    }

    // MARK: damaged model files

    func testDamagedModelFilesAreDataErrorsNamingTheFile() throws {
        var r = Recipe()
        r.hidden = [3]
        r.training.epochs = 1
        let (train, _, transform) = try DataSource.loadTransformed("car", options: DataOptions())
        let net = r.makeNetwork(features: train.featureCount, task: train.task)
        let good = ModelFile.json(SavedModel(network: net, train: train, transform: transform, data: "car", settings: [:], seed: 1))
        let text = good.jsonText
        XCTAssertNoThrow(try ModelFile.parse(good, file: "good.json"))

        func edited(_ change: (inout [String: JSONValue]) -> Void) -> String {
            var o = good.object!
            change(&o)
            return JSONValue.object(o).jsonText
        }
        func network(_ key: String, _ value: JSONValue?) -> String {
            edited { o in
                var n = o["network"]!.object!
                n[key] = value
                o["network"] = .object(n)
            }
        }
        let parameters = good["network"]!["parameters"]!.array!
        var withNaN = parameters
        withNaN[3] = "NaN"
        let cases: [(String, String, String)] = [
            ("truncated.json", String(text.prefix(text.count / 2)), "not valid JSON"),
            ("notjson.json", "width,height\n1,2\n", "not valid JSON"),
            ("list.json", "[1, 2]", "not a JSON object"),
            ("foreign.json", edited { $0["format"] = "other-model" }, "format 'other-model'"),
            ("noformat.json", edited { $0["format"] = nil }, "no \"format\""),
            ("newer.json", edited { $0["version"] = 3 }, "version 3 is newer"),
            ("noscaling.json", edited { $0["scaling"] = nil }, "missing field \"scaling\""),
            ("noseed.json", edited { $0["seed"] = nil }, "missing field \"seed\""),
            ("short.json", network("parameters", .array(Array(parameters.dropLast()))), "parameters, but a 21-3-4 network has"),
            ("nan.json", network("parameters", .array(withNaN)), "\"network.parameters\"[3] is not a finite number"),
            ("sizes.json", network("sizes", [21, 3, 2]), "does not fit"),
            ("mask.json", network("mask", [1, 0]), "\"mask\" must hold"),
            ("kept.json", edited { $0["kept_features"] = JSONValue(Array(0..<20) + [99]) }, "\"kept_features\""),
            ("classes.json", edited { $0["classes"] = ["a", "b"] }, "2 class names"),
        ]
        for (name, content, expected) in cases {
            let file = path(name)
            try content.write(toFile: file, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try ModelFile.read(file), name) { e in
                guard let e = e as? DataError else { return XCTFail("\(name): \(e) is not a DataError") }
                XCTAssertEqual(e.file, file)
                XCTAssertTrue(e.description.contains(expected), "\(name): \(e)")
                XCTAssertFalse(e.description.contains("\n"), name)
            }
        }
    }

    /// An ensemble is written as version 2 and predicts with its members' mean outputs; a
    /// single network is still written as version 1; a damaged version-2 file is one line.
    func testEnsembleModelsAreVersionTwoAndAverageTheirNetworks() throws {
        var r = Recipe()
        r.hidden = [4]
        let (train, test, transform) = try DataSource.loadTransformed("car", options: DataOptions())
        let nets = (0..<3).map { m -> Network in
            r.seed = UInt64(10 + m)
            return r.makeNetwork(features: train.featureCount, task: train.task)
        }
        XCTAssertEqual(ModelFile.json(SavedModel(network: nets[0], train: train, transform: transform, data: "car",
                                                 settings: [:], seed: 1))["version"]?.int, 1)
        let model = SavedModel(networks: nets, targetScaling: nil, train: train, transform: transform, data: "car",
                               settings: [:], seed: 1)
        let json = ModelFile.json(model)
        XCTAssertEqual(json["version"]?.int, 2)
        XCTAssertNil(json["network"])
        let read = try ModelFile.parse(json, file: "e.json")
        XCTAssertEqual(read.networks.count, 3)
        var mean = [Float](repeating: 0, count: test.count * 4)
        for n in nets { for (i, v) in n.predict(test.features, rows: test.count).enumerated() { mean[i] += v / 3 } }
        let got = read.outputs(test)
        for (a, b) in zip(got, mean) { XCTAssertEqual(a, b, accuracy: 1e-5) }

        func damaged(_ change: (inout [String: JSONValue]) -> Void) -> JSONValue {
            var o = json.object!
            change(&o)
            return .object(o)
        }
        let cases: [(JSONValue, String)] = [
            (damaged { $0["networks"] = [] }, "\"networks\" is empty"),
            (damaged { $0["networks"] = nil }, "missing field \"networks\""),
            (damaged { $0["networks"] = [1] }, "\"networks\"[0] is not an object"),
            (damaged { $0["target_scaling"] = ["mean": [0.0], "deviation": [1.0]] }, "belongs to a regression model"),
        ]
        for (value, expected) in cases {
            XCTAssertThrowsError(try ModelFile.parse(value, file: "e.json"), expected) { e in
                XCTAssertTrue("\(e)".contains(expected), "\(e)")
                XCTAssertFalse("\(e)".contains("\n"))
            }
        }
    }

    // MARK: the command line

    /// `optima cv --save-model` refits the best setting on every training row and saves it:
    /// the saved network has the winning width, and its test score is the one printed.
    func testCrossValidationSavesTheBestSettingRefitted() throws {
        _ = try optimaExecutable()
        let modelFile = path("cv.json")
        let run = try runOptima(["cv", "--data", "xor", "--k", "2", "--p", "3", "--n", "300", "--hidden", "1,32",
                                 "--epochs", "40", "--folds", "3", "--results", path("cv"), "--save-model", modelFile,
                                 "--json", "--quiet"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let out = try JSONValue.parse(run.stdout)
        XCTAssertEqual(out["model"]?.string, modelFile)
        let model = try ModelFile.read(modelFile)
        // One hidden node cannot separate 2-D XOR; 32 can, and cross-validation sees it.
        XCTAssertEqual(model.network.shape.hiddenSizes, [32])
        XCTAssertEqual(model.settings["command"]?.string, "cv")
        XCTAssertEqual(model.settings["pruning"]?["setting"]?.string, "hidden=32")
        let test = try XORData.make(k: 2, p: 3, n: XORData.masterTestRows, test: true)
        let auc = Evaluation(outputs: model.network.predict(test.features, rows: test.count), data: test).auc!
        XCTAssertEqual(auc, out["refit_test_auc"]!.double!, accuracy: 1e-12)
        let accuracy = Evaluation(outputs: model.network.predict(test.features, rows: test.count), data: test).accuracy!
        XCTAssertEqual(accuracy, out["refit_test_accuracy"]!.double!, accuracy: 1e-12)
        XCTAssertNotNil(out["best"]?["mean_accuracy"]?.double)
        XCTAssertGreaterThan(auc, 0.9)
    }

    func testCommandLineSavesAModelAndPredictsWithIt() throws {
        _ = try optimaExecutable()
        let trainRows = table(rows: 120, seed: 4), newRows = table(rows: 20, seed: 5)
        let trainFile = try csv("train.csv", trainRows, header: header)
        let newFile = try csv("new.csv", newRows, header: header)
        let modelFile = path("model.json"), out = path("pred.csv")
        let tiny = ["--data", trainFile, "--hidden", "8", "--epochs", "6", "--batch", "16", "--quiet"]

        let fsa = try runOptima(["fsa"] + tiny + ["--keep-nodes", "3", "--keep-features", "2", "--save-model", modelFile, "--json"])
        XCTAssertEqual(fsa.status, 0, fsa.stderr)
        let summary = try JSONValue.parse(fsa.stdout)
        XCTAssertEqual(summary["model"]?.string, modelFile)
        let names = summary["kept_feature_names"]?.array?.compactMap(\.string) ?? []
        XCTAssertEqual(names.count, 2)
        let model = try ModelFile.read(modelFile)
        XCTAssertEqual(model.keptFeatureNames, names)
        XCTAssertEqual(summary["kept_features"]?.doubles?.map { Int($0) }, model.network.featureIndices)
        XCTAssertEqual(model.settings["command"], "fsa")
        XCTAssertEqual(model.settings["recipe"]?["hidden"], "8")
        XCTAssertEqual(model.settings["pruning"]?["keep-features"], "2")

        // The file the command writes is the library's prediction with the saved model.
        let expected = try model.predict(file: newFile)
        let predict = try runOptima(["predict", "--model", modelFile, "--data", newFile, "--out", out])
        XCTAssertEqual(predict.status, 0, predict.stderr)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), expected.csv.text)
        XCTAssertTrue(predict.stdout.contains("accuracy \(String(format: "%.4f", expected.evaluation!.accuracy!))"), predict.stdout)
        // Without --out the predictions are standard output, the summary standard error.
        let toStdout = try runOptima(["predict", "--model", modelFile, "--data", newFile])
        XCTAssertEqual(toStdout.stdout, expected.csv.text)
        XCTAssertTrue(toStdout.stderr.contains("20 rows predicted"), toStdout.stderr)

        // Every training command saves; nsa names the kept features in its summary.
        let nsa = try runOptima(["nsa"] + tiny + ["--keep-nodes", "3", "--save-model", path("nsa.json")])
        XCTAssertEqual(nsa.status, 0, nsa.stderr)
        XCTAssertTrue(nsa.stdout.contains("kept feature names: a, b, color=blue, color=green, color=red, noise"), nsa.stdout)
        for (command, extra) in [("train", [String]()), ("cpna", ["--nodes", "--keep-nodes", "3"])] {
            let file = path(command + ".json")
            let run = try runOptima([command] + tiny + extra + ["--save-model", file])
            XCTAssertEqual(run.status, 0, "\(command): \(run.stderr)")
            XCTAssertEqual(try ModelFile.read(file).settings["command"]?.string, command)
        }

        // Bad input: one line on standard error, exit status 2.
        let renamed = try csv("renamed.csv", newRows, header: ["a", "bee", "color", "noise", "y"])
        // A column the model uses (columns it does not use may be left out).
        let used = header.firstIndex(of: String(names[0].split(separator: "=")[0]))!
        let others = header.indices.filter { $0 != used }
        let missing = try csv("missing.csv", reorder(newRows, others), header: others.map { header[$0] })
        let extra = try csv("extra.csv", newRows.map { $0 + ["1"] }, header: header + ["w"])
        let narrow = try csv("narrow.csv", reorder(newRows, [0, 1]), header: nil)
        let text = try String(contentsOfFile: modelFile, encoding: .utf8)
        var damaged: [String] = []
        for (name, content) in [("truncated.json", String(text.prefix(200))),
                                ("newer.json", text.replacingOccurrences(of: "\"version\":1", with: "\"version\":9")),
                                ("weights.json", text.replacingOccurrences(of: "\"parameters\":[", with: "\"parameters\":[0.5,"))] {
            try content.write(toFile: path(name), atomically: true, encoding: .utf8)
            damaged.append(path(name))
        }
        var bad = [renamed, missing, extra, narrow].map { ["predict", "--model", modelFile, "--data", $0] }
        bad += damaged.map { ["predict", "--model", $0, "--data", newFile] }
        bad += [["predict", "--data", newFile], ["predict", "--model", modelFile, "--data", newFile, "--json"]]
        for args in bad {
            let r = try runOptima(args)
            XCTAssertEqual(r.status, 2, args.joined(separator: " "))
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "\(args.joined(separator: " ")): \(r.stderr)")
        }
        XCTAssertEqual(try runOptima(["predict", "--help"]).status, 0)
    }
}
