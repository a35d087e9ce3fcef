// The points Propositions 1-3 state for one-hidden-layer regression on D1, D2 and D3, as
// printed and as they hold. Proposition 2 as printed has w₂ = −1 in both points, which
// leaves the second unit dead on every point: the "perfect fit" has loss 29 and the local
// point is not even critical. Flipping the sign of w₂ in both gives a perfect fit and a
// certified local minimum; `signSearch` is how that was found (and the tests re-run it).

public struct StatedPoint: Sendable {
    public enum Role: String, Sendable { case worse = "local (worse)", better }
    public var proposition: String
    public var data: String
    public var role: Role
    public var printed: ExactNetwork
    /// The point with the print error fixed; the printed one where there is none.
    public var corrected: ExactNetwork
    /// The loss the paper states, where it states one.
    public var paperLoss: Double?
    public var paperSays: String

    public var isCorrected: Bool { printed != corrected }
}

public enum StatedMinima {
    public static func data(_ name: String) -> ExactData {
        switch name {
        case "d1": return ExactData(CounterexamplesData.d1())
        case "d2": return ExactData(CounterexamplesData.d2())
        default: return ExactData(CounterexamplesData.d3())
        }
    }

    static let d2Global = ExactNetwork(w: [-5, -1], b: [1, -8], v: [1, -1], c: -1)
    static let d2Local = ExactNetwork(w: [-3, -1], b: [4 + 1.0 / 3, -10], v: [1, -1], c: -3)
    /// The index of w₂ in (w, b, v, c).
    static let w2 = 1

    static func flipped(_ n: ExactNetwork, _ indices: [Int]) -> ExactNetwork {
        var m = n
        for i in indices { m.parameters[i] = -m.parameters[i] }
        return m
    }

    public static let points: [StatedPoint] = [
        StatedPoint(proposition: "Prop. 1", data: "d1", role: .worse, printed: ExactNetwork(w: [1], b: [-3], v: [1], c: 0),
                    corrected: ExactNetwork(w: [1], b: [-3], v: [1], c: 0), paperLoss: 18,
                    paperSays: "(w, b, v, c) = (1, −3, 1, 0) is a local minimum, not global; L = 18"),
        StatedPoint(proposition: "Prop. 1", data: "d1", role: .better, printed: ExactNetwork(w: [-7], b: [-4], v: [1], c: 0),
                    corrected: ExactNetwork(w: [-7], b: [-4], v: [1], c: 0), paperLoss: 14,
                    paperSays: "L(−7, −4, 1, 0) = 14 < 18"),
        StatedPoint(proposition: "Prop. 2", data: "d2", role: .worse, printed: d2Local, corrected: flipped(d2Local, [w2]),
                    paperLoss: nil, paperSays: "w = (−3, −1), b = (4 + 1/3, −10), v = (1, −1), c = −3 is a local minimum"),
        StatedPoint(proposition: "Prop. 2", data: "d2", role: .better, printed: d2Global, corrected: flipped(d2Global, [w2]),
                    paperLoss: 0, paperSays: "w = (−5, −1), b = (1, −8), v = (1, −1), c = −1 is a global minimum with a perfect fit"),
        StatedPoint(proposition: "Prop. 3", data: "d3", role: .worse,
                    printed: ExactNetwork(w: [-2, 1, 1], b: [3 + 2.0 / 3, -10, -11], v: [1, -1, -1], c: -3),
                    corrected: ExactNetwork(w: [-2, 1, 1], b: [3 + 2.0 / 3, -10, -11], v: [1, -1, -1], c: -3), paperLoss: nil,
                    paperSays: "w = (−2, 1, 1), b = (3 + 2/3, −10, −11), v = (1, −1, −1), c = −3 is a local minimum"),
        StatedPoint(proposition: "Prop. 3", data: "d3", role: .better,
                    printed: ExactNetwork(w: [-1.5, -1.5, 1.5], b: [1, 0, -13 - 1.0 / 6], v: [1, 1, -1], c: -1),
                    corrected: ExactNetwork(w: [-1.5, -1.5, 1.5], b: [1, 0, -13 - 1.0 / 6], v: [1, 1, -1], c: -1), paperLoss: nil,
                    paperSays: "w = (−1.5, −1.5, 1.5), b = (1, 0, −13 − 1/6), v = (1, 1, −1), c = −1 is a better local minimum"),
    ]

    /// Every way of flipping the signs of a point's parameters that `keep` accepts, as the
    /// flipped indices, fewest flips first. On Prop. 2's points, kept when the flipped
    /// global point fits exactly and the flipped local point is critical with a lower loss
    /// than as printed, the only single flip is w₂.
    public static func signSearch(_ n: ExactNetwork, keep: (ExactNetwork) -> Bool) -> [[Int]] {
        let p = n.parameters.count
        return (0..<(1 << p)).map { mask in (0..<p).filter { mask & (1 << $0) != 0 } }
            .filter { keep(flipped(n, $0)) }
            .sorted { $0.count != $1.count ? $0.count < $1.count : $0.lexicographicallyPrecedes($1) }
    }

    /// The names of (w, b, v, c)'s entries for m hidden units: w₁ ... c.
    public static func parameterNames(hidden m: Int) -> [String] {
        let sub = ["₁", "₂", "₃", "₄", "₅", "₆", "₇", "₈", "₉"]
        return ["w", "b", "v"].flatMap { n in (0..<m).map { n + sub[$0] } } + ["c"]
    }

    /// "(w = (-5, 1), b = (1, -8), v = (1, -1), c = -1)"
    public static func describe(_ n: ExactNetwork) -> String {
        let m = n.sizes[1], p = n.parameters
        func list(_ s: ArraySlice<Double>) -> String {
            s.count == 1 ? short(s.first!) : "(" + s.map(short).joined(separator: ", ") + ")"
        }
        return "w = \(list(p[0..<m])), b = \(list(p[m..<(2 * m)])), v = \(list(p[(2 * m)..<(3 * m)])), c = \(short(p[3 * m]))"
    }

    static func short(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String(format: "%.4g", x)
    }
}
