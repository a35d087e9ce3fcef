/// A layer's activation; the raw values are the C kernels' OPTIMA_ACT_* codes.
public enum Activation: Int32, Sendable {
    case identity = 0, relu = 1, sigmoid = 2
}
