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
    /// Frequency π a feature needs to be selected (Meinshausen & Bühlmann: 0.6 to 0.9).
    public var threshold = 0.6
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

    public init?(record r: ResultRecord) {
        guard let k = r["kept"]?.array?.compactMap({ $0.int }), let n = r["norms"]?.array?.compactMap({ $0.double }),
              k.count == n.count else { return nil }
        self.init(kept: k, norms: n)
    }
}

public enum StabilitySelection {
    /// The rows run `b` trains on: a share `fraction` of the rows of each class (at least
    /// one), drawn without replacement from the run's seed, in ascending order.
    public static func sample(_ data: Dataset, fraction: Double, seed: UInt64) -> [Int] {
        let (_, drawn) = Splits.stratified(labels: data.classLabels, count: data.count, testFraction: fraction, seed: seed)
        return drawn
    }

    /// The seed of run `b` (its rows, its initialisation and its batch order).
    public static func runSeed(_ b: Int, base: UInt64) -> UInt64 {
        ExperimentRunner.seed(for: "select-run-\(b)", base: base)
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
                                      selected: freq[f] >= threshold && !runs.isEmpty)
        }
        return out.map { $0! }
    }

    /// The selected features, ascending; if none reaches the threshold, the top-ranked one,
    /// so the final network has an input.
    public static func selected(_ table: [FeatureStability]) -> [Int] {
        let s = table.filter(\.selected).map(\.feature).sorted()
        if !s.isEmpty { return s }
        return table.min { $0.rank < $1.rank }.map { [$0.feature] } ?? []
    }
}

/// The whole procedure of `optima select`: stability selection over FSA+NSA runs, then a
/// final network trained on the selected features. Its defaults are the command's.
public struct SelectionProcedure: Equatable, Sendable {
    public var stability = StabilitySettings()
    /// Each selection run's network and training (its seed is replaced by the run's).
    public var run = Recipe.selectionRun
    /// Each selection run's node schedule; the feature target is q.
    public var pruning = NodeSelectionSettings.selectionRun
    /// The final network on the selected features.
    public var final = Recipe.nsa
    /// Final networks trained from different seeds, their logits averaged: on a few
    /// thousand rows one network's test accuracy moves by about ±1 % from seed to seed.
    public var finalNetworks = 5

    public init() {}
}

extension Recipe {
    /// A selection run: a small network and strong L2 on every weight. On hundreds of
    /// features and a few thousand rows a wide, lightly decayed network fits the noise
    /// columns as well as the relevant ones, and their group norms r_i stop telling them
    /// apart; the decay keeps only weights the whole subsample supports.
    public static var selectionRun: Recipe {
        var r = Recipe.nsa
        r.hidden = [64]
        r.training.epochs = 100
        r.training.optimizer.weightDecay = 0.05
        return r
    }
}

extension NodeSelectionSettings {
    /// A selection run's schedule: the 64 hidden nodes annealed to 32, the papers' windows,
    /// features ranked by path norm (nodes that hardly reach the output do not vote).
    public static var selectionRun: NodeSelectionSettings {
        var s = NodeSelectionSettings()
        s.nodeTargets = [32]
        s.featureRanking = .pathNorm
        return s
    }
}

/// Networks trained on the same data from different seeds, scored on their mean logits.
public struct EnsembleOutcome: Sendable {
    public var members: [Outcome]
    public var train: Evaluation
    public var test: Evaluation?
}

extension Recipe {
    /// `count` networks of this recipe, member m seeded from the recipe's seed and m, and the
    /// evaluation of their averaged outputs.
    public func ensemble(_ count: Int, train: Dataset, test: Dataset?) -> EnsembleOutcome {
        precondition(count >= 1)
        var members: [Outcome] = []
        var sumTrain = [Float](repeating: 0, count: train.count * train.task.outputCount)
        var sumTest = [Float](repeating: 0, count: (test?.count ?? 0) * train.task.outputCount)
        for m in 0..<count {
            var r = self
            if m > 0 {
                r.seed = ExperimentRunner.seed(for: "ensemble-\(m)", base: seed)
                r.training.seed = r.seed
            }
            let network = r.makeNetwork(features: train.featureCount, task: train.task)
            members.append(r.run(network: network, train: train, test: test))
            for (i, v) in network.predict(train.features, rows: train.count).enumerated() { sumTrain[i] += v }
            if let test {
                for (i, v) in network.predict(test.features, rows: test.count).enumerated() { sumTest[i] += v }
            }
        }
        let scale = 1 / Float(count)
        return EnsembleOutcome(members: members, train: Evaluation(outputs: sumTrain.map { $0 * scale }, data: train),
                               test: test.map { Evaluation(outputs: sumTest.map { $0 * scale }, data: $0) })
    }
}
