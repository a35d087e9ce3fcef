// optima train: one network, trained and evaluated.
import Optima

private let trainHeader = """
Usage: optima train [FLAGS]

Trains one network on a data set and reports the final training loss, train and
test AUC (binary) or accuracy (multi-class) and the wall time.

Example (the reference workload):
  optima train --data xor --k 3 --p 15 --n 3000 --hidden 1024 --epochs 300 --batch 64 --lr 1e-3 --wd 1e-4 --seed 1
"""

private func trainUsage(_ start: Recipe) -> [UsageSection] {
    dataUsage() + trainingUsage(start)
        + [threadSection.usage(ThreadFlags()), traceSection.usage(OutputFlags()), modelSection.usage(ModelFlags()),
           outputSection.usage(OutputFlags())]
}

func trainCommand(_ args: [String]) throws {
    var a = try Arguments(args, sections: trainUsage(.nsa), command: "train")
    let preset = try readRecipe(&a)
    if a.wantsHelp { print(commandHelp(trainHeader, trainUsage(preset))); return }
    let (spec, dataOptions, recipe, output, model) = try readTrainingCommandFlags(&a, preset: preset)
    let tracePath = output.trace
    var threading = ThreadFlags()
    try threadSection.read(&a, into: &threading)
    try a.finish(command: "train")
    try a.noPositional()

    let (train, test, transform) = try DataSource.loadTransformed(spec, options: dataOptions)
    let progress = ProgressPrinter(test: test, epochs: recipe.training.epochs, enabled: !output.quiet)
    if !output.quiet {
        let o = recipe.training.optimizer
        printError("train \(train.name): \(train.count) train / \(test.count) test rows, \(train.featureCount) features; "
            + "network \(([train.featureCount] + recipe.hidden + [train.task.outputCount]).map(String.init).joined(separator: "-")) "
            + "(\(recipe.activation == .relu ? "relu" : "sigmoid")), \(o.kind.rawValue) lr \(o.learningRate) wd \(o.weightDecay), "
            + "batch \(recipe.training.batchSize), \(recipe.training.epochs) epochs, kernels \(Kernels.path.rawValue)"
            + (threading.threads > 1 ? ", \(threading.threads) threads" : ""))
    }
    let trace = tracePath.map { _ in PruningTrace(train: train, test: test) }
    let network = recipe.makeNetwork(features: train.featureCount, task: train.task)
    let outcome = recipe.run(network: network, train: train, test: test, observe: { t, e, s in
        trace?.record(t, e, s)
        progress.observe(t, e, s)
    }, threads: threading.threads)
    if let trace, let tracePath { try trace.write(to: tracePath) }
    try checkConverged(outcome)
    var extra: [String: JSONValue] = [:]
    if let path = model.saveModel {
        try saveModel(to: path, network: network, train: train, transform: transform, data: spec, recipe: recipe,
                      command: "train", arguments: args)
        extra["model"] = .string(path)
    }
    printOutcome(outcome, json: output.json, extra: extra)
    if let path = model.saveModel, !output.json { print("model written to \(path)") }
}

