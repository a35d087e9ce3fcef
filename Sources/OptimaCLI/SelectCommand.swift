// optima select: stability selection over FSA+NSA runs, then a final network on the
// selected features; every feature's rank, frequency and group norm.
import Foundation
import Optima

private let selectHeader: String = {
    let d = SelectionProcedure(), st = d.stability, tu = d.tuning, ch = d.heldOutCheck, sc = d.screen
    let pct = { (x: Double) in "\(Int((x * 100).rounded())) %" }
    return """
Usage: optima select [FLAGS]

Which features matter: stability selection (Meinshausen & Buehlmann) over FSA+NSA.
B runs of FSA+NSA (Guo & Barbu, Alg. 2), each on its own random \(pct(st.sampleFraction)) of the training
rows and from its own initialisation, each keep q features. A feature's selection
frequency is the share of runs that kept it; the features kept by at least a share pi
of the runs are selected, so the data, not a flag, says how many features there are.
Final networks are then trained on the kept features alone, from different seeds,
and tested on their averaged outputs. Every step sees the training rows only.

The steps, in order, and the rules that replace hand-tuning:
  0. with more features p than training rows n, a screen (Fan & Lv's sure independence
    screening): each feature's own dependence on the target, n x the share of the
    target's variance explained by the target's means over \(sc.bins) equal-count bins of
    the feature (equal values share a bin; a square or a sine counts), and every step below
    sees only the best floor(n / ln n) (--screen-keep); a feature that matters only through
    an interaction scores as noise there and is lost. --no-screen sees every feature;
  1. the selection runs' network and L2 decay: \(pct(tu.holdoutFraction)) of the training rows are held
    out, and on the rest stability selection (\(tu.runs) runs) runs once per candidate: the
    small network (--hidden, --epochs) at each decay of --tune-wd, and a wide one
    (--tune-wide-*) with light decay. One final network is trained on the features
    each keeps and scored on the held-out rows. The lowest held-out loss wins, except
    that a candidate within \(pct(tu.tolerance)) of it that keeps fewer features wins instead.
    --no-tune uses --hidden, --epochs and --wd as given;
  2. stability selection with those settings, B = \(st.runs) runs ranking features by path norm:
    q (features per run) = floor(\(render(st.runFeaturesFactor)) sqrt(p)): more than an interaction needs,
      while a noise column survives a run by chance with probability about q/p;
    pi (threshold) = q/p + \(render(st.thresholdMargin)) sqrt(q/p (1 - q/p) / B), within [\(render(st.thresholdRange.lowerBound)), \(render(st.thresholdRange.upperBound))]:
      a noise column's chance frequency plus \(render(st.thresholdMargin)) standard deviations
      (0.6 at p = 500, 0.8 at p = 15); the features with frequency >= pi are selected,
      except a column constant on the training rows, which never is;
  3. linear copies: a run needs only enough of a set of linear combinations to span
    them, so the others' frequencies fall to a noise column's; every unselected
    feature that a least-squares fit on the selected ones explains with
    R2 >= \(render(d.redundancy.minimumExplained)) (--copy-r2) is kept too, marked as a copy (a noise column's R2 is
    about k/n by chance);
  3b. the held-out check of the borderline features, on the held-out rows of step 1:
    one network (\(ch.network.summary)) on the kept features (the base), and one with
    each unkept feature added that a step-1 candidate selected or that has frequency
    >= \(render(ch.additionFloor)) (the \(ch.maxAdditions) most frequent), and one with each selected feature of
    frequency < \(render(ch.removalCeiling)) removed (unless the other kept features explain it linearly);
    a feature is added when its held-out loss is below \(render(1 - ch.additionGain)) x the base's and at
    least \(render(ch.additionMinimum)) below it, removed when the loss without it is below \(render(1 - ch.removalGain)) x the
    base's. It finds the weak relevant columns that the runs keep about half the time,
    and drops noise columns just above pi. --no-check keeps the selection as it is;
  4. the final network, of
\(d.finalChoice.candidates.map { "      " + $0.summary }.joined(separator: "\n"))
    the one with the highest \(d.finalChoice.folds)-fold cross-validated accuracy (lowest loss for
    regression) on the kept features;
  5. \(d.finalNetworks) of it from different seeds, their outputs averaged.
Inputs are standardised (z-score on the training rows) unless --scaling says otherwise
(--scaling default: the data set's own choice).
Regression: every step trains on the target standardised on the training rows (its
mean and sd; the results, R2 and the saved model are in the target's own units); the
subsamples and the hold-out keep the target's \(StabilitySelection.regressionStrata) quantile ranges in proportion, as
they keep classes; the final choice is by the lowest cross-validated loss.
Every class (regression: every quantile range) needs \(d.minimumRowsPerClass) training rows, so that
each draw keeps one; fewer is a one-line error naming the class.

Prints every feature's rank, selection frequency, final group norm r_i (mean over
the runs, 0 where a run dropped it) and R2 on the selected features; writes
RESULTS/select-tune-runs.jsonl, select-tune.jsonl, select.jsonl, select-check.jsonl and
select-final.jsonl (one line per training;
a killed run resumes when the same command runs again), select.csv, select.json and
select.svg (the frequencies in rank order with the threshold, and each feature's R2 on
the selected ones against its frequency).

Examples:
  optima select --data hypercube --k 5 --redundant 15 --vertex-labels random --p 200
  optima select --data train.data --labels train.labels --test-data valid.data --test-labels valid.labels
"""
}()

