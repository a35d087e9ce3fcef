// Many small networks trained in lockstep: N networks of one shape p-h-1 (ReLU hidden
// layer, one output) that see the same minibatches. Each step loads the batch once, runs
// every network's forward and backward pass through the fused C kernels (the same calls a
// single network's training makes), and updates all of them with one optimiser call over
// their parameters laid end to end. Adam and weight decay act element by element, so each
// network follows exactly the path it would follow alone with the same batch order (up to
// the order of float sums). What is saved is per-network overhead: the batch copy, the
// optimiser call, the epoch loop.
//
// Layout: network n's parameters are block n of one buffer, each in `Network`'s own layout.

public final class LockstepTrainer {
    public let count: Int
    public let shape: NetworkShape
    public let train: Dataset
    public let settings: TrainingSettings
    public let task: Task
    private let block: Int
    private let parameters: FloatBuffer
    private let gradients: FloatBuffer
    private let m: FloatBuffer, v: FloatBuffer
    private var step = 0
    private let rowsPerBatch: Int
    // Per-batch buffers shared by the networks in turn: inputs, targets, one network's
    // hidden activations, its outputs and their gradients.
    private let x: FloatBuffer, y: FloatBuffer, a: FloatBuffer, outputs: FloatBuffer, gradOutputs: FloatBuffer
    private let workspace: FloatBuffer?
    private var shuffle: Xoshiro256
    private var order: [Int]
    public private(set) var epoch = 0

    /// Copies the networks' parameters. Each must be p-h-1 with a ReLU hidden layer, a
    /// one-output task and no mask (plain training).
    public init(networks: [Network], train: Dataset, settings: TrainingSettings) {
        precondition(!networks.isEmpty)
        let s = networks[0].shape
        precondition(s.layers.count == 2 && s.outputCount == 1, "lockstep trains p-h-1 networks")
        precondition(networks.allSatisfy { $0.shape == s && $0.hiddenActivation == .relu && $0.mask == nil && $0.task == networks[0].task })
        precondition(train.featureCount == s.inputCount && train.targetWidth == 1 && train.count > 0)
        count = networks.count
        shape = s
        task = networks[0].task
        self.train = train
        self.settings = settings
        block = s.parameterCount
        parameters = FloatBuffer(count: count * block)
        gradients = FloatBuffer(count: count * block)
        m = FloatBuffer(count: count * block)
        v = FloatBuffer(count: count * block)
        rowsPerBatch = settings.optimizer.kind == .gd ? train.count : min(settings.batchSize, train.count)
        x = FloatBuffer(count: rowsPerBatch * s.inputCount)
        y = FloatBuffer(count: rowsPerBatch)
        a = FloatBuffer(count: rowsPerBatch * s.layers[0].output)
        outputs = FloatBuffer(count: rowsPerBatch)
        gradOutputs = FloatBuffer(count: rowsPerBatch)
        let ws = max(Kernels.denseWorkspaceCount(input: s.inputCount, output: s.layers[0].output),
                     Kernels.denseWorkspaceCount(input: s.layers[0].output, output: 1))
        workspace = ws > 0 ? FloatBuffer(count: ws) : nil
        // The same generator and stream as Trainer, so one network here and alone see the same batches.
        shuffle = Xoshiro256(seed: settings.seed, stream: 0x5AFF)
        order = Array(0..<train.count)
        for (n, net) in networks.enumerated() {
            (parameters.pointer + n * block).update(from: net.parameters.pointer, count: block)
        }
    }

    /// Writes network n's parameters into `net` (same shape).
    public func copy(block n: Int, into net: Network) {
        precondition(net.shape == shape)
        net.parameters.pointer.update(from: parameters.pointer + n * block, count: block)
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
        let xp = x.pointer, yp = y.pointer, p = shape.inputCount
        train.features.withUnsafeBufferPointer { f in
            train.targets.withUnsafeBufferPointer { t in
                for r in 0..<rows {
                    let i = order[start + r]
                    for c in 0..<p { xp[r * p + c] = f[i * p + c] }
                    yp[r] = t[i]
                }
            }
        }
    }

    /// Forward, loss gradient and backward of every network, then one optimiser update.
    private func stepAll(rows: Int) {
        let hiddenLayer = shape.layers[0], out = shape.layers[1]
        let A = a.pointer, o = outputs.pointer, dO = gradOutputs.pointer, ws = workspace?.pointer
        for n in 0..<count {
            let p = UnsafePointer(parameters.pointer + n * block), g = gradients.pointer + n * block
            Kernels.denseForward(x.pointer, rows: rows, input: hiddenLayer.input, output: hiddenLayer.output,
                                 weights: p + hiddenLayer.weightOffset, bias: p + hiddenLayer.biasOffset,
                                 activation: .relu, into: A, workspace: ws)
            Kernels.denseForward(A, rows: rows, input: out.input, output: 1, weights: p + out.weightOffset,
                                 bias: p + out.biasOffset, activation: .identity, into: o, workspace: ws)
            Loss.gradient(task: task, outputs: o, targets: y.pointer, into: dO, rows: rows)
            var sum: Float = 0
            for r in 0..<rows { sum += dO[r] }
            g[out.biasOffset] = sum
            Kernels.reluBackwardFromOneOutput(x.pointer, rows: rows, input: hiddenLayer.input, output: hiddenLayer.output,
                                              weights: p + hiddenLayer.weightOffset, activations: A,
                                              nextWeights: p + out.weightOffset, gradOutput: dO,
                                              gradWeights: g + hiddenLayer.weightOffset, gradBias: g + hiddenLayer.biasOffset,
                                              nextGradWeights: g + out.weightOffset, gradInput: nil)
        }
        step += 1
        let opt = settings.optimizer, all = parameters.count
        switch opt.kind {
        case .adam:
            Kernels.adamStep(params: parameters.pointer, grads: gradients.pointer, m: m.pointer, v: v.pointer, mask: nil,
                             count: all, lr: opt.learningRate, beta1: opt.beta1, beta2: opt.beta2, eps: opt.epsilon,
                             weightDecay: opt.weightDecay, step: step)
        case .sgd, .gd:
            Kernels.sgdStep(params: parameters.pointer, grads: gradients.pointer, mask: nil, count: all,
                            lr: opt.learningRate, weightDecay: opt.weightDecay)
        }
    }
}
