// optima nsa | fsa | cpna: train while pruning on an annealing schedule, report the
// kept nodes and features, optionally trace every epoch and retrain the sub-network.
import Optima

/// What the pruning flags set: the library's settings for both algorithms (their defaults
/// are the flags' defaults) and what happens after the run.
struct PruneFlags {
    var nodes = NodeSelectionSettings()
    var connections = ConnectionPruningSettings()
    /// cpna --nodes: remove whole nodes on the M_e schedule.
    var nodeLevel = false
    var retrain = Retrain.none
    /// nil: the run's --seed + 1.
    var retrainSeed: UInt64?
    /// Where --differential-trace writes the record for the independent reference.
    var differentialTrace: String?
}

enum Retrain: String, CaseIterable {
    case none, fresh, original, both
}

// The words: "hidden" is only ever the layer sizes (--hidden); what is kept at the end is
// --keep-nodes, --keep-features and --keep-{input,output}-connections; "input" and "output"
// name the two groups of connections, and each group's schedule is --{input,output}-{start,length}.

private let keepNodes = Flag<PruneFlags>.intList("keep-nodes", "h[,h2]", "hidden nodes kept at the end, per hidden layer",
                                                 \.nodes.nodeTargets, in: 1...1_000_000)

private let nodeSection = FlagSection<PruneFlags>(title: "Node selection", flags: [
    keepNodes,
    .double("node-start", "E", "epochs before nodes are removed", \.nodes.nodeStart, otherwise: "epochs/4"),
    .double("node-length", "N", "the node schedule's window N1; h is reached at start + N/2",
            \.nodes.nodeLength, otherwise: "3*epochs/4", positive: true),
    .double("mu", "X", "annealing rate μ of the node schedule h_e", \.nodes.nodeMu, in: 0...1e9),
    .int("warmup", "E", "epochs before any normalisation or removal", \.nodes.warmupEpochs, in: 0...Int.max),
])

private let featureSection = FlagSection<PruneFlags>(title: "Feature selection", flags: [
    .int("keep-features", "k", "features kept at the end", \.nodes.featureTarget, in: 0...Int.max,
         otherwise: "--k with the XOR data, else required"),
    .double("feature-start", "E", "epochs before features are removed", \.nodes.featureStart, otherwise: "0.6*epochs"),
    .double("feature-length", "N", "the feature schedule's window N2", \.nodes.featureLength,
            otherwise: "0.4*epochs", positive: true),
    .double("feature-mu", "X", "annealing rate μ of the feature schedule p_e", \.nodes.featureMu, in: 0...1e9),
    .choice("feature-ranking", "rank features by Eq. 4's group norm r_i over the surviving nodes (the paper's), or by "
            + "the path norm: r_i with each node's weights scaled by its outgoing norm, so nodes that hardly reach the "
            + "output do not count", \.nodes.featureRanking),
])

private let cpnaSection = FlagSection<PruneFlags>(title: "Connection pruning", flags: [
    Flag("cpa", value: nil, help: "CPA: the same without normalisation") { p, _ in
        p.connections.normalize = false
    },
    .int("pretrain", "E", "dense epochs before pruning", \.connections.pretrainEpochs, in: 0...Int.max, otherwise: "epochs/4"),
    .double("mu", "X", "annealing rate μ of M_e (with --nodes, of the node count)", \.connections.mu, in: 0...1e9),
    .choice("clock", "what e of M_e counts: prune after every epoch, or after every Adam step as Alg. 1 "
            + "writes it (the windows stay in epochs; with --nodes the default is epoch)", \.connections.clock),
])

