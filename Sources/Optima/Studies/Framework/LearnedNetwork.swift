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

    /// The network that `record` wrote, from field "network" of a computation's record.
    public static func network(_ r: ComputedRecord) throws -> Network {
        let v = try r.value("network")
        guard let sizes = v["sizes"]?.array?.compactMap(\.int), sizes.count >= 2, sizes.allSatisfy({ $0 >= 1 }),
              let parameters = v["parameters"]?.doubles?.map(Float.init),
              parameters.count == NetworkShape(sizes: sizes).parameterCount else {
            throw r.error("has no network of consistent sizes and parameters")
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
        return Network(sizes: sizes, hiddenActivation: activation, task: task, parameters: parameters, mask: nil,
                       featureIndices: Array(0..<sizes[0]), nodeIndices: NetworkShape(sizes: sizes).hiddenSizes.map { Array(0..<$0) })
    }
}
