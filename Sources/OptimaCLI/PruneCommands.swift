// optima nsa | fsa | cpna: train while pruning on an annealing schedule, report the
// kept nodes and features, optionally trace every epoch and retrain the sub-network.
import Optima

private let pruneCommonHelp = """
  Pruning, common:
    --reset-moments      surviving weights restart their Adam moments after each removal
                         (default: they keep them; removed weights always drop theirs)
    --trace FILE.csv     per-epoch trace: epoch, nodes, features, connections, train loss,
                         train AUC, test AUC, training seconds, train and test accuracy
    --retrain WHAT       afterwards retrain the found sub-network (same shape and mask):
                         fresh (new random init) | original (the run's initial weights) | both
    --retrain-seed S     initialisation seed of --retrain fresh (default --seed + 1)
"""

private let nodeScheduleHelp = """
    --keep-nodes h[,h2]  hidden nodes kept at the end, per hidden layer (default 128)
    --node-start E       epochs before nodes are removed (default epochs/4)
    --node-length N      the node schedule's window N1; h is reached at start + N/2
                         (default 3*epochs/4)
    --mu X               node schedule annealing rate (default 30)
    --warmup E           epochs before any normalisation or removal (default 0)
"""

let nsaHelp = """
Usage: optima nsa [FLAGS]

Node Selection with Annealing (Guo & Barbu, Alg. 1): after every epoch the hidden
nodes are normalised (w_j <- w_j/|w_j|, b_j <- b_j/|w_j|, beta_j <- |w_j| beta_j) and
the h_e nodes with the largest |beta_j| (several outputs: the L2 norm of the node's
outgoing weights) are kept; h_e = h + [(H-h) max(0, (N1-2e1)/(2 e1 mu + N1))] with
e1 = max(0, e - start). Removed nodes leave the matrices, so training speeds up.

Example:
  optima nsa --data xor --k 3 --p 15 --hidden 1024 --keep-nodes 128 --epochs 300 --trace nsa.csv

  Node selection:
\(nodeScheduleHelp)
\(pruneCommonHelp)
\(dataFlagsHelp)
\(trainingFlagsHelp)
"""

let fsaHelp = """
Usage: optima fsa [FLAGS]

Feature Selection with Annealing on top of NSA (Guo & Barbu, Alg. 2): NSA as in
'optima nsa', then the p_e features with the largest r_i (r_i^2 = sum_j w_ji^2 over the
surviving nodes) are kept; p_e = k + [(p-k) max(0, (N2-2e2)/(2 e2 mu + N2))] with
e2 = max(0, e - feature start). Removed features leave the data and the matrices.

Example (the paper's XOR run):
  optima fsa --data xor --k 3 --p 15 --n 3000 --hidden 1024 --keep-nodes 128 --keep-features 3 --epochs 300 --batch 64

  Node selection:
\(nodeScheduleHelp)
  Feature selection:
    --keep-features k    features kept at the end (default: --k with the XOR data, else required)
    --feature-start E    epochs before features are removed (default 0.6*epochs)
    --feature-length N   the feature schedule's window N2 (default 0.4*epochs)
    --feature-mu X       feature schedule annealing rate (default 30)
\(pruneCommonHelp)
\(dataFlagsHelp)
\(trainingFlagsHelp)
"""

let cpnaHelp = """
Usage: optima cpna [FLAGS]

Connection Pruning with Normalization and Annealing (CPNA, Alg. 1 of "Finding deep
local optima using network pruning"): dense pre-training, then after every epoch the
nodes are normalised layer by layer and each pruned layer keeps its M_e connections of
largest |w|, M_e = m + [(M-m) max(0, (R-2e)/(2 e mu + R))] counted from the start of
that layer's pruning (M: its connections then, m: the target, R: the window). A removed
connection never comes back. Nodes without outgoing (or incoming) connections and
features without connections are removed from the matrices; the outputs do not change.

Example (prune the output connections, then the input connections):
  optima cpna --data xor --k 3 --p 15 --hidden 1024 --layers all --target-hidden 12 --target-input 36

  Connection pruning:
    --cpa                CPA: the same without normalisation
    --layers L           hidden (hidden->output) | input (input->hidden) | all (default all)
    --order O            with --layers all: hidden-first | input-first | together
                         (default hidden-first, as in the paper)
    --pretrain E         dense epochs before pruning (default epochs/4)
    --target-hidden M    connections left in each hidden->output layer (default 12)
    --target-input M     connections left in the input->hidden layer (default 36: 3 per
                         node; the paper's 24 leaves too few for 3-D XOR)
    --hidden-start E --hidden-length N   the hidden layers' schedule (default: after
                         pre-training, all remaining epochs R, or the first half of R when
                         pruned first, the second half when pruned second)
    --input-start E --input-length N     the input layer's schedule (same defaults)
    --mu X               annealing rate (default 30)
    --nodes              the node-level variant: remove whole nodes on the M_e schedule
                         (keeps --keep-nodes h, default 128, per hidden layer)
\(pruneCommonHelp)
\(dataFlagsHelp)
\(trainingFlagsHelp)
"""

