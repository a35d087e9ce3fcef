// Task D: one multi-class training, end to end. optdigits (64 features, 10 classes), the
// built-in 4:1 stratified split (seed 1) scaled to [-1, 1] on the training rows, a
// 64-512-10 ReLU network, batch 16, Adam lr 1e-3 with weight decay 1e-3 (coupled L2),
// softmax cross-entropy: milliseconds per epoch, against a PyTorch peer
// (Benchmarks/peers/torch_optdigits.py) that reads the same files, trains on the same rows
// and is timed in the same run. Both run on one thread.
import Foundation
import Optima

/// The CPU's model name, as the benchmark reports it.
func cpuModelName() -> String {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
          let colon = line.firstIndex(of: ":") else { return "unknown CPU" }
    return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
}

private struct TaskD {
    static let hidden = 512, batch = 16, weightDecay: Float = 1e-3
    let train: Dataset, test: Dataset
    /// Rows of optdigits.tra followed by optdigits.tes that the split keeps for training.
    let trainRows: [Int]

    init() throws {
        var options = DataOptions()
        options.seed = 1
        guard case let .whole(all, _) = try DataSource.loadUnsplit("optdigits", options: options) else {
            throw SettingsError("optdigits is expected as one unsplit set")
        }
        trainRows = Splits.stratified(labels: all.classLabels, count: all.count,
                                      testFraction: options.testFraction, seed: options.seed).train
        (train, test) = try DataSource.load("optdigits", options: options)
        precondition(train.count == trainRows.count, "the split and the loaded training part disagree")
    }

    /// One training of `epochs` epochs; the per-epoch wall times and the test accuracy.
    func run(epochs: Int) -> (times: [Double], accuracy: Double) {
        var r = Recipe()
        r.hidden = [Self.hidden]
        r.training.epochs = epochs
        r.training.batchSize = Self.batch
        r.training.optimizer.weightDecay = Self.weightDecay
        var times: [Double] = [], last = 0.0
        let out = r.run(train: train, test: test, observe: { _, _, seconds in
            times.append(seconds - last)
            last = seconds
        })
        return (times, out.test?.accuracy ?? .nan)
    }
}

func runTaskDBench() {
    let quick = benchFlag("quick")
    let epochs = quick ? 8 : 30, repeats = quick ? 1 : 5
    let task: TaskD
    do { task = try TaskD() } catch { print("taskd: \(error)"); return }
    print("== Task D: optdigits 64-\(TaskD.hidden)-10, \(task.train.count) training rows, batch \(TaskD.batch), Adam lr 1e-3 "
        + "wd \(TaskD.weightDecay), \(epochs) epochs; ms/epoch = median over epochs 6...\(epochs), median of \(repeats) runs; "
        + "one thread; kernels \(Kernels.path.rawValue) on \(cpuModelName())")
    var perRun: [Double] = [], accuracy = 0.0
    for _ in 0..<repeats {
        let (times, acc) = task.run(epochs: epochs)
        perRun.append(1000 * median(Array(times.dropFirst(min(5, times.count - 1)))))
        accuracy = acc
    }
    let ours = median(perRun)
    print(String(format: "optima %@   %.3f ms/epoch   (runs: %@)   test accuracy %.4f", Kernels.path.rawValue, ours,
                 perRun.map { String(format: "%.2f", $0) }.joined(separator: ", "), accuracy))
    guard Peers.available else { print(Peers.explainMissing()); return }
    // The peer reads the same files and trains on the rows listed here.
    let rowsFile = FileManager.default.temporaryDirectory.appendingPathComponent("optima-taskd-rows-\(getpid()).txt").path
    defer { try? FileManager.default.removeItem(atPath: rowsFile) }
    guard (try? task.trainRows.map(String.init).joined(separator: "\n").write(toFile: rowsFile, atomically: true, encoding: .utf8)) != nil,
          let data = try? DataFiles.dataDirectory().appendingPathComponent("optdigits").path else {
        print("taskd: could not hand the training rows to the peer; comparison skipped")
        return
    }
    let featureSum = task.train.features.reduce(0.0) { $0 + Double($1) }
    let script = FileManager.default.currentDirectoryPath + "/Benchmarks/peers/torch_optdigits.py"
    var peer: [Double] = [], note = ""
    for _ in 0..<repeats {
        guard let r = Peers.run(script, ["--data", data, "--train-rows", rowsFile, "--epochs", "\(epochs)",
                                         "--hidden", "\(TaskD.hidden)", "--batch", "\(TaskD.batch)",
                                         "--wd", "\(TaskD.weightDecay)", "--threads", "1"]),
              let ms = r["epoch_ms_median"]?.double else { continue }
        peer.append(ms)
        // The same rows scaled the same way give the same sum of training features.
        let sameData = abs((r["train_feature_sum"]?.double ?? .nan) - featureSum) <= 1e-3 * max(1, abs(featureSum))
        note = String(format: "test accuracy %.4f, %@", r["test_accuracy"]?.double ?? .nan,
                      sameData ? "same training data" : "TRAINING DATA DIFFERS")
    }
    guard !peer.isEmpty else { print("torch_optdigits.py failed; comparison skipped"); return }
    let torch = median(peer)
    print(String(format: "torch (nn.Linear, Adam)   %.3f ms/epoch   (runs: %@)   %@", torch,
                 peer.map { String(format: "%.1f", $0) }.joined(separator: ", "), note))
    print(String(format: "ratio torch / optima %.1fx (target >= 12x: %@)", torch / ours, torch / ours >= 12 ? "met" : "not met"))
    if let path = benchOption("csv") {
        let file = path.hasSuffix(".csv") ? String(path.dropLast(4)) + "-D.csv" : path + "-D"
        try? writeFileAtomically("task,implementation,epoch_ms_median,ratio_vs_optima\nD,optima-\(Kernels.path.rawValue),\(ours),1\nD,torch,\(torch),\(torch / ours)\n", to: file)
    }
}