/// The settings `optima select` reads its flags into; the library's procedure holds the defaults.
private struct SelectFlags {
    var procedure = SelectionProcedure()
    var runNodes = PruneFlags(nodes: SelectionProcedure().pruning)
}

private let stabilitySection = FlagSection<SelectionProcedure>(title: "Stability selection", flags: [
    .int("runs", "B", "FSA+NSA runs, each on its own subsample and initialisation", \.stability.runs, in: 1...100_000),
    .double("sample-fraction", "F", "share of the training rows each run draws, stratified, without replacement",
            \.stability.sampleFraction, in: 0.01...0.99),
    Flag("threshold", value: "PI", help: "selection frequency a feature needs to be selected",
         shown: { $0.stability.threshold.map { render($0) } ?? "q/p + 3 sqrt(q/p (1-q/p) / B), within 0.6...0.9" }) {
        $0.stability.threshold = try parseDouble("threshold", $1, in: 0.5...1)
    },
    .int("run-features", "q", "features each run keeps", \.stability.runFeatures, in: 1...Int.max,
         otherwise: "floor(F sqrt(p)), F = --run-features-factor"),
    .double("run-features-factor", "F", "the default q is F sqrt(p)", \.stability.runFeaturesFactor, in: 0.01...1e6),
])

private let tuningSection = FlagSection<SelectionProcedure>(title: "Choosing the decay (training rows only)", flags: [
    Flag("tune-wd", value: "X[,X2...]", help: "candidate L2 decays of the selection runs", isList: true,
         shown: { $0.tuning.weightDecays.map { render($0) }.joined(separator: ",") }) {
        $0.tuning.weightDecays = try parseDoubleList("tune-wd", $1, in: 0...1e3).map(Float.init)
    },
    .double("holdout-fraction", "F", "share of the training rows held out to score the candidates",
            \.tuning.holdoutFraction, in: 0.05...0.9),
    .int("tune-runs", "B", "stability-selection runs per candidate decay", \.tuning.runs, in: 1...100_000),
    .double("tune-tolerance", "X", "held-out losses within this share of the lowest tie (fewer features win)",
            \.tuning.tolerance, in: 0...10),
    .intList("tune-wide-hidden", "H[,H2...]", "the wide candidate's hidden layers", \.tuning.wideHidden, in: 1...1_000_000),
    .int("tune-wide-epochs", "N", "the wide candidate's epochs", \.tuning.wideEpochs, in: 1...1_000_000),
    .float("tune-wide-wd", "X", "the wide candidate's L2 decay", \.tuning.wideWeightDecay, in: 0...1e3),
    .toggle("no-tune-wide", "no wide candidate", \.tuning.wide, to: false),
    .toggle("no-tune", "use --hidden, --epochs and --wd as given", \.tuning.enabled, to: false),
])

