// The whole procedure of `optima select`, in the order it runs:
//   0. `screen`: with more features than training rows, the best ⌊n / ln n⌋ by their own
//      dependence on the target; every step below sees only those;
//   1. `tuning`: the selection runs' network and decay, chosen on held-out training rows;
//   2. `stability`: B FSA+NSA runs with those settings, each on its own subsample, and the
//      features kept by at least a share π of them;
//   3. `redundancy`: the unselected features that are linear copies of the selected ones;
//   3b. `heldOutCheck`: the borderline features added or removed on held-out training rows;
//   4. `finalChoice`: the final network, by cross-validation on the kept features;
//   5. `finalNetworks` of it from different seeds, their outputs averaged.
// Every step sees the training rows only.

/// Every setting of `optima select`; its defaults are the command's.
public struct SelectionProcedure: Equatable, Sendable {
    /// Which features the procedure sees when they outnumber the training rows.
    public var screen = MarginalScreen()
    public var stability = StabilitySettings()
    /// How the selection runs' decay and π are chosen from the training rows.
    public var tuning = SelectionTuning()
    /// Which unselected features count as copies of the selected ones.
    public var redundancy = RedundancySettings()
    /// Which borderline features are added or removed on held-out training rows.
    public var heldOutCheck = HeldOutCheck()
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

    /// Every feature's frequency, rank and norm over `runs` (drawn from `data`), with the
    /// selected features' linear copies marked when `redundancy` is on.
    public func table(_ runs: [SelectionRun], data: Dataset, threshold: Double) -> [FeatureStability] {
        var t = StabilitySelection.summarize(runs, names: data.featureNames, threshold: threshold)
        if redundancy.enabled { t = StabilitySelection.completed(t, data: data, minimum: redundancy.minimumExplained) }
        // A column constant on the training rows carries nothing, whatever its frequency: with
        // p <= 4, q >= p and every run keeps every column.
        let constant = Set(DataSummary(data).constantColumns)
        return t.map { f in
            guard constant.contains(f.feature) else { return f }
            var g = f
            g.selected = false
            g.redundant = false
            return g
        }
    }
}

/// Everything `optima select` ends with.
public struct SelectionOutcome {
    /// The procedure with the settings the training rows chose (selection runs, final network).
    public var procedure: SelectionProcedure
    public var trials: [TuningTrial]
    /// The selection runs that made the table.
    public var runs: [SelectionRun]
    /// The held-out check's networks: the base, then each addition and removal it tried.
    public var checkTrials: [HeldOutTrial]
    public var table: [FeatureStability]
    /// The final network's inputs: the selected features and their copies, ascending.
    public var kept: [Int]
    public var finalTrials: [FinalNetworkTrial]
    public var final: EnsembleOutcome
    /// Regression: the training target's standardisation, which the final networks learned
    /// under and their saved model undoes.
    public var targetScaling: TargetScaling?
    /// Seconds from the start to the kept features (the screen, the tuning, the stability
    /// selection and the held-out check); the final networks' choice and training come after.
    public var selectionSeconds: Double
    /// The features the screen kept, which every step saw (ascending); nil where it did not run.
    public var screened: [Int]? = nil
}

