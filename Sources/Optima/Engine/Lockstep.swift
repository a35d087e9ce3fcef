// Many small networks trained in lockstep: N networks of one shape p-h-1 (ReLU hidden
// layer, one output) that see the same minibatches are one wide hidden layer p → N·h and a
// block-diagonal output layer. Every step is then one matrix product forward and one
// backward for all N, instead of N calls on 64 × 3 × 64 matrices that are mostly call
// overhead; the optimiser runs once over all parameters. Adam and weight decay act
// element by element and the blocks never mix, so each network follows exactly the path
// it would follow alone with the same batch order (up to the order of float sums).
//
// Layout: W [p × N·h] input-major (network n's nodes are columns n·h ..< (n+1)·h), b [N·h],
// v [N·h] (node j's output weight), c [N]; the optimiser sees them as one buffer in that order.

public final class LockstepTrainer {
    public let count: Int
    public let hidden: Int
    public let train: Dataset
    public let settings: TrainingSettings
    public let task: Task
    private let features: Int
    private var width: Int { count * hidden }
    private let parameters: FloatBuffer
    private let gradients: FloatBuffer
    private let m: FloatBuffer, v: FloatBuffer
    private var step = 0
    private let rowsPerBatch: Int
    // Per-batch buffers: inputs, targets, activations [rows × N·h], outputs and their
    // gradients [N × rows] (network-major, so each network's rows are contiguous).
    private let x: FloatBuffer, y: FloatBuffer, a: FloatBuffer, gradA: FloatBuffer
    private let outputs: FloatBuffer, gradOutputs: FloatBuffer
    private let workspace: FloatBuffer?
    private var shuffle: Xoshiro256
    private var order: [Int]
    public private(set) var epoch = 0

    /// Gathers the networks' parameters. Each must be p-h-1 with a ReLU hidden layer, a
    /// one-output task and no mask (plain training).
    public init(networks: [Network], train: Dataset, settings: TrainingSettings) {
        precondition(!networks.isEmpty)
        let s = networks[0].shape
        precondition(s.layers.count == 2 && s.outputCount == 1, "lockstep trains p-h-1 networks")
        precondition(networks.allSatisfy { $0.shape == s && $0.hiddenActivation == .relu && $0.mask == nil && $0.task == networks[0].task })
        precondition(train.featureCount == s.inputCount && train.targetWidth == 1 && train.count > 0)
        count = networks.count
        hidden = s.layers[0].output
        features = s.inputCount
        task = networks[0].task
        self.train = train
        self.settings = settings
        let total = features * count * hidden + 2 * count * hidden + count
        parameters = FloatBuffer(count: total)
        gradients = FloatBuffer(count: total)
        m = FloatBuffer(count: total)
        v = FloatBuffer(count: total)
        rowsPerBatch = settings.optimizer.kind == .gd ? train.count : min(settings.batchSize, train.count)
        x = FloatBuffer(count: rowsPerBatch * features)
        y = FloatBuffer(count: rowsPerBatch)
        a = FloatBuffer(count: rowsPerBatch * count * hidden)
        gradA = FloatBuffer(count: rowsPerBatch * count * hidden)
        outputs = FloatBuffer(count: rowsPerBatch * count)
        gradOutputs = FloatBuffer(count: rowsPerBatch * count)
        let ws = Kernels.denseWorkspaceCount(input: features, output: count * hidden)
        workspace = ws > 0 ? FloatBuffer(count: ws) : nil
        // The same generator and stream as Trainer, so one network here and alone see the same batches.
        shuffle = Xoshiro256(seed: settings.seed, stream: 0x5AFF)
        order = Array(0..<train.count)
        for (n, net) in networks.enumerated() { copy(net, toBlock: n) }
    }

    // Offsets of W, b, v and c in the parameter buffer.
    private var bOffset: Int { features * width }
    private var vOffset: Int { bOffset + width }
    private var cOffset: Int { vOffset + width }

    private func copy(_ net: Network, toBlock n: Int) {
        let L0 = net.shape.layers[0], L1 = net.shape.layers[1], src = net.parameters.pointer, dst = parameters.pointer
        for i in 0..<features { for j in 0..<hidden { dst[i * width + n * hidden + j] = src[L0.weightOffset + i * hidden + j] } }
        for j in 0..<hidden {
            dst[bOffset + n * hidden + j] = src[L0.biasOffset + j]
            dst[vOffset + n * hidden + j] = src[L1.weightOffset + j]
        }
        dst[cOffset + n] = src[L1.biasOffset]
    }

    /// Writes block n's parameters into `net` (same shape).
    public func copy(block n: Int, into net: Network) {
        let L0 = net.shape.layers[0], L1 = net.shape.layers[1], src = parameters.pointer, dst = net.parameters.pointer
        for i in 0..<features { for j in 0..<hidden { dst[L0.weightOffset + i * hidden + j] = src[i * width + n * hidden + j] } }
        for j in 0..<hidden {
            dst[L0.biasOffset + j] = src[bOffset + n * hidden + j]
            dst[L1.weightOffset + j] = src[vOffset + n * hidden + j]
        }
        dst[L1.biasOffset] = src[cOffset + n]
    }

