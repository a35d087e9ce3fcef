// A finished training of a study: its grid point and every number the three papers report.
// It is written as one JSON line (the runner's results file) and read back from it, so a
// resumed or merged run gives the same results as an uninterrupted one.

public struct StudyResult: Sendable {
    public var point: TrainingPoint
    public var trainLoss: Double
    public var testLoss: Double
    /// NaN where the task has no AUC (multi-class) or no accuracy (regression).
    public var trainAUC: Double
    public var testAUC: Double
    public var trainAccuracy: Double
    public var testAccuracy: Double
    /// Hidden layer sizes at the end (pruning shrinks them).
    public var nodes: [Int]
    /// The features kept, as positions in the data's columns.
    public var features: [Int]
    /// Unpruned weights at the end.
    public var connections: Int
    public var epochs: Int
    public var steps: Int
    /// The epoch after which the weights became NaN or infinite, if they did.
    public var divergedAtEpoch: Int?
    /// For a retrained sub-network: the test AUC (or accuracy) of the pruned network it
    /// came from, before retraining.
    public var foundTestAUC: Double?
    public var foundTestAccuracy: Double?
    public var seconds: Double
    /// For pruning methods: the unpruned inputs of each node of the first hidden layer at the
    /// end, largest first, and how many of them are relevant features (XOR: the first k).
    public var inputsPerNode: [Int] = []
    public var relevantInputsPerNode: [Int] = []
    /// The per-epoch trace, for a point marked `traced`.
    public var trace: [PruningTraceRow]?
    /// For a block of runs (`point.runs > 1`): each run's training loss and accuracy.
    public var runTrainLosses: [Double] = []
    public var runTrainAccuracies: [Double] = []

    /// The record of a training: the point's fields, then the numbers.
    init(point: TrainingPoint, outcome: Outcome, found: Outcome? = nil) {
        self.point = point
        trainLoss = outcome.train.loss
        testLoss = outcome.test?.loss ?? .nan
        trainAUC = outcome.train.auc ?? .nan
        testAUC = outcome.test?.auc ?? .nan
        trainAccuracy = outcome.train.accuracy ?? .nan
        testAccuracy = outcome.test?.accuracy ?? .nan
        nodes = outcome.shape.hiddenSizes
        features = outcome.featureIndices
        connections = outcome.connections
        epochs = outcome.epochs
        steps = outcome.steps
        divergedAtEpoch = outcome.divergedAtEpoch
        foundTestAUC = found?.test?.auc
        foundTestAccuracy = found?.test?.accuracy
        seconds = outcome.seconds + (found?.seconds ?? 0)
    }

    /// What every training's record holds: the numbers, and the point's initialisation and
    /// method (its other fields depend on the data and the method). NaN stands where a measure
    /// does not apply (a multi-class AUC) or a training diverged, written as "NaN".
    public static let recordSchema = RecordSchema([
        .required("method", .text), .required("init", .count), .required("epochs", .count), .required("steps", .count),
        .required("train_loss", .nonNegative), .required("test_loss", .nonNegative), .required("train_auc", .fraction),
        .required("test_auc", .fraction), .optional("train_accuracy", .fraction), .optional("test_accuracy", .fraction),
        .required("nodes", .counts), .required("connections", .count), .optional("features", .counts),
        .optional("diverged_at_epoch", .count), .optional("found_test_auc", .fraction),
        .optional("found_test_accuracy", .fraction), .required("seconds", .finite),
        .optional("inputs_per_node", .counts), .optional("relevant_inputs_per_node", .counts),
        .optional("trace", .objects), .optional("runs", .count), .optional("run_train_losses", .numbers),
        .optional("run_train_accuracies", .numbers), .optional("recipe", .text), .optional("hidden_layers", .count),
    ]) { r in
        guard let rows = r["trace"]?.array else { return nil }
        return rows.firstIndex { PruningTraceRow(record: $0) == nil }.map {
            "trace row \($0) has no whole-number \"epoch\" and numeric \"train_loss\""
        }
    }

    /// What the record of `point` holds: the fields the point always writes are required, and
    /// its initialisation must be the point's.
    static func recordSchema(for point: TrainingPoint) -> RecordSchema {
        var more: [RecordSchema.Field] = []
        if point.method.prunes { more.append(.required("features", .counts)) }
        if point.runs > 1 {
            more += [.required("runs", .count), .required("run_train_losses", .numbers), .required("run_train_accuracies", .numbers)]
        }
        return recordSchema.adding(more).requiring("init", equals: JSONValue(point.initialization))
    }

