// A fully connected network: any number of hidden layers, ReLU or sigmoid hidden
// units, an output layer suited to the task. All parameters live in one buffer so
// that one optimiser pass updates them all.
//
// Storage: layer l has weights Wt[in x out] stored input-major (row k = the weights
// from input k to every node), followed by its bias[out]. Node j's incoming weights
// are column j of Wt; its outgoing weights are row j of the next layer's Wt.

public final class Network {
    public private(set) var shape: NetworkShape
    public let hiddenActivation: Activation
    public let task: Task
    /// All weights and biases, laid out as `shape.layers` says.
    public private(set) var parameters: FloatBuffer
    /// Connection mask (1 keep, 0 pruned) in the parameter layout, biases always 1;
    /// nil while no single connection has been pruned.
    public var mask: FloatBuffer?
    /// Original index of each remaining input feature (pruning removes features).
    public private(set) var featureIndices: [Int]
    /// Original index of each remaining node, per hidden layer.
    public private(set) var nodeIndices: [[Int]]

    public init(sizes: [Int], hiddenActivation: Activation = .relu, task: Task,
                initialization: Initialization = .pytorch, seed: UInt64) {
        precondition(sizes.last == task.outputCount, "output size must match the task")
        shape = NetworkShape(sizes: sizes)
        self.hiddenActivation = hiddenActivation
        self.task = task
        parameters = FloatBuffer(count: shape.parameterCount)
        featureIndices = Array(0..<sizes[0])
        nodeIndices = shape.hiddenSizes.map { Array(0..<$0) }
        initialize(initialization, seed: seed)
    }

    /// A network with given parameters, mask and numbering of the kept features and nodes
    /// (a saved model read back). The caller has checked every count against `sizes`.
    public convenience init(sizes: [Int], hiddenActivation: Activation, task: Task, parameters values: [Float],
                            mask: [Float]?, featureIndices: [Int], nodeIndices: [[Int]]) {
        self.init(sizes: sizes, hiddenActivation: hiddenActivation, task: task, seed: 0)
        precondition(values.count == shape.parameterCount && (mask?.count ?? values.count) == values.count
                     && featureIndices.count == sizes[0] && nodeIndices.map(\.count) == shape.hiddenSizes,
                     "restored network: counts disagree with the layer sizes")
        values.withUnsafeBufferPointer { parameters.pointer.update(from: $0.baseAddress!, count: values.count) }
        self.mask = mask.map(FloatBuffer.init)
        self.featureIndices = featureIndices
        self.nodeIndices = nodeIndices
    }

    /// Renumbers the features this network sees through `original`: a network trained on
    /// some columns of a data set (`Dataset.columns(original)`) then names them as the whole
    /// set numbers them, as a saved model needs.
    public func renumberFeatures(through original: [Int]) {
        featureIndices = featureIndices.map { original[$0] }
    }

    /// Draws fresh parameters. Weights are drawn node by node (PyTorch's [out x in]
    /// order) and then the biases, so the stream does not depend on our storage layout.
    public func initialize(_ scheme: Initialization, seed: UInt64) {
        var g = Xoshiro256(seed: seed, stream: 0x1417)
        let p = parameters.pointer
        for layer in shape.layers {
            let bound = Float(1.0 / Double(layer.input).squareRoot())
            for j in 0..<layer.output {
                for k in 0..<layer.input {
                    let w: Float
                    switch scheme {
                    case .pytorch: w = g.uniform(-bound, bound)
                    case let .gaussian(mean, std, _, _): w = Float(mean + std * g.normal())
                    }
                    p[layer.weightOffset + k * layer.output + j] = w
                }
            }
            for j in 0..<layer.output {
                switch scheme {
                case .pytorch: p[layer.biasOffset + j] = g.uniform(-bound, bound)
                case let .gaussian(_, _, mean, std): p[layer.biasOffset + j] = Float(mean + std * g.normal())
                }
            }
        }
        if let mask { for i in 0..<parameters.count where mask[i] == 0 { p[i] = 0 } }
    }

    public var layerCount: Int { shape.layers.count }

    public func weights(_ layer: Int) -> UnsafeMutablePointer<Float> {
        parameters.pointer + shape.layers[layer].weightOffset
    }

