// The one door to the hot loops. Every operation goes to the C kernels (whose
// ISA variant the C side picked once from CPUID) or, on the `swift` path, to the
// pure-Swift SIMD implementation. Callers never see which.
import CKernels

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum KernelPath: String, CaseIterable, Sendable {
    case avx512, avx2, scalar, swift

    /// The C dispatch code of a C path; nil for `swift`.
    var cPath: Int32? {
        switch self {
        case .avx512: return Int32(OPTIMA_PATH_AVX512)
        case .avx2: return Int32(OPTIMA_PATH_AVX2)
        case .scalar: return Int32(OPTIMA_PATH_SCALAR)
        case .swift: return nil
        }
    }
}

public enum Activation: Int32, Sendable {
    case identity = 0, relu = 1, sigmoid = 2
}

public enum Kernels {
    /// The path in use: from OPTIMA_KERNELS when set (an unknown or unsupported value is a
    /// one-line error on stderr and exit status 2), else the best the CPU supports.
    public static var path: KernelPath { current }

    /// Paths this CPU can run (swift and scalar always), fastest first.
    public static var supported: [KernelPath] { supportedPaths }

    /// Switch path (tests, benchmarks). Returns false, changing nothing, if the CPU cannot run it.
    @discardableResult
    public static func use(_ newPath: KernelPath) -> Bool {
        guard supportedPaths.contains(newPath) else { return false }
        // The swift path leaves C on its best path for anything still asked of it.
        _ = optima_set_path(newPath.cPath ?? optima_best_path())
        current = newPath
        return true
    }

    private static let supportedPaths: [KernelPath] = {
        let best = optima_best_path()
        var paths: [KernelPath] = []
        if best >= Int32(OPTIMA_PATH_AVX512) { paths.append(.avx512) }
        if best >= Int32(OPTIMA_PATH_AVX2) { paths.append(.avx2) }
        return paths + [.scalar, .swift]
    }()

    private static var current: KernelPath = initialPath()

    private static func initialPath() -> KernelPath {
        guard let raw = getenv("OPTIMA_KERNELS") else {
            return KernelPath.allCases.first { $0.cPath == optima_best_path() } ?? .scalar
        }
        let name = String(cString: raw)
        guard let requested = KernelPath(rawValue: name), supportedPaths.contains(requested) else {
            let choices = supportedPaths.map(\.rawValue).joined(separator: "|")
            fputs("optima: OPTIMA_KERNELS=\(name) is not a path this CPU can run (\(choices))\n", stderr)
            exit(2)
        }
        _ = optima_set_path(requested.cPath ?? optima_best_path())
        return requested
    }

    // MARK: dense layer

    /// Floats of workspace a dense layer of this shape needs (0 when none).
    public static func denseWorkspaceCount(input: Int, output: Int) -> Int {
        Int(optima_dense_workspace(Int32(input), Int32(output)))
    }

    /// a = act(x * weights + bias); x [rows x input], weights [input x output] (input-major).
    @inline(__always)
    public static func denseForward(_ x: UnsafePointer<Float>, rows: Int, input: Int, output: Int,
                                    weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                                    activation: Activation, into a: UnsafeMutablePointer<Float>,
                                    workspace: UnsafeMutablePointer<Float>?) {
        if current == .swift {
            SwiftKernels.denseForward(x, rows: rows, input: input, output: output, weights: weights,
                                      bias: bias, activation: activation, into: a, workspace: workspace)
        } else {
            optima_dense_forward(x, Int32(rows), Int32(input), Int32(output), weights, bias,
                                 activation.rawValue, a, workspace)
        }
    }

    /// gradOutput holds dLoss/dA on entry and dLoss/dZ on return; gradWeights, gradBias and
    /// gradInput (skipped when nil) are overwritten.
    @inline(__always)
    public static func denseBackward(_ x: UnsafePointer<Float>, rows: Int, input: Int, output: Int,
                                     weights: UnsafePointer<Float>, activations: UnsafePointer<Float>,
                                     activation: Activation, gradOutput: UnsafeMutablePointer<Float>,
                                     gradWeights: UnsafeMutablePointer<Float>,
                                     gradBias: UnsafeMutablePointer<Float>,
                                     gradInput: UnsafeMutablePointer<Float>?,
                                     workspace: UnsafeMutablePointer<Float>?) {
        if current == .swift {
            SwiftKernels.denseBackward(x, rows: rows, input: input, output: output, weights: weights,
                                       activations: activations, activation: activation,
                                       gradOutput: gradOutput, gradWeights: gradWeights,
                                       gradBias: gradBias, gradInput: gradInput, workspace: workspace)
        } else {
            optima_dense_backward(x, Int32(rows), Int32(input), Int32(output), weights, activations,
                                  activation.rawValue, gradOutput, gradWeights, gradBias, gradInput,
                                  workspace)
        }
    }

