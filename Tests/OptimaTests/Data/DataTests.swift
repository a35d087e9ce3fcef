import Foundation
import XCTest
@testable import Optima

/// The data stage: built-in sets reproduce the papers' figures, preprocessing and splits keep
/// their promises, user files load like built-in ones, and every kind of bad input is a
/// one-line DataError naming the file (and the line where there is one).
final class DataTests: XCTestCase {

    // MARK: helpers

    private func fixture(_ name: String) throws -> String {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(name)
        XCTAssertTrue(FileManager.default.fileExists(atPath: url.path), "missing fixture \(name)")
        return url.path
    }

    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("optima-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// Loads `path` as a user file and returns the DataError it must raise.
    private func dataError(_ path: String, options: DataOptions = DataOptions(),
                           file: StaticString = #filePath, line: UInt = #line) -> DataError? {
        do {
            _ = try DataSource.load(path, options: options)
            XCTFail("\(path) loaded without an error", file: file, line: line)
        } catch let e as DataError {
            XCTAssertFalse(e.description.contains("\n"), "error is not one line: \(e)", file: file, line: line)
            XCTAssertTrue(e.description.hasPrefix(e.file), file: file, line: line)
            return e
        } catch {
            XCTFail("\(path): expected a DataError, got \(error)", file: file, line: line)
        }
        return nil
    }

    private func assertError(_ fixtureName: String, line expectedLine: Int?, contains text: String,
                             options: DataOptions = DataOptions(), file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try fixture("bad-input/" + fixtureName)
        guard let e = dataError(path, options: options, file: file, line: line) else { return }
        XCTAssertEqual(e.file, path, file: file, line: line)
        XCTAssertEqual(e.line, expectedLine, "\(e)", file: file, line: line)
        XCTAssertTrue(e.message.contains(text), "'\(e.message)' does not mention '\(text)'", file: file, line: line)
    }

    private func dataFolder() throws -> URL { try DataFiles.dataDirectory() }

    // MARK: built-in sets: the papers' n, p and classes

    func testEveryBuiltInSetHasTheCatalogCounts() throws {
        for entry in DataCatalog.entries where entry.name != "isolet" {
            let loaded = try DataSource.loadUnsplit(entry.name, options: DataOptions())
            let rows: Int, sample: Dataset
            switch loaded {
            case let .whole(d, _): rows = d.count; sample = d
            case let .fixed(train, test, _):
                rows = train.features == test.features ? train.count : train.count + test.count
                sample = train
            }
            XCTAssertEqual(rows, entry.rows, entry.name)
            XCTAssertEqual(sample.featureCount, entry.features, entry.name)
            XCTAssertEqual(sample.task.isRegression ? 0 : max(sample.task.outputCount, 2), entry.classes, entry.name)
            XCTAssertEqual(sample.features.count, sample.count * sample.featureCount)
            XCTAssertTrue(sample.features.allSatisfy(\.isFinite), entry.name)
        }
    }

    func testCarEvaluation() throws {
        let d = try UCIDatasets.car(in: try dataFolder())
        XCTAssertEqual(d.count, 1728)
        XCTAssertEqual(d.featureCount, 21)
        XCTAssertEqual(d.task, .multiclass(classes: 4))
        XCTAssertEqual(d.classNames, ["acc", "good", "unacc", "vgood"])
        XCTAssertEqual(d.classCounts, [384, 69, 1210, 65])
        // One-hot: exactly 6 ones per row, one per attribute.
        for r in 0..<d.count { XCTAssertEqual(d.features[(r * 21)..<((r + 1) * 21)].reduce(0, +), 6) }
        XCTAssertTrue(d.featureNames.contains("doors=5more"))
        XCTAssertTrue(d.featureNames.contains("safety=high"))
    }

    func testImageSegmentationKeepsAllRows() throws {
        let d = try UCIDatasets.segmentation(in: try dataFolder())
        XCTAssertEqual(d.count, 2310)
        XCTAssertEqual(d.featureCount, 19)
        XCTAssertEqual(d.classCounts, [Int](repeating: 330, count: 7))
        XCTAssertEqual(d.featureNames.first, "REGION-CENTROID-COL")
        XCTAssertEqual(d.featureNames.last, "HUE-MEAN")
        // The first data row of segmentation.data.
        XCTAssertEqual(Array(d.features[0..<3]), [140, 125, 9])
        XCTAssertEqual(d.classNames[Int(d.targets[0])], "BRICKFACE")
    }

    func testOptdigitsAndMultipleFeatures() throws {
        let digits = try UCIDatasets.optdigits(in: try dataFolder())
        XCTAssertEqual([digits.count, digits.featureCount], [5620, 64])
        XCTAssertEqual(digits.classCounts, [554, 571, 557, 572, 568, 558, 558, 566, 554, 562])
        for (view, p) in UCIDatasets.mfeatViews {
            let d = try UCIDatasets.mfeat(view: view, in: try dataFolder())
            XCTAssertEqual([d.count, d.featureCount], [2000, p], view)
            XCTAssertEqual(d.classCounts, [Int](repeating: 200, count: 10), view)
            XCTAssertEqual(d.targets[199], 0); XCTAssertEqual(d.targets[200], 1); XCTAssertEqual(d.targets[1999], 9)
        }
        let fac = try UCIDatasets.mfeat(view: "fac", in: try dataFolder())
        XCTAssertEqual(Array(fac.features[0..<3]), [98, 236, 531])
    }

    func testMNISTKeepsItsSplit() throws {
        let (train, test) = try UCIDatasets.mnist(in: try dataFolder())
        XCTAssertEqual([train.count, train.featureCount, test.count, test.featureCount], [60000, 784, 10000, 784])
        XCTAssertEqual(train.classCounts, [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
        XCTAssertEqual(test.classCounts, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
        XCTAssertEqual(train.features.min(), 0); XCTAssertEqual(train.features.max(), 1)
        let loaded = try DataSource.load("mnist", options: DataOptions())
        XCTAssertEqual(loaded.train.count, 60000); XCTAssertEqual(loaded.test.count, 10000)
    }

    func testISOLETLoaderOnAFileInTheUCIFormat() throws {
        // Same layout as the UCI files: 617 comma-and-space separated values, then the class as "k.".
        let folder = try temporaryFolder()
        var g = Xoshiro256(seed: 9)
        func write(_ name: String, perClass: Int) throws {
            var text = ""
            for k in 1...26 {
                for _ in 0..<perClass {
                    let values = (0..<617).map { _ in String(format: "%.4f", g.uniform(-1, 1)) }
                    text += values.joined(separator: ", ") + ", \(k).\n"
                }
            }
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try write("isolet1+2+3+4.data", perClass: 4)
        try write("isolet5.data", perClass: 1)
        var o = DataOptions()
        o.isoletDirectory = folder.path
        guard case let .whole(d, _) = try DataSource.loadUnsplit("isolet", options: o) else { return XCTFail("isolet has no fixed split") }
        XCTAssertEqual([d.count, d.featureCount], [130, 617])
        XCTAssertEqual(d.task, .multiclass(classes: 26))
        XCTAssertEqual(d.classNames.first, "A"); XCTAssertEqual(d.classNames.last, "Z")
        XCTAssertEqual(d.classCounts, [Int](repeating: 5, count: 26))
        let (train, test) = try DataSource.load("isolet", options: o)
        XCTAssertEqual(train.count + test.count, 130)
        // Without a folder: a usage error that says how to get the files.
        XCTAssertThrowsError(try DataSource.load("isolet", options: DataOptions())) { XCTAssertTrue($0 is SettingsError) }
    }

    // MARK: the papers' synthetic sets

    func testDeepMindSetsAreExactlyThePapers() throws {
        XCTAssertEqual(CounterexamplesData.jellyfish().features, [1.0, 0.0, 0.2, 0.6, 0.0, 1.0, 0.6, 0.2])
        XCTAssertEqual(CounterexamplesData.jellyfish().targets, [1, 1, 0, 0])
        XCTAssertEqual(CounterexamplesData.xor4().targets, [0, 1, 1, 0])
        let d1 = CounterexamplesData.d1(), d2 = CounterexamplesData.d2(), d3 = CounterexamplesData.d3()
        XCTAssertEqual(d1.features, [5, 4, 3, 1, -1]); XCTAssertEqual(d1.targets, [2, 1, 0, -3, 3])
        XCTAssertEqual(d2.features, [-1, 0, 1, 10, 11, 12]); XCTAssertEqual(d2.targets, [5, 0, -1, -3, -4, -5])
        XCTAssertEqual(d3.features, [-1, 0, 1, 10, 11, 12]); XCTAssertEqual(d3.targets, [3, 0, -1, -3, -4, -6])
        // Proposition 1: v ReLU(w x + b) + c at (v, b, w, c) = (1, -3, 1, 0) has loss 18, and (1, -4, -7, 0)... 14.
        func loss(_ d: Dataset, w: Float, b: Float, v: Float, c: Float) -> Float {
            zip(d.features, d.targets).reduce(0) { s, p in let e = v * max(0, w * p.0 + b) + c - p.1; return s + e * e }
        }
        XCTAssertEqual(loss(d1, w: 1, b: -3, v: 1, c: 0), 18)
        XCTAssertEqual(loss(d1, w: -7, b: -4, v: 1, c: 0), 14)
        let z = CounterexamplesData.zigzag()
        XCTAssertEqual(z.count, 20)
        XCTAssertEqual(z.features.first, -1); XCTAssertEqual(z.features.last!, 1, accuracy: 1e-6)
        // The tiny sets are their own test sets and are not rescaled.
        let (train, test) = try DataSource.load("d2", options: DataOptions())
        XCTAssertEqual(train.features, d2.features); XCTAssertEqual(test.targets, d2.targets)
    }

    func testBlindSpotIsWhitenedWithOneFarPositivePoint() throws {
        let d = try CounterexamplesData.blindSpot(points: 40, dimensions: 3)
        let n = d.count, p = d.featureCount
        for c in 0..<p {
            let column = (0..<n).map { Double(d.features[$0 * p + c]) }
            let mean = column.reduce(0, +) / Double(n)
            let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
            XCTAssertEqual(mean, 0, accuracy: 1e-5)
            XCTAssertEqual(variance, 1, accuracy: 1e-4)
        }
        for i in 0..<(n - 1) { for c in 0..<p { XCTAssertLessThan(d.features[i * p + c], 0) } }
        for c in 0..<p { XCTAssertGreaterThan(d.features[(n - 1) * p + c], 0) }
        XCTAssertEqual(d.targets[n - 1], 1)
        // Linearly separable by the first coordinate alone.
        let positives = (0..<n).filter { d.targets[$0] == 1 }.map { d.features[$0 * p] }
        let negatives = (0..<n).filter { d.targets[$0] == 0 }.map { d.features[$0 * p] }
        XCTAssertGreaterThan(positives.min()!, negatives.max()!)
    }

    // MARK: preprocessing and splits

    func testTrainingPartIsScaledToMinusOneOne() throws {
        for name in ["car", "segmentation", "optdigits", "mfeat"] {
            let (train, test) = try DataSource.load(name, options: DataOptions())
            XCTAssertTrue(train.features.allSatisfy { $0 >= -1 && $0 <= 1 }, name)
            XCTAssertTrue(test.features.allSatisfy(\.isFinite), name)
            // Every non-constant training column reaches both ends.
            for c in 0..<train.featureCount {
                let column = (0..<train.count).map { train.features[$0 * train.featureCount + c] }
                if column.min()! != column.max()! {
                    XCTAssertEqual(column.min()!, -1, "\(name) column \(c)"); XCTAssertEqual(column.max()!, 1, "\(name) column \(c)")
                }
            }
        }
        // Segmentation's REGION-PIXEL-COUNT is constant: it maps to 0.
        let (train, _) = try DataSource.load("segmentation", options: DataOptions())
        XCTAssertTrue((0..<train.count).allSatisfy { train.features[$0 * 19 + 2] == 0 })
    }

    func testScalerIsFittedOnTheTrainingPartOnly() {
        let train = Dataset(name: "t", features: [0, 5, 10, 5], targets: [0, 1], count: 2, featureCount: 2, task: .binary)
        let test = Dataset(name: "t", features: [20, 5], targets: [0], count: 1, featureCount: 2, task: .binary)
        let s = FeatureScaler.minMax(fittedOn: train)
        XCTAssertEqual(s.apply(train).features, [-1, 0, 1, 0])
        XCTAssertEqual(s.apply(test).features, [3, 0])
        let z = FeatureScaler.standardize(fittedOn: train).apply(train)
        XCTAssertEqual(z.features, [-1, 0, 1, 0])
    }

    func testStandardisationOption() throws {
        var o = DataOptions()
        o.scaling = .standardize
        let (train, _) = try DataSource.load("optdigits", options: o)
        let p = train.featureCount
        for c in [10, 20, 30] {
            let column = (0..<train.count).map { Double(train.features[$0 * p + c]) }
            let mean = column.reduce(0, +) / Double(column.count)
            let sd = (column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(column.count)).squareRoot()
            XCTAssertEqual(mean, 0, accuracy: 1e-4); XCTAssertEqual(sd, 1, accuracy: 1e-4)
        }
    }

    func testStratifiedSplitIsDisjointAndProportional() throws {
        for name in ["car", "segmentation", "optdigits"] {
            guard case let .whole(d, _) = try DataSource.loadUnsplit(name, options: DataOptions()) else { return XCTFail(name) }
            let labels = d.classLabels!
            for seed: UInt64 in [1, 2] {
                let (train, test) = Splits.stratified(labels: labels, count: d.count, testFraction: 0.2, seed: seed)
                XCTAssertTrue(Set(train).isDisjoint(with: test), name)
                XCTAssertEqual(Set(train).union(test), Set(0..<d.count), name)
                for (c, n) in d.classCounts.enumerated() {
                    let inTest = test.filter { labels[$0] == c }.count
                    XCTAssertLessThanOrEqual(abs(Double(inTest) - 0.2 * Double(n)), 1, "\(name) class \(c)")
                }
            }
            let a = Splits.stratified(labels: labels, count: d.count, testFraction: 0.2, seed: 1)
            let b = Splits.stratified(labels: labels, count: d.count, testFraction: 0.2, seed: 1)
            let c = Splits.stratified(labels: labels, count: d.count, testFraction: 0.2, seed: 2)
            XCTAssertEqual(a.test, b.test); XCTAssertNotEqual(a.test, c.test)
        }
    }

    func testStratifiedFiveFoldCrossValidation() throws {
        let d = try UCIDatasets.car(in: try dataFolder())
        let labels = d.classLabels!
        let folds = Splits.stratifiedFolds(labels: labels, count: d.count, k: 5, seed: 3)
        XCTAssertEqual(folds.count, 5)
        XCTAssertEqual(folds.flatMap { $0 }.sorted(), Array(0..<d.count))
        for fold in folds {
            XCTAssertLessThanOrEqual(abs(fold.count - d.count / 5), 1)
            for (c, n) in d.classCounts.enumerated() {
                XCTAssertLessThanOrEqual(abs(Double(fold.filter { labels[$0] == c }.count) - Double(n) / 5), 1)
            }
        }
        XCTAssertEqual(folds, Splits.stratifiedFolds(labels: labels, count: d.count, k: 5, seed: 3))
        XCTAssertNotEqual(folds, Splits.stratifiedFolds(labels: labels, count: d.count, k: 5, seed: 4))
        let pairs = d.stratifiedFolds(k: 5, seed: 3)
        XCTAssertEqual(pairs.map { $0.train.count + $0.validation.count }, [Int](repeating: d.count, count: 5))
    }

    // MARK: user data

    func testUserCSVRoundTripsToTheBuiltInMatrix() throws {
        // Optdigits written as one CSV with a header and the label first must give the same matrix.
        let builtIn = try UCIDatasets.optdigits(in: try dataFolder())
        let folder = try temporaryFolder()
        var text = "digit," + (0..<64).map { "pixel\($0)" }.joined(separator: ",") + "\n"
        for r in 0..<builtIn.count {
            let row = builtIn.features[(r * 64)..<((r + 1) * 64)].map { String(Int($0)) }
            text += builtIn.classNames[Int(builtIn.targets[r])] + "," + row.joined(separator: ",") + "\n"
        }
        let path = folder.appendingPathComponent("digits.csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var o = DataOptions()
        o.encoding.label = .named("digit")
        let user = try DataSource.userFile(path, options: o)
        XCTAssertEqual(user.features, builtIn.features)
        XCTAssertEqual(user.targets, builtIn.targets)
        XCTAssertEqual(user.classNames, builtIn.classNames)
        XCTAssertEqual(user.featureNames.first, "pixel0")
        // And the same split and scaling as the built-in set.
        let a = try DataSource.load(path, options: o), b = try DataSource.load("optdigits", options: DataOptions())
        XCTAssertEqual(a.train.features, b.train.features); XCTAssertEqual(a.test.targets, b.test.targets)

        // Car's own file given as a user file: its mixed columns (doors 2,3,4,5more) are found categorical.
        let car = try DataSource.userFile(try DataFiles.find("car/car.data", in: try dataFolder()), options: DataOptions())
        let builtInCar = try UCIDatasets.car(in: try dataFolder())
        XCTAssertEqual(car.features, builtInCar.features)
        XCTAssertEqual(car.targets, builtInCar.targets)
    }

    func testUserFileFormats() throws {
        // Header detected; gzip read by content; TSV; label by index; forced categorical.
        let plain = try DataSource.userFile(try fixture("good.csv"), options: DataOptions())
        XCTAssertEqual(plain.featureNames, ["width", "height"])
        XCTAssertEqual(plain.features, [1.5, 2, 3.5, 4, 5.5, 6, 7.5, 8])
        XCTAssertEqual(plain.task, .binary)
        // Four rows: 0.2 of each class rounds to 0, but the test part is never empty.
        let (smallTrain, smallTest) = try DataSource.load(try fixture("good.csv"), options: DataOptions())
        XCTAssertEqual([smallTrain.count, smallTest.count], [3, 1])
        let zipped = try DataSource.userFile(try fixture("good.csv.gz"), options: DataOptions())
        XCTAssertEqual(zipped.features, plain.features); XCTAssertEqual(zipped.targets, plain.targets)
        var o = DataOptions()
        o.encoding.label = .named("0")
        o.encoding.categorical = ["height"]
        o.encoding.task = .classification
        let byIndex = try DataSource.userFile(try fixture("good.csv"), options: o)
        XCTAssertEqual(byIndex.task, .multiclass(classes: 4))
        XCTAssertEqual(byIndex.featureNames, ["height=2.0", "height=4.0", "height=6.0", "height=8.0", "label=a", "label=b"])

        // Whitespace .data with a separate labels file (the Madelon layout, trailing blanks included).
        var w = DataOptions()
        w.labelsFile = try fixture("whitespace.labels")
        let ws = try DataSource.userFile(try fixture("whitespace.data"), options: w)
        XCTAssertEqual([ws.count, ws.featureCount], [4, 3])
        XCTAssertEqual(ws.classNames, ["-1", "1"]); XCTAssertEqual(ws.targets, [0, 1, 0, 1])

        // IDX images with an IDX labels file.
        var i = DataOptions()
        i.labelsFile = try fixture("small-labels-idx1-ubyte")
        let idx = try DataSource.userFile(try fixture("small-images-idx3-ubyte"), options: i)
        XCTAssertEqual([idx.count, idx.featureCount], [6, 4]); XCTAssertEqual(idx.task, .multiclass(classes: 3))

        // Non-integer numeric labels: regression, unless told otherwise.
        let text = "a,b,y\n1,2,0.5\n2,3,1.25\n3,4,2.75\n4,5,3.5\n"
        let t = try DelimitedFile.parse(Array(text.utf8), file: "r.csv")
        XCTAssertEqual(try TableEncoding.dataset([t], name: "r").task, .regression(outputs: 1))
    }

    func testNumbersParseLikeSwift() throws {
        let tokens = ["1", "1.", ".5", "-3e2", "+4.25E-3", "1e-7", "123456789012345678901234", "0.1000000000000000055511151231257827",
                      "3.4028234e38", "-0.0", "7.000000000000001", "2.5e-45"]
        let t = try DelimitedFile.parse(Array((tokens.joined(separator: ",") + "\n").utf8), file: "n.csv", options: DelimitedOptions(header: false))
        for (c, s) in tokens.enumerated() {
            XCTAssertEqual(t.kind(0, c), .number, s)
            XCTAssertEqual(t.value(0, c), Float(s)!, s)
        }
        for s in ["1e", "1.2.3", "--1", "0x10", "e5", "1,5"] where !s.contains(",") {
            let u = try DelimitedFile.parse(Array((s + "\n").utf8), file: "n.csv", options: DelimitedOptions(header: false))
            XCTAssertEqual(u.kind(0, 0), .text, s)
        }
    }

    func testHeaderDetection() throws {
        func header(_ text: String) throws -> Bool { try DelimitedFile.parse(Array(text.utf8), file: "h.csv").hasHeader }
        XCTAssertTrue(try header("a,b,c\n1,2,x\n3,4,y\n"))
        XCTAssertFalse(try header("1,2,x\n3,4,y\n"))
        XCTAssertFalse(try header("vhigh,vhigh,2,unacc\nvhigh,low,3,acc\n"))
        XCTAssertTrue(try header("colour,size\nred,big\nblue,small\n"))
        XCTAssertFalse(try header("red,big\nred,small\n"))
        // R's layout: one name fewer than fields, the first column unnamed.
        let r = try DelimitedFile.parse(Array("a,b\nx,1,2\ny,3,4\n".utf8), file: "r.csv")
        XCTAssertEqual(r.columnNames, ["x0", "a", "b"])
        // Comments, blank lines and CRLF.
        let c = try DelimitedFile.parse(Array("# comment\r\n\r\n1,2\r\n3,4\r\n".utf8), file: "c.csv")
        XCTAssertEqual([c.rowCount, c.columnCount, c.line(0)], [2, 2, 3])
        // A spreadsheet's UTF-8 byte-order mark before the header is not part of its first name.
        let bom = try DelimitedFile.parse([0xEF, 0xBB, 0xBF] + Array("x1,y\r\n1,0\r\n2,1\r\n".utf8), file: "b.csv")
        XCTAssertEqual(bom.columnNames, ["x1", "y"])
        XCTAssertEqual([bom.rowCount, bom.line(0)], [2, 2])
        // Quoted fields may hold the separator.
        let q = try DelimitedFile.parse(Array("name,v\n\"a, \"\"b\"\"\",1\nc,2\n".utf8), file: "q.csv")
        XCTAssertEqual(q.text(0, 0), "a, \"b\"")
    }

    /// `data describe` under `--missing mean`: ranges over the values present, the missing ones
    /// counted; a feature with none at all is 0 .. 0 and constant.
    func testSummaryCountsMissingValuesAndRangesTheRest() {
        let n = Float.nan
        let d = Dataset(name: "m", features: [1, n, n, 3, n, n, -2, 5, n], targets: [0, 1, 0], count: 3, featureCount: 3,
                        task: .binary)
        let s = DataSummary(d)
        XCTAssertEqual(s.missing, [0, 2, 3])
        // Feature 1 has one value present, 5: constant too.
        XCTAssertEqual(s.minimum, [-2, 5, 0])
        XCTAssertEqual(s.maximum, [3, 5, 0])
        XCTAssertEqual(s.constantColumns, [1, 2])
    }

    // MARK: bad input: one line, file and line named, DataError (exit status 2 in the CLI)

    func testMissingFile() {
        let e = dataError("no/such/file.csv")
        XCTAssertEqual(e?.file, "no/such/file.csv")
        XCTAssertTrue(e?.message.contains("no such file") ?? false)
        // An unknown bare name is a usage error that lists the built-in sets.
        XCTAssertThrowsError(try DataSource.load("cra", options: DataOptions())) {
            XCTAssertTrue(($0 as? SettingsError)?.message.contains("car") ?? false)
        }
    }

    func testUnreadableFile() throws {
        let folder = try temporaryFolder()
        XCTAssertTrue(dataError(folder.path)?.message.contains("folder") ?? false)
        let path = folder.appendingPathComponent("locked.csv").path
        try "a,b\n1,2\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: path)
        if !FileManager.default.isReadableFile(atPath: path) {  // root reads everything; then only the folder case applies
            XCTAssertTrue(dataError(path)?.message.contains("cannot be read") ?? false)
        }
    }

    func testEmptyFile() throws { try assertError("empty.csv", line: nil, contains: "empty file") }
    func testHeaderOnly() throws { try assertError("header_only.csv", line: 1, contains: "header only") }
    func testRaggedRows() throws { try assertError("ragged.csv", line: 3, contains: "2 fields, expected 3") }
    func testNonNumericValue() throws { try assertError("non_numeric.csv", line: 4, contains: "non-numeric value 'abc'") }
    func testNaN() throws { try assertError("nan.csv", line: 3, contains: "not a finite number") }
    func testInfinity() throws { try assertError("inf.tsv", line: 3, contains: "'-inf'") }
    func testSingleClass() throws { try assertError("single_class.csv", line: nil, contains: "only one class") }

    func testLabelColumnThatDoesNotExist() throws {
        for spec in ["weight", "3", "-4"] {
            var o = DataOptions()
            o.encoding.label = .named(spec)
            let path = try fixture("good.csv")
            let e = dataError(path, options: o)
            XCTAssertEqual(e?.line, 1)
            XCTAssertTrue(e?.message.contains("'\(spec)' does not exist") ?? false, "\(String(describing: e))")
        }
    }

    func testCorruptGzip() throws {
        try assertError("corrupt.csv.gz", line: nil, contains: "corrupt gzip")
        try assertError("truncated.csv.gz", line: nil, contains: "truncated gzip")
    }

    func testIDXWrongMagic() throws {
        var o = DataOptions()
        o.labelsFile = try fixture("small-labels-idx1-ubyte")
        try assertError("wrong_magic-idx1-ubyte", line: nil, contains: "wrong IDX magic number", options: o)
    }

    func testIDXTruncatedBody() throws {
        var o = DataOptions()
        o.labelsFile = try fixture("small-labels-idx1-ubyte")
        try assertError("truncated-idx3-ubyte", line: nil, contains: "truncated IDX body", options: o)
    }

    func testMoreThan2To31Values() throws {
        var o = DataOptions()
        o.labelsFile = try fixture("small-labels-idx1-ubyte")
        try assertError("huge-idx3-ubyte", line: nil, contains: "more than 2^31", options: o)
        // Text files count values as they go; the limit is lowered here to keep the test small.
        let text = Array("1,2,0\n3,4,1\n5,6,0\n7,8,1\n".utf8)
        XCTAssertThrowsError(try { var d = DelimitedOptions(); d.valueLimit = 8; return try DelimitedFile.parse(text, file: "big.csv", options: d) }()) {
            XCTAssertEqual(($0 as? DataError)?.line, 3)
        }
        // One-hot encoding can multiply the width: checked before allocating.
        let table = try DelimitedFile.parse(Array("a,b\nx1,0\nx2,1\nx3,0\nx4,1\n".utf8), file: "wide.csv")
        XCTAssertThrowsError(try TableEncoding.dataset([table], name: "wide", valueLimit: 15)) {
            XCTAssertTrue(($0 as? DataError)?.message.contains("more than 2^31") ?? false)
        }
    }

    func testLoadingIsFast() throws {
        let start = Date()
        for name in ["car", "segmentation", "optdigits", "mfeat"] { _ = try DataSource.load(name, options: DataOptions()) }
        XCTAssertLessThan(Date().timeIntervalSince(start), 2.0)
    }
}
