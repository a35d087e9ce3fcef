// What every row goes through between the data as encoded and the network: missing values
// filled with the training rows' means (`--missing mean`), the scaling fitted on the
// training rows, then the input factor τ. A saved model keeps it, so that prediction
// transforms new rows exactly as training transformed the test rows.

public struct InputTransform: Sendable {
    /// Each feature's value for a missing one (NaN as encoded): its mean over the training
    /// rows that have it (0 where none has). nil: the data allows no missing values.
    public var fills: [Float]?
    /// nil: no scaling.
    public var scaler: FeatureScaler?
    /// Every feature multiplied by this after scaling (the counterexamples paper's τ).
    public var inputScale: Float

    public init(fills: [Float]? = nil, scaler: FeatureScaler?, inputScale: Float) {
        self.fills = fills
        self.scaler = scaler
        self.inputScale = inputScale
    }

    /// `scaling` fitted on `train` alone (after its missing values are filled, where its
    /// layout allows them).
    public static func fit(_ scaling: Scaling, on train: Dataset, inputScale: Float) -> InputTransform {
        let fills = train.layout?.missingAllowed == true ? means(train) : nil
        let filled = fill(train, with: fills)
        switch scaling {
        case .minMax: return InputTransform(fills: fills, scaler: .minMax(fittedOn: filled), inputScale: inputScale)
        case .standardize:
            return InputTransform(fills: fills, scaler: .standardize(fittedOn: filled), inputScale: inputScale)
        case .none: return InputTransform(fills: fills, scaler: nil, inputScale: inputScale)
        }
    }

    public func apply(_ d: Dataset) -> Dataset {
        let filled = Self.fill(d, with: fills)
        return (scaler?.apply(filled) ?? filled).scaledInputs(by: inputScale)
    }

    /// Each feature's mean over the rows where it is not NaN (0 where it is NaN in all).
    static func means(_ d: Dataset) -> [Float] {
        let p = d.featureCount
        var sum = [Double](repeating: 0, count: p), n = [Int](repeating: 0, count: p)
        for r in 0..<d.count {
            for j in 0..<p where !d.features[r * p + j].isNaN {
                sum[j] += Double(d.features[r * p + j])
                n[j] += 1
            }
        }
        return (0..<p).map { n[$0] > 0 ? Float(sum[$0] / Double(n[$0])) : 0 }
    }

    static func fill(_ d: Dataset, with fills: [Float]?) -> Dataset {
        guard let fills, d.features.contains(where: \.isNaN) else { return d }
        var out = d
        let p = d.featureCount
        for e in 0..<out.features.count where out.features[e].isNaN { out.features[e] = fills[e % p] }
        return out
    }
}
