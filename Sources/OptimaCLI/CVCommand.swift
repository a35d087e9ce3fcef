// optima cv: a cross-validated grid search. Any network, training or pruning flag given a
// comma-separated list is an axis of the grid; every setting is then read through the
// same flag tables as 'optima train', 'nsa', 'fsa' and 'cpna', one value at a time.
import Foundation
import Optima

private let cvHeader = """
Usage: optima cv [FLAGS]

Cross-validated grid search: which setting generalises best. Every network, training
or pruning flag may take a comma-separated list of values; each list is an axis of the
grid, and every combination is trained on the folds of a stratified k-fold split,
repeated with seeds derived from --split-seed, and scored on the held-out fold: AUC for
binary data (its accuracy is reported beside it), accuracy for several classes
(regression: the loss, lower is better). The scaling is fitted on each training fold
alone. Reports the mean and sd (over all folds of all repeats) for every setting and the
best one.

The folds are drawn from the training part: the rows left after the --test-fraction
split (the test part is never looked at), the set's own training rows (xor, mnist), or
every row of --data when --test-data is given. Flags whose value is itself a list
(--hidden, --keep-nodes) write one value's layers with 'x': --hidden 64x32,128.
Every training seed derives from --seed, the repeat and the fold, so all settings meet
the same folds and the same initialisation seeds.

Writes RESULTS/cv.jsonl (one line per training; a killed run resumes when the same
command runs again), and RESULTS/cv.csv, cv.json and cv.svg (the grid, mean ± sd).
--save-model trains the best setting once more on all the training rows (seeded by
--seed, as 'optima train' would), tests it on the test part, and saves it.

Examples:
  optima cv --data car --hidden 16,32,64,128,256,512 --wd 1e-4,1e-3,1e-2,1e-1 --batch 16,32,64 --folds 5 --repeats 10
  optima cv --method fsa --data mydata.csv --hidden 256 --keep-features 5,10,20 --keep-nodes 8,16,32
"""

enum CVMethod: String, CaseIterable {
    case plain, nsa, fsa, cpna

    var pruning: PruneKind? { PruneKind(rawValue: rawValue) }
}

struct CVFlags {
    var method = CVMethod.plain
    var folds = 5
    var repeats = 1
}

private let cvSection = FlagSection<CVFlags>(title: "Cross-validation", flags: [
    .choice("method", "train plainly, or prune with that command's flags (shown with --method M --help)", \.method),
    .int("folds", "K", "folds of the stratified split (at least 2)", \.folds, in: 0...100_000),
    .int("repeats", "R", "repeats of the split, each with its own seed", \.repeats, in: 0...100_000),
])

/// The results files inside the --results folder.
let cvResultsFile = "cv.jsonl"

private let cvRunnerSection = runnerSection(results: "the resumable file DIR/\(cvResultsFile), and cv.csv, cv.json, cv.svg")

/// The pruning sections cv takes: a run is scored as it ends, so retraining is not one of them.
private func cvPruneSections(_ m: CVMethod) -> [FlagSection<PruneFlags>] {
    (m.pruning.map(pruneSections) ?? []).map { $0.excluding(["retrain", "retrain-seed"]) }
}

private func cvUsage(_ m: CVMethod, _ start: Recipe, spec: String = DataFlags().spec) -> [UsageSection] {
    var runner = RunnerFlags()
    runner.results = defaultResultsFolder("cv", spec: spec)
    return [cvSection.usage(CVFlags()), cvRunnerSection.usage(runner)] + cvPruneSections(m).map { $0.usage(PruneFlags()) }
        + dataUsage() + trainingUsage(start) + [modelSection.usage(ModelFlags()), outputSection.usage(OutputFlags())]
}

/// Every section any method takes, so that the parser knows every flag before --method is read.
private func cvParserSections() -> [UsageSection] {
    CVMethod.allCases.flatMap { cvUsage($0, .nsa) }
}

/// One setting of the grid, read through the flag tables.
private struct CVSetting: Sendable {
    var recipe: Recipe
    var step: MakeStep?
    /// Names everything its trainings depend on, for the results' keys.
    var configuration: String
}

