// optima sweep: many random initialisations of one network, in parallel, resumable.
import Foundation
import Optima

private let sweepHeader = """
Usage: optima sweep [FLAGS]

Trains the same network from many random initialisations, one training per core, and
reports the spread of the minima found: training loss min / median / max, and the best
one's train and test AUC (or accuracy). Every finished training is appended to
RESULTS/sweep.jsonl, so a killed sweep resumes when the same command is run again; a
sweep with other flags keeps its own keys in the same file. Initialisation i uses the
seed printed in its record, so `optima train --seed S` re-runs it alone. --save-model
retrains the initialisation with the lowest training loss from its seed (the same
network, bit for bit: it checks the loss) and saves it for 'optima predict'.

Example (the peers' Task C):
  optima sweep --data xor --k 3 --p 3 --n 1000 --hidden 64 --epochs 200 --inits 100
"""

struct SweepFlags {
    var inits = 100
    /// The recipe's seed unless --sweep-seed says otherwise.
    var seed: UInt64
}

/// The results file inside the --results folder.
let sweepResultsFile = "sweep.jsonl"

private let sweepSection = FlagSection<SweepFlags>(title: "Sweep", flags: [
    .int("inits", "N", "random initialisations", \.inits, in: 1...10_000_000),
    // Not --seed: that seeds one training everywhere else, and here no training uses it as is.
    .seed("sweep-seed", "the sweep's seed; each initialisation's seed is derived from it", \.seed),
])

private let sweepRunnerSection = runnerSection(results: "the resumable results file is DIR/\(sweepResultsFile)")

private func sweepUsage(_ start: Recipe) -> [UsageSection] {
    [sweepSection.usage(SweepFlags(seed: start.seed)), sweepRunnerSection.usage(RunnerFlags())] + dataUsage() + trainingUsage(start, without: ["seed"])
        + [modelSection.usage(ModelFlags()), outputSection.usage(OutputFlags())]
}

func sweepCommand(_ args: [String]) throws {
    if args.contains(where: { $0 == "--seed" || $0.hasPrefix("--seed=") }) {
        throw UsageError("a sweep derives each initialisation's seed from --sweep-seed; --seed seeds a single training")
    }
    var a = try Arguments(args, sections: sweepUsage(.nsa), command: "sweep")
    let preset = try readRecipe(&a)
    if a.wantsHelp { print(commandHelp(sweepHeader, sweepUsage(preset))); return }
    let (spec, dataOptions) = try readDataFlags(&a)
    var recipe = try readTrainingFlags(&a, from: preset, without: ["seed"])
    var output = OutputFlags()
    try outputSection.read(&a, into: &output)
    var model = ModelFlags()
    try modelSection.read(&a, into: &model)
    var sweep = SweepFlags(seed: preset.seed)
    try sweepSection.read(&a, into: &sweep)
    var runner = RunnerFlags()
    try sweepRunnerSection.read(&a, into: &runner)
    try a.finish(command: "sweep")
    try a.noPositional()
    // The recipe carries the sweep's seed, as it always has: it is part of every record's
    // key, so results files written before keep resuming.
    recipe.seed = sweep.seed
    recipe.training.seed = sweep.seed
    let resultsPath = try sweepResultsPath(in: runner.results)

    let (train, test, transform) = try DataSource.loadTransformed(spec, options: dataOptions)
    let jobs = Sweep.jobs(recipe: recipe, train: train, test: test, initializations: sweep.inits,
                          configuration: "\(spec)|\(dataOptions)")
    let start = monotonicSeconds()
    let records = try ExperimentRunner.run(jobs, options: RunnerOptions(
        resultsPath: resultsPath, threads: runner.threadCount, shard: runner.shard, quiet: output.quiet, progressLabel: "sweep"))
    let seconds = monotonicSeconds() - start
    let summary = Sweep.Summary(records)
    if let path = model.saveModel {
        guard let best = summary.best, let seedText = best["seed"]?.string, let seed = UInt64(seedText),
              let loss = best["train_loss"]?.double else {
            throw UsageError("--save-model: no initialisation finished without diverging, so there is no model to save")
        }
        // The best initialisation again, from its seed: the same network as in the sweep.
        var r = recipe
        r.seed = seed
        r.training.seed = seed
        let network = r.makeNetwork(features: train.featureCount, task: train.task)
        let again = r.run(network: network, train: train, test: test)
        guard again.train.loss == loss || abs(again.train.loss - loss) <= 1e-9 * max(1, abs(loss)) else {
            throw UsageError("--save-model: initialisation \(best["init"]?.int ?? -1) retrained to training loss "
                + "\(again.train.loss), not the sweep's \(loss) (was the results file written by another build or kernel path?)")
        }
        try saveModel(to: path, network: network, train: train, transform: transform, data: spec, recipe: r,
                      command: "sweep", arguments: args)
    }
    if output.json {
        var o = summary.json
        if let path = model.saveModel { o["model"] = .string(path) }
        o["seconds"] = JSONValue(seconds)
        o["results"] = JSONValue(resultsPath)
        print(JSONValue.object(o).jsonText)
        return
    }
    print("\(summary.count) initialisations in \(fmt(seconds, 2)) s (\(resultsPath))")
    if let lo = summary.losses.first, let hi = summary.losses.last {
        print("train loss min \(fmt(lo))  median \(fmt(summary.losses[summary.losses.count / 2]))  max \(fmt(hi))")
    }
    if summary.diverged > 0 { print("\(summary.diverged) initialisations diverged (their weights became NaN or infinite)") }
    if let b = summary.best {
        var line = "best: init \(b["init"]?.int ?? -1) (seed \(b["seed"]?.string ?? "?"))"
        for (key, label) in [("train_auc", "train AUC"), ("test_auc", "test AUC"),
                             ("train_accuracy", "train acc"), ("test_accuracy", "test acc")] {
            if let v = b[key]?.double { line += "  \(label) \(fmt(v))" }
        }
        print(line)
    }
    if let path = model.saveModel { print("model of the best initialisation written to \(path)") }
}

/// DIR/sweep.jsonl. A path to a results file, as --results took before it named a folder
/// everywhere, is refused rather than turned into a folder of that name.
private func sweepResultsPath(in folder: String) throws -> String {
    var isFolder: ObjCBool = false
    if folder.hasSuffix(".jsonl")
        || FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && !isFolder.boolValue {
        throw UsageError("--results names a folder (the sweep writes DIR/\(sweepResultsFile)), not a file: '\(folder)'")
    }
    return (folder as NSString).appendingPathComponent(sweepResultsFile)
}
