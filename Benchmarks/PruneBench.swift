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

    guard Peers.available else {
        print(Peers.explainMissing())
        return
    }
    print("\npeers, Task B, single thread (total seconds; ratio = peer / optima)")
    let peerRuns: [(String, String, [String])] = [
        ("numpy", "numpy_xor.py", []),
        ("torch (fused Adam)", "torch_xor.py", ["--adam", "fused"]),
    ]
    var rows: [[String]] = []
    var fastest = Double.infinity
    for (name, script, extra) in peerRuns {
        var totals: [Double] = []
        var features = ""
        for _ in 0..<repeats {
            guard let r = Peers.run(script, ["--task", "B", "--threads", "1", "--epochs", String(epochs)] + extra),
                  let t = r["total_s"]?.double else { continue }
            totals.append(t)
            features = r["selected_features"]?.doubles.map { $0.map { String(Int($0)) }.joined(separator: ",") } ?? ""
        }
        guard !totals.isEmpty else { print("\(name): failed to run"); continue }
        let t = median(totals)
        fastest = min(fastest, t)
        print("\(name.padding(toLength: 20, withPad: " ", startingAt: 0)) total \(String(format: "%.3f", t)) s   "
            + "ratio \(String(format: "%5.1f", t / ours))x   features \(features)")
        rows.append([name, String(t), String(t / ours)])
    }
    if fastest.isFinite {
        let ratio = fastest / ours
        print(String(format: "against the fastest peer: %.1fx (target >= 5x: %@)", ratio, ratio >= 5 ? "met" : "not met"))
    }
    if let csv = benchOption("csv") {
        var text = "workload,implementation,total_s,ratio_vs_optima\n"
        text += "B,optima-\(Kernels.path.rawValue),\(ours),1\n"
        for r in rows { text += "B,\(r[0]),\(r[1]),\(r[2])\n" }
        try? writeFileAtomically(text, to: csv)
    }
}
