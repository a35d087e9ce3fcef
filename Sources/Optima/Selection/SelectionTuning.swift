/// How `optima select` chooses the selection runs' L2 decay and the threshold π from the
/// training rows alone. No one decay suits every data set: strong decay (0.05) is what makes
/// the group norms tell MADELON's 20 relevant columns from 480 noise probes, and it stops a
/// small network from learning a pure parity such as 3-D XOR, which needs light decay (1e-4).
/// So a share of the training rows is held out; on the rest, stability selection runs once
/// per candidate decay (with fewer runs than the real one, π by the rule for that number of
/// runs), and one network (`trialNetwork`) is trained on the features it selects and scored
/// on the held-out rows. The lowest held-out loss wins; a candidate within `tolerance` of it that
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
    /// The network trained on each candidate's features and scored on the held-out rows (and
    /// by the held-out check); the rest of its training is the final recipe's.
    public var trialNetwork = NetworkCandidate(hidden: [1024], epochs: 300, weightDecay: 1e-4)
    /// Off: the selection runs' decay (--wd) is used as given.
    public var enabled = true

    public init() {}
}

/// One candidate of the trial, scored on the held-out rows.
public struct TuningTrial: Equatable, Sendable {
    public var hidden: [Int]
    public var epochs: Int
    public var weightDecay: Float
    public var threshold: Double
    /// Features it selects on the trial's rows (positions in the data the procedure ran on: in
    /// its stage file, the screened columns' positions where the screen ran; in a
    /// `SelectionOutcome`, the data as given).
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

    /// What `record` holds.
    public static let recordSchema = RecordSchema([
        .required("hidden", .counts), .required("epochs", .count), .required("wd", .finite), .required("threshold", .finite),
        .required("selected", .counts), .required("held_out_loss", .nonNegative), .optional("held_out_accuracy", .fraction),
    ])

    public init?(record r: ResultRecord) {
        guard TuningTrial.recordSchema.problem(in: r) == nil, let wd = r["wd"]?.double, let t = r["threshold"]?.double, let l = r["held_out_loss"]?.double,
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
        let (fit, held) = Splits.stratified(labels: data.strata(regressionBins: StabilitySelection.regressionStrata),
                                            count: data.count, testFraction: holdoutFraction,
                                            seed: derivedSeed(for: "select-holdout", base: seed))
        return (fit, held)
    }

    /// `split`'s two parts of `data`, drawn once per tuning and shared by its jobs.
    public func parts(_ data: Dataset, seed: UInt64) -> (fit: Dataset, heldOut: Dataset) {
        let (fit, held) = split(data, seed: seed)
        return (data.rows(fit), data.rows(held))
    }

    /// Selection run `b` of candidate `index`'s trial, on the fit rows (`parts`): one job of
    /// its own, so the wide candidate's ten long runs share the threads with the short ones
    /// rather than keeping one thread busy after the rest are done.
    public func trialRun(_ index: Int, run b: Int, fit: Dataset, procedure: SelectionProcedure,
                         seed: UInt64) throws -> SelectionRun {
        var settings = procedure.stability
        settings.runs = runs
        let recipe = candidates(run: procedure.run)[index].applied(to: procedure.run)
        return try StabilitySelection.run(b, data: fit, settings: settings, recipe: recipe, pruning: procedure.pruning,
                                          seed: derivedSeed(for: "select-trial", base: seed))
    }

    /// The trial of `candidates(run:)[index]` from its `runs` selection runs (`trialRun`):
    /// the features they select on the fit rows, and one final network on them, scored on
    /// the held-out rows (once per feature set among the trials that share `scores`).
    func trial(_ index: Int, runs selectionRuns: [SelectionRun], fit: Dataset, heldOut held: Dataset,
               procedure: SelectionProcedure, scores: SharedTrialScores = SharedTrialScores()) -> TuningTrial {
        var settings = procedure.stability
        settings.runs = runs
        let candidate = candidates(run: procedure.run)[index]
        let t = settings.threshold(features: fit.featureCount)
        let chosen = StabilitySelection.kept(procedure.table(selectionRuns, data: fit, threshold: t))
        let e = scores.evaluation(of: chosen) {
            trialNetwork.applied(to: procedure.final).ensemble(1, train: fit.columns(chosen), test: held.columns(chosen)).test!
        }
        return TuningTrial(hidden: candidate.hidden, epochs: candidate.epochs, weightDecay: candidate.weightDecay, threshold: t, selected: chosen,
                           heldOutLoss: e.loss, heldOutAccuracy: e.accuracy)
    }

    /// The whole trial of `candidates(run:)[index]` on one thread: its runs, then its score.
    public func trial(_ index: Int, data: Dataset, procedure: SelectionProcedure, seed: UInt64) throws -> TuningTrial {
        let (fit, held) = parts(data, seed: seed)
        let selectionRuns = try (0..<runs).map { try trialRun(index, run: $0, fit: fit, procedure: procedure, seed: seed) }
        return trial(index, runs: selectionRuns, fit: fit, heldOut: held, procedure: procedure)
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
