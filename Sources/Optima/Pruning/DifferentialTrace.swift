// The record that lets an independent implementation retrace one pruning run: the
// training data as the network first sees it, the initial weights, the settings the run
// used, every epoch's batch order, and after every epoch the training loss and the kept
// features, nodes and connections. The PyTorch reference in Benchmarks/peers reads the
// data, the start and the batch order from it, trains on its own, and compares the rest
// (docs/reference.md). Written as one JSON object by `optima nsa|fsa|cpna
// --differential-trace FILE`.

public final class DifferentialTrace {
    private var header: [String: JSONValue]
    private var epochs: [JSONValue] = []
    private let train: Dataset

    /// What each field holds, written into the file so that a reader needs nothing else.
    public static let fieldNotes: [String: JSONValue] = [
        "train": "x: the training rows as the first layer sees them (all features); y: the labels",
        "initial": "per layer, weights [out][in] (row j: node j's incoming weights) and biases, before the first step",
        "epochs[].order": "the epoch's batch order: rows order[0..<batch] form the first minibatch, and so on; the last may be short",
        "epochs[].loss": .string("mean loss (binary cross-entropy on the logit, no weight-decay term) over all training "
            + "rows, at the weights after the epoch's training and its pruning step"),
        "epochs[].features": "the kept features after the epoch's pruning step, original numbering",
        "epochs[].nodes": "per hidden layer, the kept nodes after the epoch's pruning step, original numbering",
        "epochs[].connections": .string("per layer, the unpruned connections [from, to] in original numbering after "
            + "the epoch's pruning step (features and nodes removed with all their connections are left out); "
            + "null while no single connection has been pruned"),
        "epochs[].steps": "Adam steps taken so far",
    ]

    /// Starts the record for `network` as it is now, before training; throws for a method
    /// that cannot apply to it (as the pruner itself would).
    public init(train: Dataset, network: Network, training: TrainingSettings, method: PruningMethod) throws {
        self.train = train
        let o = training.optimizer
        header = [
            "format": "optima differential trace 1",
            "fields": .object(DifferentialTrace.fieldNotes),
            "sizes": JSONValue(network.shape.sizes),
            "task": train.task == .binary ? "binary" : "other",
            "training": [
                "epochs": JSONValue(training.epochs), "batch": JSONValue(training.batchSize),
                "optimizer": .string(o.kind.rawValue), "lr": JSONValue(Double(o.learningRate)),
                "beta1": JSONValue(Double(o.beta1)), "beta2": JSONValue(Double(o.beta2)),
                "eps": JSONValue(Double(o.epsilon)), "weight_decay": JSONValue(Double(o.weightDecay)),
                "weight_decay_note": "added to the gradient as weight_decay * parameter, on every weight and bias",
            ],
            "pruning": try DifferentialTrace.describe(method, network: network, epochs: training.epochs),
            "train": [
                "x": .array((0..<train.count).map { r in
                    JSONValue(train.features[(r * train.featureCount)..<((r + 1) * train.featureCount)].map(Double.init))
                }),
                "y": JSONValue(train.targets.map(Double.init)),
            ],
            "initial": .array((0..<network.layerCount).map { l in DifferentialTrace.layer(network, l) }),
        ]
    }

    /// The `observe` hook: the epoch's batch order, then the network as the pruning step left it.
    public func record(_ trainer: Trainer, _ epoch: Int) {
        let net = trainer.network
        let loss = Evaluation(network: net, data: trainer.view(of: train)).loss
        epochs.append([
            "epoch": JSONValue(epoch),
            "order": JSONValue(trainer.order),
            "loss": JSONValue(loss),
            "steps": JSONValue(trainer.optimizer.step),
            "features": JSONValue(net.featureIndices),
            "nodes": .array(net.nodeIndices.map { JSONValue($0) }),
            "connections": net.mask == nil ? .null : .array((0..<net.layerCount).map { net.liveConnectionList(layer: $0) }),
        ])
    }

    public var json: JSONValue {
        var all = header
        all["epochs"] = .array(epochs)
        return .object(all)
    }

    public func write(to path: String) throws {
        try writeFileAtomically(json.jsonText + "\n", to: path)
    }

    /// Layer l's weights in PyTorch's [out][in] layout, and its biases.
    private static func layer(_ network: Network, _ l: Int) -> JSONValue {
        let L = network.shape.layers[l], w = network.weights(l), b = network.bias(l)
        return [
            "weights": .array((0..<L.output).map { j in JSONValue((0..<L.input).map { i in Double(w[i * L.output + j]) }) }),
            "bias": JSONValue((0..<L.output).map { Double(b[$0]) }),
        ]
    }

    /// The pruning settings with every default resolved for this network and run length.
    static func describe(_ method: PruningMethod, network: Network, epochs: Int) throws -> JSONValue {
        func schedule(_ s: AnnealingSchedule) -> JSONValue {
            ["initial": JSONValue(s.initial), "target": JSONValue(s.target), "start": JSONValue(s.start),
             "length": JSONValue(s.length), "mu": JSONValue(s.mu)]
        }
        switch method {
        case .none:
            return ["kind": "none"]
        case let .nodes(s):
            let n = try NodeSelection(s, network: network, epochs: epochs)
            return ["kind": "nodes", "warmup": JSONValue(s.warmupEpochs), "normalize": .bool(s.normalize),
                    "keep_moments": .bool(s.keepMoments), "feature_ranking": .string(s.featureRanking.rawValue),
                    "node_schedules": .array(n.nodeSchedules.map(schedule)),
                    "feature_schedule": n.featureSchedule.map(schedule) ?? .null]
        case let .connections(c):
            let pruner = try ConnectionPruning(c, network: network, epochs: epochs)
            let w = c.windows(epochs: epochs)
            return ["kind": "connections", "normalize": .bool(c.normalize), "keep_moments": .bool(c.keepMoments),
                    "pretrain": JSONValue(c.pretrain(epochs: epochs)), "clock": .string(c.clock.rawValue),
                    "input_ranking": .string(c.inputRanking.rawValue), "mu": JSONValue(c.mu),
                    "layer_order": JSONValue(pruner.prunedLayers(layerCount: network.layerCount)),
                    "output": ["target": JSONValue(c.outputTarget), "start": JSONValue(w.output.0), "length": JSONValue(w.output.1)],
                    "input": ["target": JSONValue(c.inputTarget), "start": JSONValue(w.input.0), "length": JSONValue(w.input.1)],
                    "schedule_initial_note": "a layer's schedule starts from its unpruned connections when its pruning starts"]
        }
    }
}

extension Network {
    /// Layer l's unpruned connections as [from, to] pairs in original numbering (from: a
    /// feature or a node of the layer below; to: a node, or the output's position).
    func liveConnectionList(layer l: Int) -> JSONValue {
        let L = shape.layers[l]
        let from = l == 0 ? featureIndices : nodeIndices[l - 1]
        let to = l < nodeIndices.count ? nodeIndices[l] : Array(0..<L.output)
        var pairs: [JSONValue] = []
        for i in 0..<L.input {
            for j in 0..<L.output where mask.map({ $0[L.weightOffset + i * L.output + j] != 0 }) ?? true {
                pairs.append(JSONValue([from[i], to[j]]))
            }
        }
        return .array(pairs)
    }
}
