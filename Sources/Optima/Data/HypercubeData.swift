// Data of MADELON's kind, generated: a k-D XOR on the vertices of a hypercube, redundant
// linear combinations of its k informative features, and many noise columns.
//
// Each row picks a vertex v of {-1,1}^k uniformly; its informative features are
// v + σ·N(0,1). Its label is either the parity of v (1 when the product of v is
// positive), so no single feature, and no set short of all k, says anything about the
// label; or, as in MADELON's own generator (Guyon 2003: 32 clusters on the vertices of a
// 5-D hypercube, "randomly labelled"), the class its vertex was dealt: the 2^k vertices
// are shuffled and the first half are class 1. Each
// redundant feature is a fixed random linear combination of the informative ones; the
// noise columns are N(0,1). Every column is then shifted and rescaled by its own random
// affine map (as MADELON's are), and the columns are put in a random order, so neither a
// feature's scale nor its position tells whether it is relevant.

import Foundation

/// How the vertices of the hypercube get their classes.
public enum VertexLabels: String, CaseIterable, Equatable, Sendable {
    /// The parity of the vertex: the k-D XOR, the hardest case.
    case parity
    /// Half the vertices, chosen at random, are class 1 (MADELON's design).
    case random
}

public struct HypercubeSettings: Equatable, Sendable {
    /// How the vertices are labelled.
    public var labels = VertexLabels.parity
    /// Informative features: the interaction order k of the XOR.
    public var informative = 3
    /// Linear combinations of the informative features.
    public var redundant = 6
    /// Features in all: informative + redundant + noise.
    public var features = 100
    /// Training rows; the test set has `testRows`.
    public var rows = 2000
    public var testRows = 2000
    /// Spread of the points around their vertex (the vertices are at ±1).
    public var spread: Float = 0.3
    /// Fixes the vertices, the combinations, the scales and the column order.
    public var seed: UInt64 = 20_030_101

    public init() {}
}

public enum HypercubeData {
    /// Largest number of informative features (2^k vertices must all be visited).
    public static let maxInformative = 16

    /// The training and test sets, and the 0-based positions of the relevant columns
    /// (informative first, then redundant, each in ascending order).
    public static func make(_ s: HypercubeSettings) throws
        -> (train: Dataset, test: Dataset, informative: [Int], redundant: [Int]) {
        guard (1...maxInformative).contains(s.informative) else {
            throw SettingsError("--k must be in 1...\(maxInformative) for the hypercube data (got \(s.informative))")
        }
        guard s.redundant >= 0 else { throw SettingsError("--redundant must be at least 0 (got \(s.redundant))") }
        guard s.features >= s.informative + s.redundant else {
            throw SettingsError("--p must be at least --k + --redundant (got p=\(s.features), k=\(s.informative), "
                + "redundant=\(s.redundant))")
        }
        guard s.rows >= 2, s.testRows >= 1 else { throw SettingsError("--n must be at least 2 (got \(s.rows))") }

        var g = Xoshiro256(seed: s.seed, stream: 0xC0BE)
        let k = s.informative, p = s.features
        // Combination weights, normalised so each redundant feature has the informative ones' scale.
        let mix: [[Float]] = (0..<s.redundant).map { _ in
            let w = (0..<k).map { _ in Float(g.normal()) }
            let norm = max(w.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-6)
            return w.map { $0 / norm }
        }
        // Per-column affine maps: scale in [0.2, 5] (log-uniform), shift in [-10, 10].
        let scale = (0..<p).map { _ in Float(exp(g.uniform(-1.6, 1.6))) }
        let shift = (0..<p).map { _ in g.uniform(-10, 10) }
        var column = Array(0..<p)
        g.shuffle(&column)
        let informative = Array(column[0..<k]), redundant = Array(column[k..<(k + s.redundant)])

        let relevant = Set(informative + redundant)
        // Vertex index: bit j set when coordinate j is +1. Its own stream, so the parity data
        // stays what it was.
        var vertexClass = [Bool](repeating: false, count: 1 << k)
        if s.labels == .random {
            var deal = Xoshiro256(seed: s.seed, stream: 0x7E47)
            var order = Array(0..<(1 << k))
            deal.shuffle(&order)
            for v in order.prefix(order.count / 2) { vertexClass[v] = true }
            // k = 1 has one vertex per class already; with an odd count nothing else to do.
        }

        func draw(rows n: Int, stream: UInt64, name: String) -> Dataset {
            var r = Xoshiro256(seed: s.seed, stream: stream)
            var x = [Float](repeating: 0, count: n * p)
            var y = [Float](repeating: 0, count: n)
            var z = [Float](repeating: 0, count: k)
            for i in 0..<n {
                var positive = true, vertex = 0
                for j in 0..<k {
                    let v: Float = r.unitDouble() < 0.5 ? -1 : 1
                    if v < 0 { positive.toggle() } else { vertex |= 1 << j }
                    z[j] = v + s.spread * Float(r.normal())
                }
                switch s.labels {
                case .parity: y[i] = positive ? 1 : 0
                case .random: y[i] = vertexClass[vertex] ? 1 : 0
                }
                var raw = [Float](repeating: 0, count: p)
                for j in 0..<k { raw[informative[j]] = z[j] }
                for (m, w) in mix.enumerated() {
                    raw[redundant[m]] = zip(w, z).reduce(0) { $0 + $1.0 * $1.1 }
                }
                for c in 0..<p where !relevant.contains(c) { raw[c] = Float(r.normal()) }
                for c in 0..<p { x[i * p + c] = raw[c] * scale[c] + shift[c] }
            }
            return Dataset(name: name, features: x, targets: y, count: n, featureCount: p, task: .binary)
        }
        return (draw(rows: s.rows, stream: 1, name: "hypercube"), draw(rows: s.testRows, stream: 2, name: "hypercube"),
                informative.sorted(), redundant.sorted())
    }
}
