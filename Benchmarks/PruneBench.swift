// End to end with pruning: the FSA+NSA reference run (XOR k=3, p=15, n=3000, H 1024→128,
// features 15→3, 300 epochs, batch 64, Adam lr 1e-3, wd 1e-4), total seconds against the
// peers' Task B (the same algorithm with physically sliced arrays) timed in the same run.
import Foundation
import Optima

private struct PruneRun {
    var seconds: Double
    /// Part of `seconds` spent in the pruning steps (normalise, rank, compact).
    var pruningSeconds: Double
    var testAUC: Double
    var features: [Int]
    var hidden: Int
}

private func fsaReferenceRun(epochs: Int) throws -> PruneRun {
    var r = Recipe()
    r.hidden = [1024]
    r.training.epochs = epochs
    r.training.batchSize = 64
    r.training.optimizer.weightDecay = 1e-4
    let train = try XORData.make(k: 3, p: 15, n: 3000)
    let test = try XORData.make(k: 3, p: 15, n: 3000, test: true)
    var s = NodeSelectionSettings()
    s.nodeTargets = [128]
    s.featureTarget = 3
    let net = r.makeNetwork(features: 15, task: .binary)
    let fsa = try NodeSelection(s, network: net, epochs: epochs)
    var pruning = 0.0
    let out = r.run(network: net, train: train, test: test, afterEpoch: { t, e in
        let start = monotonicSeconds()
        fsa(t, e)
        pruning += monotonicSeconds() - start
    })
    return PruneRun(seconds: out.seconds, pruningSeconds: pruning, testAUC: out.test?.auc ?? .nan,
                    features: out.featureIndices, hidden: out.shape.sizes[1])
}

func runPruneBench() {
    let quick = benchFlag("quick")
    let epochs = 300
    let repeats = quick ? 1 : 3
    print("== FSA+NSA reference run (XOR k=3 p=15 n=3000, H 1024->128, p 15->3, batch 64, Adam), "
        + "\(epochs) epochs, median of \(repeats), kernels \(Kernels.path.rawValue)")
    var runs: [PruneRun] = []
    for _ in 0..<repeats {
        guard let run = try? fsaReferenceRun(epochs: epochs) else { print("reference run failed"); return }
        runs.append(run)
    }
    let ours = median(runs.map(\.seconds))
    let last = runs[runs.count - 1]
    print(String(format: "optima     total %.3f s (pruning steps %.1f ms)   test AUC %.4f   H %d   features %@",
                 ours, 1000 * median(runs.map(\.pruningSeconds)), last.testAUC, last.hidden,
                 last.features.map(String.init).joined(separator: ",")))

    comparePeers(task: "B", args: ["--threads", "1", "--epochs", String(epochs)],
                 runs: [PeerRun(name: "numpy", script: "numpy_xor.py", flags: [], repeats: repeats),
                        PeerRun(name: "torch (fused Adam)", script: "torch_xor.py", flags: ["--adam", "fused"], repeats: repeats)],
                 metric: "total_s", unit: "s", ours: ours, target: 5) { r in
        "   features " + (r["selected_features"]?.doubles.map { $0.map { String(Int($0)) }.joined(separator: ",") } ?? "?")
    }
}