private enum PruneKind { case nsa, fsa, cpna }

func nsaCommand(_ args: [String]) throws { try pruneCommand(args, kind: .nsa) }
func fsaCommand(_ args: [String]) throws { try pruneCommand(args, kind: .fsa) }
func cpnaCommand(_ args: [String]) throws { try pruneCommand(args, kind: .cpna) }

/// The pruning step and a one-line description, built from the flags once the network exists.
private typealias MakeStep = (Network, InitialWeights) throws -> (step: (Trainer, Int) -> Void, summary: String)

private func pruneCommand(_ args: [String], kind: PruneKind) throws {
    let name = kind == .nsa ? "nsa" : kind == .fsa ? "fsa" : "cpna"
    var a = try Arguments(args, booleans: outputSwitches.union(["reset-moments", "cpa", "nodes"]))
    if a.flag("help") { print(kind == .nsa ? nsaHelp : kind == .fsa ? fsaHelp : cpnaHelp); return }
    let (spec, dataOptions) = try readDataFlags(&a)
    let recipe = try readTrainingFlags(&a)
    let output = readOutputFlags(&a)
    let tracePath = a.string("trace")
    let retrain = try a.choice("retrain", default: "none", from: ["none", "fresh", "original", "both"])
    let retrainSeed = UInt64(try a.int("retrain-seed", default: Int(recipe.seed) &+ 1, range: 0...Int.max))
    let keepMoments = !a.flag("reset-moments")
    let epochs = recipe.training.epochs
    let makeStep: MakeStep
    switch kind {
    case .nsa, .fsa:
        var s = try readNodeSchedule(&a, epochs: epochs)
        s.keepMoments = keepMoments
        if kind == .fsa {
            let isXOR = spec.lowercased() == "xor"
            guard let k = try optionalInt(&a, "keep-features") ?? (isXOR ? dataOptions.xorK : nil) else {
                throw UsageError("--keep-features k is required for this data")
            }
            s.featureTarget = k
            s.featureStart = try optionalDouble(&a, "feature-start")
            s.featureLength = try optionalDouble(&a, "feature-length", positive: true)
            s.featureMu = try a.double("feature-mu", default: 30, range: 0...1e9)
        }
        makeStep = { net, initial in
            let nsa = try NodeSelection(s, network: net, epochs: epochs, initialWeights: initial)
            return (nsa.callAsFunction, describe(nsa))
        }
    case .cpna:
        let cpa = a.flag("cpa")
        var c = ConnectionPruningSettings()
        c.normalize = !cpa
        c.keepMoments = keepMoments
        c.pretrainEpochs = try optionalInt(&a, "pretrain", range: 0...(epochs - 1))
        c.mu = try a.double("mu", default: 30, range: 0...1e9)
        if a.flag("nodes") {
            let targets = try a.intList("keep-nodes", default: [128], range: 1...1_000_000)
            var s = NodeSelectionSettings.cpnaNodes(targets: targets, pretrain: c.pretrain(epochs: epochs),
                                                    epochs: epochs, mu: c.mu, normalize: !cpa)
            s.keepMoments = keepMoments
            makeStep = { net, initial in
                let nodes = try NodeSelection(s, network: net, epochs: epochs, initialWeights: initial)
                return (nodes.callAsFunction, "\(cpa ? "CPA" : "CPNA") node-level, " + describe(nodes))
            }
        } else {
            c.layers = PrunedLayers(rawValue: try a.choice("layers", default: "all", from: PrunedLayers.allCases.map(\.rawValue)))!
            c.order = PruningOrder(rawValue: try a.choice("order", default: "hidden-first", from: PruningOrder.allCases.map(\.rawValue)))!
            c.hiddenTarget = try a.int("target-hidden", default: 12, range: 1...Int.max)
            c.inputTarget = try a.int("target-input", default: 36, range: 1...Int.max)
            c.hiddenStart = try optionalDouble(&a, "hidden-start")
            c.hiddenLength = try optionalDouble(&a, "hidden-length", positive: true)
            c.inputStart = try optionalDouble(&a, "input-start")
            c.inputLength = try optionalDouble(&a, "input-length", positive: true)
            makeStep = { [c] net, initial in
                let cp = try ConnectionPruning(c, network: net, epochs: epochs, initialWeights: initial)
                return (cp.callAsFunction, describe(cp, cpa: cpa))
            }
        }
    }
    try a.finish(command: name)
    if !a.positional.isEmpty { throw UsageError("unexpected argument '\(a.positional[0])'") }

    let (train, test) = try DataSource.load(spec, options: dataOptions)
    let network = recipe.makeNetwork(features: train.featureCount, task: train.task)
    let initial = InitialWeights(of: network)
    let (step, summary) = try makeStep(network, initial)
    if !output.quiet {
        let o = recipe.training.optimizer
        printError("\(name) \(train.name): \(train.count) train / \(test.count) test rows, \(train.featureCount) features; "
            + "network \(network.shape), \(o.kind.rawValue) lr \(o.learningRate) wd \(o.weightDecay), "
            + "batch \(recipe.training.batchSize), \(epochs) epochs, kernels \(Kernels.path.rawValue)")
        printError(summary)
    }
    let progress = ProgressPrinter(test: test, epochs: epochs, enabled: !output.quiet)
    let trace = tracePath.map { _ in PruningTrace(train: train, test: test) }
    let outcome = recipe.run(network: network, train: train, test: test, afterEpoch: step) { t, e, s in
        trace?.record(t, e, s)
        progress.observe(t, e, s)
    }
    if let trace, let tracePath { try trace.write(to: tracePath) }
    try checkConverged(outcome)

    var extra: [String: JSONValue] = [
        "algorithm": JSONValue(summary),
        "kept_features": JSONValue(network.featureIndices),
        "kept_nodes": .array(network.nodeIndices.map { JSONValue($0) }),
        "hidden_nodes": JSONValue(network.shape.hiddenSizes),
        "feature_count": JSONValue(network.shape.inputCount),
        "connections": JSONValue(network.connectionCount),
    ]
    var retrained: [(String, Outcome)] = []
    for (label, start) in [("fresh", RetrainingStart.fresh(seed: retrainSeed)), ("original", .original)]
    where retrain == label || retrain == "both" {
        if !output.quiet { printError("retraining the sub-network from the \(label) initialisation") }
        let o = recipe.retrain(network, from: start, initialWeights: initial, train: train, test: test)
        try checkConverged(o)
        retrained.append((label, o))
        extra["retrain_\(label)"] = .object(o.json)
    }
    printOutcome(outcome, json: output.json, extra: extra)
    if !output.json {
        print("kept features (original numbering): \(network.featureIndices.map(String.init).joined(separator: " "))")
        for (l, nodes) in network.nodeIndices.enumerated() {
            print("kept nodes, hidden layer \(l + 1) (\(nodes.count)): \(nodes.map(String.init).joined(separator: " "))")
        }
        print("connections \(network.connectionCount)")
        for (label, o) in retrained {
            var line = "retrained from the \(label) initialisation: train loss \(fmt(o.train.loss))"
            if let auc = o.test?.auc { line += "  test AUC \(fmt(auc))" }
            else if let acc = o.test?.accuracy { line += "  test accuracy \(fmt(acc))" }
            print(line)
        }
        if let tracePath { print("trace written to \(tracePath)") }
    }
}