    /// One pass over the training set for every network.
    public func runEpoch() {
        shuffle.shuffle(&order)
        var start = 0
        while start < order.count {
            let rows = min(rowsPerBatch, order.count - start)
            load(from: start, rows: rows)
            stepAll(rows: rows)
            start += rows
        }
        epoch += 1
    }

    /// Trains until `settings.epochs` epochs are done.
    public func run() {
        while epoch < settings.epochs { runEpoch() }
    }

    private func load(from start: Int, rows: Int) {
        let xp = x.pointer, yp = y.pointer
        train.features.withUnsafeBufferPointer { f in
            train.targets.withUnsafeBufferPointer { t in
                for r in 0..<rows {
                    let i = order[start + r]
                    for c in 0..<features { xp[r * features + c] = f[i * features + c] }
                    yp[r] = t[i]
                }
            }
        }
    }

    /// Forward, loss gradient, backward and one optimiser update for all networks.
    private func stepAll(rows: Int) {
        let h = hidden, M = width, N = count
        let p = parameters.pointer, g = gradients.pointer
        let A = a.pointer, dA = gradA.pointer, o = outputs.pointer, dO = gradOutputs.pointer
        Kernels.denseForward(x.pointer, rows: rows, input: features, output: M, weights: p, bias: p + bOffset,
                             activation: .relu, into: A, workspace: workspace?.pointer)
        // Each network's output: its block of activations dotted with its output weights.
        let vw = p + vOffset
        for n in 0..<N {
            let c = p[cOffset + n], vn = vw + n * h
            for r in 0..<rows { o[n * rows + r] = c + blockDot(A + r * M + n * h, vn, h) }
            Loss.gradient(task: task, outputs: o + n * rows, targets: y.pointer, into: dO + n * rows, rows: rows)
        }
        // Output layer gradients, and dLoss/dA for the hidden layer.
        let gv = g + vOffset, gc = g + cOffset
        for n in 0..<N {
            let vn = vw + n &* h, gvn = gv + n &* h, dOn = dO + n &* rows
            var sum: Float = 0
            for j in 0..<h { gvn[j] = 0 }
            for r in 0..<rows {
                let d = dOn[r]
                sum += d
                blockBackward(d, A + r &* M + n &* h, vn, gvn, dA + r &* M + n &* h, h)
            }
            gc[n] = sum
        }
        Kernels.denseBackward(x.pointer, rows: rows, input: features, output: M, weights: p, activations: A,
                              activation: .relu, gradOutput: dA, gradWeights: g, gradBias: g + bOffset,
                              gradInput: nil, workspace: workspace?.pointer)
        step += 1
        let o2 = settings.optimizer
        switch o2.kind {
        case .adam:
            Kernels.adamStep(params: p, grads: g, m: m.pointer, v: v.pointer, mask: nil, count: parameters.count,
                             lr: o2.learningRate, beta1: o2.beta1, beta2: o2.beta2, eps: o2.epsilon,
                             weightDecay: o2.weightDecay, step: step)
        case .sgd, .gd:
            Kernels.sgdStep(params: p, grads: g, mask: nil, count: parameters.count, lr: o2.learningRate,
                            weightDecay: o2.weightDecay)
        }
    }

    /// One row of one block: gv[j] += d·a[j] and dA[j] = d·v[j], 16 lanes at a time.
    @inline(__always)
    private func blockBackward(_ d: Float, _ a: UnsafePointer<Float>, _ v: UnsafePointer<Float>,
                               _ gv: UnsafeMutablePointer<Float>, _ dA: UnsafeMutablePointer<Float>, _ h: Int) {
        var j = 0
        let dd = SIMD16<Float>(repeating: d)
        while j &+ 16 <= h {
            let x = UnsafeRawPointer(a + j).loadUnaligned(as: SIMD16<Float>.self)
            let w = UnsafeRawPointer(v + j).loadUnaligned(as: SIMD16<Float>.self)
            let g = UnsafeRawPointer(gv + j).loadUnaligned(as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(gv + j).storeBytes(of: g + dd * x, as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(dA + j).storeBytes(of: dd * w, as: SIMD16<Float>.self)
            j &+= 16
        }
        while j < h {
            gv[j] += d * a[j]
            dA[j] = d * v[j]
            j &+= 1
        }
    }

    /// Σ a[j]·b[j] over one block, 16 lanes at a time where the block allows.
    @inline(__always)
    private func blockDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ h: Int) -> Float {
        var j = 0
        var acc = SIMD16<Float>()
        while j + 16 <= h {
            let x = UnsafeRawPointer(a + j).loadUnaligned(as: SIMD16<Float>.self)
            let w = UnsafeRawPointer(b + j).loadUnaligned(as: SIMD16<Float>.self)
            acc += x * w   // not addingProduct: without -mfma it becomes 16 calls to fmaf
            j += 16
        }
        var sum = acc.sum()
        while j < h {
            sum += a[j] * b[j]
            j += 1
        }
        return sum
    }
}
