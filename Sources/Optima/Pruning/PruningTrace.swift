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
    public var testLoss: Double?
    /// nil when the task has no AUC (multi-class, regression).
    public var trainAUC: Double?
    public var testAUC: Double?
    /// Classification only (the measure multi-class runs have instead of AUC).
    public var trainAccuracy: Double?
    public var testAccuracy: Double?
    /// Training seconds so far (evaluations for the trace excluded).
    public var seconds: Double
    /// Unpruned inputs of each node of the first hidden layer, largest first, and how many of
    /// them are relevant features; empty while the layer has more than
    /// `PruningTrace.spreadNodes` nodes (the spread only matters once few are left).
    public var inputsPerNode: [Int] = []
    public var relevantInputsPerNode: [Int] = []
}

public final class PruningTrace {
    public private(set) var rows: [PruningTraceRow] = []
    public let train: Dataset
    public let test: Dataset?

    /// Features (original numbering) that carry the signal, e.g. the first k of k-D XOR;
    /// nil when unknown.
    public let relevant: Set<Int>?
    /// The node count up to which the per-node input spread is recorded.
    public static let spreadNodes = 64

    public init(train: Dataset, test: Dataset?, relevant: Set<Int>? = nil) {
        self.train = train
        self.test = test
        self.relevant = relevant
    }

    /// The `observe` hook: evaluates the network as it is after this epoch's pruning.
    public func record(_ trainer: Trainer, _ epoch: Int, _ seconds: Double) {
        let net = trainer.network
        let tr = Evaluation(network: net, data: trainer.view(of: train))
        let te = test.map { Evaluation(network: net, data: trainer.view(of: $0)) }
        var row = PruningTraceRow(epoch: epoch, nodes: net.shape.hiddenSizes.reduce(0, +),
                                  features: net.shape.inputCount, connections: net.connectionCount,
                                  trainLoss: tr.loss, testLoss: te?.loss, trainAUC: tr.auc, testAUC: te?.auc,
                                  trainAccuracy: tr.accuracy, testAccuracy: te?.accuracy, seconds: seconds)
        if net.layerCount >= 2, net.shape.layers[0].output <= PruningTrace.spreadNodes {
            (row.inputsPerNode, row.relevantInputsPerNode) = net.inputSpread(relevant: relevant)
        }
        rows.append(row)
    }

    public static let header = "epoch,nodes,features,connections,train_loss,train_auc,test_auc,seconds,train_accuracy,"
        + "test_accuracy,test_loss,inputs_per_node,relevant_inputs_per_node"

    public var csv: String {
        func cell(_ x: Double?) -> String { x.map { String($0) } ?? "" }
        func list(_ xs: [Int]) -> String { xs.map(String.init).joined(separator: " ") }
        var text = PruningTrace.header + "\n"
        for r in rows {
            text += "\(r.epoch),\(r.nodes),\(r.features),\(r.connections),\(r.trainLoss),"
                + "\(cell(r.trainAUC)),\(cell(r.testAUC)),\(r.seconds),\(cell(r.trainAccuracy)),\(cell(r.testAccuracy)),"
                + "\(cell(r.testLoss)),\(list(r.inputsPerNode)),\(list(r.relevantInputsPerNode))\n"
        }
        return text
    }

    public func write(to path: String) throws {
        try writeFileAtomically(csv, to: path)
    }
}

extension Network {
    /// For each node of the first hidden layer: its unpruned inputs and how many of them are
    /// in `relevant` (original feature numbering), sorted by inputs, then relevant, largest
    /// first; the relevant counts are empty when `relevant` is nil.
    public func inputSpread(relevant: Set<Int>?) -> (inputs: [Int], relevant: [Int]) {
        let L = shape.layers[0], w = weights(0)
        var spread = Array(repeating: (inputs: 0, relevant: 0), count: L.output)
        for i in 0..<L.input {
            let isRelevant = relevant?.contains(featureIndices[i]) ?? false
            for j in 0..<L.output {
                let at = L.weightOffset + i * L.output + j
                let live = mask.map { $0[at] != 0 } ?? (w[i * L.output + j] != 0)
                if live {
                    spread[j].inputs += 1
                    if isRelevant { spread[j].relevant += 1 }
                }
            }
        }
        spread.sort { ($0.inputs, $0.relevant) > ($1.inputs, $1.relevant) }
        return (spread.map(\.inputs), relevant == nil ? [] : spread.map(\.relevant))
    }
}
