// Feature-selection quality and time against the peers, same split, same run: optima's
// stability selection over FSA+NSA (`optima select`, its defaults), LassoNet's path, and
// random-forest importances followed by an RBF-SVM (Benchmarks/peers/feature_select.py).
//
// Data: MADELON's training and validation files when --madelon DIR (default Data/madelon,
// the vendored copy) holds them, with the 20 relevant features the forest finds;
// otherwise the generated hypercube set (p = 200), written to files for the peers.
// With --suite, the suite over kinds of data instead (SelectSuite.swift).
import Foundation
import Optima

private struct SelectBenchData {
    var name: String
    var files: (train: String, trainLabels: String, test: String, testLabels: String)
    var relevant: Set<Int>
}

/// The MADELON files if present, else a generated set written as whitespace files.
private func selectBenchData() throws -> SelectBenchData {
    // Absolute paths: the peers run from their own folder. The vendored copy (Data/madelon,
    // data files gzip-compressed) unless --madelon DIR names another folder.
    let given = benchOption("madelon") ?? "Data/madelon"
    let dir = given.hasPrefix("/") ? given : FileManager.default.currentDirectoryPath + "/" + given
    func file(_ name: String) -> String? {
        ["\(dir)/madelon_\(name)", "\(dir)/madelon_\(name).gz"].first { FileManager.default.fileExists(atPath: $0) }
    }
    let m = ["train.data", "train.labels", "valid.data", "valid.labels"].compactMap(file)
    if m.count == 4 {
        return SelectBenchData(name: "madelon", files: (m[0], m[1], m[2], m[3]), relevant: Madelon.relevantFeatures)
    }
    var s = HypercubeSettings()
    s.features = 200
    let (train, test, informative, redundant) = try HypercubeData.make(s)
    let tmp = NSTemporaryDirectory() + "optima-select-bench-\(getpid())"
    try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
    func write(_ d: Dataset, _ name: String) throws -> (String, String) {
        var x = "", y = ""
        for r in 0..<d.count {
            x += (0..<d.featureCount).map { String(d.features[r * d.featureCount + $0]) }.joined(separator: " ") + "\n"
            y += "\(Int(d.targets[r]))\n"
        }
        let (a, b) = ("\(tmp)/\(name).data", "\(tmp)/\(name).labels")
        try x.write(toFile: a, atomically: true, encoding: .utf8)
        try y.write(toFile: b, atomically: true, encoding: .utf8)
        return (a, b)
    }
    let (a, b) = try write(train, "train"), (c, d) = try write(test, "test")
    return SelectBenchData(name: "hypercube p=200", files: (a, b, c, d), relevant: Set(informative + redundant))
}

func runSelectBench() {
    if benchFlag("suite") { runSelectSuite(); return }
    let data: SelectBenchData
    do { data = try selectBenchData() } catch { print("select: \(error)"); return }
    // One thread each: `SelectionProcedure.select` runs every step in turn.
    let threads = 1
    var options = DataOptions()
    options.labelsFile = data.files.trainLabels
    options.testFile = data.files.test
    options.testLabelsFile = data.files.testLabels
    options.scaling = .standardize

    // Ours: what `optima select` does with its defaults, timed from the loaded data.
    let ours: (selected: [Int], accuracy: Double, seconds: Double)
    do {
        let (train, test) = try DataSource.load(data.files.train, options: options)
        let start = monotonicSeconds()
        let outcome = try SelectionProcedure().select(train, test: test)
        ours = (outcome.kept, outcome.final.test?.accuracy ?? .nan, monotonicSeconds() - start)
    } catch {
        print("select: \(error)")
        return
    }

    print("feature selection on \(data.name) (train -> test files), \(threads) thread(s); "
        + "relevant: \(data.relevant.count) features")
    print("method                                   features  relevant  test accuracy  seconds")
    func row(_ name: String, _ selected: [Int], _ accuracy: Double, _ seconds: Double) {
        let found = selected.filter { data.relevant.contains($0) }.count
        print(name.padding(toLength: 41, withPad: " ", startingAt: 0)
            + String(format: "%8d  %8d  %13.4f  %7.2f", selected.count, found, accuracy, seconds))
    }
    row("optima select (FSA+NSA, stability)", ours.selected, ours.accuracy, ours.seconds)
    guard Peers.available else { print(Peers.explainMissing()); return }
    let script = FileManager.default.currentDirectoryPath + "/Benchmarks/peers/feature_select.py"
    let files = ["--train", data.files.train, "--train-labels", data.files.trainLabels, "--test", data.files.test,
                 "--test-labels", data.files.testLabels, "--threads", "\(threads)"]
    for (method, label) in [("lassonet", "LassoNet path (best val., <= 25 features)"),
                            ("forest", "forest importances, top 20 -> RBF-SVM")] {
        guard let r = Peers.run(script, ["--method", method] + files),
              let selected = r["selected"]?.array?.compactMap({ $0.int }),
              let accuracy = r["test_accuracy"]?.double, let seconds = r["seconds"]?.double else {
            print("\(method): the peer failed; comparison skipped")
            continue
        }
        row(label, selected, accuracy, seconds)
    }
}
