// The whole training step, top to bottom: minibatches reshuffled every epoch from a
// seeded generator; per batch the forward pass, the loss gradient, the backward pass and
// one optimiser update; the epoch loop with the pruning step after each epoch and the
// divergence check; and the compaction that pruning asks for, which moves the Adam
// moments (and the tracked initial weights) with the parameters. Pruners only decide what
// to keep; everything that changes the trainer's buffers happens here.

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

public struct TrainingSettings: Equatable, Sendable {
    public var epochs = 300
    /// Minibatch size; ignored by full-batch gradient descent.
    public var batchSize = 64
    public var optimizer = OptimizerSettings()
    /// Seeds the batch order (the initialisation has its own seed).
    public var seed: UInt64 = 1
    public init() {}
}

/// Wall-clock seconds from a monotonic clock.
@inline(__always)
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

public final class Trainer {
    public let network: Network
    public let optimizer: Optimizer
    public let settings: TrainingSettings
    public let train: Dataset
    private var shuffle: Xoshiro256
    /// This epoch's batch order: the first batch is rows order[0..<batch], the next the
    /// batch after, the last may be short. Reshuffled at the start of every epoch.
    public private(set) var order: [Int]
    private var propagation: Propagation
    /// Epochs completed so far.
    public private(set) var epoch = 0
    /// Called after every optimiser step (pruning on an iteration clock). It may change
    /// weights and the mask, never the network's shape: shapes change between epochs.
    public var afterStep: ((Trainer) -> Void)?
    /// Threads this one training uses: each step's batch rows, then its parameters, are split
    /// among them (`ParallelStep`). The same seed gives the same numbers at a given count;
    /// between counts the gradients' sums over rows change order (float rounding).
    public var threads = 1
    /// Steps with fewer multiply-adds than this run on one thread whatever `threads` says
    /// (`ParallelStep.minimumWork`: below it the split costs more than it saves).
    public var minimumSplitWork = ParallelStep.minimumWork
    private var parallel: ParallelStep?

    public init(network: Network, train: Dataset, settings: TrainingSettings) {
        precondition(train.featureCount == network.shape.inputCount, "data and network disagree on the number of features")
        precondition(train.count > 0)
        self.network = network
        self.train = train
        self.settings = settings
        optimizer = Optimizer(settings.optimizer, parameterCount: network.shape.parameterCount)
        shuffle = Xoshiro256(seed: settings.seed, stream: 0x5AFF)
        order = Array(0..<train.count)
        propagation = Propagation(shape: network.shape, rows: Trainer.batchRows(settings, train.count),
                                  targetWidth: train.targetWidth)
    }

    /// Optimiser steps per epoch (the last batch may be short).
    public var stepsPerEpoch: Int { (train.count + propagation.capacity - 1) / propagation.capacity }

    private static func batchRows(_ s: TrainingSettings, _ n: Int) -> Int {
        s.optimizer.kind == .gd ? n : min(s.batchSize, n)
    }

    /// The training data as the network sees it now: pruned features are dropped.
    /// Recomputed only when the network's features change.
    private var inputs: (features: [Int], data: Dataset)?

    private func currentInputs() -> Dataset {
        if network.featureIndices.count == train.featureCount { return train }
        if let inputs, inputs.features == network.featureIndices { return inputs.data }
        let d = train.columns(network.featureIndices)
        inputs = (network.featureIndices, d)
        return d
    }

    /// One pass over the training set. The network may have changed shape since the
    /// last epoch (pruning); buffers follow it.
    public func runEpoch() {
        if propagation.shape != network.shape {
            propagation = Propagation(shape: network.shape, rows: propagation.capacity, targetWidth: train.targetWidth)
        }
        let data = currentInputs()
        let batch = propagation.capacity
        let split = splitStep()
        shuffle.shuffle(&order)
        order.withUnsafeBufferPointer { all in
            var start = 0
            while start < all.count {
                let n = min(batch, all.count - start)
                let rows = UnsafeBufferPointer(rebasing: all[start..<(start + n)])
                if let split {
                    split.step(network, optimizer: optimizer, data: data, indices: rows)
                } else {
                    propagation.load(data, indices: rows)
                    propagation.forward(network, rows: n)
                    propagation.outputGradient(task: network.task, rows: n)
                    propagation.backward(network, rows: n)
                    optimizer.update(network, gradients: propagation.gradients)
                }
                afterStep?(self)
                start += n
            }
        }
        epoch += 1
    }

