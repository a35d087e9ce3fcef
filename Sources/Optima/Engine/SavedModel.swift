// A trained network (or several, whose outputs are averaged: `optima select`'s final
// ensemble) with everything prediction needs to send new rows down the path the training
// rows took: the training file's columns and their encoding, the scaling fitted on the
// training rows, the features pruning kept, the class names, a regression target's scaling;
// and the settings and seed that made it. ModelFile.swift writes and reads it.
import Foundation

public struct SavedModel {
    /// The networks as trained (after pruning: the compact ones), at least one; their raw
    /// outputs are averaged. Every one sees the same features: its featureIndices index
    /// `featureNames`.
    public var networks: [Network]
    /// The first network (the only one, but for an ensemble).
    public var network: Network { networks[0] }
    /// Regression trained on standardised targets: predictions are scaled back with it.
    public var targetScaling: TargetScaling?
    public var layout: ColumnLayout
    /// Names of the encoded features before any were pruned.
    public var featureNames: [String]
    public var transform: InputTransform
    public var classNames: [String]
    /// The training data as named on the command line.
    public var data: String
    /// What made it, e.g. the command and its recipe, as JSON.
    public var settings: [String: JSONValue]
    public var seed: UInt64

    public init(network: Network, layout: ColumnLayout, featureNames: [String], transform: InputTransform,
                classNames: [String], data: String, settings: [String: JSONValue], seed: UInt64) {
        self.init(networks: [network], targetScaling: nil, layout: layout, featureNames: featureNames,
                  transform: transform, classNames: classNames, data: data, settings: settings, seed: seed)
    }

    public init(networks: [Network], targetScaling: TargetScaling?, layout: ColumnLayout, featureNames: [String],
                transform: InputTransform, classNames: [String], data: String, settings: [String: JSONValue],
                seed: UInt64) {
        precondition(!networks.isEmpty && networks.allSatisfy { $0.featureIndices == networks[0].featureIndices },
                     "an ensemble's networks see the same features")
        self.networks = networks
        self.targetScaling = targetScaling
        self.layout = layout
        self.featureNames = featureNames
        self.transform = transform
        self.classNames = classNames
        self.data = data
        self.settings = settings
        self.seed = seed
    }

    /// The model of `network` trained on `train` (as loaded, before any feature was pruned),
    /// whose rows went through `transform`.
    public init(network: Network, train: Dataset, transform: InputTransform, data: String,
                settings: [String: JSONValue], seed: UInt64) {
        self.init(network: network, layout: train.layout ?? .plain(featureNames: train.featureNames),
                  featureNames: train.featureNames, transform: transform, classNames: train.classNames,
                  data: data, settings: settings, seed: seed)
    }

    /// The model of `networks` (an ensemble) trained on `train`, as above.
    public init(networks: [Network], targetScaling: TargetScaling?, train: Dataset, transform: InputTransform,
                data: String, settings: [String: JSONValue], seed: UInt64) {
        self.init(networks: networks, targetScaling: targetScaling,
                  layout: train.layout ?? .plain(featureNames: train.featureNames), featureNames: train.featureNames,
                  transform: transform, classNames: train.classNames, data: data, settings: settings, seed: seed)
    }

    public var task: Task { network.task }
    public var keptFeatureNames: [String] { network.featureIndices.map { featureNames[$0] } }

    /// `rows` (encoded with `layout`, unscaled, every feature) as the network sees them:
    /// transformed, then only the kept features.
    public func networkInputs(_ rows: Dataset) -> Dataset {
        precondition(rows.featureCount == featureNames.count, "rows encoded with another layout")
        return transform.apply(rows).columns(network.featureIndices)
    }

