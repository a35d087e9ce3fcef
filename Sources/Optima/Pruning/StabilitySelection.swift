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

    /// Selected or a copy: an input of the final network.
    public var kept: Bool { selected || redundant }
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

/// How `optima select` chooses the selection runs' L2 decay and the threshold π from the
/// training rows alone. No one decay suits every data set: strong decay (0.05) is what makes
/// the group norms tell MADELON's 20 relevant columns from 480 noise probes, and it stops a
/// small network from learning a pure parity such as 3-D XOR, which needs light decay (1e-4).
/// So a share of the training rows is held out; on the rest, stability selection runs once
/// per candidate decay (with fewer runs than the real one, π by the rule for that number of
/// runs), and one final network is trained on the features it selects and scored on the
/// held-out rows. The lowest held-out loss wins; a candidate within `tolerance` of it that
/// selects fewer features wins instead (the simpler model, as in the one-standard-error
/// rule), so a noise column that costs nothing on the held-out rows is not kept.
public struct SelectionTuning: Equatable, Sendable {
    /// Candidate L2 decays of the selection runs, a decade apart from the papers' 1e-4 up to
    /// the strong decay MADELON's probes need.
    public var weightDecays: [Float] = [1e-4, 1e-3, 1e-2, 5e-2]
    /// One more candidate: a wider network trained longer with the papers' light decay. A
    /// parity behind rescaled, shuffled columns (the generated hypercube data at p = 50) is
    /// learnt by 256 nodes in 300 epochs and not by 64 nodes in 100 at any decay.
    public var wide = true
    public var wideHidden = [256]
    public var wideEpochs = 300
    public var wideWeightDecay: Float = 1e-4
    /// Share of the training rows held out to score the candidates (stratified).
    public var holdoutFraction = 0.25
    /// Stability-selection runs per candidate decay in the trial: half the real B, enough to
    /// tell a setting that finds the interaction from one that does not.
    public var runs = 10
    /// Held-out losses within this share of the lowest count as equal (then fewer features win).
    public var tolerance = 0.02
    /// Off: the selection runs' decay (--wd) is used as given.
    public var enabled = true

    public init() {}
}

/// A network and its training length and decay: a selection run's or the final network's candidate.
public struct NetworkCandidate: Equatable, Sendable {
    public var hidden: [Int]
    public var epochs: Int
    public var weightDecay: Float

    public init(hidden: [Int], epochs: Int, weightDecay: Float) {
        (self.hidden, self.epochs, self.weightDecay) = (hidden, epochs, weightDecay)
    }

    /// "128-128 nodes, 300 epochs, wd 0.0001".
    public var summary: String {
        "\(hidden.map(String.init).joined(separator: "-")) nodes, \(epochs) epochs, wd \(weightDecay)"
    }

    /// `recipe` with this candidate's network, length and decay.
    public func applied(to recipe: Recipe) -> Recipe {
        var r = recipe
        r.hidden = hidden
        r.training.epochs = epochs
        r.training.optimizer.weightDecay = weightDecay
        return r
    }
}

/// One candidate of the trial, scored on the held-out rows.
public struct TuningTrial: Equatable, Sendable {
    public var hidden: [Int]
    public var epochs: Int
    public var weightDecay: Float
    public var threshold: Double
    /// Features it selects on the trial's rows (positions in the data as given).
    public var selected: [Int]
    public var heldOutLoss: Double
    public var heldOutAccuracy: Double?

    public init(hidden: [Int] = Recipe.selectionRun.hidden, epochs: Int = Recipe.selectionRun.training.epochs,
                weightDecay: Float, threshold: Double, selected: [Int], heldOutLoss: Double, heldOutAccuracy: Double?) {
        (self.hidden, self.epochs) = (hidden, epochs)
        (self.weightDecay, self.threshold, self.selected) = (weightDecay, threshold, selected)
        (self.heldOutLoss, self.heldOutAccuracy) = (heldOutLoss, heldOutAccuracy)
    }

    public var record: ResultRecord {
        var r: ResultRecord = ["hidden": JSONValue(hidden), "epochs": JSONValue(epochs), "wd": JSONValue(Double(weightDecay)), "threshold": JSONValue(threshold),
                               "selected": JSONValue(selected), "held_out_loss": JSONValue(heldOutLoss)]
        if let a = heldOutAccuracy { r["held_out_accuracy"] = JSONValue(a) }
        return r
    }

    public init?(record r: ResultRecord) {
        guard let wd = r["wd"]?.double, let t = r["threshold"]?.double, let l = r["held_out_loss"]?.double,
              let s = r["selected"]?.array?.compactMap({ $0.int }), let h = r["hidden"]?.array?.compactMap({ $0.int }),
              let e = r["epochs"]?.int else { return nil }
        self.init(hidden: h, epochs: e, weightDecay: Float(wd), threshold: t, selected: s, heldOutLoss: l,
                  heldOutAccuracy: r["held_out_accuracy"]?.double)
    }
}

extension TuningTrial {
    public var candidate: NetworkCandidate { NetworkCandidate(hidden: hidden, epochs: epochs, weightDecay: weightDecay) }
}

extension SelectionTuning {
    /// Every candidate: the selection run's network at each decay, then the wide one.
    public func candidates(run: Recipe) -> [NetworkCandidate] {
        weightDecays.map { NetworkCandidate(hidden: run.hidden, epochs: run.training.epochs, weightDecay: $0) }
            + (wide ? [NetworkCandidate(hidden: wideHidden, epochs: wideEpochs, weightDecay: wideWeightDecay)] : [])
    }

