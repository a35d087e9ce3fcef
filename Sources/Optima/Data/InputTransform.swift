// What every row goes through between the data as encoded and the network: the scaling
// fitted on the training rows, then the input factor τ. A saved model keeps it, so that
// prediction transforms new rows exactly as training transformed the test rows.

public struct InputTransform: Sendable {
    /// nil: no scaling.
    public var scaler: FeatureScaler?
    /// Every feature multiplied by this after scaling (the counterexamples paper's τ).
    public var inputScale: Float

    public init(scaler: FeatureScaler?, inputScale: Float) {
        self.scaler = scaler
        self.inputScale = inputScale
    }

    /// `scaling` fitted on `train` alone.
    public static func fit(_ scaling: Scaling, on train: Dataset, inputScale: Float) -> InputTransform {
        switch scaling {
        case .minMax: return InputTransform(scaler: .minMax(fittedOn: train), inputScale: inputScale)
        case .standardize: return InputTransform(scaler: .standardize(fittedOn: train), inputScale: inputScale)
        case .none: return InputTransform(scaler: nil, inputScale: inputScale)
        }
    }

    public func apply(_ d: Dataset) -> Dataset {
        (scaler?.apply(d) ?? d).scaledInputs(by: inputScale)
    }
}