    /// Predictions for the rows of a delimited file (its labels, if any, in a label column
    /// or in `labelsFile`), encoded as the training file was.
    public func predict(file: String, labelsFile: String? = nil, options: DelimitedOptions = DelimitedOptions()) throws -> Predictions {
        if IDXFile.looksLikeIDX(file) { throw DataError(file: file, "prediction reads delimited text files, not IDX image files") }
        let table = try DelimitedFile.load(file, options: options)
        var labels: TextTable?
        if let l = labelsFile {
            // One label per line, no header unless told, as training reads a labels file.
            var o = options
            o.header = o.header ?? false
            o.separator = nil
            labels = try DelimitedFile.load(l, options: o)
        }
        let (predictions, inputs) = compute(try layout.encode(table, labels: labels, task: task, classNames: classNames,
                                                              used: Set(network.featureIndices)))
        // A row the network computes no number for is an error, never a NaN in the output.
        let p = inputs.featureCount, w = task.outputCount
        for r in 0..<predictions.count {
            if let c = (0..<p).first(where: { !inputs.features[r * p + $0].isFinite }) {
                throw DataError(file: file, line: table.line(r), "feature '\(keptFeatureNames[c])' scales to "
                    + "\(inputs.features[r * p + c]) with the model's scaling: beyond a 32-bit float")
            }
            if (0..<w).contains(where: { !predictions.outputs[r * w + $0].isFinite }) {
                throw DataError(file: file, line: table.line(r), "the model's output for this row is not a finite "
                    + "number: its weights overflow a 32-bit float on these values")
            }
        }
        return predictions
    }

    /// Predictions for new rows encoded with `layout`; with labels, the evaluation too.
    public func predict(_ rows: EncodedRows) -> Predictions { compute(rows).predictions }

    /// The predictions and the inputs the network saw.
    private func compute(_ rows: EncodedRows) -> (predictions: Predictions, inputs: Dataset) {
        let x = networkInputs(rows.data)
        let out = outputs(x)
        return (Predictions(task: task, classNames: classNames, outputs: out, count: x.count,
                            evaluation: rows.labelled ? Evaluation(outputs: out, data: x) : nil), x)
    }

    /// The networks' mean raw outputs on `x` (network inputs), in the data's units.
    public func outputs(_ x: Dataset) -> [Float] { ensembleOutputs(networks, on: x, targetScaling: targetScaling) }
}

/// What a model says about each row: the class and its probabilities, or the value.
public struct Predictions: Sendable {
    public var task: Task
    public var classNames: [String]
    /// The network's raw outputs, row-major (logits for classification).
    public var outputs: [Float]
    public var count: Int
    /// Loss, accuracy and (binary) AUC when the rows had labels.
    public var evaluation: Evaluation?

    /// Per row, one probability per class (sigmoid for one logit, softmax for several), or
    /// the regression outputs.
    public var values: [[Double]] {
        let w = task.outputCount
        return (0..<count).map { r in
            let o = outputs[(r * w)..<(r * w + w)].map(Double.init)
            switch task {
            case .binary:
                let p = 1 / (1 + exp(-o[0]))
                return [1 - p, p]
            case .multiclass:
                let m = o.max()!
                let e = o.map { exp($0 - m) }
                let s = e.reduce(0, +)
                return e.map { $0 / s }
            case .regression:
                return o
            }
        }
    }

    /// Per row, the predicted class number, chosen as the training accuracy chooses it
    /// (logit above 0, or the first largest output); empty for regression.
    public var classes: [Int] {
        let w = task.outputCount
        switch task {
        case .regression: return []
        case .binary: return outputs.map { $0 > 0 ? 1 : 0 }
        case .multiclass:
            return (0..<count).map { r in
                var best = 0
                for c in 1..<w where outputs[r * w + c] > outputs[r * w + best] { best = c }
                return best
            }
        }
    }

    /// One row per input row: the predicted class and one probability per class
    /// (`p_CLASS`), or the predicted value(s).
    public var csv: CSVTable {
        let w = task.outputCount
        var t: CSVTable
        switch task {
        case .regression:
            t = CSVTable(header: w == 1 ? ["predicted"] : (0..<w).map { "predicted_\($0)" })
            for row in values { t.addRow(row.map(CSVTable.cell)) }
        case .binary, .multiclass:
            t = CSVTable(header: ["predicted"] + classNames.map { "p_" + $0 })
            for (row, c) in zip(values, classes) { t.addRow([classNames[c]] + row.map(CSVTable.cell)) }
        }
        return t
    }
}
