// Task C of the peers: the Fig. 3 workload of the XOR study (100 initialisations, k = 3,
// p = 3, n = 1000, h = 64, 200 epochs, batch 64, Adam lr 1e-3, wd 1e-4) through the
// experiment runner on every core, as `optima study nsa/fig3` runs it: trainings per second and
// total seconds (median of 3), against the peers' Task C timed in the same run.
import Foundation
import Optima

private func taskCPoints() -> [TrainingPoint] {
    (0..<100).map { TrainingPoint(data: .xor(k: 3, p: 3, n: 1000), hidden: 64, initialization: $0, epochs: 200, recipe: .nsa) }
}

/// One pass of Task C; returns the wall seconds and the final training losses.
func taskCRun(threads: Int) throws -> (seconds: Double, losses: [Double]) {
    let path = NSTemporaryDirectory() + "optima-bench-taskC-\(getpid()).jsonl"
    try? FileManager.default.removeItem(atPath: path)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let points = taskCPoints()
    let jobs = StudyDriver.jobs(points)
    _ = try points[0].data.load()   // the data are shared by the whole grid: build them once
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

    var peers = [PeerRun(name: "jax (vmap, one jit)", script: "jax_xor.py", flags: ["--vmap"], repeats: repeats),
                 PeerRun(name: "numpy", script: "numpy_xor.py", flags: [], repeats: repeats)]
    // torch takes one to several minutes a run (it threads badly on a busy machine): only on request.
    if benchFlag("with-torch") { peers.append(PeerRun(name: "torch (fused Adam)", script: "torch_xor.py", flags: ["--adam", "fused"], repeats: 1)) }
    comparePeers(task: "C", args: ["--threads", "2"], runs: peers, metric: "total_s", unit: "s", ours: ours, target: 4)
}