    /// Backward through a ReLU layer (x [rows x input] -> activations [rows x output]) whose
    /// outputs feed a one-output identity layer with weights `nextWeights` [output], given
    /// `gradOutput` [rows], dLoss/dz of that one output. The ReLU layer's dLoss/dA is never
    /// formed: gradWeights, gradBias and gradInput (skipped when nil) are overwritten, and
    /// nextGradWeights (skipped when nil) receives the one-output layer's weight gradient.
    @inline(__always)
    public static func reluBackwardFromOneOutput(_ x: UnsafePointer<Float>, rows: Int, input: Int,
                                                 output: Int, weights: UnsafePointer<Float>,
                                                 activations: UnsafePointer<Float>,
                                                 nextWeights: UnsafePointer<Float>,
                                                 gradOutput: UnsafePointer<Float>,
                                                 gradWeights: UnsafeMutablePointer<Float>,
                                                 gradBias: UnsafeMutablePointer<Float>,
                                                 nextGradWeights: UnsafeMutablePointer<Float>?,
                                                 gradInput: UnsafeMutablePointer<Float>?) {
        if current == .swift {
            SwiftKernels.reluBackwardFromOneOutput(x, rows: rows, input: input, output: output,
                                                   weights: weights, activations: activations,
                                                   nextWeights: nextWeights, gradOutput: gradOutput,
                                                   gradWeights: gradWeights, gradBias: gradBias,
                                                   nextGradWeights: nextGradWeights, gradInput: gradInput)
        } else {
            optima_relu_backward_from_one_output(x, Int32(rows), Int32(input), Int32(output), weights,
                                                 activations, nextWeights, gradOutput, gradWeights,
                                                 gradBias, nextGradWeights, gradInput)
        }
    }

    // MARK: optimisers

    /// One Adam step (PyTorch semantics, coupled L2 weight decay); `step` is 1-based.
    /// Where mask is 0 the weight and both moments become exactly 0.
    @inline(__always)
    public static func adamStep(params: UnsafeMutablePointer<Float>, grads: UnsafePointer<Float>,
                                m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
                                mask: UnsafePointer<Float>?, count: Int, lr: Float, beta1: Float,
                                beta2: Float, eps: Float, weightDecay: Float, step: Int) {
        if current == .swift {
            SwiftKernels.adamStep(params: params, grads: grads, m: m, v: v, mask: mask, count: count,
                                  lr: lr, beta1: beta1, beta2: beta2, eps: eps,
                                  weightDecay: weightDecay, step: step)
        } else if let mask {
            optima_adam_step_masked(params, grads, m, v, mask, count, lr, beta1, beta2, eps,
                                    weightDecay, Int64(step))
        } else {
            optima_adam_step(params, grads, m, v, count, lr, beta1, beta2, eps, weightDecay, Int64(step))
        }
    }

    /// p -= lr * (g + weightDecay * p); masked weights become exactly 0.
    @inline(__always)
    public static func sgdStep(params: UnsafeMutablePointer<Float>, grads: UnsafePointer<Float>,
                               mask: UnsafePointer<Float>?, count: Int, lr: Float, weightDecay: Float) {
        if current == .swift {
            SwiftKernels.sgdStep(params: params, grads: grads, mask: mask, count: count, lr: lr,
                                 weightDecay: weightDecay)
        } else if let mask {
            optima_sgd_step_masked(params, grads, mask, count, lr, weightDecay)
        } else {
            optima_sgd_step(params, grads, count, lr, weightDecay)
        }
    }

    // MARK: norms

    /// out[j] = sum_i m[i][j]^2
    public static func colSumSq(_ m: UnsafePointer<Float>, rows: Int, cols: Int,
                                into out: UnsafeMutablePointer<Float>) {
        if current == .swift { SwiftKernels.colSumSq(m, rows: rows, cols: cols, into: out) }
        else { optima_col_sumsq(m, Int32(rows), Int32(cols), out) }
    }

    /// out[i] = sum_j m[i][j]^2
    public static func rowSumSq(_ m: UnsafePointer<Float>, rows: Int, cols: Int,
                                into out: UnsafeMutablePointer<Float>) {
        if current == .swift { SwiftKernels.rowSumSq(m, rows: rows, cols: cols, into: out) }
        else { optima_row_sumsq(m, Int32(rows), Int32(cols), out) }
    }

    /// m[i][j] *= s[j]
    public static func scaleCols(_ m: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                                 by s: UnsafePointer<Float>) {
        if current == .swift { SwiftKernels.scaleCols(m, rows: rows, cols: cols, by: s) }
        else { optima_scale_cols(m, Int32(rows), Int32(cols), s) }
    }

    /// m[i][j] *= s[i]
    public static func scaleRows(_ m: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                                 by s: UnsafePointer<Float>) {
        if current == .swift { SwiftKernels.scaleRows(m, rows: rows, cols: cols, by: s) }
        else { optima_scale_rows(m, Int32(rows), Int32(cols), s) }
    }

    /// Node normalisation (Guo & Barbu, Eq. 3): each node's incoming weights and bias are
    /// divided by the node's norm and its outgoing weights (`next`, [output x nextOutput])
    /// multiplied by it; `norms` receives the norms. Zero-norm nodes are left as they are.
    public static func normalizeNodes(weights: UnsafeMutablePointer<Float>, input: Int, output: Int,
                                      bias: UnsafeMutablePointer<Float>, next: UnsafeMutablePointer<Float>?,
                                      nextOutput: Int, norms: UnsafeMutablePointer<Float>) {
        if current == .swift {
            SwiftKernels.normalizeNodes(weights: weights, input: input, output: output, bias: bias,
                                        next: next, nextOutput: nextOutput, norms: norms)
        } else {
            optima_normalize_nodes(weights, Int32(input), Int32(output), bias, next,
                                   Int32(nextOutput), norms)
        }
    }

    // MARK: peak

    /// Measured single-core fp32 peak of a path in GFLOP/s (0 if the CPU cannot run it).
    public static func peakGFLOPs(_ path: KernelPath, seconds: Double) -> Double {
        guard let c = path.cPath else { return SwiftKernels.peakGFLOPs(seconds: seconds) }
        return optima_peak_fma_gflops(c, seconds)
    }
}
