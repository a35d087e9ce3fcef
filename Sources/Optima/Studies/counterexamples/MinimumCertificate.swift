// A numerical certificate that a point is a local minimum of the sum of squared errors:
// its one-sided gradients vanish, no random perturbation within a small radius lowers the
// loss, and gradient descent started there or close by ends no lower. A saddle or a slope
// fails at least one of the three, which the tests check on such points.

/// How hard a point is probed. Every number the paper leaves out is here, with its default.
public struct CertificateSettings: Sendable, Equatable {
    /// Perturbation radii: from far below to well above the rounding scale, small enough
    /// that no data point crosses a kink that it is not already on.
    public var radii: [Double] = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2]
    /// Random directions (uniform on the sphere) per radius.
    public var directions = 2000
    /// Gradient-descent runs from uniformly random points at `descentRadius`.
    public var descentStarts = 20
    public var descentRadius = 1e-3
    public var descentSteps = 4000
    /// Below 2 / (the largest Hessian eigenvalue) on D1-D3 (x up to 12 makes it about 700).
    public var learningRate = 5e-4
    /// A loss change counts only beyond this, relative to max(1, loss): rounding in Double.
    public var tolerance = 1e-9
    public var seed: UInt64 = 11

    public init() {}

    /// Fewer probes for `--scale quick`; the same radii and tolerance.
    public static func at(_ scale: StudyScale) -> CertificateSettings {
        var s = CertificateSettings()
        if scale == .quick { (s.directions, s.descentStarts, s.descentSteps) = (200, 4, 1000) }
        return s
    }

    /// The settings in words, for a report.
    public var sentence: String {
        "perturbations: \(directions) random directions at each radius in {\(radii.map { "\($0)" }.joined(separator: ", "))}; "
            + "gradient descent: \(descentStarts) runs of \(descentSteps) steps (learning rate \(learningRate)) from random points "
            + "at radius \(descentRadius), and one from the point itself; a loss change counts beyond \(tolerance) × max(1, L); "
            + "ReLU's derivative at 0 taken as 0 and as 1 (both one-sided gradients must vanish)"
    }
}

public struct MinimumCertificate: Sendable {
    public var loss: Double
    /// The largest |∂L/∂θ_i| over both one-sided gradients (ReLU'(0) = 0 and = 1).
    public var gradient: Double
    /// The largest L(θ) − L(θ + r d) over every sampled direction d and radius r (≤ 0 at a minimum).
    public var largestDrop: Double
    /// How far gradient descent started at θ itself moves it (max |Δθ_i|).
    public var descentDrift: Double
    /// L(θ) − the lowest loss gradient descent reaches from the nearby starts.
    public var descentDrop: Double
    public var tolerance: Double

    public var isCritical: Bool { gradient <= tolerance }
    public var noPerturbationLowers: Bool { largestDrop <= tolerance }
    public var descentStays: Bool { descentDrop <= tolerance && descentDrift <= tolerance }
    /// All three checks: the point is (numerically) a local minimum.
    public var isLocalMinimum: Bool { isCritical && noPerturbationLowers && descentStays }

    public static func check(_ net: ExactNetwork, on data: ExactData, _ s: CertificateSettings = CertificateSettings()) -> MinimumCertificate {
        let L = net.loss(data)
        let tol = s.tolerance * max(1, abs(L))
        let gradient = [0.0, 1.0].map { net.gradient(data, kinkSlope: $0).map(abs).max() ?? 0 }.max() ?? 0
        var g = Xoshiro256(seed: s.seed, stream: 0xCE27)
        func moved(_ r: Double) -> ExactNetwork {
            var d = net.parameters.map { _ in g.normal() }
            let norm = d.reduce(0) { $0 + $1 * $1 }.squareRoot()
            d = d.map { $0 / norm }
            var p = net
            for i in p.parameters.indices { p.parameters[i] += r * d[i] }
            return p
        }
        var largestDrop = -Double.infinity
        for r in s.radii { for _ in 0..<s.directions { largestDrop = max(largestDrop, L - moved(r).loss(data)) } }
        let still = net.descended(on: data, learningRate: s.learningRate, steps: s.descentSteps)
        let drift = zip(still.parameters, net.parameters).map { abs($0 - $1) }.max() ?? 0
        var lowest = still.loss(data)
        for _ in 0..<s.descentStarts {
            lowest = min(lowest, moved(s.descentRadius).descended(on: data, learningRate: s.learningRate, steps: s.descentSteps).loss(data))
        }
        return MinimumCertificate(loss: L, gradient: gradient, largestDrop: largestDrop, descentDrift: drift,
                                  descentDrop: L - lowest, tolerance: tol)
    }
}
