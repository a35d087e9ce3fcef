// A trained network kept in a results record, for a study that draws or measures what a
// network learned: the runner keeps numbers, so a grid point is trained again as one of the
// study's computations and its network written out whole. Parameters are written as the
// Double of each Float, which reads back to the same Float, so the network read back
// computes exactly what the trained one did.

extension TrainingPoint {
    /// The computation that trains this single plain point as `trainedNetwork()` does (the
    /// same seeds as its grid training, so the same network) and records the network.
    public var learnedNetwork: StudyComputation {
        StudyComputation(learnedNetworkKey) { [self] in ["network": LearnedNetwork.record(try trainedNetwork())] }
    }

    /// "network," then the point's key: the point names everything the network depends on
    /// but its recipe, which a study names in the point's `variant`.
    public var learnedNetworkKey: String { "network," + key }
}

public enum LearnedNetwork {
    /// The layer sizes, the hidden activation, the task and every parameter.
    public static func record(_ net: Network) -> JSONValue {
        let task: String
        switch net.task {
        case .binary: task = "binary"
        case .multiclass: task = "multiclass"
        case .regression: task = "regression"
        }
        return ["sizes": JSONValue(net.shape.sizes), "activation": .string(net.hiddenActivation == .sigmoid ? "sigmoid" : "relu"),
                "task": .string(task), "parameters": .array(net.parameters.array.map { .number(Double($0)) })]
    }

    /// The network that `record` wrote for `point`, from field "network" of a computation's
    /// record: of the point's sizes on `data` (what the study computes with it assumes them),
    /// with parameters that are Floats, and a finite output on every row of `data`.
    public static func network(_ r: ComputedRecord, of point: TrainingPoint, on data: Dataset) throws -> Network {
        let v = try r.value("network")
        let expected = [data.featureCount] + Array(repeating: point.hidden, count: point.hiddenLayers) + [data.task.outputCount]
        guard let sizes = v["sizes"]?.array?.compactMap(\.int), sizes == expected else {
            throw r.error("has no network of sizes \(expected.map(String.init).joined(separator: "-"))")
        }
        guard let values = v["parameters"]?.array, case let parameters = values.compactMap({ x -> Float? in
            guard case .number(let d) = x, abs(d) <= Double(Float.greatestFiniteMagnitude) else { return nil }
            return Float(d)
        }), parameters.count == values.count, parameters.count == NetworkShape(sizes: sizes).parameterCount else {
            throw r.error("has no network of \(NetworkShape(sizes: sizes).parameterCount) finite Float parameters")
        }
        let outputs = sizes[sizes.count - 1]
        let task: Task
        switch v["task"]?.string {
        case "binary" where outputs == 1: task = .binary
        case "multiclass": task = .multiclass(classes: outputs)
        case "regression": task = .regression(outputs: outputs)
        default: throw r.error("has a network of an unknown task or the wrong outputs for it")
        }
        let activation: Activation
        switch v["activation"]?.string {
        case "relu": activation = .relu
        case "sigmoid": activation = .sigmoid
        default: throw r.error("has a network of an unknown activation")
        }
        guard task == data.task else { throw r.error("has a network for another task than its data's") }
        let net = Network(sizes: sizes, hiddenActivation: activation, task: task, parameters: parameters, mask: nil,
                          featureIndices: Array(0..<sizes[0]), nodeIndices: NetworkShape(sizes: sizes).hiddenSizes.map { Array(0..<$0) })
        guard net.predict(data.features, rows: data.count).allSatisfy(\.isFinite) else {
            throw r.error("has a network whose output on its data is not finite (its parameters overflow a Float)")
        }
        return net
    }
}
