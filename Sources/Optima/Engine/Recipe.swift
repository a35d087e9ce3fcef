// A complete description of one training run and its outcome, so the command
// line, the experiment runner and the tests all train the same way.

public struct Recipe: Equatable, Sendable {
    /// Hidden layer sizes, e.g. [1024]; empty for a linear model.
    public var hidden: [Int] = [1024]
    public var activation: Activation = .relu
    public var initialization: Initialization = .pytorch
    public var training = TrainingSettings()
    /// Seeds the initial weights; the batch order uses training.seed.
    public var seed: UInt64 = 1
    public init() {}

    /// A network for data with this many features and this task.
    public func makeNetwork(features: Int, task: Task) -> Network {
        Network(sizes: [features] + hidden + [task.outputCount], hiddenActivation: activation, task: task,
                initialization: initialization, seed: seed)
    }
}

extension Recipe {
    /// Trains a fresh network on `train` and evaluates it on both sets.
    /// `afterEpoch` may change the network (pruning); its time counts as training time,
    /// since pruning is part of the algorithm. `observe` (progress, traces) is not timed.
    public func run(train: Dataset, test: Dataset?,
                    afterEpoch: ((Trainer, Int) throws -> Void)? = nil,
                    observe: ((Trainer, Int, Double) throws -> Void)? = nil, threads: Int = 1) rethrows -> Outcome {
        let network = makeNetwork(features: train.featureCount, task: train.task)
        return try run(network: network, train: train, test: test, afterEpoch: afterEpoch, observe: observe, threads: threads)
    }

    /// Trains a given network (e.g. a retrained sub-network) and evaluates it.
    /// `observe` receives the trainer, the 1-based epoch and the training seconds so far.
    /// `afterStep` runs after every optimiser step (pruning on an iteration clock). The
    /// training uses `threads` threads (see `Trainer.threads`) on steps of at least
    /// `minimumSplitWork` multiply-adds.
    public func run(network: Network, train: Dataset, test: Dataset?,
                    afterStep: ((Trainer) -> Void)? = nil,
                    afterEpoch: ((Trainer, Int) throws -> Void)? = nil,
                    observe: ((Trainer, Int, Double) throws -> Void)? = nil, threads: Int = 1,
                    minimumSplitWork: Int = ParallelStep.minimumWork) rethrows -> Outcome {
        let trainer = Trainer(network: network, train: train, settings: training)
        trainer.afterStep = afterStep
        trainer.threads = threads
        trainer.minimumSplitWork = minimumSplitWork
        return try trainer.run(test: test, afterEpoch: afterEpoch, observe: observe)
    }
}
