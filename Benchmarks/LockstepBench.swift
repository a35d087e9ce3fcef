// Task C in lockstep: the same 100 initialisations of 3-64-1 on XOR (k = 3, p = 3, n = 1000),
// 200 epochs, batch 64, Adam lr 1e-3, wd 1e-4, one lockstep group per thread with a shared
// batch order (as JAX's vmap trains them), against the per-network runner (Task C) and JAX
// vmap, all timed in the same run: total seconds, median of 3.
import Foundation
import Optima

/// One lockstep pass over all initialisations, split into one group per thread; returns the
/// wall seconds and the final training losses.
private func lockstepRun(threads: Int, train: Dataset) -> (seconds: Double, losses: [Double]) {
    let inits = 100
    let networks = (0..<inits).map { i in
        Network(sizes: [3, 64, 1], task: .binary,
                seed: TrainingPoint(data: .xor(k: 3, p: 3, n: 1000), hidden: 64, initialization: i, epochs: 200).seed)
    }
    var settings = Recipe.nsa.training
    settings.epochs = 200
    settings.seed = 7
    let groups = stride(from: 0, to: inits, by: (inits + threads - 1) / threads).map { Array(networks[$0..<min(inits, $0 + (inits + threads - 1) / threads)]) }
    let start = monotonicSeconds()
    DispatchQueue.concurrentPerform(iterations: groups.count) { g in
        let trainer = LockstepTrainer(networks: groups[g], train: train, settings: settings)
        trainer.run()
        for (n, net) in groups[g].enumerated() { trainer.copy(block: n, into: net) }
    }
    let seconds = monotonicSeconds() - start
    return (seconds, networks.map { Evaluation(network: $0, data: train).loss })
}

func runLockstepBench() {
    let quick = benchFlag("quick")
    let repeats = quick ? 1 : 3
    let threads = ProcessInfo.processInfo.activeProcessorCount
    guard let train = try? XORData.make(k: 3, p: 3, n: 1000) else { print("lockstep: no data"); return }
    print("== Task C in lockstep: 100 inits x 200 epochs of 3-64-1, XOR k=3 p=3 n=1000, batch 64, Adam; "
        + "\(threads) groups on \(threads) threads, shared batch order, median of \(repeats), kernels \(Kernels.path.rawValue)")
    let runs = (0..<repeats).map { _ in lockstepRun(threads: threads, train: train) }
    let ours = median(runs.map(\.seconds))
    let losses = runs[0].losses.sorted()
    let runner = median((0..<repeats).compactMap { _ in try? taskCRun(threads: threads).seconds })
    print(String(format: "optima lockstep  total %.3f s   %.1f trainings/s   train loss min/median/max %.4f / %.4f / %.4f",
                 ours, 100 / ours, losses.first ?? .nan, losses[losses.count / 2], losses.last ?? .nan))
    print(String(format: "optima runner    total %.3f s   (Task C, one network per job; lockstep is %.2fx faster)", runner, runner / ours))
    comparePeers(task: "C", args: ["--threads", "2"],
                 runs: [PeerRun(name: "jax (vmap, one jit)", script: "jax_xor.py", flags: ["--vmap"], repeats: repeats)],
                 metric: "total_s", unit: "s", ours: ours, target: 10)
}
