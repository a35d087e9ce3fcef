// One training step on several threads (`--threads N` on a single training). The batch's
// rows are split among N workers, each with its own buffers; then the parameters are split:
//   phase 0, worker w: its share of the rows (w-th of N contiguous parts of the batch) through
//     the forward pass, the loss gradient (a mean over the whole batch) and the backward
//     pass, into its own gradient buffer;
//   phase 1, worker w: its part of the parameters (N contiguous parts, 16-float aligned): the
//     workers' gradients summed in worker order, then the optimiser's update of that part.
// A training at N threads gives the same numbers every time. Against one thread, only the
// sums over the batch's rows change order (each worker sums its rows, then the workers'
// sums are added), so the gradients differ in the last bits of float rounding; the update
// itself is element by element and splits exactly.

public final class ParallelStep {
    /// The fewest multiply-adds a step must hold (batch rows × Σ in·out over the layers) to be
    /// split. Below it the two barriers and the gradient sum cost more than half the step
    /// saves: on a quiet 2-core AMD EPYC (avx512) a 15-1024-1 network on batches of 64 (1 M)
    /// ran at 0.78× its one-thread speed and 100-1024-1 (6.6 M) at 0.91×, while 200-512-512-1
    /// (23 M) ran at 1.39× and the MNIST 784-256-256-10 of batch 200 (53 M) at 1.8×.
    public static let minimumWork = 16_000_000

    /// A step's multiply-adds in the forward pass, as `minimumWork` counts them.
    public static func work(_ shape: NetworkShape, rows: Int) -> Int {
        rows * shape.layers.reduce(0) { $0 + $1.input * $1.output }
    }

    let workers: Int
    private var team: StepTeam!
    private var propagations: [Propagation]
    // The step in progress, set before each phase; read by the workers while it runs.
    private var network: Network!
    private var optimizer: Optimizer!
    private var data: Dataset!
    private var batch = UnsafeBufferPointer<Int>(start: nil, count: 0)

    /// Buffers for `batchRows`-row batches of `shape`, split `workers` ways.
    init(workers: Int, shape: NetworkShape, batchRows: Int, targetWidth: Int) {
        precondition(workers >= 2)
        self.workers = workers
        propagations = ParallelStep.buffers(workers, shape: shape, rows: (batchRows + workers - 1) / workers,
                                            targetWidth: targetWidth)
        team = StepTeam(size: workers) { [unowned self] phase, w in
            if phase == 0 { self.propagate(worker: w) } else { self.update(worker: w) }
        }
    }

    deinit { team.stop() }

    var shape: NetworkShape { propagations[0].shape }

    /// New buffers after pruning changed the network's shape (between epochs).
    func reshape(_ shape: NetworkShape, targetWidth: Int) {
        propagations = ParallelStep.buffers(workers, shape: shape, rows: propagations[0].capacity, targetWidth: targetWidth)
    }

    /// Each worker's buffers for its share of `rows` rows.
    private static func buffers(_ workers: Int, shape: NetworkShape, rows: Int, targetWidth: Int) -> [Propagation] {
        (0..<workers).map { _ in Propagation(shape: shape, rows: rows, targetWidth: targetWidth) }
    }

    /// One step on the rows `indices` of `data`.
    func step(_ network: Network, optimizer: Optimizer, data: Dataset, indices: UnsafeBufferPointer<Int>) {
        (self.network, self.optimizer, self.data, batch) = (network, optimizer, data, indices)
        team.run(phase: 0)
        optimizer.beginStep()
        team.run(phase: 1)
    }

    /// Worker w's rows of the batch.
    private func rows(of w: Int) -> Range<Int> {
        let share = (batch.count + workers - 1) / workers
        return min(batch.count, w * share)..<min(batch.count, (w + 1) * share)
    }

    private func propagate(worker w: Int) {
        let prop = propagations[w], mine = rows(of: w)
        guard !mine.isEmpty else {
            prop.gradients.fill(0)
            return
        }
        prop.load(data, indices: UnsafeBufferPointer(rebasing: batch[mine]))
        prop.forward(network, rows: mine.count)
        prop.outputGradient(task: network.task, rows: mine.count, meanOver: batch.count)
        prop.backward(network, rows: mine.count)
    }

    private func update(worker w: Int) {
        let count = network.parameters.count
        // 16-float parts: the update kernels' vector bodies see the same elements as in one
        // whole update, so the split changes nothing.
        let part = (count + workers - 1) / workers
        let aligned = (part + 15) / 16 * 16
        let lo = min(count, w * aligned), hi = min(count, lo + aligned)
        guard lo < hi else { return }
        let sum = propagations[0].gradients.pointer
        for other in 1..<workers {
            let g = propagations[other].gradients.pointer
            for i in lo..<hi { sum[i] += g[i] }
        }
        optimizer.update(network, gradients: propagations[0].gradients, parameters: lo..<hi)
    }
}
