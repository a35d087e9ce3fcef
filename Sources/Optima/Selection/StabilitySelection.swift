// Stability selection (Meinshausen & Bühlmann 2010) over FSA+NSA runs: B runs, each on
// its own random subsample of the training rows and from its own initialisation, each
// keeping q features; a feature's selection frequency is the share of runs that kept it.
// The features kept in at least a share π of the runs are selected. One FSA run on data
// with hundreds of features keeps some noise columns by chance; across runs a noise
// column is rarely kept twice in the same way, while a relevant one is kept every time.
//
// How many features a run keeps (q) and the threshold π are rules, not fitted numbers:
// q = ⌊2√p⌋ lets a run keep more features than the interaction needs while a noise column
// survives a run by chance with probability about q/p = 2/√p (0.09 at p = 500, 0.5 at
// p = 15), so passing π = 0.6 over B = 20 runs by chance is rare; the number of
// selected features then follows from the data.

/// Every knob of stability selection; the run's training and pruning come separately.
public struct StabilitySettings: Equatable, Sendable {
    /// Runs B, each on its own subsample and initialisation.
    public var runs = 20
    /// Share of the training rows each run draws, without replacement. Meinshausen & Bühlmann
    /// draw 1/2; with a few thousand rows and hundreds of features half the rows are too few
    /// for one run to find an interaction, and 0.8 keeps every run close to the whole set.
    public var sampleFraction = 0.8
    /// Frequency π a feature needs to be selected (Meinshausen & Bühlmann: 0.6 to 0.9);
    /// nil: the rule of `threshold(features:)`.
    public var threshold: Double?
    /// The rule's π lies between these (Meinshausen & Bühlmann's range).
    public var thresholdRange = 0.6...0.9
    /// The rule's margin, in standard deviations of a noise column's frequency.
    public var thresholdMargin = 3.0
    /// Features each run keeps (q); nil: the rule of `runFeatures(features:)`.
    public var runFeatures: Int?
    /// The default q is this times √p.
    public var runFeaturesFactor = 2.0

    public init() {}

    /// q: the given one, else ⌊runFeaturesFactor · √p⌋, at least 1 and at most p.
    public func runFeatures(features p: Int) -> Int {
        if let q = runFeatures { return min(q, p) }
        let q = (runFeaturesFactor * Double(p).squareRoot()).rounded(.down)
        return max(1, min(p, Int(q)))
    }

    /// π: the given one, else a noise column's chance frequency plus a margin. A run keeps q
    /// of p features; a column with nothing to say is kept by chance with probability at most
    /// about q/p, so over B runs its frequency has mean q/p and standard deviation
    /// √(q/p·(1−q/p)/B). π = q/p + 3 such deviations, within [0.6, 0.9]: 0.6 at p = 500
    /// (q/p = 0.09), 0.8 at p = 15 (q = 7, q/p = 0.47) with B = 20.
    public func threshold(features p: Int, runs b: Int? = nil) -> Double {
        if let t = threshold { return t }
        let rate = Double(runFeatures(features: p)) / Double(max(p, 1)), n = Double(max(b ?? runs, 1))
        let t = rate + thresholdMargin * (rate * (1 - rate) / n).squareRoot()
        return min(max(t, thresholdRange.lowerBound), thresholdRange.upperBound)
    }
}

/// One feature's place in the selection.
public struct FeatureStability: Equatable, Sendable {
    /// Position in the data as given (0-based), and its name.
    public var feature: Int
    public var name: String
    /// 1 for the most stable feature.
    public var rank: Int
    /// Share of the runs that kept it.
    public var frequency: Double
    /// Its final score in a run (group norm r_i of Eq. 4, or path norm, as the runs rank),
    /// averaged over all runs, a run that dropped it counting 0.
    public var norm: Double
    /// Frequency at least the threshold.
    public var selected: Bool
    /// Share of its variance a least-squares fit on the selected features explains (R²; 1 for
    /// those); nil where that step did not run.
    public var explained: Double?
    /// Not selected, but a linear copy of the selected features (see `LinearRedundancy`).
    public var redundant = false
    /// Added or removed by the held-out check (`HeldOutCheck`); nil where it changed nothing.
    public var heldOut: HeldOutMark?
    /// Left out by the screen before the procedure ran (`MarginalScreen`): no run saw it.
    public var screenedOut = false
    /// Its score in the screen (`MarginalScreen.scores`); nil where the screen did not run.
    public var screenScore: Double?

    /// Selected, a copy or added on the held-out rows, and not removed there: an input of the
    /// final network.
    public var kept: Bool { (selected || redundant || heldOut == .added) && heldOut != .removed }
}

/// What the held-out check did to a feature.
public enum HeldOutMark: String, Sendable {
    case added, removed
}

/// What one run kept: features (original positions, ascending) and their final r_i.
public struct SelectionRun: Equatable, Sendable {
    public var kept: [Int]
    public var norms: [Double]

    public init(kept: [Int], norms: [Double]) {
        precondition(kept.count == norms.count)
        self.kept = kept
        self.norms = norms
    }

