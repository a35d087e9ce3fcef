// The weights a pruned run started from, kept in step with the network as it shrinks.

/// A copy of a network's parameters from before training. The pruning steps compact it
/// together with the network, so at the end it holds the initial values of exactly the
/// surviving weights, in the final layout.
public final class InitialWeights {
    public internal(set) var parameters: FloatBuffer

    public init(of network: Network) {
        parameters = network.parameters.copy()
    }
}
