// optima sweep: many random initialisations of one network, in parallel, resumable.
import Foundation
import Optima

let sweepHelp = """
Usage: optima sweep [FLAGS]

Trains the same network from many random initialisations, one training per core, and
reports the spread of the minima found: training loss min / median / max, and the best
one's train and test AUC (or accuracy). Every finished training is appended to the
results file, so a killed sweep resumes when the same command is run again; a sweep
with other flags keeps its own keys in the same file. Initialisation i uses the seed
printed in its record, so `optima train --seed S` re-runs it alone.

Example (the peers' Task C):
  optima sweep --data xor --k 3 --p 3 --n 1000 --hidden 64 --epochs 200 --inits 100

  Sweep:
    --inits N            random initialisations (default 100)
    --threads N          trainings at once (default: the number of cores)
    --shard i/N          only the i-th of N parts (i from 1); join the files with 'optima merge'
    --results FILE       the resumable results file (default results/sweep.jsonl)
    --seed S             the sweep's seed; each initialisation's seed is derived from it
\(dataFlagsHelp)
\(trainingFlagsHelp)
"""

func sweepCommand(_ args: [String]) throws {
    var a = try Arguments(args, booleans: outputSwitches)
    if a.flag("help") { print(sweepHelp); return }
    let (spec, dataOptions) = try readDataFlags(&a)
    let recipe = try readTrainingFlags(&a)
    let output = readOutputFlags(&a)
    let inits = try a.int("inits", default: 100, range: 1...10_000_000)
    let threads = try a.int("threads", default: ProcessInfo.processInfo.activeProcessorCount, range: 1...4096)
    let shard = try a.string("shard").map(ExperimentRunner.parseShard)
    let resultsPath = a.string("results") ?? "results/sweep.jsonl"
    try a.finish(command: "sweep")
    if !a.positional.isEmpty { throw UsageError("unexpected argument '\(a.positional[0])'") }

    let (train, test) = try DataSource.load(spec, options: dataOptions)
    let jobs = Sweep.jobs(recipe: recipe, train: train, test: test, initializations: inits,
                          configuration: "\(spec)|\(dataOptions)")
    let start = monotonicSeconds()
    let records = try ExperimentRunner.run(jobs, options: RunnerOptions(
        resultsPath: resultsPath, threads: threads, shard: shard, quiet: output.quiet, progressLabel: "sweep"))
    let seconds = monotonicSeconds() - start
    let summary = Sweep.Summary(records)
    if output.json {
        var o = summary.json
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
}
