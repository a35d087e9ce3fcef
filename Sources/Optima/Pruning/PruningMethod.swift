// How a network is pruned while it trains, as one value that `optima nsa|fsa|cpna`, `optima
// cv` and the studies all turn into the step run after every epoch. NSA, FSA+NSA and
// node-level CPNA/CPA remove whole nodes and features (NodeSelection); CPNA/CPA remove
// single connections (ConnectionPruning).

public enum PruningMethod: Equatable, Sendable {
    /// A dense network, trained plainly.
    case none
    /// Nodes (and, with a feature target, features) anneal down to their targets.
    case nodes(NodeSelectionSettings)
    /// Connections anneal down to their targets (cpna Alg. 1).
    case connections(ConnectionPruningSettings)

    /// NSA (nsa Alg. 1): the hidden layer anneals to `keepNodes` nodes.
    public static func nsa(keepNodes: Int) -> PruningMethod {
        var s = NodeSelectionSettings()
        s.nodeTargets = [keepNodes]
        return .nodes(s)
    }

    /// FSA+NSA (nsa Alg. 2): to `keepNodes` nodes and `featureTarget(keepFeatures, xorK:)` features.
    public static func fsa(keepNodes: Int, keepFeatures: Int?, xorK: Int?) throws -> PruningMethod {
        var s = NodeSelectionSettings()
        s.nodeTargets = [keepNodes]
        s.featureTarget = try featureTarget(keepFeatures, xorK: xorK)
        return .nodes(s)
    }

    /// FSA's feature target: as given, else the k of k-D XOR data, the number of features
    /// that carry its signal. Other data has no such default.
    public static func featureTarget(_ given: Int?, xorK: Int?) throws -> Int {
        if let given { return given }
        guard let xorK else {
            throw SettingsError("--keep-features: FSA+NSA needs the number of features to keep (only XOR data has a default, its k)")
        }
        return xorK
    }

    /// The pruner for `network`, which starts from `initialWeights`; nil for `none`. Throws
    /// where the settings cannot apply to this network or number of epochs.
    public func pruner(network: Network, epochs: Int, initialWeights: InitialWeights) throws -> Pruner? {
        switch self {
        case .none:
            return nil
        case let .nodes(s):
            return .nodes(try NodeSelection(s, network: network, epochs: epochs, initialWeights: initialWeights))
        case let .connections(s):
            return .connections(try ConnectionPruning(s, network: network, epochs: epochs, initialWeights: initialWeights))
        }
    }
}

/// A pruning method bound to one network: the step the trainer runs after every epoch, and
/// the schedules themselves for a command to describe.
public enum Pruner {
    case nodes(NodeSelection)
    case connections(ConnectionPruning)

    /// Prunes after `epoch` (counted from 1) of `trainer`'s network.
    public func step(_ trainer: Trainer, _ epoch: Int) {
        switch self {
        case let .nodes(n): n(trainer, epoch)
        case let .connections(c): c(trainer, epoch)
        }
    }
}
