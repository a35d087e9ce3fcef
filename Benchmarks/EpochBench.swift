// End to end: milliseconds per epoch of the reference workload (XOR k=3, p=15,
// n=3000, H=1024, batch 64, Adam, 300 epochs) on every kernel path, and the same
// workload in the installed peers, timed in the same run. --threads N: also the one training
// on N threads (`Trainer.threads`) against the peers on N threads.
import Foundation
import Optima

/// Per-epoch wall times of one reference run on the current kernel path.
private func referenceEpochTimes(epochs: Int, threads: Int = 1) throws -> (times: [Double], testAUC: Double) {
    var r = Recipe()
    r.hidden = [1024]
    r.training.epochs = epochs
    r.training.optimizer.weightDecay = 1e-4
    let train = try XORData.make(k: 3, p: 15, n: 3000)
    let test = try XORData.make(k: 3, p: 15, n: 3000, test: true)
    var times: [Double] = []
    var last = 0.0
    let out = r.run(train: train, test: test, observe: { _, _, seconds in
        times.append(seconds - last)
        last = seconds
    }, threads: threads)
    return (times, out.test?.auc ?? .nan)
}

/// Median epoch time over epochs 6...N, as the peers report it.
private func steadyEpochMs(_ times: [Double]) -> Double {
    1000 * median(Array(times.dropFirst(min(5, times.count - 1))))
}

func runEpochBench() {
    let quick = benchFlag("quick")
    let epochs = quick ? 30 : 300
    let repeats = quick ? 1 : 3
    print("== end to end: reference workload (XOR k=3 p=15 n=3000, H=1024, batch 64, Adam), \(epochs) epochs, median of \(repeats) runs")
    print("path      ms/epoch   test AUC")
    var ours: [KernelPath: Double] = [:]
    let original = Kernels.path
    for path in Kernels.supported {
        Kernels.use(path)
        // The slow paths get fewer epochs: their per-epoch time is what matters.
        let n = (path == .scalar || path == .swift) ? min(epochs, 30) : epochs
        var ms: [Double] = []
        var auc = 0.0
        for _ in 0..<((path == .scalar || path == .swift) ? 1 : repeats) {
            guard let (t, a) = try? referenceEpochTimes(epochs: n) else { continue }
            ms.append(steadyEpochMs(t))
            auc = a
        }
        ours[path] = median(ms)
        print("\(path.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))  \(String(format: "%8.3f", median(ms)))   \(String(format: "%.4f", auc))\(n < epochs ? " (\(n) epochs)" : "")")
    }
    Kernels.use(original)
    let best = ours[original] ?? ours.values.min()!

    let peers = [PeerRun(name: "jax (jit epoch)", script: "jax_xor.py", flags: ["--jit", "epoch"], repeats: repeats),
                 PeerRun(name: "torch (fused Adam)", script: "torch_xor.py", flags: ["--adam", "fused"], repeats: repeats),
                 PeerRun(name: "numpy", script: "numpy_xor.py", flags: [], repeats: repeats)]
    comparePeers(task: "A", args: ["--threads", "1", "--epochs", String(epochs)], runs: peers,
                 metric: "epoch_ms_median", unit: "ms/epoch", ours: best, target: 5)

    let threads = max(1, Int(benchOption("threads") ?? "") ?? 1)
    guard threads > 1 else { return }
    var split: [Double] = []
    for _ in 0..<repeats {
        guard let (t, _) = try? referenceEpochTimes(epochs: epochs, threads: threads) else { continue }
        split.append(steadyEpochMs(t))
    }
    print(String(format: "\n%@ on %d threads: %.3f ms/epoch, %.2fx its one-thread time", original.rawValue, threads,
                 median(split), best / median(split)))
    comparePeers(task: "A", args: ["--threads", "\(threads)", "--epochs", String(epochs)], runs: peers,
                 metric: "epoch_ms_median", unit: "ms/epoch", ours: median(split), target: 8, fileTag: "A-\(threads)threads")
}