private func readNodeSchedule(_ a: inout Arguments, epochs: Int) throws -> NodeSelectionSettings {
    var s = NodeSelectionSettings()
    s.nodeTargets = try a.intList("keep-nodes", default: [128], range: 1...1_000_000)
    s.nodeStart = try optionalDouble(&a, "node-start")
    s.nodeLength = try optionalDouble(&a, "node-length", positive: true)
    s.nodeMu = try a.double("mu", default: 30, range: 0...1e9)
    s.warmupEpochs = try a.int("warmup", default: 0, range: 0...Int.max)
    return s
}

private func optionalInt(_ a: inout Arguments, _ name: String, range: ClosedRange<Int> = 0...Int.max) throws -> Int? {
    a.string(name) == nil ? nil : try a.int(name, default: 0, range: range)
}

private func optionalDouble(_ a: inout Arguments, _ name: String, positive: Bool = false) throws -> Double? {
    guard a.string(name) != nil else { return nil }
    let v = try a.double(name, default: 0, range: 0...1e12)
    if positive && v <= 0 { throw UsageError("--\(name) must be above 0") }
    return v
}

private func describe(_ s: NodeSelection) -> String {
    var parts = s.nodeSchedules.map { "nodes \($0.initial)->\($0.target) from epoch \(fmt($0.start, 1)) (mu \(fmt($0.mu, 1)))" }
    if let f = s.featureSchedule {
        parts.append("features \(f.initial)->\(f.target) from epoch \(fmt(f.start, 1)) (mu \(fmt(f.mu, 1)))")
    }
    return parts.joined(separator: ", ")
}

private func describe(_ c: ConnectionPruning, cpa: Bool) -> String {
    let s = c.settings
    let w = s.windows(epochs: c.epochs)
    var parts = ["\(cpa ? "CPA" : "CPNA") after \(s.pretrain(epochs: c.epochs)) dense epochs"]
    if s.layers != .input {
        parts.append("hidden->output to \(s.hiddenTarget) connections over epochs \(fmt(w.hidden.0, 1))+\(fmt(w.hidden.1, 1))")
    }
    if s.layers != .hidden {
        parts.append("input->hidden to \(s.inputTarget) connections over epochs \(fmt(w.input.0, 1))+\(fmt(w.input.1, 1))")
    }
    return parts.joined(separator: ", ")
}