func cvCommand(_ args: [String]) throws {
    var a = try Arguments(args, sections: cvParserSections(), command: "cv")
    var cv = CVFlags()
    try cvSection.read(&a, into: &cv)
    let preset = try readRecipe(&a)
    if a.wantsHelp {
        print(commandHelp(cvHeader, cvUsage(cv.method, preset)))
        return
    }
    let (spec, dataOptions) = try readDataFlags(&a)
    var output = OutputFlags()
    try outputSection.read(&a, into: &output)
    var runner = RunnerFlags()
    runner.results = defaultResultsFolder("cv", spec: spec)
    try cvRunnerSection.read(&a, into: &runner)
    var model = ModelFlags()
    try modelSection.read(&a, into: &model)
    if cv.folds < 2 { throw UsageError("--folds: \(cv.folds) fold(s); cross-validation needs at least 2") }
    if cv.repeats < 1 { throw UsageError("--repeats: \(cv.repeats); at least 1 repeat is needed") }

    // The axes: every grid flag given a list. A list flag's own value writes its commas as 'x'.
    let pruning = cvPruneSections(cv.method)
    let gridFlags = networkSection.gridFlags + trainingSection.gridFlags + pruning.flatMap(\.gridFlags)
    var axes: [GridAxis] = []
    var base = a
    for (name, isList) in gridFlags {
        guard let given = a.peek(name) else { continue }
        let values = given.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        if values.count > 1, values.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw UsageError("--\(name): '\(given)' has an empty value in its list")
        }
        let own = values.map { isList ? $0.replacingOccurrences(of: "x", with: ",") : $0 }
        if own.count > 1 {
            if Set(own).count < own.count { throw UsageError("--\(name): '\(given)' names a value twice") }
            axes.append(GridAxis(name: name, values: values))
        } else {
            base = base.replacing(name, with: own[0])
        }
    }
    let grid = CrossValidation.expand(axes)

    // Each setting read as its own command line would be, so every value is checked as there.
    var settings: [CVSetting] = []
    var last = base
    for point in grid {
        var s = base
        for (name, value) in point.values {
            let isList = gridFlags.first { $0.name == name }!.isList
            s = s.replacing(name, with: isList ? value.replacingOccurrences(of: "x", with: ",") : value)
        }
        let recipe = try readTrainingFlags(&s, from: preset)
        var p = PruneFlags()
        for section in pruning { try section.read(&s, into: &p) }
        let step = try cv.method.pruning.map {
            try pruningStep($0, p, epochs: recipe.training.epochs, spec: spec, dataOptions: dataOptions, given: s)
        }
        settings.append(CVSetting(recipe: recipe, step: step, configuration:
            "\(spec)|\(dataOptions)|folds=\(cv.folds)|method=\(cv.method.rawValue)|\(recipe)|\(cv.method == .plain ? "" : "\(p)")"))
        last = s
    }
    for m in CVMethod.allCases where m != cv.method {
        let mine = Set(pruning.flatMap { $0.flags.map(\.name) })
        if let f = cvPruneSections(m).flatMap({ $0.flags.map(\.name) }).first(where: { !mine.contains($0) && a.given($0) }) {
            throw UsageError("--\(f) is a flag of --method \(m.rawValue), not of --method \(cv.method.rawValue)")
        }
    }
    try last.finish(command: "cv")
    try last.noPositional()

    let (whole, _, scaling) = try DataSource.loadUnscaled(spec, options: dataOptions)
    let splits: [FoldSplit]
    do {
        splits = try Folds.splits(whole, folds: cv.folds, repeats: cv.repeats, seed: dataOptions.seed)
    } catch let e as SettingsError {
        throw UsageError("--folds \(cv.folds): \(e.message)")
    }
    // A pruning target the data cannot meet (more features than it has) fails here, not in a job.
    for s in settings {
        let net = s.recipe.makeNetwork(features: whole.featureCount, task: whole.task)
        _ = try s.step?(net, InitialWeights(of: net))
    }
    let metric = CrossValidation.Metric(whole.task)
    if !output.quiet {
        printError("cv \(whole.name): \(cv.folds) folds x \(cv.repeats) repeat(s) of \(whole.count) training rows, "
            + "\(whole.featureCount) features; \(grid.count) setting(s) x \(splits.count) folds = \(grid.count * splits.count) "
            + "trainings (\(cv.method.rawValue)); scored by validation \(metric.rawValue); kernels \(Kernels.path.rawValue)")
    }
    let frozen = settings
    let jobs = CrossValidation.jobs(settings: grid, configuration: { frozen[$0].configuration }, data: whole, splits: splits,
                                    scaling: scaling, inputScale: dataOptions.inputScale) { i, train, validation, split in
        var r = frozen[i].recipe
        r.seed = CrossValidation.trainingSeed(split, base: r.seed)
        r.training.seed = r.seed
        let network = r.makeNetwork(features: train.featureCount, task: train.task)
        let step = try frozen[i].step?(network, InitialWeights(of: network)).step
        return r.run(network: network, train: train, test: validation, afterEpoch: step)
    }

    let folder = runner.results
    let path = (folder as NSString).appendingPathComponent(cvResultsFile)
    let start = monotonicSeconds()
    let records = try ExperimentRunner.run(jobs, options: RunnerOptions(
        resultsPath: path, threads: runner.threadCount, shard: runner.shard, quiet: output.quiet, progressLabel: "cv trainings"))
    let seconds = monotonicSeconds() - start

    if let shard = runner.shard {
        let text = "shard \(shard.index + 1)/\(shard.count): \(records.count) trainings in \(path); join the shards with "
            + "'optima merge' and run again without --shard for the summary"
        if output.json {
            print(JSONValue.object(["shard": .string("\(shard.index + 1)/\(shard.count)"), "trainings": JSONValue(records.count),
                                    "results": .string(path), "seconds": JSONValue(seconds)]).jsonText)
        } else {
            print(text)
        }
        return
    }

    let summary = CrossValidation.summarize(records, settings: grid, metric: metric)
    let files = ["csv", "json", "svg"].map { (folder as NSString).appendingPathComponent("cv." + $0) }
    var json = summary.json
    json["data"] = .string(whole.name)
    json["method"] = .string(cv.method.rawValue)
    json["folds"] = JSONValue(cv.folds)
    json["repeats"] = JSONValue(cv.repeats)
    json["rows"] = JSONValue(whole.count)
    json["axes"] = .array(axes.map { .object(["flag": .string($0.name), "values": .array($0.values.map { .string($0) })]) })
    try summary.csv.write(to: files[0])
    try writeFileAtomically(JSONValue.object(json).jsonText + "\n", to: files[1])
    try CrossValidation.plot(summary, title: "cv \(whole.name): \(cv.folds)-fold x \(cv.repeats), \(cv.method.rawValue)")
        .write(to: files[2])
    // The best setting refitted on every training row, as 'optima train' would train it.
    var refit: (outcome: Outcome, rows: Int)?
    if let modelPath = model.saveModel {
        guard let b = summary.best else {
            throw UsageError("--save-model: no setting trained without diverging on every fold, so there is no model to save")
        }
        precondition(summary.rows[b].setting == grid[b], "the summary's rows follow the grid")
        let (train, test, transform) = try DataSource.loadTransformed(spec, options: dataOptions)
        let best = frozen[b]
        let network = best.recipe.makeNetwork(features: train.featureCount, task: train.task)
        let step = try best.step?(network, InitialWeights(of: network)).step
        let outcome = best.recipe.run(network: network, train: train, test: test, afterEpoch: step)
        try checkConverged(outcome)
        try saveModel(to: modelPath, network: network, train: train, transform: transform, data: spec,
                      recipe: best.recipe, command: "cv", arguments: args,
                      pruning: ["method": .string(cv.method.rawValue), "setting": .string(summary.rows[b].setting.label)])
        refit = (outcome, train.count)
        json["model"] = .string(modelPath)
        if let t = outcome.test {
            json["refit_test_\(metric.rawValue)"] = JSONValue(metric == .auc ? t.auc ?? .nan : metric == .accuracy
                ? t.accuracy ?? .nan : t.loss)
            if metric == .auc, let a = t.accuracy { json["refit_test_accuracy"] = JSONValue(a) }
        }
    }
    json["seconds"] = JSONValue(seconds)
    json["results"] = .string(path)
    json["files"] = .array(files.map { .string($0) })
    if output.json {
        print(JSONValue.object(json).jsonText)
        return
    }
    let width = max(7, summary.rows.map { $0.setting.label.count }.max() ?? 0)
    let accuracyHeader = metric == .auc ? "  accuracy  sd    " : ""
    print("setting".padding(toLength: width, withPad: " ", startingAt: 0) + "  mean \(metric.rawValue)  sd    "
        + accuracyHeader + "  folds")
    for (i, r) in summary.rows.enumerated() {
        var line = r.setting.label.padding(toLength: width, withPad: " ", startingAt: 0)
            + "  \(fmt(r.mean).padding(toLength: 6 + metric.rawValue.count, withPad: " ", startingAt: 0))"
            + "  \(fmt(r.sd))"
            + (r.accuracy.map { "  \(fmt($0.mean).padding(toLength: 8, withPad: " ", startingAt: 0))  \(fmt($0.sd))" } ?? "")
            + "  \(r.scored)"
        if r.diverged > 0 { line += " (\(r.diverged) diverged)" }
        if i == summary.best { line += "  <- best" }
        print(line)
    }
    if let b = summary.best {
        let r = summary.rows[b]
        print("best: \(r.setting.label), validation \(metric.rawValue) \(fmt(r.mean)) ± \(fmt(r.sd))"
            + (r.accuracy.map { ", accuracy \(fmt($0.mean)) ± \(fmt($0.sd))" } ?? ""))
    } else {
        print("no setting trained without diverging on every fold")
    }
    print("\(records.count) trainings in \(fmt(seconds, 2)) s; written \(files.joined(separator: ", ")) (\(path))")
    if let refit, let modelPath = model.saveModel {
        var line = "the best setting refitted on all \(refit.rows) training rows"
        if let t = refit.outcome.test {
            if let a = t.accuracy { line += ": test accuracy \(fmt(a))" }
            if let a = t.auc { line += ", test AUC \(fmt(a))" }
        }
        print(line + "; model written to \(modelPath)")
    }
}