    public func bias(_ layer: Int) -> UnsafeMutablePointer<Float> {
        parameters.pointer + shape.layers[layer].biasOffset
    }

    /// Weight from input k to node j of a layer.
    public func weight(layer: Int, from k: Int, to j: Int) -> Float {
        let L = shape.layers[layer]
        return parameters[L.weightOffset + k * L.output + j]
    }

    public func activation(ofLayer l: Int) -> Activation {
        l == layerCount - 1 ? .identity : hiddenActivation
    }

    /// Number of weights that are not pruned (biases not counted).
    public var connectionCount: Int {
        var n = 0
        for L in shape.layers {
            if let mask {
                for i in L.weightOffset..<(L.weightOffset + L.weightCount) where mask[i] != 0 { n += 1 }
            } else {
                n += L.weightCount
            }
        }
        return n
    }

    /// False once any weight or bias is NaN or infinite (training diverged).
    public var parametersAreFinite: Bool {
        let p = parameters.pointer
        // Summing is one vectorisable pass; NaN or inf anywhere makes the sum non-finite.
        var sum: Float = 0
        for i in 0..<parameters.count { sum += p[i] * 0 }
        return sum.isFinite
    }

    /// Copies every parameter from a network of the same shape.
    public func load(_ other: Network) {
        precondition(other.shape == shape)
        parameters.pointer.update(from: other.parameters.pointer, count: shape.parameterCount)
    }

    public func copy() -> Network {
        let n = Network(sizes: shape.sizes, hiddenActivation: hiddenActivation, task: task,
                        initialization: .pytorch, seed: 0)
        n.parameters.pointer.update(from: parameters.pointer, count: shape.parameterCount)
        n.mask = mask?.copy()
        n.featureIndices = featureIndices
        n.nodeIndices = nodeIndices
        return n
    }

    /// Removes inputs and hidden nodes physically: the matrices shrink, so later
    /// training is faster. `keepInputs` and `keepNodes[l]` are positions in the current
    /// network, ascending. The same gather is applied to each companion buffer laid
    /// out like the parameters (optimiser moments, initial weights, ...), which are
    /// returned in the new layout. The mask, if any, is compacted too.
    @discardableResult
    public func compact(keepInputs: [Int]? = nil, keepNodes: [[Int]?]? = nil,
                        companions: [FloatBuffer] = []) -> [FloatBuffer] {
        let old = shape
        var keep: [[Int]] = [keepInputs ?? Array(0..<old.sizes[0])]
        for l in 0..<(old.sizes.count - 2) {
            keep.append(keepNodes?[l] ?? Array(0..<old.sizes[l + 1]))
        }
        keep.append(Array(0..<old.outputCount))
        let newShape = NetworkShape(sizes: keep.map(\.count))
        func gather(_ src: FloatBuffer) -> FloatBuffer {
            let dst = FloatBuffer(count: newShape.parameterCount)
            for l in 0..<old.layers.count {
                let (o, n) = (old.layers[l], newShape.layers[l])
                let rowsKept = keep[l], colsKept = keep[l + 1]
                for (r, k) in rowsKept.enumerated() {
                    let s = src.pointer + o.weightOffset + k * o.output
                    let d = dst.pointer + n.weightOffset + r * n.output
                    for (c, j) in colsKept.enumerated() { d[c] = s[j] }
                }
                for (c, j) in colsKept.enumerated() { dst[n.biasOffset + c] = src[o.biasOffset + j] }
            }
            return dst
        }
        parameters = gather(parameters)
        if let m = mask { mask = gather(m) }
        featureIndices = keep[0].map { featureIndices[$0] }
        for l in 0..<nodeIndices.count { nodeIndices[l] = keep[l + 1].map { nodeIndices[l][$0] } }
        shape = newShape
        return companions.map(gather)
    }

    /// Unpruned weights of layer l.
    public func liveConnections(layer l: Int) -> Int {
        let L = shape.layers[l]
        guard let mask else { return L.weightCount }
        var n = 0
        for i in L.weightOffset..<(L.weightOffset + L.weightCount) where mask[i] != 0 { n += 1 }
        return n
    }

    /// Unpruned weights of every layer (biases not counted), as the cpna paper counts connections.
    public var liveConnections: Int { (0..<layerCount).reduce(0) { $0 + liveConnections(layer: $1) } }
}