extension SelectionProcedure {
    /// The whole procedure on `train`, every step in order, the final networks tested on
    /// `test`. Each stage's jobs go to `stages`; `dataIdentity` names the data (and how it
    /// was read) in the stages' identities; `report` hears each choice as it is made.
    /// The final networks train on up to `threads` threads (the same numbers at any count).
    public func select(_ train: Dataset, test: Dataset?, stages: some SelectionStageRunner = InMemoryStages(),
                       dataIdentity: String = "", threads: Int = 1,
                       report: (SelectionEvent) -> Void = { _ in }) throws -> SelectionOutcome {
        try check(train)
        if screen.applies(to: train) {
            // Every step on the screened columns alone, then back to the columns as given.
            let start = monotonicSeconds()
            let scores = MarginalScreen.scores(train, bins: screen.bins)
            let seen = screen.seen(train, scores: scores), screening = monotonicSeconds() - start
            var inner = self
            inner.screen.enabled = false
            var o = try inner.select(train.columns(seen), test: test?.columns(seen), stages: stages,
                                     dataIdentity: dataIdentity + "|\(screen) \(seen)", threads: threads) {
                report($0.mapped(through: seen))
            }
            o.selectionSeconds += screening
            o.procedure.screen = screen
            return o.mapped(through: seen, of: train, scores: scores)
        }
        let start = monotonicSeconds()
        // Regression: every step sees the target standardised on the training rows; the
        // final networks' outputs are scaled back before they are scored or saved.
        let targetScaling = train.task.isRegression ? TargetScaling.standardize(fittedOn: train) : nil
        let raw = train, train = targetScaling?.apply(raw) ?? raw
        var p = self, trials: [TuningTrial] = [], finalTrials: [FinalNetworkTrial] = []
        // The tuning's fit and held-out rows, drawn once for its trials and the held-out check.
        let parts = tuning.enabled || heldOutCheck.enabled ? tuning.parts(train, seed: run.seed) : nil
        if tuning.enabled, let parts {
            trials = try tuningTrials(parts, dataIdentity: dataIdentity, stages: stages)
            guard !trials.isEmpty else { throw SettingsError("no decay trial finished") }
            let best = tuning.choose(trials)
            report(.tuned(trials: trials, chosen: best))
            p = p.adopting(best)
        }
        let runsStage = p.stabilityStage(train, dataIdentity: dataIdentity)
        let runs = try runsStage.read(try stages.run(runsStage), as: SelectionRun.init(record:))
        var table = p.table(runs, data: train, threshold: p.stability.threshold(features: train.featureCount))
        var checkTrials: [HeldOutTrial] = []
        if heldOutCheck.enabled, let parts {
            // What the tuning's candidates selected on the fit rows is tried too: a column the
            // chosen candidate's runs never keep may be one another candidate found.
            let stage = p.checkStage(train, parts: parts, table: table, alsoTried: Set(trials.flatMap(\.selected)),
                                     runsIdentity: runsStage.identity)
            checkTrials = try stage.read(try stages.run(stage), as: HeldOutTrial.init(record:))
            let (added, removed) = heldOutCheck.decide(checkTrials)
            report(.checked(trials: checkTrials, added: added, removed: removed))
            table = heldOutCheck.marked(table, added: added, removed: removed)
        }
        let kept = StabilitySelection.kept(table)
        let selectionSeconds = monotonicSeconds() - start
        let keptTrain = train.columns(kept)
        if finalChoice.enabled {
            let stage = p.finalStage(keptTrain, kept: kept, runsIdentity: runsStage.identity)
            finalTrials = try stage.read(try stages.run(stage), as: FinalNetworkTrial.init(record:))
            guard !finalTrials.isEmpty else { throw SettingsError("no final-network candidate finished") }
            let best = finalChoice.choose(finalTrials)
            report(.finalChosen(trials: finalTrials, chosen: best))
            p = p.adopting(best)
        }
        report(.trainingFinal(networks: p.finalNetworks, features: kept.count))
        let final = p.final.ensemble(p.finalNetworks, train: raw.columns(kept), test: test?.columns(kept),
                                     targetScaling: targetScaling, threads: threads)
        return SelectionOutcome(procedure: p, trials: trials, runs: runs, checkTrials: checkTrials, table: table,
                                kept: kept, finalTrials: finalTrials, final: final, targetScaling: targetScaling,
                                selectionSeconds: selectionSeconds)
    }

    /// Step 1 alone, in memory: every candidate's trial on `data` and the winner.
    public func tune(_ data: Dataset) throws -> (best: TuningTrial, trials: [TuningTrial]) {
        let trials = try tuningTrials(tuning.parts(data, seed: run.seed), dataIdentity: "", stages: InMemoryStages())
        return (tuning.choose(trials), trials)
    }

    /// Step 2 (and 3) alone, in memory, with this procedure's settings as they are: every
    /// feature's frequency, rank and norm.
    public func stabilityTable(_ data: Dataset) throws -> [FeatureStability] {
        let stage = stabilityStage(data, dataIdentity: "")
        let runs = try stage.read(try InMemoryStages().run(stage), as: SelectionRun.init(record:))
        return table(runs, data: data, threshold: stability.threshold(features: data.featureCount))
    }

