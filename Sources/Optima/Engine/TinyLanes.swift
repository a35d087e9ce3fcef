// Many tiny networks trained together, one per SIMD lane. A 2-h-1 network on 4 points is
// all per-step overhead when it trains alone (a handful of kernel calls on 4 x 2 inputs);
// here each step of 8 or 16 networks is a few hundred vector instructions inside one C
// call that runs every step (CKernels/include/optima_tiny_lanes.h). Each network takes
// the full-batch steps the Trainer would take from the same weights, with the same loss
// and update; only the order and fusion of float operations differ (tested to float
// tolerance against separate training).
//
// Networks: p-h-1 with a ReLU or sigmoid hidden layer and one output (binary: log loss
// on the logit; regression: squared error), no mask, at most 4 inputs and 16 hidden nodes,
// trained full batch (GD, or Adam/SGD with a batch holding every point) on at most 16 points.

import CKernels

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

public enum TinyLanes {
    /// Whether `networks` on `data` with `settings` can train in lanes: every network tiny,
    /// of one shape and activation, unmasked, and every step full batch.
    public static func fits(_ networks: [Network], data: Dataset, settings: TrainingSettings) -> Bool {
        guard let first = networks.first else { return false }
        let s = first.shape
        let fullBatch = settings.optimizer.kind == .gd || settings.batchSize >= data.count
        let oneOutput: Bool
        switch first.task {
        case .binary, .regression(outputs: 1): oneOutput = true
        default: oneOutput = false
        }
        return oneOutput && fullBatch && s.layers.count == 2 && s.outputCount == 1
            && s.inputCount <= Int(OPTIMA_TINY_MAX_INPUTS) && s.layers[0].output <= Int(OPTIMA_TINY_MAX_HIDDEN)
            && data.count >= 1 && data.count <= Int(OPTIMA_TINY_MAX_ROWS)
            && data.featureCount == s.inputCount && data.targetWidth == 1
            && (first.hiddenActivation == .relu || first.hiddenActivation == .sigmoid)
            && networks.allSatisfy { $0.shape == s && $0.hiddenActivation == first.hiddenActivation
                && $0.task == first.task && $0.mask == nil && $0.featureIndices.count == s.inputCount }
    }

    /// Trains every network for `settings.epochs` full-batch steps from its current weights
    /// (a fresh optimiser, as a new Trainer starts) and writes the weights back. The caller
    /// has checked `fits`. A network whose weights turn non-finite keeps training (to NaN):
    /// where the Trainer stops at that epoch, the caller finds it by `parametersAreFinite`.
    public static func train(_ networks: [Network], on data: Dataset, settings: TrainingSettings) {
        precondition(fits(networks, data: data, settings: settings), "these networks do not fit in lanes")
        let shape = networks[0].shape, count = networks.count, np = shape.parameterCount
        // Structure of arrays: parameter k of network n at k*count + n.
        let params = FloatBuffer(count: np * count)
        let adam = settings.optimizer.kind == .adam
        let m = FloatBuffer(count: adam ? np * count : 0), v = FloatBuffer(count: adam ? np * count : 0)
        for (n, net) in networks.enumerated() {
            let src = net.parameters.pointer
            for k in 0..<np { params.pointer[k * count + n] = src[k] }
        }
        var task = optima_tiny_task()
        task.inputs = Int32(shape.inputCount)
        task.hidden = Int32(shape.layers[0].output)
        task.rows = Int32(data.count)
        task.activation = networks[0].hiddenActivation.rawValue
        task.loss = networks[0].task == .binary ? Int32(OPTIMA_TINY_LOSS_LOGISTIC) : Int32(OPTIMA_TINY_LOSS_SQUARED)
        task.optimizer = adam ? Int32(OPTIMA_TINY_ADAM) : Int32(OPTIMA_TINY_GD)
        let o = settings.optimizer
        (task.lr, task.beta1, task.beta2, task.eps, task.wd) = (o.learningRate, o.beta1, o.beta2, o.epsilon, o.weightDecay)
        data.features.withUnsafeBufferPointer { x in
            data.targets.withUnsafeBufferPointer { y in
                task.X = x.baseAddress
                task.y = y.baseAddress
                if Kernels.path == .swift {
                    trainInSwift(task, params: params.pointer, m: m.pointer, v: v.pointer, count: count,
                                 steps: settings.epochs)
                } else {
                    let status = optima_tiny_train(&task, params.pointer, adam ? m.pointer : nil, adam ? v.pointer : nil,
                                                   count, count, 0, Int64(settings.epochs))
                    precondition(status == 0, "tiny lanes refused a task that fits")
                }
            }
        }
        for (n, net) in networks.enumerated() {
            let dst = net.parameters.pointer
            for k in 0..<np { dst[k] = params.pointer[k * count + n] }
        }
    }

