// One sentence that both papers print about the same experiment (per h, the best test AUC of
// several initialisations and its train AUC, averaged over repeats): "the training AUC
// becomes better and better and finally reaches 1. But the test AUC quickly reaches the best
// results when the number of hidden nodes is relatively small, and then no further
// improvement happens". nsa/fig-hidden and cpna/fig4 judge it with this one rule.

public enum EarlyPlateauRule {
    /// One point of a curve: h and the mean train and test AUC there.
    public struct Point: Sendable {
        public var h: Int
        public var trainAUC: Double
        public var testAUC: Double

        public init(h: Int, trainAUC: Double, testAUC: Double) {
            self.h = h
            self.trainAUC = trainAUC
            self.testAUC = testAUC
        }
    }

    /// "Relatively small": the test AUC stays within `gain` of its best from an h ≤ `earlyH`
    /// on. Both papers' own choices of h for these data are 64 to 128 (nsa Table 1).
    public static let earlyH = 128, gain = 0.01
    /// The train AUC that counts as reaching 1.
    public static let trainReached = 0.99

    /// Two claims over the curves (3/4 of them): the train AUC grows with h and reaches
    /// `trainReached` at the largest h; and the test AUC is within `gain` of its best from some
    /// h ≤ `earlyH` on, every larger h included.
    public static func judge(_ curves: [(name: String, points: [Point])]) -> Judgement {
        let usable = curves.map { ($0.name, $0.points.sorted { $0.h < $1.h }) }.filter { $0.1.count > 1 }
        func plateau(_ c: [Point]) -> Int? {
            let best = c.map(\.testAUC).max()!
            return c.indices.first { i in c[i...].allSatisfy { $0.testAUC >= best - gain } }.map { c[$0].h }
        }
        let trainToOne = usable.filter { _, c in c.last!.trainAUC >= trainReached && c.last!.trainAUC > c.first!.trainAUC }
        let early = usable.filter { _, c in (plateau(c) ?? Int.max) <= earlyH }
        func f(_ x: Double) -> String { MarkdownReport.number(x, decimals: 3) }
        return VerdictRule.judge([
            Claim("train AUC grows with h and reaches ≥ \(trainReached)", held: trainToOne.count, of: usable.count),
            Claim("test AUC within \(gain) of its best from some h ≤ \(earlyH) on", held: early.count, of: usable.count),
        ], detail: usable.map { name, c in
            let best = c.max { $0.testAUC < $1.testAUC }!
            return "\(name): train AUC \(f(c.first!.trainAUC)) (h = \(c.first!.h)) → \(f(c.last!.trainAUC)) (h = \(c.last!.h)), "
                + "test AUC best \(f(best.testAUC)) at h = \(best.h), within \(gain) of it from h = \(plateau(c).map(String.init) ?? "–") on"
        }.joined(separator: "; "))
    }
}
