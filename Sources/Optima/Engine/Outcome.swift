// What a finished training run reports, and its one-object JSON form.

/// What a finished run reports.
public struct Outcome: Sendable {
    public var train: Evaluation
    public var test: Evaluation?
    /// Seconds spent training (evaluations for progress reports excluded).
    public var seconds: Double
    public var epochs: Int
    /// Optimiser updates taken (epochs × batches per epoch; one per epoch for full-batch GD).
    public var steps: Int
    /// Unpruned weights at the end (biases not counted), as the cpna paper counts connections.
    public var connections: Int
    public var shape: NetworkShape
    public var featureIndices: [Int]
    /// The epoch after which a parameter was NaN or infinite, if training diverged (it then
    /// stops there, and the evaluations describe the broken network).
    public var divergedAtEpoch: Int?

    public var msPerEpoch: Double { epochs > 0 ? 1000 * seconds / Double(epochs) : 0 }

    /// The machine-readable form: one JSON object.
    public var json: [String: JSONValue] {
        var o: [String: JSONValue] = [
            "train_loss": JSONValue(train.loss),
            "seconds": JSONValue(seconds),
            "ms_per_epoch": JSONValue(msPerEpoch),
            "epochs": JSONValue(epochs),
            "steps": JSONValue(steps),
            "connections": JSONValue(connections),
            "network": JSONValue(shape.description),
            "features": JSONValue(featureIndices),
            "kernels": JSONValue(Kernels.path.rawValue),
        ]
        if let a = train.auc { o["train_auc"] = JSONValue(a) }
        if let a = train.accuracy { o["train_accuracy"] = JSONValue(a) }
        if let e = divergedAtEpoch { o["diverged_at_epoch"] = JSONValue(e) }
        if let t = test {
            o["test_loss"] = JSONValue(t.loss)
            if let a = t.auc { o["test_auc"] = JSONValue(a) }
            if let a = t.accuracy { o["test_accuracy"] = JSONValue(a) }
        }
        return o
    }

    /// What `json` holds, as a results file must hold it when it is read back.
    public static let recordSchema = RecordSchema([
        .required("train_loss", .nonNegative), .required("seconds", .finite), .required("ms_per_epoch", .finite),
        .required("epochs", .count), .required("steps", .count), .required("connections", .count),
        .required("network", .text), .required("features", .counts), .required("kernels", .text),
        .optional("train_auc", .fraction), .optional("train_accuracy", .fraction), .optional("diverged_at_epoch", .count),
        .optional("test_loss", .nonNegative), .optional("test_auc", .fraction), .optional("test_accuracy", .fraction),
    ])
}
