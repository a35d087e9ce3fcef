/// A network and its training length and decay: a selection run's or the final network's candidate.
public struct NetworkCandidate: Equatable, Sendable {
    public var hidden: [Int]
    public var epochs: Int
    public var weightDecay: Float

    public init(hidden: [Int], epochs: Int, weightDecay: Float) {
        (self.hidden, self.epochs, self.weightDecay) = (hidden, epochs, weightDecay)
    }

    /// The candidate's key in a results file: "hidden=[128, 128],epochs=300,wd=0.0001".
    public var key: String { "hidden=\(hidden),epochs=\(epochs),wd=\(weightDecay)" }

    /// A training's relative cost, for ordering jobs: epochs times hidden nodes (the input
    /// layer dominates a selection run's network).
    public var work: Int { epochs * hidden.reduce(0, +) }

    /// "128-128 nodes, 300 epochs, wd 0.0001".
    public var summary: String {
        "\(hidden.map(String.init).joined(separator: "-")) nodes, \(epochs) epochs, wd \(weightDecay)"
    }

    /// What a trial's record of this candidate says about it ("hidden", "epochs", "wd").
    public var recordFields: [String: JSONValue] {
        ["hidden": JSONValue(hidden), "epochs": JSONValue(epochs), "wd": JSONValue(Double(weightDecay))]
    }

    /// `schema` with this candidate's fields required as they are: a record of its key
    /// cannot describe another network.
    public func requiring(in schema: RecordSchema) -> RecordSchema {
        recordFields.keys.sorted().reduce(schema) { s, name in s.requiring(name, equals: recordFields[name] ?? .null) }
    }

    /// `recipe` with this candidate's network, length and decay.
    public func applied(to recipe: Recipe) -> Recipe {
        var r = recipe
        r.hidden = hidden
        r.training.epochs = epochs
        r.training.optimizer.weightDecay = weightDecay
        return r
    }
}
