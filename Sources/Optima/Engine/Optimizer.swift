// The optimisers: Adam (PyTorch semantics, coupled L2 weight decay), minibatch SGD,
// and full-batch gradient descent (SGD whose batch is the whole training set).
// One kernel call updates every parameter of the network.

public enum OptimizerKind: String, CaseIterable, Sendable {
    case adam, sgd, gd
}

public struct OptimizerSettings: Equatable, Sendable {
    public var kind: OptimizerKind = .adam
    public var learningRate: Float = 1e-3
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    /// Added to the gradient as wd * parameter, as PyTorch's `weight_decay` does (1e-4: the nsa preset).
    public var weightDecay: Float = 1e-4
    public init() {}
}

public final class Optimizer {
    public let settings: OptimizerSettings
    /// Adam's first and second moments, laid out like the parameters (empty for SGD).
    public private(set) var m: FloatBuffer
    public private(set) var v: FloatBuffer
    /// Steps taken so far (Adam's bias correction uses step + 1).
    public private(set) var step = 0

    public init(_ settings: OptimizerSettings, parameterCount: Int) {
        self.settings = settings
        let n = settings.kind == .adam ? parameterCount : 0
        m = FloatBuffer(count: n)
        v = FloatBuffer(count: n)
    }

    /// Applies one update to the network from the gradient buffer.
    @inline(__always)
    public func update(_ network: Network, gradients: FloatBuffer) {
        beginStep()
        update(network, gradients: gradients, parameters: 0..<network.parameters.count)
    }

    /// Counts a step; `update(_:gradients:parameters:)` then updates its parameters in parts.
    @inline(__always)
    func beginStep() { step += 1 }

    /// The current step's update of the parameters in `range` alone. Every update is
    /// element by element, so parts on several threads give exactly the whole update.
    @inline(__always)
    func update(_ network: Network, gradients: FloatBuffer, parameters range: Range<Int>) {
        let lo = range.lowerBound, p = network.parameters.pointer + lo, g = gradients.pointer + lo
        let mask = network.mask.map { UnsafePointer($0.pointer + lo) }
        switch settings.kind {
        case .adam:
            Kernels.adamStep(params: p, grads: g, m: m.pointer + lo, v: v.pointer + lo, mask: mask,
                             count: range.count, lr: settings.learningRate, beta1: settings.beta1,
                             beta2: settings.beta2, eps: settings.epsilon, weightDecay: settings.weightDecay,
                             step: step)
        case .sgd, .gd:
            Kernels.sgdStep(params: p, grads: g, mask: mask, count: range.count,
                            lr: settings.learningRate, weightDecay: settings.weightDecay)
        }
    }

    /// The moment buffers, for a caller that compacts the network with them.
    public var stateBuffers: [FloatBuffer] { settings.kind == .adam ? [m, v] : [] }

    /// Replaces the moments after the network was compacted (same order as stateBuffers).
    public func replaceState(_ buffers: [FloatBuffer]) {
        guard settings.kind == .adam else { return }
        precondition(buffers.count == 2)
        m = buffers[0]
        v = buffers[1]
    }

    /// Forgets the moments of the parameters whose mask entry is 0 (pruned ones), so a
    /// pruned weight restarts from nothing if it were ever revived.
    public func applyMask(_ mask: FloatBuffer) {
        guard settings.kind == .adam else { return }
        for i in 0..<mask.count where mask[i] == 0 {
            m[i] = 0
            v[i] = 0
        }
    }

    /// Starts over: zero moments and step count (retraining from a new initialisation).
    public func reset(parameterCount: Int) {
        let n = settings.kind == .adam ? parameterCount : 0
        m = FloatBuffer(count: n)
        v = FloatBuffer(count: n)
        step = 0
    }
}