private let screenSection = FlagSection<SelectionProcedure>(title: "Screen (more features than training rows)", flags: [
    .int("screen-keep", "N", "features the screen keeps", \.screen.keep, in: 1...Int.max, otherwise: "floor(n / ln n)"),
    .int("screen-bins", "B", "equal-count bins of a feature over which its score is taken", \.screen.bins, in: 2...1000),
    .toggle("no-screen", "every step sees every feature, however many", \.screen.enabled, to: false),
])

private let redundancySection = FlagSection<SelectionProcedure>(title: "Linear copies of the selected features", flags: [
    .double("copy-r2", "R2", "keep an unselected feature too when a least-squares fit on the selected ones explains "
            + "this share of its variance", \.redundancy.minimumExplained, in: 0...1),
    .toggle("no-copies", "keep the selected features only", \.redundancy.enabled, to: false),
])

private let checkSection = FlagSection<SelectionProcedure>(title: "Held-out check of the borderline features", flags: [
    .double("check-floor", "F", "unkept features kept by at least this share of the runs are tried as additions",
            \.heldOutCheck.additionFloor, in: 0...1),
    .int("check-additions", "N", "at most this many additions are tried, the most frequent first", \.heldOutCheck.maxAdditions,
         in: 0...100_000),
    .double("check-ceiling", "F", "selected features kept by fewer than this share of the runs are tried as removals",
            \.heldOutCheck.removalCeiling, in: 0...1.01),
    .double("check-gain", "X", "an addition must lower the held-out loss by this share", \.heldOutCheck.additionGain, in: 0...1),
    .double("check-minimum", "X", "and by at least this much (nats per row, or a share of the standardised "
            + "target's variance)", \.heldOutCheck.additionMinimum, in: 0...1e6),
    .double("check-removal-gain", "X", "a removal must lower the held-out loss by this share",
            \.heldOutCheck.removalGain, in: -10...1),
    .toggle("no-check", "keep the features selection and copies keep", \.heldOutCheck.enabled, to: false),
])

private let finalSection = FlagSection<SelectionProcedure>(title: "Final network (on the kept features)", flags: [
    .int("final-folds", "K", "folds of the cross-validation on the training rows that chooses among the candidates",
         \.finalChoice.folds, in: 2...1000),
    .toggle("no-final-choice", "train the network of the three flags below instead", \.finalChoice.enabled, to: false),
    .intList("final-hidden", "H[,H2...]", "hidden layer sizes, with --no-final-choice", \.final.hidden, in: 1...1_000_000),
    .int("final-epochs", "N", "epochs, with --no-final-choice", \.final.training.epochs, in: 1...1_000_000),
    .float("final-wd", "X", "L2 weight decay, with --no-final-choice", \.final.training.optimizer.weightDecay, in: 0...1e3),
    .int("final-networks", "M", "networks from different seeds, tested on their mean output", \.finalNetworks,
         in: 1...10_000),
])

private let selectRunnerSection = runnerSection(results: "the resumable file DIR/select.jsonl, and select.csv, "
    + "select.json, select.svg").excluding(["shard"])

/// The node schedule of each run; q replaces --keep-features.
private let runPruningSections = pruneSections(.fsa).map { $0.excluding(["keep-features", "retrain", "retrain-seed"]) }
    .filter { !$0.flags.isEmpty }

private func selectUsage() -> [UsageSection] {
    let f = SelectFlags()
    var runner = RunnerFlags()
    runner.results = defaultResultsFolder("select", spec: "DATA")
    return [screenSection.usage(f.procedure), stabilitySection.usage(f.procedure), tuningSection.usage(f.procedure),
            redundancySection.usage(f.procedure),
            checkSection.usage(f.procedure), UsageSection(flags: [], text: "  Selection runs: the network and training flags below, and the node schedule"),
            networkSection.usage(f.procedure.run), trainingSection.usage(f.procedure.run)]
        + runPruningSections.map { $0.usage(f.runNodes) }
        + [finalSection.usage(f.procedure), selectRunnerSection.usage(runner)] + dataUsage(defaults: selectDataDefaults)
        + [selectModelSection.usage(ModelFlags()), outputSection.usage(OutputFlags())]
}

