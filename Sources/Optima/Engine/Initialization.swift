// How a network's initial weights and biases are drawn.

/// How the initial weights and biases are drawn.
public enum Initialization: Equatable, Sendable {
    /// PyTorch's nn.Linear default: weights and biases uniform in ±1/sqrt(fan_in).
    case pytorch
    /// Gaussian weights N(weightMean, weightStd²) and biases N(biasMean, biasStd²)
    /// (the deliberately bad initialisations of Swirszcz et al.).
    case gaussian(weightMean: Double, weightStd: Double, biasMean: Double, biasStd: Double)
}
