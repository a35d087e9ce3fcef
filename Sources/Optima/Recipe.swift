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

/// What a finished run reports.
public struct Outcome: Sendable {
    public var train: Evaluation
    public var test: Evaluation?
    /// Seconds spent training (evaluations for progress reports excluded).
    public var seconds: Double
    public var epochs: Int
    public var shape: NetworkShape
    public var featureIndices: [Int]
    /// The epoch after which a parameter was NaN or infinite, if training diverged (it then
    /// stops there, and the evaluations describe the broken network).
    public var divergedAtEpoch: Int?

    public var msPerEpoch: Double { epochs > 0 ? 1000 * seconds / Double(epochs) : 0 }

    /// The machine-readable form: one JSON object.
    public var json: [String: JSONValue] {
        var o: [String: JSONValue] = [
            "train_loss": JSONValue(train.loss),
            "seconds": JSONValue(seconds),
            "ms_per_epoch": JSONValue(msPerEpoch),
            "epochs": JSONValue(epochs),
            "network": JSONValue(shape.description),
            "features": JSONValue(featureIndices),
            "kernels": JSONValue(Kernels.path.rawValue),
        ]
        if let a = train.auc { o["train_auc"] = JSONValue(a) }
        if let a = train.accuracy { o["train_accuracy"] = JSONValue(a) }
        if let e = divergedAtEpoch { o["diverged_at_epoch"] = JSONValue(e) }
        if let t = test {
            o["test_loss"] = JSONValue(t.loss)
            if let a = t.auc { o["test_auc"] = JSONValue(a) }
            if let a = t.accuracy { o["test_accuracy"] = JSONValue(a) }
        }
        return o
    }
}

extension Recipe {
    /// Trains a fresh network on `train` and evaluates it on both sets.
    /// `afterEpoch` may change the network (pruning); its time counts as training time,
    /// since pruning is part of the algorithm. `observe` (progress, traces) is not timed.
    public func run(train: Dataset, test: Dataset?,
                    afterEpoch: ((Trainer, Int) throws -> Void)? = nil,
                    observe: ((Trainer, Int, Double) throws -> Void)? = nil) rethrows -> Outcome {
        let network = makeNetwork(features: train.featureCount, task: train.task)
        return try run(network: network, train: train, test: test, afterEpoch: afterEpoch, observe: observe)
    }

    /// Trains a given network (e.g. a retrained sub-network) and evaluates it.
    /// `observe` receives the trainer, the 1-based epoch and the training seconds so far.
    public func run(network: Network, train: Dataset, test: Dataset?,
                    afterEpoch: ((Trainer, Int) throws -> Void)? = nil,
                    observe: ((Trainer, Int, Double) throws -> Void)? = nil) rethrows -> Outcome {
        let trainer = Trainer(network: network, train: train, settings: training)
        var seconds = 0.0
        var diverged: Int?
        while trainer.epoch < training.epochs {
            let start = monotonicSeconds()
            trainer.runEpoch()
            try afterEpoch?(trainer, trainer.epoch)
            seconds += monotonicSeconds() - start
            // A step too large turns the weights into inf/NaN; going on would only hide it.
            if !network.parametersAreFinite {
                diverged = trainer.epoch
                break
            }
            try observe?(trainer, trainer.epoch, seconds)
        }
        return Outcome(train: Evaluation(network: network, data: trainer.view(of: train)),
                       test: test.map { Evaluation(network: network, data: trainer.view(of: $0)) },
                       seconds: seconds, epochs: trainer.epoch, shape: network.shape,
                       featureIndices: network.featureIndices, divergedAtEpoch: diverged)
    }
}