    /// The rows the trial selects and fits on, and the held-out rows it scores on.
    public func split(_ data: Dataset, seed: UInt64) -> (fit: [Int], heldOut: [Int]) {
        let (fit, held) = Splits.stratified(labels: data.classLabels, count: data.count, testFraction: holdoutFraction,
                                            seed: ExperimentRunner.seed(for: "select-holdout", base: seed))
        return (fit, held)
    }

    /// The trial of `candidates(run:)[index]`: stability selection with `runs` runs
    /// on the fit rows, then one final network on the selected features, scored on the
    /// held-out rows.
    public func trial(_ index: Int, data: Dataset, procedure: SelectionProcedure, seed: UInt64) throws -> TuningTrial {
        let (fitRows, heldRows) = split(data, seed: seed)
        let fit = data.rows(fitRows), held = data.rows(heldRows)
        var settings = procedure.stability
        settings.runs = runs
        let candidate = candidates(run: procedure.run)[index]
        let recipe = candidate.applied(to: procedure.run)
        let base = ExperimentRunner.seed(for: "select-trial", base: seed)
        let selectionRuns = try (0..<runs).map {
            try StabilitySelection.run($0, data: fit, settings: settings, recipe: recipe, pruning: procedure.pruning,
                                       seed: base)
        }
        let t = settings.threshold(features: data.featureCount)
        let chosen = StabilitySelection.kept(procedure.table(selectionRuns, data: fit, threshold: t))
        let e = procedure.final.ensemble(1, train: fit.columns(chosen), test: held.columns(chosen)).test!
        return TuningTrial(hidden: candidate.hidden, epochs: candidate.epochs, weightDecay: candidate.weightDecay, threshold: t, selected: chosen,
                           heldOutLoss: e.loss, heldOutAccuracy: e.accuracy)
    }

    /// The winner: among the trials whose held-out loss is within `tolerance` of the lowest,
    /// the one with the fewest features; then the lower loss. A trial that diverged (loss not
    /// finite) never wins unless all did.
    public func choose(_ trials: [TuningTrial]) -> TuningTrial {
        precondition(!trials.isEmpty)
        let finite = trials.filter { $0.heldOutLoss.isFinite }
        guard let best = finite.map(\.heldOutLoss).min() else { return trials[0] }
        let near = finite.filter { $0.heldOutLoss <= best + tolerance * abs(best) }
        return near.min { ($0.selected.count, $0.heldOutLoss) < ($1.selected.count, $1.heldOutLoss) }!
    }
}

/// The whole procedure of `optima select`: stability selection over FSA+NSA runs, then a
/// final network trained on the selected features. Its defaults are the command's.
public struct SelectionProcedure: Equatable, Sendable {
    public var stability = StabilitySettings()
    /// How the selection runs' decay and π are chosen from the training rows.
    public var tuning = SelectionTuning()
    /// Which unselected features count as copies of the selected ones.
    public var redundancy = RedundancySettings()
    /// How the final network is chosen.
    public var finalChoice = FinalNetworkChoice()
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
    /// apart; the decay keeps only weights the whole subsample supports. Its network and
    /// length are the small candidate of `SelectionTuning`; its decay is used as it is only
    /// with tuning off (`--no-tune`), since it stops this network from learning a parity.
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

extension SelectionProcedure {
    /// Every candidate's trial on `data` (the training rows), one decay after another, and the
    /// winner. `optima select` runs the same trials as resumable parallel jobs.
    public func tune(_ data: Dataset) throws -> (best: TuningTrial, trials: [TuningTrial]) {
        let trials = try tuning.candidates(run: run).indices.map { try tuning.trial($0, data: data, procedure: self, seed: run.seed) }
        return (tuning.choose(trials), trials)
    }

    /// Every final-network candidate's cross-validated score on `kept` (the kept features of the
    /// training rows), and the winner.
    public func chooseFinal(_ kept: Dataset) throws -> (best: FinalNetworkTrial, trials: [FinalNetworkTrial]) {
        let trials = try finalChoice.candidates.indices.map { try finalChoice.trial($0, data: kept, final: final) }
        return (finalChoice.choose(trials), trials)
    }

    /// This procedure with the final network `trial` chose.
    public func adopting(_ trial: FinalNetworkTrial) -> SelectionProcedure {
        var p = self
        p.final = trial.candidate.applied(to: final)
        return p
    }

    /// This procedure with the selection-run settings `trial` chose.
    public func adopting(_ trial: TuningTrial) -> SelectionProcedure {
        var p = self
        p.run = trial.candidate.applied(to: run)
        return p
    }

    /// Stability selection on `data` with this procedure's settings as they are (no tuning):
    /// every feature's frequency, rank and norm.
    public func stabilityTable(_ data: Dataset) throws -> [FeatureStability] {
        let runs = try (0..<stability.runs).map {
            try StabilitySelection.run($0, data: data, settings: stability, recipe: run, pruning: pruning, seed: run.seed)
        }
        return table(runs, data: data, threshold: stability.threshold(features: data.featureCount))
    }

    /// Every feature's frequency, rank and norm over `runs` (drawn from `data`), with the
    /// selected features' linear copies marked when `redundancy` is on.
    public func table(_ runs: [SelectionRun], data: Dataset, threshold: Double) -> [FeatureStability] {
        let t = StabilitySelection.summarize(runs, names: data.featureNames, threshold: threshold)
        guard redundancy.enabled else { return t }
        return StabilitySelection.completed(t, data: data, minimum: redundancy.minimumExplained)
    }
}
