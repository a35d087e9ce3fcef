// The training loop: minibatches reshuffled every epoch from a seeded generator,
// one forward/backward pass and one optimiser update per batch. Between epochs the
// pruning algorithms may change the network's shape; the buffers follow it.

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
    private var order: [Int]
    private var propagation: Propagation
    /// Epochs completed so far.
    public private(set) var epoch = 0

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
        shuffle.shuffle(&order)
        order.withUnsafeBufferPointer { all in
            var start = 0
            while start < all.count {
                let n = min(batch, all.count - start)
                propagation.load(data, indices: UnsafeBufferPointer(rebasing: all[start..<(start + n)]))
                propagation.forward(network, rows: n)
                propagation.outputGradient(task: network.task, rows: n)
                propagation.backward(network, rows: n)
                optimizer.update(network, gradients: propagation.gradients)
                start += n
            }
        }
        epoch += 1
    }

    /// The test set restricted to the features the network still uses.
    public func view(of data: Dataset) -> Dataset {
        data.featureCount == network.featureIndices.count ? data : data.columns(network.featureIndices)
    }
}
