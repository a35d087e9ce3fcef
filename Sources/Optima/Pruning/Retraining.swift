// Retraining the sub-network that pruning found (CPNA paper, Table 1 and Fig. 7): the
// same architecture and connection mask, trained again from (a) a fresh random
// initialisation or (b) the weights the pruned run started from. The paper finds that
// neither recovers the pruned network's quality: the deep optimum is found by pruning,
// not encoded in the sub-network's initial weights.

/// Where a retrained sub-network starts.
public enum RetrainingStart: Equatable, Sendable {
    /// A fresh draw of the recipe's initialisation with this seed.
    case fresh(seed: UInt64)
    /// The initial weights of the run that found the sub-network.
    case original
}

extension Network {
    /// The found sub-network (same shape, mask and feature/node numbering), reset to a
    /// starting point for retraining. Pruned connections stay exactly 0.
    public func subnetworkForRetraining(from start: RetrainingStart, initialWeights: InitialWeights?,
                                        initialization: Initialization = .pytorch) -> Network {
        let net = copy()
        switch start {
        case .fresh(let seed):
            net.initialize(initialization, seed: seed)
        case .original:
            guard let initialWeights else { preconditionFailure("retraining from the original weights needs them tracked") }
            precondition(initialWeights.parameters.count == shape.parameterCount,
                         "the initial weights were not compacted along with the network")
            net.parameters.pointer.update(from: initialWeights.parameters.pointer, count: shape.parameterCount)
            if let mask = net.mask {
                for i in 0..<mask.count where mask[i] == 0 { net.parameters[i] = 0 }
            }
        }
        return net
    }
}

extension Recipe {
    /// Trains the found sub-network again from `start` for the recipe's epochs, with a
    /// fresh optimiser, on the features the sub-network kept.
    public func retrain(_ found: Network, from start: RetrainingStart, initialWeights: InitialWeights?,
                        train: Dataset, test: Dataset?,
                        observe: ((Trainer, Int, Double) throws -> Void)? = nil) rethrows -> Outcome {
        let net = found.subnetworkForRetraining(from: start, initialWeights: initialWeights,
                                                initialization: initialization)
        func restrict(_ d: Dataset) -> Dataset {
            d.featureCount == net.featureIndices.count ? d : d.columns(net.featureIndices)
        }
        return try run(network: net, train: restrict(train), test: test.map(restrict), observe: observe)
    }
}