/// The flags that say which connections go; the node-level variant has none of them.
private let connectionSection = FlagSection<PruneFlags>(title: "Connections (not with --nodes)", flags: [
    .choice("layers", "which connections are pruned: input (input->hidden), output (out of the hidden nodes: "
            + "hidden->output, and in a deeper network every layer after the first), or both",
            \.connections.layers, [("input", .input), ("output", .output), ("all", .all)], aliases: ["hidden": .output]),
    .choice("order", "with --layers all: output-first and input-first prune one group over the first half of the "
            + "R epochs after pre-training and the other over the second half; together gives both all R "
            + "(output-first is the paper's)", \.connections.order,
            [("output-first", .outputFirst), ("input-first", .inputFirst), ("together", .together)],
            aliases: ["hidden-first": .outputFirst]),
    .int("keep-output-connections", "M", "connections left in each layer of the output group",
         \.connections.outputTarget, in: 1...Int.max, aliases: ["target-hidden"]),
    .int("keep-input-connections", "M", "connections left in the input->hidden layer (the paper's 3-D XOR "
         + "value)", \.connections.inputTarget, in: 1...Int.max, aliases: ["target-input"]),
    .double("output-start", "E", "start of the output group's schedule", \.connections.outputStart,
            otherwise: "from --pretrain and --order", aliases: ["hidden-start"]),
    .double("output-length", "N", "window of the output group's schedule", \.connections.outputLength,
            otherwise: "from --pretrain and --order", positive: true, aliases: ["hidden-length"]),
    .double("input-start", "E", "start of the input layer's schedule", \.connections.inputStart,
            otherwise: "from --pretrain and --order"),
    .double("input-length", "N", "window of the input layer's schedule", \.connections.inputLength,
            otherwise: "from --pretrain and --order", positive: true),
    .choice("input-ranking", "input->hidden connections kept by |w| over the whole layer (Alg. 1's), by an even "
            + "share of M_e per hidden node, or by |w_ij| times node j's outgoing norm (after normalisation |w| "
            + "spreads the cuts evenly: 24 connections end as 12 nodes x 2 inputs, too few for 3-D XOR)",
            \.connections.inputRanking),
])

private let nodeLevelSection = FlagSection<PruneFlags>(title: "Node-level variant", flags: [
    .toggle("nodes", "remove whole nodes on the M_e schedule instead of connections", \.nodeLevel),
    keepNodes,
])

private let pruneCommonSection = FlagSection<PruneFlags>(title: "Pruning, common", flags: [
    Flag("reset-moments", value: nil, help: "surviving weights restart their Adam moments after each removal "
         + "(default: they keep them; removed weights always drop theirs)") { p, _ in
        p.nodes.keepMoments = false
        p.connections.keepMoments = false
    },
    .choice("retrain", "afterwards retrain the found sub-network (same shape and mask) from a fresh random "
            + "initialisation, from the run's initial weights, or both", \.retrain),
    Flag("retrain-seed", value: "S", help: "initialisation seed of --retrain fresh", shown: { _ in "--seed + 1" }) {
        $0.retrainSeed = UInt64(try parseInt("retrain-seed", $1, in: 0...Int.max))
    },
])

// For the differential test (docs/reference.md): everything the PyTorch reference in
// Benchmarks/peers needs to retrace this run, and what it compares.
private let differentialSection = FlagSection<PruneFlags>(title: "Differential test", flags: [
    .text("differential-trace", "FILE.json", "write the training data, the initial weights, the settings, every "
          + "epoch's batch order, and after every epoch the training loss and the kept features, nodes and "
          + "connections, for Benchmarks/peers/reference_check.py (docs/reference.md)", \.differentialTrace),
])

private let nsaHeader = """
Usage: optima nsa [FLAGS]

Node Selection with Annealing (Guo & Barbu, Alg. 1): after every epoch the hidden
nodes are normalised (w_j <- w_j/|w_j|, b_j <- b_j/|w_j|, beta_j <- |w_j| beta_j) and
the h_e nodes with the largest |beta_j| (several outputs: the L2 norm of the node's
outgoing weights) are kept; h_e = h + [(H-h) max(0, (N1-2e1)/(2 e1 mu + N1))] with
e1 = max(0, e - start). Removed nodes leave the matrices, so training speeds up.

Example:
  optima nsa --data xor --k 3 --p 15 --hidden 1024 --keep-nodes 128 --epochs 300 --trace nsa.csv
"""

private let fsaHeader = """
Usage: optima fsa [FLAGS]

Feature Selection with Annealing on top of NSA (Guo & Barbu, Alg. 2): NSA as in
'optima nsa', then the p_e features with the largest r_i (r_i^2 = sum_j w_ji^2 over the
surviving nodes) are kept; p_e = k + [(p-k) max(0, (N2-2e2)/(2 e2 mu + N2))] with
e2 = max(0, e - feature start). Removed features leave the data and the matrices.

Example (the paper's XOR run):
  optima fsa --data xor --k 3 --p 15 --n 3000 --hidden 1024 --keep-nodes 128 --keep-features 3 --epochs 300 --batch 64
"""

private let cpnaHeader = """
Usage: optima cpna [FLAGS]

Connection Pruning with Normalization and Annealing (CPNA, Alg. 1 of "Finding deep
local optima using network pruning"): dense pre-training, then after every epoch the
nodes are normalised layer by layer and each pruned layer keeps its M_e connections of
largest |w|, M_e = m + [(M-m) max(0, (R-2e)/(2 e mu + R))] counted from the start of
that layer's pruning (M: its connections then, m: the target, R: the window). A removed
connection never comes back. Nodes without outgoing (or incoming) connections and
features without connections are removed from the matrices; the outputs do not change.

Example (prune the output connections, then the input connections):
  optima cpna --data xor --k 3 --p 15 --hidden 1024 --layers all --keep-output-connections 12 --keep-input-connections 36
"""