    public var record: ResultRecord { ["kept": JSONValue(kept), "norms": .array(norms.map { JSONValue($0) })] }

    /// What `record` holds: one norm per kept feature.
    public static let recordSchema = RecordSchema([.required("kept", .counts), .required("norms", .numbers)]) { r in
        r["kept"]?.array?.count == r["norms"]?.array?.count ? nil : "fields \"kept\" and \"norms\" differ in length"
    }

    public init?(record r: ResultRecord) {
        guard SelectionRun.recordSchema.problem(in: r) == nil, let k = r["kept"]?.array?.compactMap({ $0.int }),
              let n = r["norms"]?.doubles else { return nil }
        self.init(kept: k, norms: n)
    }
}

public enum StabilitySelection {
    /// The rows run `b` trains on: a share `fraction` of the rows of each class (at least
    /// one), drawn without replacement from the run's seed, in ascending order. Regression
    /// targets are stratified by their quantiles (`regressionStrata` equal-count ranges).
    public static func sample(_ data: Dataset, fraction: Double, seed: UInt64) -> [Int] {
        let (_, drawn) = Splits.stratified(labels: data.strata(regressionBins: regressionStrata), count: data.count,
                                           testFraction: fraction, seed: seed)
        return drawn
    }

    /// Quantile ranges of a regression target that select's draws (subsamples, the tuning's
    /// hold-out) keep in proportion, as they keep classes.
    public static let regressionStrata = 5

    /// The seed of run `b` (its rows, its initialisation and its batch order).
    public static func runSeed(_ b: Int, base: UInt64) -> UInt64 {
        derivedSeed(for: "select-run-\(b)", base: base)
    }

    /// One FSA+NSA run on its subsample: `recipe` with the run's seed, `pruning` with q as the
    /// feature target. Returns the features it kept and their final r_i.
    public static func run(_ b: Int, data: Dataset, settings: StabilitySettings, recipe: Recipe,
                           pruning: NodeSelectionSettings, seed: UInt64) throws -> SelectionRun {
        let s = runSeed(b, base: seed)
        let rows = data.rows(sample(data, fraction: settings.sampleFraction, seed: s))
        var r = recipe
        r.seed = s
        r.training.seed = s
        var p = pruning
        p.featureTarget = settings.runFeatures(features: data.featureCount)
        let network = r.makeNetwork(features: data.featureCount, task: data.task)
        let nsa = try NodeSelection(p, network: network, epochs: r.training.epochs)
        let outcome = r.run(network: network, train: rows, test: nil, afterEpoch: nsa.callAsFunction)
        // A run that diverged has no meaningful norms: it keeps nothing, and still counts as a run.
        if outcome.divergedAtEpoch != nil { return SelectionRun(kept: [], norms: []) }
        let norms = network.featureScores(p.featureRanking).map { Double($0).squareRoot() }
        return SelectionRun(kept: network.featureIndices, norms: norms)
    }

    /// Frequencies and mean norms of every feature over `runs`, ranked by frequency, then
    /// by mean norm, then by position; features with frequency >= threshold are selected.
    public static func summarize(_ runs: [SelectionRun], names: [String], threshold: Double) -> [FeatureStability] {
        let p = names.count, b = Double(max(runs.count, 1))
        var count = [Int](repeating: 0, count: p), norm = [Double](repeating: 0, count: p)
        for run in runs {
            for (f, r) in zip(run.kept, run.norms) where f < p {
                count[f] += 1
                norm[f] += r
            }
        }
        let freq = count.map { Double($0) / b }, mean = norm.map { $0 / b }
        let order = (0..<p).sorted { (a: Int, c: Int) -> Bool in
            if freq[a] != freq[c] { return freq[a] > freq[c] }
            if mean[a] != mean[c] { return mean[a] > mean[c] }
            return a < c
        }
        var out = [FeatureStability?](repeating: nil, count: p)
        for (i, f) in order.enumerated() {
            out[f] = FeatureStability(feature: f, name: names[f], rank: i + 1, frequency: freq[f], norm: mean[f],
                                      selected: freq[f] >= threshold && !runs.isEmpty, explained: nil)
        }
        return out.map { $0! }
    }

    /// The selected features and their copies, ascending; if none reaches the threshold, the
    /// top-ranked one, so the final network has an input.
    public static func kept(_ table: [FeatureStability]) -> [Int] {
        let s = table.filter(\.kept).map(\.feature).sorted()
        if !s.isEmpty { return s }
        return table.min { $0.rank < $1.rank }.map { [$0.feature] } ?? []
    }

    /// `table` with every feature's R² on the selected ones (over `data`, the rows the runs
    /// drew from) and the features it explains with R² >= `minimum` marked redundant.
    public static func completed(_ table: [FeatureStability], data: Dataset, minimum: Double) -> [FeatureStability] {
        let core = table.filter(\.selected).map(\.feature).sorted()
        guard !core.isEmpty else { return table }
        let r2 = LinearRedundancy.explained(data, by: core)
        return table.map { f in
            var f = f
            f.explained = r2[f.feature]
            f.redundant = !f.selected && r2[f.feature] >= minimum
            return f
        }
    }
}