    /// Step 1 in two stages: every candidate's selection runs on the fit rows, then each
    /// candidate's trial, scored on the held-out rows.
    /// `parts`: the training rows' fit and held-out parts (`SelectionTuning.parts`).
    func tuningTrials(_ parts: (fit: Dataset, heldOut: Dataset), dataIdentity: String,
                      stages: some SelectionStageRunner) throws -> [TuningTrial] {
        let (fit, heldOut) = parts
        let runsStage = tuningRunsStage(fit, dataIdentity: dataIdentity)
        let records = try stages.run(runsStage), perCandidate = tuning.runs
        // The runs stage lists the longest candidates first; back to candidate order.
        var byCandidate = [[ResultRecord]](repeating: [], count: tuning.candidates(run: run).count)
        for (place, i) in tuningRunOrder.enumerated() {
            byCandidate[i] = Array(records[place * perCandidate..<(place + 1) * perCandidate])
        }
        let runs = try runsStage.read(byCandidate.flatMap { $0 }, as: SelectionRun.init(record:))
        let stage = tuningStage(fit: fit, heldOut: heldOut, runs: runs, runsIdentity: runsStage.identity)
        return try stage.read(try stages.run(stage), as: TuningTrial.init(record:))
    }

    /// Step 1a: each candidate's trial runs, one job per run, the longest candidates first
    /// (the wide one's runs take several times a small one's), so no thread is left with a
    /// long job at the end. Its jobs list candidate `tuningRunOrder[0]`'s runs first. `fit`:
    /// the training rows' fit part (`SelectionTuning.parts`); `dataIdentity` names the data.
    func tuningRunsStage(_ fit: Dataset, dataIdentity: String) -> SelectionStage {
        let procedure = self, tuning = self.tuning, candidates = tuning.candidates(run: run)
        return SelectionStage(
            file: "select-tune-runs.jsonl", label: "candidate runs",
            identity: "select-tune-runs|\(dataIdentity)|\(tuning)|\(stability)|\(run)|\(pruning)",
            schema: SelectionStage.tuningRunSchema,
            jobs: tuningRunOrder.flatMap { i in
                (0..<tuning.runs).map { b in
                    (candidates[i].key + ",run=\(b)",
                     candidates[i].requiring(in: SelectionStage.tuningRunSchema.requiring("run", equals: JSONValue(b))),
                     { @Sendable () throws -> ResultRecord in
                         var r = try tuning.trialRun(i, run: b, fit: fit, procedure: procedure, seed: procedure.run.seed).record
                         r.merge(candidates[i].recordFields) { a, _ in a }
                         r["run"] = JSONValue(b)
                         return r
                     })
                }
            })
    }

    /// The candidates' indices, most work first (ties in candidate order).
    var tuningRunOrder: [Int] {
        let candidates = tuning.candidates(run: run)
        return candidates.indices.sorted { (candidates[$0].work, $1) > (candidates[$1].work, $0) }
    }

    /// Step 1b: one trial per candidate network and decay from its runs (candidate order,
    /// `tuning.runs` each), scored on held-out training rows.
    func tuningStage(fit: Dataset, heldOut: Dataset, runs: [SelectionRun], runsIdentity: String) -> SelectionStage {
        let procedure = self, tuning = self.tuning, candidates = tuning.candidates(run: run)
        let scores = SharedTrialScores()
        return SelectionStage(
            file: "select-tune.jsonl", label: "candidate trials",
            identity: "select-tune|\(runsIdentity)|\(final)|\(redundancy)",
            schema: TuningTrial.recordSchema,
            jobs: candidates.indices.map { i in
                let own = Array(runs[i * tuning.runs..<(i + 1) * tuning.runs])
                return (candidates[i].key, candidates[i].requiring(in: TuningTrial.recordSchema),
                        { tuning.trial(i, runs: own, fit: fit, heldOut: heldOut, procedure: procedure, scores: scores).record })
            })
    }

    /// Step 2: the B selection runs, each on its own subsample.
    func stabilityStage(_ data: Dataset, dataIdentity: String) -> SelectionStage {
        let p = self
        return SelectionStage(
            file: "select.jsonl", label: "selection runs",
            identity: "select|\(dataIdentity)|\(stability)|\(run)|\(pruning)",
            schema: SelectionRun.recordSchema,
            jobs: (0..<stability.runs).map { b in
                ("run=\(b)", SelectionRun.recordSchema, {
                    try StabilitySelection.run(b, data: data, settings: p.stability, recipe: p.run, pruning: p.pruning,
                                               seed: p.run.seed).record
                })
            })
    }