enum PruneKind: String, CaseIterable { case nsa, fsa, cpna }

func nsaCommand(_ args: [String]) throws { try pruneCommand(args, kind: .nsa) }
func fsaCommand(_ args: [String]) throws { try pruneCommand(args, kind: .fsa) }
func cpnaCommand(_ args: [String]) throws { try pruneCommand(args, kind: .cpna) }

func pruneSections(_ kind: PruneKind) -> [FlagSection<PruneFlags>] {
    switch kind {
    case .nsa: return [nodeSection, pruneCommonSection]
    case .fsa: return [nodeSection, featureSection, pruneCommonSection]
    case .cpna: return [cpnaSection, connectionSection, nodeLevelSection, pruneCommonSection]
    }
}

private func pruneUsage(_ kind: PruneKind, _ start: Recipe) -> [UsageSection] {
    (pruneSections(kind) + [differentialSection]).map { $0.usage(PruneFlags()) } + dataUsage() + trainingUsage(start)
        + [threadSection.usage(ThreadFlags()), traceSection.usage(OutputFlags()), modelSection.usage(ModelFlags()),
           outputSection.usage(OutputFlags())]
}

/// The pruning step and a one-line description, built from the flags once the network exists.
typealias MakeStep = @Sendable (Network, InitialWeights) throws -> (step: (Trainer, Int) -> Void, summary: String)

private func pruneCommand(_ args: [String], kind: PruneKind) throws {
    let name = kind.rawValue
    var a = try Arguments(args, sections: pruneUsage(kind, .nsa), command: name)
    let preset = try readRecipe(&a)
    if a.wantsHelp {
        print(commandHelp(kind == .nsa ? nsaHeader : kind == .fsa ? fsaHeader : cpnaHeader, pruneUsage(kind, preset)))
        return
    }
    let (spec, dataOptions, recipe, output, model) = try readTrainingCommandFlags(&a, preset: preset)
    var p = PruneFlags()
    for section in pruneSections(kind) + [differentialSection] { try section.read(&a, into: &p) }
    var threading = ThreadFlags()
    try threadSection.read(&a, into: &threading)
    try a.finish(command: name)
    try a.noPositional()
    let tracePath = output.trace
    let retrainSeed = p.retrainSeed ?? recipe.seed &+ 1
    let epochs = recipe.training.epochs
    let makeStep = try pruningStep(kind, p, epochs: epochs, spec: spec, dataOptions: dataOptions, given: a)

    let (train, test, transform) = try DataSource.loadTransformed(spec, options: dataOptions)
    let network = recipe.makeNetwork(features: train.featureCount, task: train.task)
    let initial = InitialWeights(of: network)
    let (step, summary) = try makeStep(network, initial)
    let differential = try p.differentialTrace.map { _ in
        try DifferentialTrace(train: train, network: network, training: recipe.training,
                              method: pruningMethod(kind, p, epochs: epochs, spec: spec, dataOptions: dataOptions, given: a))
    }
    if !output.quiet {
        let o = recipe.training.optimizer
        printError("\(name) \(train.name): \(train.count) train / \(test.count) test rows, \(train.featureCount) features; "
            + "network \(network.shape), \(o.kind.rawValue) lr \(o.learningRate) wd \(o.weightDecay), "
            + "batch \(recipe.training.batchSize), \(epochs) epochs, kernels \(Kernels.path.rawValue)")
        printError(summary)
    }
    let progress = ProgressPrinter(test: test, epochs: epochs, enabled: !output.quiet)
    let trace = tracePath.map { _ in PruningTrace(train: train, test: test) }
    let outcome = recipe.run(network: network, train: train, test: test, afterEpoch: step, observe: { t, e, s in
        trace?.record(t, e, s)
        differential?.record(t, e)
        progress.observe(t, e, s)
    }, threads: threading.threads)
    if let trace, let tracePath { try trace.write(to: tracePath) }
    if let differential, let path = p.differentialTrace { try differential.write(to: path) }
    try checkConverged(outcome)

    let keptNames = network.featureIndices.map { train.featureNames[$0] }
    if let path = model.saveModel {
        var pruning = shownValues(pruneSections(kind).flatMap(\.flags), p)
        pruning["summary"] = .string(summary)
        try saveModel(to: path, network: network, train: train, transform: transform, data: spec, recipe: recipe,
                      command: name, arguments: args, pruning: pruning)
    }
    var extra: [String: JSONValue] = [
        "algorithm": JSONValue(summary),
        "kept_features": JSONValue(network.featureIndices),
        "kept_feature_names": .array(keptNames.map(JSONValue.string)),
        "kept_nodes": .array(network.nodeIndices.map { JSONValue($0) }),
        "hidden_nodes": JSONValue(network.shape.hiddenSizes),
        "feature_count": JSONValue(network.shape.inputCount),
        "connections": JSONValue(network.connectionCount),
    ]
    if let path = model.saveModel { extra["model"] = .string(path) }
    var retrained: [(String, Outcome)] = []
    for (label, start) in [("fresh", RetrainingStart.fresh(seed: retrainSeed)), ("original", .original)]
    where p.retrain.rawValue == label || p.retrain == .both {
        if !output.quiet { printError("retraining the sub-network from the \(label) initialisation") }
        let o = recipe.retrain(network, from: start, initialWeights: initial, train: train, test: test)
        try checkConverged(o)
        retrained.append((label, o))
        extra["retrain_\(label)"] = .object(o.json)
    }
    printOutcome(outcome, json: output.json, extra: extra)
    if !output.json {
        print("kept features (original numbering): \(network.featureIndices.map(String.init).joined(separator: " "))")
        print("kept feature names: \(keptNames.joined(separator: ", "))")
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
        if let path = model.saveModel { print("model written to \(path)") }
    }
}

