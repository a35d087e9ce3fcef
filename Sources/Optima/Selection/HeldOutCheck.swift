// The borderline features, checked on held-out rows. Stability selection's threshold π
// cannot tell a weak relevant column from a noise column that happens to match the target on
// these rows: both are kept by about half the runs. On Friedman #1 at 1000 × 300, the 5·x5
// term's column and the most frequent noise column were each kept by 50 % of the runs; in
// the `decoys` set the sine term's column by 45–55 %, beside decoys at 80–90 %. Rows the
// check's networks did not train on can tell them apart: a network on the kept features plus
// x5 reached 0.37 of the held-out loss without it, plus each of 15 noise columns 0.97–1.12.
//
// So, after the selection: one network on the kept features (the base), then one with each
// borderline unkept feature added and one with each selected, less than certain feature
// removed, all trained on the tuning's fit rows and scored on its held-out rows. A feature
// is added when it lowers the held-out loss clearly, and removed when the loss is lower
// without it. Each change is judged against the base alone, so the jobs run in parallel and
// their order does not matter.
//
// The numbers below come from the check's records over the 12 suite sets of `optima-bench
// select --suite` other than p > n, and 10 more sets of other sizes (`--rows/--columns`),
// mixed columns left out (a word's levels are several features): 252 noise additions, 7
// relevant, 14 noise removals, 10 relevant.

/// Which features the held-out check tries, and what it takes to change one.
public struct HeldOutCheck: Equatable, Sendable {
    /// Unkept features kept by at least this share of the runs are tried as additions. A
    /// noise column's chance rate q/p is 0.09 at p = 500 and 0.28 at p = 50 (q = 2√p).
    public var additionFloor = 0.3
    /// At most this many additions are tried, the most frequent first.
    public var maxAdditions = 10
    /// Selected features kept by fewer than this share of the runs are tried as removals.
    public var removalCeiling = 0.9
    /// A change is made when it lowers the base's held-out loss by at least its gain. One
    /// network's held-out loss moves by several per cent with its inputs' initialisation and
    /// the few held-out rows. An addition: a noise column added gave at least 0.85 of the
    /// base, a relevant column that the base lacked 0.37–0.60.
    public var additionGain = 0.1
    /// An addition must also lower the loss by at least this much (nats per row, or a share of
    /// the standardised target's variance). Near a loss of zero a share is no evidence: where
    /// the base classified almost perfectly, noise columns gave 0.85–0.89 of its loss. The
    /// relevant columns lowered it by 0.11–0.21, the noise columns by at most 0.03.
    public var additionMinimum = 0.05
    /// A removal: removing a noise column gave 0.71–0.98 of the base, removing a relevant
    /// one at least 1.08. A first rule, removing at up to 1.05 of the base, dropped a
    /// relevant column at 0.985 (1:9, 20 positive rows held out).
    public var removalGain = 0.05
    /// The check's networks, trained on the tuning's fit rows; the rest of their training
    /// (Adam, learning rate, batch) is the final recipe's. A quarter of the cost of the 1024
    /// nodes that score the tuning's candidates, and on the suite the same choices or better.
    public var network = NetworkCandidate(hidden: [256], epochs: 300, weightDecay: 1e-4)
    /// Off: the features stability selection and the copies keep.
    public var enabled = true

    public init() {}
}

/// One network of the check: the base, or the base with one feature added or removed.
public struct HeldOutTrial: Equatable, Sendable {
    public enum Change: String, Sendable { case base, add, remove }
    public var change: Change
    /// The feature added or removed (position in the data the procedure ran on, as in
    /// `TuningTrial.selected`); nil for the base.
    public var feature: Int?
    public var heldOutLoss: Double

    public init(_ change: Change, feature: Int? = nil, heldOutLoss: Double) {
        (self.change, self.feature, self.heldOutLoss) = (change, feature, heldOutLoss)
    }

    /// The trial's key in a results file: "base", "add=17", "remove=3".
    public var key: String { feature.map { "\(change.rawValue)=\($0)" } ?? change.rawValue }

    public var record: ResultRecord {
        var r: ResultRecord = ["change": .string(change.rawValue), "held_out_loss": JSONValue(heldOutLoss)]
        if let f = feature { r["feature"] = JSONValue(f) }
        return r
    }

    /// What `record` holds.
    public static let recordSchema = RecordSchema([
        .required("change", .text), .optional("feature", .count), .required("held_out_loss", .nonNegative),
    ])

    public init?(record r: ResultRecord) {
        guard HeldOutTrial.recordSchema.problem(in: r) == nil,
              let c = r["change"]?.string.flatMap(Change.init(rawValue:)), let l = r["held_out_loss"]?.double, (c == .base) == (r["feature"] == nil) else { return nil }
        self.init(c, feature: r["feature"]?.int, heldOutLoss: l)
    }
}

extension HeldOutCheck {
    /// The trials to run on `table` (the selection with its copies marked) of `data`: the
    /// base, then the additions, then the removals (selected, frequency < `removalCeiling`,
    /// and not a linear copy of the other kept features: their held-out loss could not see
    /// it go). The additions: the unkept features in `alsoTried` (what the tuning's other
    /// candidates selected), then the unkept ones of frequency >= `additionFloor`, the
    /// `maxAdditions` best-ranked; each group in rank order.
    public func trials(_ table: [FeatureStability], data: Dataset, copies: RedundancySettings,
                       alsoTried: Set<Int> = []) -> [HeldOutTrial.Change: [Int]] {
        let kept = Set(StabilitySelection.kept(table))
        let unkept = table.filter { !kept.contains($0.feature) }.sorted { $0.rank < $1.rank }
        let named = unkept.filter { alsoTried.contains($0.feature) }.map(\.feature)
        let frequent = unkept.filter { !alsoTried.contains($0.feature) && $0.frequency >= additionFloor }
            .prefix(maxAdditions).map(\.feature)
        let removals = table.filter { $0.selected && $0.frequency < removalCeiling }.sorted { $0.rank < $1.rank }
            .map(\.feature).filter { f in
                let others = kept.subtracting([f]).sorted()
                guard copies.enabled, !others.isEmpty else { return !others.isEmpty }
                return LinearRedundancy.explained(data, columns: [f], by: others)[0] < copies.minimumExplained
            }
        return [.add: named + frequent, .remove: removals]
    }

    /// The features to add and to remove, from the base's trial and the others: an addition
    /// whose loss is below both base·(1 − additionGain) and base − additionMinimum, a removal
    /// whose loss is below base·(1 − removalGain). Nothing changes when the base's loss is
    /// not finite.
    public func decide(_ trials: [HeldOutTrial]) -> (added: [Int], removed: [Int]) {
        guard let base = trials.first(where: { $0.change == .base })?.heldOutLoss, base.isFinite else { return ([], []) }
        let addBelow = min(base * (1 - additionGain), base - additionMinimum), removeBelow = base * (1 - removalGain)
        let added = trials.filter { $0.change == .add && $0.heldOutLoss < addBelow }.compactMap(\.feature)
        let removed = trials.filter { $0.change == .remove && $0.heldOutLoss < removeBelow }.compactMap(\.feature)
        return (added.sorted(), removed.sorted())
    }

    /// `table` with the decided changes marked.
    public func marked(_ table: [FeatureStability], added: [Int], removed: [Int]) -> [FeatureStability] {
        let (a, r) = (Set(added), Set(removed))
        return table.map { f in
            var f = f
            f.heldOut = a.contains(f.feature) ? .added : r.contains(f.feature) ? .removed : nil
            return f
        }
    }
}