private let selectModelSection = FlagSection<ModelFlags>(title: "Model", flags: [
    .text("save-model", "FILE", "write the final ensemble (its networks, whose outputs are averaged) with the kept "
          + "columns, the data's encoding, the fitted scaling and, for regression, the target's standardisation, as one "
          + "JSON file for 'optima predict' (model format version 2)", \.saveModel),
])

/// Select standardises by default (z-score on the training rows): the path norms that rank
/// the features are compared across columns, so every column starts at unit variance.
private let selectDataDefaults: DataFlags = {
    var d = DataFlags()
    d.options.scaling = .standardize
    return d
}()

func selectCommand(_ args: [String]) throws {
    var a = try Arguments(args, sections: selectUsage(), command: "select")
    if a.wantsHelp { print(commandHelp(selectHeader, selectUsage())); return }
    var f = SelectFlags()
    try screenSection.read(&a, into: &f.procedure)
    try stabilitySection.read(&a, into: &f.procedure)
    try tuningSection.read(&a, into: &f.procedure)
    try redundancySection.read(&a, into: &f.procedure)
    try checkSection.read(&a, into: &f.procedure)
    f.procedure.run = try readTrainingFlags(&a, from: f.procedure.run)
    for s in runPruningSections { try s.read(&a, into: &f.runNodes) }
    try finalSection.read(&a, into: &f.procedure)
    let (spec, dataOptions) = try readDataFlags(&a, defaults: selectDataDefaults)
    var output = OutputFlags()
    try outputSection.read(&a, into: &output)
    var runner = RunnerFlags()
    runner.results = defaultResultsFolder("select", spec: spec)
    try selectRunnerSection.read(&a, into: &runner)
    var model = ModelFlags()
    try selectModelSection.read(&a, into: &model)
    try a.finish(command: "select")
    try a.noPositional()

    var procedure = f.procedure
    procedure.pruning = f.runNodes.nodes
    procedure.final.seed = procedure.run.seed
    procedure.final.training.seed = procedure.run.seed
    let (train, test, transform) = try DataSource.loadTransformed(spec, options: dataOptions)
    let p = train.featureCount
    // The runs see the screened features where the screen runs, and q and pi follow their number.
    let seen = procedure.screen.seenCount(train)
    let q = procedure.stability.runFeatures(features: seen)
    let pi = procedure.stability.threshold(features: seen)
    // Settings the data cannot meet (a node target above the run's hidden layer) fail here, not in a job.
    _ = try NodeSelection(procedure.pruning, network: procedure.run.makeNetwork(features: p, task: train.task),
                          epochs: procedure.run.training.epochs)
    // Rows too few for its draws fail before the summary line, so the error is the one line.
    try procedure.check(train)
    if !output.quiet {
        let r = procedure.run
        printError("select \(train.name): \(train.count) train / \(test.count) test rows, \(p) features"
            + (seen < p ? ", the best \(seen) by the screen" : "") + "; "
            + "\(procedure.stability.runs) FSA+NSA runs on \(fmt(procedure.stability.sampleFraction, 2)) of the rows, "
            + "each \(seen)-\(r.hidden.map(String.init).joined(separator: "-"))-\(train.task.outputCount) -> \(q) features, "
            + "\(r.training.epochs) epochs, "
            + (procedure.tuning.enabled
                ? "network and wd among \(procedure.tuning.candidates(run: r).count) candidates chosen on held-out "
                    + "training rows; "
                : "wd \(render(r.training.optimizer.weightDecay)); ")
            + "threshold \(fmt(pi, 3)); "
            + "kernels \(Kernels.path.rawValue)")
    }

    let folder = runner.results
    let start = monotonicSeconds()
    let stages = ResumableSelectionStages(folder: folder, threads: runner.threadCount, quiet: output.quiet)
    let outcome = try procedure.select(train, test: test, stages: stages, dataIdentity: "\(spec)|\(dataOptions)",
                                       threads: runner.threadCount) { event in
        guard !output.quiet else { return }
        switch event {
        case let .tuned(trials, best):
            for t in trials {
                printError("  trial \(t.candidate.summary) (pi \(fmt(t.threshold, 3))): \(t.selected.count) features, "
                    + "held-out loss \(fmt(t.heldOutLoss))"
                    + (t.heldOutAccuracy.map { " accuracy \(fmt($0))" } ?? "")
                    + (t == best ? "  <- chosen" : ""))
            }
        case let .checked(trials, added, removed):
            guard let base = trials.first(where: { $0.change == .base }) else { break }
            printError("  held-out check: the kept features' network, held-out loss \(fmt(base.heldOutLoss))")
            for t in trials where t.change != .base {
                let name = t.feature.map { train.featureNames[$0] } ?? ""
                let done = (t.change == .add ? added : removed).contains(t.feature ?? -1)
                printError("    \(t.change == .add ? "+" : "-")\(name): loss \(fmt(t.heldOutLoss)) "
                    + "(\(fmt(t.heldOutLoss / base.heldOutLoss, 3)) of the base)" + (done ? (t.change == .add ? "  <- added" : "  <- removed") : ""))
            }
        case let .finalChosen(trials, best):
            for t in trials {
                printError("  final candidate \(t.candidate.summary): \(procedure.finalChoice.folds)-fold loss "
                    + "\(fmt(t.loss))" + (t.accuracy.map { " accuracy \(fmt($0))" } ?? "") + (t == best ? "  <- chosen" : ""))
            }
        case let .trainingFinal(networks, features):
            printError("final: \(networks) network(s) on the \(features) kept features")
        }
    }
    procedure = outcome.procedure
    let (trials, runs, table, kept, finalTrials, final) = (outcome.trials, outcome.runs, outcome.table, outcome.kept,
                                                           outcome.finalTrials, outcome.final)
    let core = table.filter(\.selected).map(\.feature).sorted(), copies = table.filter(\.redundant).map(\.feature).sorted()
    let added = table.filter { $0.heldOut == .added }.map(\.feature).sorted()
    let removed = table.filter { $0.heldOut == .removed }.map(\.feature).sorted()
    let selectionSeconds = outcome.selectionSeconds
    for o in final.members { try checkConverged(o) }
    if let path = model.saveModel {
        for net in final.networks { net.renumberFeatures(through: kept) }
        try saveModel(to: path, networks: final.networks, targetScaling: outcome.targetScaling, train: train,
                      transform: transform, data: spec, recipe: procedure.final, command: "select", arguments: args,
                      extra: ["selected": JSONValue(core), "copies": JSONValue(copies), "added": JSONValue(added),
                               "removed": JSONValue(removed)])
    }
    let seconds = monotonicSeconds() - start

    let files = ["csv", "json", "svg"].map { (folder as NSString).appendingPathComponent("select." + $0) }
    var json: [String: JSONValue] = [
        "data": .string(train.name), "runs": JSONValue(runs.count), "run_features": JSONValue(q),
        "threshold": JSONValue(pi), "selected": JSONValue(core),
        "copies": JSONValue(copies), "added": JSONValue(added), "removed": JSONValue(removed), "kept": JSONValue(kept),
        "checks": .array(outcome.checkTrials.map { .object($0.record) }),
        "screened": outcome.screened.map { JSONValue($0) } ?? .null,
        "run_wd": JSONValue(Double(procedure.run.training.optimizer.weightDecay)),
        "run_hidden": JSONValue(procedure.run.hidden), "run_epochs": JSONValue(procedure.run.training.epochs),
        "trials": .array(trials.map { .object($0.record) }),
        "final_trials": .array(finalTrials.map { .object($0.record) }),
        "final_networks": JSONValue(final.members.count), "final_network": .string(final.members[0].shape.description),
        "selection_seconds": JSONValue(selectionSeconds), "seconds": JSONValue(seconds),
        "train_loss": JSONValue(final.train.loss), "features": SelectionReport.json(table),
    ]
    for (name, e) in [("train", final.train), ("test", final.test)] {
        guard let e else { continue }
        if let a = e.auc { json[name + "_auc"] = JSONValue(a) }
        if let a = e.accuracy { json[name + "_accuracy"] = JSONValue(a) }
        if let r = e.r2 { json[name + "_r2"] = JSONValue(r) }
        if name == "test" { json["test_loss"] = JSONValue(e.loss) }
    }
    if let path = model.saveModel { json["model"] = .string(path) }
    try SelectionReport.csv(table).write(to: files[0])
    try writeFileAtomically(JSONValue.object(json).jsonText + "\n", to: files[1])
    try SelectionReport.plot(table, threshold: pi,
                             title: "select \(train.name): \(runs.count) runs, q = \(q)").write(to: files[2])
    if output.json {
        json["files"] = .array(files.map { .string($0) })
        print(JSONValue.object(json).jsonText)
        return
    }
    let width = max(4, table.map(\.name.count).max() ?? 0)
    // Never selected, whatever the runs did (a note, so that a frequency of 1 is not a puzzle).
    let constant = Set(DataSummary(train).constantColumns)
    print("rank  feature  " + "name".padding(toLength: width, withPad: " ", startingAt: 0) + "  frequency  norm")
    for t in table.sorted(by: { $0.rank < $1.rank }) {
        print(String(t.rank).padding(toLength: 6, withPad: " ", startingAt: 0)
            + String(t.feature).padding(toLength: 9, withPad: " ", startingAt: 0)
            + t.name.padding(toLength: width, withPad: " ", startingAt: 0)
            + "  " + fmt(t.frequency, 2).padding(toLength: 9, withPad: " ", startingAt: 0)
            + "  " + fmt(t.norm) + (t.selected ? "  selected" : t.redundant ? "  copy (R2 \(fmt(t.explained ?? 0, 3)))" : "")
            + (t.heldOut.map { "  \($0.rawValue) on the held-out rows" } ?? "") + (t.screenedOut ? "  screened out" : "")
            + (constant.contains(t.feature) ? "  constant" : ""))
    }
    if procedure.tuning.enabled {
        print("chosen on \(fmt(procedure.tuning.holdoutFraction, 2)) of the training rows held out: selection runs "
            + "\(procedure.run.hidden.map(String.init).joined(separator: "-")) nodes, \(procedure.run.training.epochs) epochs, wd "
            + "\(render(procedure.run.training.optimizer.weightDecay))")
    }
    if let screened = outcome.screened {
        print("screened: the best \(screened.count) of \(p) features by their own dependence on the target")
    }
    print("selected \(core.count) of \(outcome.screened?.count ?? p) features (frequency >= \(pi) over \(runs.count) "
        + "runs of q = \(q)): \(core.map(String.init).joined(separator: " "))")
    if q >= outcome.screened?.count ?? p {
        print("  (q >= p: every run keeps every feature, so the frequencies cannot tell them apart here; "
            + "only a constant column is left out)")
    }
    if procedure.redundancy.enabled {
        print("their linear copies (R2 >= \(render(procedure.redundancy.minimumExplained))): \(copies.count)"
            + (copies.isEmpty ? "" : ": " + copies.map(String.init).joined(separator: " ")))
    }
    if procedure.heldOutCheck.enabled {
        print("held-out check: added \(added.count)" + (added.isEmpty ? "" : " (" + added.map(String.init).joined(separator: " ") + ")")
            + ", removed \(removed.count)" + (removed.isEmpty ? "" : " (" + removed.map(String.init).joined(separator: " ") + ")"))
    }
    print("kept \(kept.count) features for the final network")
    var line = "final \(final.members.count) x \(final.members[0].shape): train loss \(fmt(final.train.loss))"
    for (name, e) in [("train", final.train), ("test", final.test)] {
        guard let e else { continue }
        if let a = e.accuracy { line += "  \(name) accuracy \(fmt(a))" }
        if let a = e.auc { line += "  \(name) AUC \(fmt(a))" }
        if let r = e.r2 { line += "  \(name) R2 \(fmt(r))" }
        if name == "test", e.r2 != nil { line += "  test MSE \(fmt(e.loss))" }
    }
    print(line)
    print("selection \(fmt(selectionSeconds, 2)) s, in all \(fmt(seconds, 2)) s; written \(files.joined(separator: ", "))"
        + (model.saveModel.map { "; model written to \($0)" } ?? ""))
}
