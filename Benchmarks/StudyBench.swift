// Task C of the peers: the Fig. 3 workload of the XOR study (100 initialisations, k = 3,
// p = 3, n = 1000, h = 64, 200 epochs, batch 64, Adam lr 1e-3, wd 1e-4) through the
// experiment runner on every core, as `optima study fig3` runs it: trainings per second and
// total seconds (median of 3), against the peers' Task C timed in the same run.
import Foundation
import Optima

private func taskCPoints() -> [XORPoint] {
    (0..<100).map { XORPoint(k: 3, p: 3, n: 1000, h: 64, initialization: $0, epochs: 200) }
}

/// One pass of Task C; returns the wall seconds and the final training losses.
private func taskCRun(threads: Int) throws -> (seconds: Double, losses: [Double]) {
    let path = NSTemporaryDirectory() + "optima-bench-taskC-\(getpid()).jsonl"
    try? FileManager.default.removeItem(atPath: path)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let jobs = XORStudy.jobs(taskCPoints(), config: XORStudyConfig(.paper))
    _ = try XORStudy.data(k: 3, p: 3, n: 1000)   // the data are shared by the whole grid: build them once
    _ = try XORStudy.data(k: 3, p: 3, n: 3000, test: true)
    let start = monotonicSeconds()
    let records = try ExperimentRunner.run(jobs, options: RunnerOptions(resultsPath: path, threads: threads, quiet: true))
    let seconds = monotonicSeconds() - start
    return (seconds, records.compactMap { $0["train_loss"]?.double })
}

func runStudyBench() {
    let quick = benchFlag("quick")
    let repeats = quick ? 1 : 3
    let threads = ProcessInfo.processInfo.activeProcessorCount
    print("== Task C: 100 inits x 200 epochs, XOR k=3 p=3 n=1000, h=64, batch 64, Adam; through the runner, "
        + "\(threads) threads, median of \(repeats), kernels \(Kernels.path.rawValue)")
    var runs: [(seconds: Double, losses: [Double])] = []
    for _ in 0..<repeats {
        do { runs.append(try taskCRun(threads: threads)) } catch { print("Task C failed: \(error)"); return }
    }
    let ours = median(runs.map(\.seconds))
    let losses = runs[0].losses.sorted()
    let serial = runs[0].losses.count
    print(String(format: "optima     total %.3f s   %.1f trainings/s   train loss min/median/max %.4f / %.4f / %.4f   (%d trainings)",
                 ours, 100 / ours, losses.first ?? .nan, losses[losses.count / 2], losses.last ?? .nan, serial))

    guard Peers.available else {
        print(Peers.explainMissing())
        return
    }
    print("\npeers, Task C, 2 threads (total seconds; ratio = peer / optima)")
    var peerRuns: [(String, String, [String], Int)] = [
        ("jax (vmap, one jit)", "jax_xor.py", ["--vmap"], repeats),
        ("numpy", "numpy_xor.py", [], repeats),
    ]
    // torch takes about a minute a run: once.
    if !quick { peerRuns.append(("torch (fused Adam)", "torch_xor.py", ["--adam", "fused"], 1)) }
    var rows: [[String]] = []
    var fastest = Double.infinity
    for (name, script, extra, n) in peerRuns {
        var totals: [Double] = []
        for _ in 0..<n {
            guard let r = Peers.run(script, ["--task", "C", "--threads", "2"] + extra),
                  let t = r["total_s"]?.double else { continue }
            totals.append(t)
        }
        guard !totals.isEmpty else { print("\(name): failed to run"); continue }
        let t = median(totals)
        fastest = min(fastest, t)
        print("\(name.padding(toLength: 22, withPad: " ", startingAt: 0)) total \(String(format: "%7.3f", t)) s   "
            + "\(String(format: "%6.1f", 100 / t)) trainings/s   ratio \(String(format: "%5.1f", t / ours))x   (\(totals.count) run\(totals.count == 1 ? "" : "s"))")
        rows.append([name, String(t), String(t / ours)])
    }
    if fastest.isFinite {
        let ratio = fastest / ours
        print(String(format: "against the fastest peer: %.1fx (target >= 4x: %@)", ratio, ratio >= 4 ? "met" : "not met"))
    }
    if let csv = benchOption("csv") {
        var text = "workload,implementation,total_s,ratio_vs_optima\n"
        text += "C,optima-\(Kernels.path.rawValue),\(ours),1\n"
        for r in rows { text += "C,\(r[0]),\(r[1]),\(r[2])\n" }
        try? writeFileAtomically(text, to: csv)
    }
}
