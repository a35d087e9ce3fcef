// Task C in lockstep: the same 100 initialisations of 3-64-1 on XOR (k = 3, p = 3, n = 1000),
// 200 epochs, batch 64, Adam lr 1e-3, wd 1e-4, one lockstep group per thread with a shared
// batch order (as JAX's vmap trains them), against the per-network runner (Task C) and JAX
// vmap, all timed in the same run: total seconds, median of 3.
import Foundation
import Optima

/// Trains `networks` in lockstep, one group per thread, and writes the trained weights back;
/// returns the wall seconds.
private func trainInLockstep(_ networks: [Network], train: Dataset, settings: TrainingSettings, threads: Int) -> Double {
    let size = (networks.count + threads - 1) / threads
    let groups = stride(from: 0, to: networks.count, by: size).map { Array(networks[$0..<min(networks.count, $0 + size)]) }
    let start = monotonicSeconds()
    DispatchQueue.concurrentPerform(iterations: groups.count) { g in
        let trainer = LockstepTrainer(networks: groups[g], train: train, settings: settings)
        trainer.run()
        for (n, net) in groups[g].enumerated() { trainer.copy(block: n, into: net) }
    }
    return monotonicSeconds() - start
}

/// One lockstep pass over all initialisations; returns the wall seconds and the final
/// training losses.
private func lockstepRun(threads: Int, train: Dataset) -> (seconds: Double, losses: [Double]) {
    let inits = 100
    let networks = (0..<inits).map { i in
        Network(sizes: [3, 64, 1], task: .binary,
                seed: TrainingPoint(data: .xor(k: 3, p: 3, n: 1000), hidden: 64, initialization: i, epochs: 200).seed)
    }
    var settings = Recipe.nsa.training
    settings.epochs = 200
    settings.seed = 7
    let seconds = trainInLockstep(networks, train: train, settings: settings, threads: threads)
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

/// CPU seconds of this process so far (every thread).
private func processSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Task E (the counterexamples paper's Table 1 workload): 1000 initialisations of 2-4-1 on
/// the 4-point XOR, full-batch gradient descent with lr 0.1, 10 000 steps, one network per
/// SIMD lane (`TinyLanes`), on one thread, against JAX vmap + scan on one thread
/// (Benchmarks/peers/jax_tiny.py). Ours and JAX alternate, so a change in the machine's load
/// falls on both; each reports wall and CPU seconds, and the ratios are of the medians. The
/// lanes are first checked against separate training with the Trainer.
func runTinyLockstepBench() {
    let quick = benchFlag("quick")
    let repeats = quick ? 1 : 5, inits = 1000, steps = quick ? 2000 : 10_000
    let data = CounterexamplesData.xor4()
    var settings = Recipe.counterexamplesGD.training
    settings.epochs = steps
    func networks() -> [Network] { (0..<inits).map { Network(sizes: [2, 4, 1], task: .binary, seed: UInt64(1000 + $0)) } }
    print("== Task E: \(inits) inits of 2-4-1 on 4-point XOR, full-batch GD lr \(settings.optimizer.learningRate), "
        + "\(steps) steps, one network per SIMD lane, 1 thread, kernels \(Kernels.path.rawValue), "
        + "median of \(repeats), alternating with JAX")

    // Check before timing: 16 networks in lanes against the same 16 trained alone.
    let check = Array(networks().prefix(16)), alone = check.map { $0.copy() }
    TinyLanes.train(check, on: data, settings: settings)
    var worstLoss = 0.0, sameAccuracy = 0
    for (a, b) in zip(alone, check) {
        _ = Trainer(network: a, train: data, settings: settings).run(test: nil)
        let (ea, eb) = (Evaluation(network: a, data: data), Evaluation(network: b, data: data))
        worstLoss = max(worstLoss, abs(ea.loss - eb.loss))
        if ea.accuracy == eb.accuracy { sameAccuracy += 1 }
    }
    print(String(format: "check: 16 networks in lanes vs trained alone: same accuracy %d/16, largest loss difference %.2e",
                 sameAccuracy, worstLoss))

    let script = FileManager.default.currentDirectoryPath + "/Benchmarks/peers/jax_tiny.py"
    var wall: [Double] = [], cpu: [Double] = [], jaxWall: [Double] = [], jaxCPU: [Double] = [], converged = 0.0
    for _ in 0..<repeats {
        let nets = networks()
        let (w0, c0) = (monotonicSeconds(), processSeconds())
        TinyLanes.train(nets, on: data, settings: settings)
        wall.append(monotonicSeconds() - w0)
        cpu.append(processSeconds() - c0)
        converged = Double(nets.filter { Evaluation(network: $0, data: data).loss < 0.1 }.count) / Double(inits)
        if Peers.available, let r = Peers.run(script, ["--inits", "\(inits)", "--steps", "\(steps)", "--threads", "1"]),
           let w = r["total_s"]?.double {
            jaxWall.append(w)
            if let c = r["cpu_s"]?.double { jaxCPU.append(c) }
        }
    }
    let ours = median(wall), oursCPU = median(cpu)
    print(String(format: "optima lanes  wall %.3f s (runs %@)   cpu %.3f s   %.2f ns per network-step (wall)   share with loss < 0.1: %.3f",
                 ours, wall.map { String(format: "%.3f", $0) }.joined(separator: " "), oursCPU,
                 ours * 1e9 / Double(inits * steps), converged))
    guard Peers.available else { print(Peers.explainMissing()); return }
    guard !jaxWall.isEmpty else { print("jax_tiny.py failed; comparison skipped"); return }
    let jax = median(jaxWall)
    print(String(format: "jax (vmap, one jit, scan)  wall %.3f s (runs %@)   cpu %.3f s", jax,
                 jaxWall.map { String(format: "%.3f", $0) }.joined(separator: " "), jaxCPU.isEmpty ? .nan : median(jaxCPU)))
    print(String(format: "ratio (JAX / ours): wall %.2fx, cpu %.2fx (target >= 5x: %@)", jax / ours,
                 jaxCPU.isEmpty ? .nan : median(jaxCPU) / oursCPU, jax / ours >= 5 ? "met" : "not met"))
}
