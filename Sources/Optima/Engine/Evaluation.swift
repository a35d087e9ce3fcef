// Loss and quality of a network on one data set, as every report quotes them.

/// Loss and quality of a network on one data set.
public struct Evaluation: Sendable, Equatable {
    public var loss: Double
    /// Binary tasks only.
    public var auc: Double?
    /// Classification only.
    public var accuracy: Double?
    /// Regression only: 1 - (squared error) / (the targets' variance about their own mean).
    public var r2: Double?

    public init(network: Network, data: Dataset) {
        self.init(outputs: network.predict(data.features, rows: data.count), data: data)
    }

    /// From a model's outputs (logits for classification) on every row of `data`.
    public init(outputs out: [Float], data: Dataset) {
        loss = Loss.value(task: data.task, outputs: out, targets: data.targets)
        switch data.task {
        case .binary:
            auc = Metrics.auc(scores: out, labels: data.targets)
            accuracy = Metrics.accuracy(outputs: out, labels: data.targets, width: 1)
        case .multiclass(let c):
            auc = nil
            accuracy = Metrics.accuracy(outputs: out, labels: data.targets, width: c)
        case .regression:
            auc = nil
            accuracy = nil
            r2 = Metrics.r2(outputs: out, targets: data.targets, width: data.task.outputCount)
        }
    }
}