    /// The `swift` path: the same step, one network after another, in plain Swift loops
    /// (the scalar C reference's algorithm; a CPU without AVX runs the C reference itself).
    static func trainInSwift(_ t: optima_tiny_task, params: UnsafeMutablePointer<Float>,
                             m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count: Int, steps: Int) {
        let (P, H, R) = (Int(t.inputs), Int(t.hidden), Int(t.rows))
        let (ob1, ow2, ob2) = (P * H, P * H + H, P * H + 2 * H)
        let np = ob2 + 1, X = t.X!, y = t.y!
        let relu = t.activation == Activation.relu.rawValue, adam = t.optimizer == Int32(OPTIMA_TINY_ADAM)
        let squared = t.loss == Int32(OPTIMA_TINY_LOSS_SQUARED)
        let scale: Float = squared ? 2 / Float(R) : 1 / Float(R)
        var p = [Float](repeating: 0, count: np), g = p, mm = p, vv = p
        var a = [Float](repeating: 0, count: R * H), dz = [Float](repeating: 0, count: R)
        for n in 0..<count {
            for k in 0..<np {
                p[k] = params[k * count + n]
                if adam { (mm[k], vv[k]) = (m[k * count + n], v[k * count + n]) }
            }
            for s in 0..<steps {
                for i in 0..<R {
                    for j in 0..<H {
                        var z = p[ob1 + j]
                        for k in 0..<P { z += X[i * P + k] * p[k * H + j] }
                        a[i * H + j] = relu ? (z > 0 ? z : 0) : 1 / (1 + expf(-z))
                    }
                    var o = p[ob2]
                    for j in 0..<H { o += a[i * H + j] * p[ow2 + j] }
                    dz[i] = (squared ? o - y[i] : 1 / (1 + expf(-o)) - y[i]) * scale
                }
                var sum: Float = 0
                for i in 0..<R { sum += dz[i] }
                g[ob2] = sum
                for j in 0..<H {
                    var db: Float = 0, dw2: Float = 0
                    for k in 0..<P { g[k * H + j] = 0 }
                    for i in 0..<R {
                        let aij = a[i * H + j]
                        var d = dz[i] * p[ow2 + j]
                        d = relu ? (aij > 0 ? d : 0) : d * aij * (1 - aij)
                        db += d
                        dw2 += dz[i] * aij
                        for k in 0..<P { g[k * H + j] += X[i * P + k] * d }
                    }
                    g[ob1 + j] = db
                    g[ow2 + j] = dw2
                }
                if adam {
                    // optima_adam_step's bias corrections: in Double, then Float.
                    let step = Double(s + 1)
                    let stepSize = Float(Double(t.lr) / (1 - pow(Double(t.beta1), step)))
                    let invRoot = Float(1 / (1 - pow(Double(t.beta2), step)).squareRoot())
                    for k in 0..<np {
                        let grad = g[k] + t.wd * p[k]
                        mm[k] = t.beta1 * mm[k] + (1 - t.beta1) * grad
                        vv[k] = t.beta2 * vv[k] + (1 - t.beta2) * grad * grad
                        p[k] = p[k] - stepSize * mm[k] / (vv[k].squareRoot() * invRoot + t.eps)
                    }
                } else {
                    for k in 0..<np { p[k] = p[k] - t.lr * (g[k] + t.wd * p[k]) }
                }
            }
            for k in 0..<np {
                params[k * count + n] = p[k]
                if adam { (m[k * count + n], v[k * count + n]) = (mm[k], vv[k]) }
            }
        }
    }
}