    /// Reads a result back from its record; `point` comes from the grid (the record's key
    /// matched it). The runner has checked the record against `recordSchema(for: point)`;
    /// an optional field it lacks reads as NaN or empty.
    init(point: TrainingPoint, record r: ResultRecord) {
        self.point = point
        func number(_ name: String) -> Double { r[name]?.double ?? .nan }
        trainLoss = number("train_loss")
        testLoss = number("test_loss")
        trainAUC = number("train_auc")
        testAUC = number("test_auc")
        trainAccuracy = number("train_accuracy")
        testAccuracy = number("test_accuracy")
        nodes = r["nodes"]?.array?.compactMap(\.int) ?? []
        features = r["features"]?.array?.compactMap(\.int) ?? []
        connections = r["connections"]?.int ?? 0
        epochs = r["epochs"]?.int ?? point.epochs
        steps = r["steps"]?.int ?? 0
        divergedAtEpoch = r["diverged_at_epoch"]?.int
        foundTestAUC = r["found_test_auc"]?.double
        foundTestAccuracy = r["found_test_accuracy"]?.double
        seconds = number("seconds")
        inputsPerNode = r["inputs_per_node"]?.array?.compactMap(\.int) ?? []
        relevantInputsPerNode = r["relevant_inputs_per_node"]?.array?.compactMap(\.int) ?? []
        trace = r["trace"]?.array?.compactMap(PruningTraceRow.init(record:))
        runTrainLosses = r["run_train_losses"]?.array?.compactMap(\.double) ?? []
        runTrainAccuracies = r["run_train_accuracies"]?.array?.compactMap(\.double) ?? []
    }

    /// The JSON line: the point's data and method fields, the initialisation and epochs,
    /// then the numbers. Features are written only for methods that choose them.
    var record: ResultRecord {
        var r = point.data.recordFields.merging(point.method.recordFields(hidden: point.hidden)) { a, _ in a }
        r["method"] = .string(point.method.name)
        if point.hiddenLayers != 1 { r["hidden_layers"] = JSONValue(point.hiddenLayers) }
        r["init"] = JSONValue(point.initialization)
        r["epochs"] = JSONValue(epochs)
        r["steps"] = JSONValue(steps)
        r["train_loss"] = JSONValue(trainLoss)
        r["test_loss"] = JSONValue(testLoss)
        r["train_auc"] = JSONValue(trainAUC)
        r["test_auc"] = JSONValue(testAUC)
        if trainAccuracy.isFinite { r["train_accuracy"] = JSONValue(trainAccuracy) }
        if testAccuracy.isFinite { r["test_accuracy"] = JSONValue(testAccuracy) }
        r["nodes"] = JSONValue(nodes)
        r["connections"] = JSONValue(connections)
        if point.method.prunes { r["features"] = JSONValue(features) }
        if let e = divergedAtEpoch { r["diverged_at_epoch"] = JSONValue(e) }
        if let a = foundTestAUC { r["found_test_auc"] = JSONValue(a) }
        if let a = foundTestAccuracy { r["found_test_accuracy"] = JSONValue(a) }
        r["seconds"] = JSONValue(seconds)
        if !inputsPerNode.isEmpty { r["inputs_per_node"] = JSONValue(inputsPerNode) }
        if !relevantInputsPerNode.isEmpty { r["relevant_inputs_per_node"] = JSONValue(relevantInputsPerNode) }
        if let trace { r["trace"] = .array(trace.map(\.record)) }
        if point.runs > 1 {
            r["runs"] = JSONValue(point.runs)
            r["run_train_losses"] = JSONValue(runTrainLosses)
            r["run_train_accuracies"] = JSONValue(runTrainAccuracies)
        }
        if let v = point.variant { r["recipe"] = .string(v) }
        return r
    }
}

extension Array where Element == StudyResult {
    /// The result with the smallest training loss (NaN losses last).
    public var bestLoss: StudyResult? {
        self.min { a, b in a.trainLoss.isNaN ? false : (b.trainLoss.isNaN ? true : a.trainLoss < b.trainLoss) }
    }
}

extension PruningTraceRow {
    /// One epoch of a trace as a JSON object (absent measures left out).
    var record: JSONValue {
        var o: [String: JSONValue] = ["epoch": JSONValue(epoch), "nodes": JSONValue(nodes), "features": JSONValue(features),
                                      "connections": JSONValue(connections), "train_loss": JSONValue(trainLoss),
                                      "seconds": JSONValue(seconds)]
        let optional: [(String, Double?)] = [("test_loss", testLoss), ("train_auc", trainAUC), ("test_auc", testAUC),
                                             ("train_accuracy", trainAccuracy), ("test_accuracy", testAccuracy)]
        for case let (name, x?) in optional { o[name] = JSONValue(x) }
        if !inputsPerNode.isEmpty { o["inputs_per_node"] = JSONValue(inputsPerNode) }
        if !relevantInputsPerNode.isEmpty { o["relevant_inputs_per_node"] = JSONValue(relevantInputsPerNode) }
        return .object(o)
    }

    /// Reads an epoch back; nil for anything that is not a trace row.
    init?(record: JSONValue) {
        guard let o = record.object, let epoch = o["epoch"]?.int, let loss = o["train_loss"]?.double else { return nil }
        self.init(epoch: epoch, nodes: o["nodes"]?.int ?? 0, features: o["features"]?.int ?? 0,
                  connections: o["connections"]?.int ?? 0, trainLoss: loss, testLoss: o["test_loss"]?.double,
                  trainAUC: o["train_auc"]?.double, testAUC: o["test_auc"]?.double,
                  trainAccuracy: o["train_accuracy"]?.double, testAccuracy: o["test_accuracy"]?.double,
                  seconds: o["seconds"]?.double ?? 0,
                  inputsPerNode: o["inputs_per_node"]?.array?.compactMap(\.int) ?? [],
                  relevantInputsPerNode: o["relevant_inputs_per_node"]?.array?.compactMap(\.int) ?? [])
    }
}