    /// The threads' split of each step, when `threads` > 1, a batch gives each thread a few
    /// rows and a step holds enough work (checked each epoch: pruning shrinks the network);
    /// its buffers follow the network's shape.
    private func splitStep() -> ParallelStep? {
        guard threads > 1, propagation.capacity >= 2 * threads,
              ParallelStep.work(network.shape, rows: propagation.capacity) >= minimumSplitWork else { return nil }
        if let parallel, parallel.workers == threads {
            if parallel.shape != network.shape { parallel.reshape(network.shape, targetWidth: train.targetWidth) }
            return parallel
        }
        parallel = ParallelStep(workers: threads, shape: network.shape, batchRows: propagation.capacity,
                                targetWidth: train.targetWidth)
        return parallel
    }

    /// Trains until `settings.epochs` epochs are done (or the weights diverge) and evaluates
    /// the network on `train` and `test`. `afterEpoch` may change the network (pruning); its
    /// time counts as training time, since pruning is part of the algorithm. `observe`
    /// (progress, traces) receives the 1-based epoch and the training seconds so far and is
    /// not timed.
    public func run(test: Dataset?, afterEpoch: ((Trainer, Int) throws -> Void)? = nil,
                    observe: ((Trainer, Int, Double) throws -> Void)? = nil) rethrows -> Outcome {
        var seconds = 0.0
        var diverged: Int?
        while epoch < settings.epochs {
            let start = monotonicSeconds()
            runEpoch()
            try afterEpoch?(self, epoch)
            seconds += monotonicSeconds() - start
            // A step too large turns the weights into inf/NaN; going on would only hide it.
            if !network.parametersAreFinite {
                diverged = epoch
                break
            }
            try observe?(self, epoch, seconds)
        }
        return Outcome(train: Evaluation(network: network, data: view(of: train)),
                       test: test.map { Evaluation(network: network, data: view(of: $0)) },
                       seconds: seconds, epochs: epoch, steps: optimizer.step,
                       connections: network.liveConnections,
                       shape: network.shape,
                       featureIndices: network.featureIndices, divergedAtEpoch: diverged)
    }

    // MARK: Pruning's changes to the network, with the optimiser state that follows them

    /// Removes inputs and hidden nodes physically. The Adam moments and the tracked initial
    /// weights are gathered with the parameters; with `keepMoments` false the surviving
    /// moments restart from zero.
    public func compactNetwork(keepInputs: [Int]? = nil, keepNodes: [[Int]?]? = nil,
                               initialWeights: InitialWeights?, keepMoments: Bool) {
        var companions = optimizer.stateBuffers
        let stateCount = companions.count
        if let initialWeights { companions.append(initialWeights.parameters) }
        let moved = network.compact(keepInputs: keepInputs, keepNodes: keepNodes, companions: companions)
        let state = Array(moved.prefix(stateCount))
        if !keepMoments { for b in state { b.fill(0) } }
        optimizer.replaceState(state)
        if let initialWeights { initialWeights.parameters = moved[stateCount] }
    }

    /// After connections were removed through the network's mask: removed weights drop their
    /// moments, survivors keep theirs unless `keepMoments` is false, and the features and
    /// nodes left without effect leave the matrices.
    public func commitConnectionMask(initialWeights: InitialWeights?, keepMoments: Bool) {
        guard let mask = network.mask else { return }
        optimizer.applyMask(mask)
        if !keepMoments { for b in optimizer.stateBuffers { b.fill(0) } }
        removeDisconnectedUnits(initialWeights: initialWeights)
    }

    /// Removes, until none is left, the features and nodes that pruning disconnected
    /// (folding constant nodes into the next biases first), with moments and tracked
    /// initial weights gathered along.
    func removeDisconnectedUnits(initialWeights: InitialWeights?) {
        while true {
            let (inputs, nodes, constants) = network.connectedUnits()
            for (l, list) in constants.enumerated() {
                for j in list { network.foldConstantNode(layer: l, node: j) }
            }
            guard inputs != nil || nodes.contains(where: { $0 != nil }) else { return }
            compactNetwork(keepInputs: inputs, keepNodes: nodes, initialWeights: initialWeights, keepMoments: true)
        }
    }

    /// The test set restricted to the features the network still uses.
    public func view(of data: Dataset) -> Dataset {
        data.featureCount == network.featureIndices.count ? data : data.columns(network.featureIndices)
    }
}