/// The pruning step `kind` takes with the flags `p`, checked before any data is loaded;
/// `a` tells which flags were given, for the ones that exclude each other.
func pruningStep(_ kind: PruneKind, _ p: PruneFlags, epochs: Int, spec: String, dataOptions: DataOptions,
                 given a: Arguments) throws -> MakeStep {
    let method = try pruningMethod(kind, p, epochs: epochs, spec: spec, dataOptions: dataOptions, given: a)
    let cpa = kind == .cpna && !p.connections.normalize
    let perStep = p.nodeLevel && a.given("clock") && p.connections.clock == .iteration
    let label = kind == .cpna ? "\(cpa ? "CPA" : "CPNA") node-level\(perStep ? " per Adam step" : ""), " : ""
    return { net, initial in
        switch try method.pruner(network: net, epochs: epochs, initialWeights: initial) {
        case let .nodes(n)?: return (n.callAsFunction, label + describe(n))
        case let .connections(c)?: return (c.callAsFunction, describe(c, cpa: cpa))
        case nil: throw UsageError("\(kind.rawValue) prunes nothing")   // unreachable: every kind prunes
        }
    }
}

/// The library's pruning method for `kind` with the flags `p`.
private func pruningMethod(_ kind: PruneKind, _ p: PruneFlags, epochs: Int, spec: String, dataOptions: DataOptions,
                           given a: Arguments) throws -> PruningMethod {
    switch kind {
    case .nsa:
        return .nodes(p.nodes)
    case .fsa:
        var s = p.nodes
        s.featureTarget = try PruningMethod.featureTarget(s.featureTarget,
                                                         xorK: spec.lowercased() == "xor" ? dataOptions.xorK : nil)
        return .nodes(s)
    case .cpna:
        let c = p.connections
        if let e = c.pretrainEpochs, e >= epochs { throw UsageError("--pretrain: \(e) is outside 0...\(epochs - 1)") }
        guard p.nodeLevel else {
            if a.given("keep-nodes") { throw UsageError("--keep-nodes applies with --nodes") }
            return .connections(c)
        }
        if let f = connectionSection.firstGiven(in: a) { throw UsageError("--\(f) does not apply with --nodes") }
        var s = NodeSelectionSettings.cpnaNodes(targets: p.nodes.nodeTargets, pretrain: c.pretrain(epochs: epochs),
                                                epochs: epochs, mu: c.mu, normalize: c.normalize)
        s.keepMoments = c.keepMoments
        // The node form has always pruned per epoch; the iteration clock is asked for.
        s.clock = a.given("clock") ? c.clock : .epoch
        return .nodes(s)
    }
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
        parts.append("hidden->output to \(s.outputTarget) connections over epochs \(fmt(w.output.0, 1))+\(fmt(w.output.1, 1))")
    }
    if s.layers != .output {
        parts.append("input->hidden to \(s.inputTarget) connections over epochs \(fmt(w.input.0, 1))+\(fmt(w.input.1, 1))"
            + (s.inputRanking == .layer ? "" : ", ranked by \(s.inputRanking.rawValue)"))
    }
    if s.clock == .iteration { parts.append("pruned after every step") }
    return parts.joined(separator: ", ")
}
