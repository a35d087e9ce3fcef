// The per-epoch record of a pruning run: how many nodes, features and connections are
// left, and how loss and AUC move as they go. Written as CSV (atomically, so a plot
// script never reads half a file).

public struct PruningTraceRow: Equatable, Sendable {
    public var epoch: Int
    /// Hidden nodes in all hidden layers together.
    public var nodes: Int
    public var features: Int
    /// Unpruned weights (biases not counted).
    public var connections: Int
    public var trainLoss: Double
    /// nil when the task has no AUC (multi-class, regression).
    public var trainAUC: Double?
    public var testAUC: Double?
    /// Classification only (the measure multi-class runs have instead of AUC).
    public var trainAccuracy: Double?
    public var testAccuracy: Double?
    /// Training seconds so far (evaluations for the trace excluded).
    public var seconds: Double
}

public final class PruningTrace {
    public private(set) var rows: [PruningTraceRow] = []
    public let train: Dataset
    public let test: Dataset?

    public init(train: Dataset, test: Dataset?) {
        self.train = train
        self.test = test
    }

    /// The `observe` hook: evaluates the network as it is after this epoch's pruning.
    public func record(_ trainer: Trainer, _ epoch: Int, _ seconds: Double) {
        let net = trainer.network
        let tr = Evaluation(network: net, data: trainer.view(of: train))
        let te = test.map { Evaluation(network: net, data: trainer.view(of: $0)) }
        rows.append(PruningTraceRow(epoch: epoch, nodes: net.shape.hiddenSizes.reduce(0, +),
                                    features: net.shape.inputCount, connections: net.connectionCount,
                                    trainLoss: tr.loss, trainAUC: tr.auc, testAUC: te?.auc,
                                    trainAccuracy: tr.accuracy, testAccuracy: te?.accuracy, seconds: seconds))
    }

    public static let header = "epoch,nodes,features,connections,train_loss,train_auc,test_auc,seconds,train_accuracy,test_accuracy"

    public var csv: String {
        func cell(_ x: Double?) -> String { x.map { String($0) } ?? "" }
        var text = PruningTrace.header + "\n"
        for r in rows {
            text += "\(r.epoch),\(r.nodes),\(r.features),\(r.connections),\(r.trainLoss),"
                + "\(cell(r.trainAUC)),\(cell(r.testAUC)),\(r.seconds),\(cell(r.trainAccuracy)),\(cell(r.testAccuracy))\n"
        }
        return text
    }

    public func write(to path: String) throws {
        try writeFileAtomically(csv, to: path)
    }
}
