// The whole procedure of `optima select`, in the order it runs:
//   1. `tuning`: the selection runs' network and decay, chosen on held-out training rows;
//   2. `stability`: B FSA+NSA runs with those settings, each on its own subsample, and the
//      features kept by at least a share π of them;
//   3. `redundancy`: the unselected features that are linear copies of the selected ones;
//   4. `finalChoice`: the final network, by cross-validation on the kept features;
//   5. `finalNetworks` of it from different seeds, their outputs averaged.
// Every step sees the training rows only.

/// Every setting of `optima select`; its defaults are the command's.
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
    /// The final network's training (the papers' Adam, learning rate and batch); its network,
    /// length and decay are the candidate `finalChoice` picks, unless that is off.
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

/// Everything `optima select` ends with.
public struct SelectionOutcome: Sendable {
    /// The procedure with the settings the training rows chose (selection runs, final network).
    public var procedure: SelectionProcedure
    public var trials: [TuningTrial]
    public var table: [FeatureStability]
    /// The final network's inputs: the selected features and their copies, ascending.
    public var kept: [Int]
    public var finalTrials: [FinalNetworkTrial]
    public var final: EnsembleOutcome
}

extension SelectionProcedure {
    /// The whole procedure on `train`, every step in order on one thread, the final networks
    /// tested on `test`. `optima select` runs the same steps as resumable parallel jobs; the
    /// benchmark and the tests call this.
    public func select(_ train: Dataset, test: Dataset?) throws -> SelectionOutcome {
        var p = self, trials: [TuningTrial] = [], finalTrials: [FinalNetworkTrial] = []
        if tuning.enabled {
            let t = try tune(train)
            (trials, p) = (t.trials, p.adopting(t.best))
        }
        let table = try p.stabilityTable(train)
        let kept = StabilitySelection.kept(table)
        if finalChoice.enabled {
            let f = try p.chooseFinal(train.columns(kept))
            (finalTrials, p) = (f.trials, p.adopting(f.best))
        }
        let final = p.final.ensemble(p.finalNetworks, train: train.columns(kept), test: test?.columns(kept))
        return SelectionOutcome(procedure: p, trials: trials, table: table, kept: kept, finalTrials: finalTrials, final: final)
    }
}