    /// Step 3b: the held-out check's networks on the tuning's fit rows, scored on its held-out
    /// rows: the base on the features `table` keeps, then one per addition and removal that
    /// `heldOutCheck` tries (`alsoTried`: what the tuning's candidates selected).
    /// `parts`: the tuning's fit and held-out parts of `data`, drawn once for both steps.
    func checkStage(_ data: Dataset, parts: (fit: Dataset, heldOut: Dataset), table: [FeatureStability],
                    alsoTried: Set<Int> = [], runsIdentity: String) -> SelectionStage {
        let kept = StabilitySelection.kept(table)
        let tries = heldOutCheck.trials(table, data: data, copies: redundancy, alsoTried: alsoTried)
        let changes: [(HeldOutTrial.Change, Int?)] = [(.base, nil)]
            + tries[.add, default: []].map { (.add, $0) } + tries[.remove, default: []].map { (.remove, $0) }
        let (fit, heldOut) = parts
        let network = heldOutCheck.network.applied(to: final)
        return SelectionStage(
            file: "select-check.jsonl", label: "held-out checks",
            identity: "select-check|\(runsIdentity)|\(kept)|\(alsoTried.sorted())|\(heldOutCheck)|\(redundancy)"
                + "|\(tuning.holdoutFraction)|\(network)",
            schema: HeldOutTrial.recordSchema,
            jobs: changes.map { change, feature in
                let features: [Int]
                switch (change, feature) {
                case let (.add, f?): features = (kept + [f]).sorted()
                case let (.remove, f?): features = kept.filter { $0 != f }
                default: features = kept
                }
                let key = HeldOutTrial(change, feature: feature, heldOutLoss: 0).key
                return (key, HeldOutTrial.recordSchema.requiring("change", equals: .string(change.rawValue)), {
                    let e = network.ensemble(1, train: fit.columns(features), test: heldOut.columns(features))
                    return HeldOutTrial(change, feature: feature, heldOutLoss: e.test!.loss).record
                })
            })
    }

    /// Step 4: each final-network candidate cross-validated on the kept features.
    func finalStage(_ kept: Dataset, kept features: [Int], runsIdentity: String) -> SelectionStage {
        let choice = finalChoice, final = self.final
        return SelectionStage(
            file: "select-final.jsonl", label: "final-network candidates",
            identity: "select-final|\(runsIdentity)|\(features)|\(choice)|\(final)",
            schema: FinalNetworkTrial.recordSchema,
            jobs: choice.candidates.indices.map { i in
                (choice.candidates[i].key, choice.candidates[i].requiring(in: FinalNetworkTrial.recordSchema),
                 { try choice.trial(i, data: kept, final: final).record })
            })
    }
}

extension SelectionProcedure {
    /// Refuses training rows too few for the procedure, naming the smallest class (all rows,
    /// for regression) and the size that works: every stratified draw must keep at least one
    /// row of every class (a run's subsample; the tuning's fit and held-out parts, and a
    /// trial run's subsample of the fit part), and the final choice's folds need as many rows
    /// as there are classes.
    public func check(_ train: Dataset) throws {
        let need = minimumRowsPerClass
        if train.task.isRegression {
            let strata = StabilitySelection.regressionStrata
            guard train.count >= need * strata else {
                throw SettingsError("\(train.count) training row(s); select needs at least \(need * strata) for regression "
                    + "(\(need) in each of the target's \(strata) quantile ranges its draws keep in proportion)")
            }
        } else if let (c, n) = train.classCounts.enumerated().filter({ $0.element > 0 }).min(by: { $0.element < $1.element }),
                  n < need {
            throw SettingsError("class '\(train.classNames[c])' has \(n) training row(s); select needs at least \(need) "
                + "of every class (each run's \(stability.sampleFraction) subsample"
                + (tuning.enabled ? " and the tuning's \(tuning.holdoutFraction) hold-out" : "") + " must keep one)")
        }
        if finalChoice.enabled {
            do {
                try Folds.check(train, folds: finalChoice.folds, repeats: 1)
            } catch let e as SettingsError {
                throw SettingsError("--final-folds \(finalChoice.folds): \(e.message)")
            }
        }
    }

    /// The fewest rows of a class with which every stratified draw of the procedure keeps one.
    public var minimumRowsPerClass: Int {
        func drawn(_ n: Int) -> Int { Splits.heldOutCount(n, fraction: stability.sampleFraction) }
        return (1...).first { n in
            guard drawn(n) >= 1 else { return false }
            guard tuning.enabled else { return true }
            let held = Splits.heldOutCount(n, fraction: tuning.holdoutFraction)
            return held >= 1 && drawn(n - held) >= 1
        }!
    }
}
