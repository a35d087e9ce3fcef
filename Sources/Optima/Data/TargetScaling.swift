// A regression target standardised on the training rows: each output column's mean
// subtracted and divided by its standard deviation. The losses, decays and thresholds of
// `optima select` were chosen on classification, whose targets are 0/1; a target in the
// thousands would make the same decay a different regulariser. Predictions undo it, so a
// saved model answers in the data's own units.

public struct TargetScaling: Equatable, Sendable {
    /// Per output: the training mean, and the standard deviation (1 for a constant target).
    public let mean: [Double]
    public let deviation: [Double]

    public init(mean: [Double], deviation: [Double]) {
        precondition(mean.count == deviation.count, "one mean and one deviation per output")
        self.mean = mean
        self.deviation = deviation
    }

    /// Fitted on `d`'s targets (a regression set).
    public static func standardize(fittedOn d: Dataset) -> TargetScaling {
        let (mean, sd) = columnMoments(d.targets, rows: d.count, width: d.targetWidth)
        return TargetScaling(mean: mean, deviation: sd.map { $0 > 0 && $0.isFinite ? $0 : 1 })
    }

    /// `d` with its targets standardised.
    public func apply(_ d: Dataset) -> Dataset {
        var out = d
        let w = mean.count
        for i in out.targets.indices {
            out.targets[i] = Float((Double(d.targets[i]) - mean[i % w]) / deviation[i % w])
        }
        return out
    }

    /// Outputs of a network trained on standardised targets, in the data's units.
    public func undo(_ outputs: [Float]) -> [Float] {
        let w = mean.count
        return outputs.enumerated().map { i, v in Float(Double(v) * deviation[i % w] + mean[i % w]) }
    }
}
