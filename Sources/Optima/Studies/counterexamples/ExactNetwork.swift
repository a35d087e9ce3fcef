// A small fully connected ReLU network in Double with the sum of squared errors (the
// counterexamples paper's Eq. 1 and 2), for certifying the paper's stated minima. The
// training engine works in Float and averages the loss; a certificate needs Double and a
// chosen derivative of ReLU at 0, since the stated minima put data points exactly on kinks.

/// Points (x_i, y_i) in Double; x_i has `dimensions` coordinates.
public struct ExactData: Sendable {
    public var x: [[Double]]
    public var y: [Double]

    public init(x: [[Double]], y: [Double]) {
        precondition(x.count == y.count)
        self.x = x
        self.y = y
    }

    /// A one-output data set, row by row (Float values are exact in Double).
    public init(_ d: Dataset) {
        x = (0..<d.count).map { i in (0..<d.featureCount).map { Double(d.features[i * d.featureCount + $0]) } }
        y = d.targets.map(Double.init)
    }

    public var count: Int { y.count }
    public var meanY: Double { y.reduce(0, +) / Double(max(1, y.count)) }
}

public struct ExactNetwork: Sendable, Equatable {
    /// Layer widths, input first, one output last, e.g. [1, 2, 1].
    public let sizes: [Int]
    /// Per layer: the weights [out x in] row-major, then the biases [out]. For [1, m, 1] this
    /// is the paper's (w, b, v, c) in that order.
    public var parameters: [Double]

    public init(sizes: [Int], parameters: [Double]) {
        precondition(sizes.count >= 2 && sizes.last == 1, "one output")
        self.sizes = sizes
        self.parameters = parameters
        precondition(parameters.count == ExactNetwork.parameterCount(sizes), "wrong number of parameters")
    }

    /// The paper's one-hidden-layer regression net: v · ReLU(w x + b) + c.
    public init(w: [Double], b: [Double], v: [Double], c: Double) {
        self.init(sizes: [1, w.count, 1], parameters: w + b + v + [c])
    }

    public static func parameterCount(_ sizes: [Int]) -> Int {
        zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 + $1.1 }
    }

    public var layerCount: Int { sizes.count - 1 }

    /// Where layer l's weights and biases start.
    public func offsets(_ l: Int) -> (weights: Int, biases: Int) {
        var o = 0
        for k in 0..<l { o += sizes[k] * sizes[k + 1] + sizes[k + 1] }
        return (o, o + sizes[l] * sizes[l + 1])
    }

    /// Pre-activations of every layer for one input (the last is the output).
    public func preActivations(_ x: [Double]) -> [[Double]] {
        var a = x, out: [[Double]] = []
        for l in 0..<layerCount {
            let (wo, bo) = offsets(l), (n, m) = (sizes[l], sizes[l + 1])
            var z = [Double](repeating: 0, count: m)
            for j in 0..<m {
                var s = parameters[bo + j]
                for k in 0..<n { s += parameters[wo + j * n + k] * a[k] }
                z[j] = s
            }
            out.append(z)
            a = z.map { max(0, $0) }
        }
        return out
    }

    public func output(_ x: [Double]) -> Double { preActivations(x).last![0] }

    /// The sum of squared errors.
    public func loss(_ d: ExactData) -> Double {
        zip(d.x, d.y).reduce(0) { s, p in let r = output(p.0) - p.1; return s + r * r }
    }

    /// The gradient of the sum of squared errors by backpropagation. ReLU's derivative at
    /// exactly 0 is `kinkSlope` (0 or 1 give the two one-sided gradients at a kink).
    public func gradient(_ d: ExactData, kinkSlope: Double = 0) -> [Double] {
        var g = [Double](repeating: 0, count: parameters.count)
        for (x, y) in zip(d.x, d.y) {
            let z = preActivations(x)
            var delta = [2 * (z.last![0] - y)]
            for l in stride(from: layerCount - 1, through: 0, by: -1) {
                let (wo, bo) = offsets(l), n = sizes[l]
                let input = l == 0 ? x : z[l - 1].map { max(0, $0) }
                for j in 0..<delta.count {
                    g[bo + j] += delta[j]
                    for k in 0..<n { g[wo + j * n + k] += delta[j] * input[k] }
                }
                guard l > 0 else { break }
                delta = (0..<n).map { k in
                    let slope = z[l - 1][k] > 0 ? 1 : (z[l - 1][k] == 0 ? kinkSlope : 0)
                    return slope == 0 ? 0 : slope * (0..<delta.count).reduce(0) { $0 + parameters[wo + $1 * n + k] * delta[$1] }
                }
            }
        }
        return g
    }

    /// `steps` steps of full-batch gradient descent on the sum of squared errors.
    public func descended(on d: ExactData, learningRate: Double, steps: Int) -> ExactNetwork {
        var net = self
        for _ in 0..<steps {
            let g = net.gradient(d)
            for i in net.parameters.indices { net.parameters[i] -= learningRate * g[i] }
            if !net.parameters.allSatisfy(\.isFinite) { break }
        }
        return net
    }
}
