// Appendix B.1's bound: with biases 0, the blind spot of Proposition 4 is certain once every
// weight is positive, so P(effect) ≥ Π over layers Φ(μ/σ_l)^(weights in layer l); for a
// d-h-…-h-1 net with L hidden layers the counts are dh, (L − 1)h² and h (the appendix's
// dh + (k − 2)h² + h with k = L + 1 weight matrices). Tails reach 1e-12 at h = 10,000,
// so Φ is taken through erfc and its logarithm through log1p.
import Foundation

/// How the weights' standard deviation is chosen per layer (Fig. 6, middle).
public enum BlindSpotInit: String, CaseIterable, Sendable {
    /// LeCun'98 as the figure's caption has it: N(μ, 1/h) in every layer.
    case lecun = "LeCun'98"
    /// Xavier'10: N(μ, 2/(h_in + h_out)).
    case xavier = "Xavier'10"
    /// A fixed σ = 0.01.
    case fixed = "σ = 0.01"

    /// σ of a layer with `fanIn` inputs and `fanOut` outputs in a net of width h.
    public func sigma(fanIn: Int, fanOut: Int, width h: Int) -> Double {
        switch self {
        case .lecun: return (1 / Double(h)).squareRoot()
        case .xavier: return (2 / Double(fanIn + fanOut)).squareRoot()
        case .fixed: return 0.01
        }
    }
}

public enum BlindSpotBound {
    /// log Φ(z), accurate in both tails.
    public static func logPhi(_ z: Double) -> Double {
        z < 0 ? log(0.5 * erfc(-z / 2.0.squareRoot())) : log1p(-0.5 * erfc(z / 2.0.squareRoot()))
    }

    /// (σ, weight count) of each layer of a d-h-…-h-1 net with `layers` hidden layers.
    public static func layers(inputs d: Int, width h: Int, hidden layers: Int, _ i: BlindSpotInit) -> [(sigma: Double, count: Double)] {
        let sizes = [d] + Array(repeating: h, count: layers) + [1]
        return zip(sizes, sizes.dropFirst()).map { (i.sigma(fanIn: $0.0, fanOut: $0.1, width: h), Double($0.0 * $0.1)) }
    }

    /// P(every weight > 0) under N(μ, σ_l²): the bound of Eq. 3.
    public static func probability(mean mu: Double, inputs d: Int, width h: Int, hidden layers: Int, _ i: BlindSpotInit) -> Double {
        exp(self.layers(inputs: d, width: h, hidden: layers, i).reduce(0) { $0 + $1.count * logPhi(mu / $1.sigma) })
    }

    /// The bound with one σ in every layer.
    public static func probability(mean mu: Double, sigma: Double, inputs d: Int, width h: Int, hidden layers: Int) -> Double {
        let weights = Double(d * h + (layers - 1) * h * h + h)
        return exp(weights * logPhi(mu / sigma))
    }

    /// The smallest μ with bound ≥ `target`, by bisection (the bound rises with μ).
    public static func meanNeeded(_ target: Double = 0.99, inputs d: Int, width h: Int, hidden layers: Int, _ i: BlindSpotInit) -> Double {
        var (lo, hi) = (0.0, 100 * (self.layers(inputs: d, width: h, hidden: layers, i).map(\.sigma).max() ?? 1))
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if probability(mean: mid, inputs: d, width: h, hidden: layers, i) >= target { hi = mid } else { lo = mid }
        }
        return hi
    }
}
