// The one door to the hot loops. Every operation is one call through a table of
// function pointers chosen when the path is set: the C entry points (whose ISA
// variant the C side picked once from CPUID) or, on the `swift` path, the pure-Swift
// SIMD implementation. Callers never see which.
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

    /// The operations this path runs. The C paths share one table of C entry points:
    /// which ISA variant answers is the C dispatch's choice, set alongside.
    var table: KernelTable { self == .swift ? .swift : .c }
}

/// One C-convention function pointer per operation, with the C entry points' signatures
/// (`KernelTable.swift`, the extension at the end of SwiftKernels.swift, adapts the Swift
/// kernels to them). A plain function pointer, unlike a closure, has no context to
/// retain: a call through the table is one indirect call and allocates nothing.
struct KernelTable {
    // Optional, as C pointers import: Kernels' own signatures say which may be nil.
    typealias Floats = UnsafePointer<Float>?
    typealias MutableFloats = UnsafeMutablePointer<Float>?

    let denseForward: @convention(c) (
        _ x: Floats, _ rows: Int32, _ input: Int32, _ output: Int32, _ weights: Floats, _ bias: Floats,
        _ activation: Int32, _ a: MutableFloats, _ workspace: MutableFloats) -> Void
    let denseBackward: @convention(c) (
        _ x: Floats, _ rows: Int32, _ input: Int32, _ output: Int32, _ weights: Floats,
        _ activations: Floats, _ activation: Int32, _ gradOutput: MutableFloats,
        _ gradWeights: MutableFloats, _ gradBias: MutableFloats, _ gradInput: MutableFloats,
        _ workspace: MutableFloats) -> Void
    let reluBackwardFromOneOutput: @convention(c) (
        _ x: Floats, _ rows: Int32, _ input: Int32, _ output: Int32, _ weights: Floats,
        _ activations: Floats, _ nextWeights: Floats, _ gradOutput: Floats,
        _ gradWeights: MutableFloats, _ gradBias: MutableFloats, _ nextGradWeights: MutableFloats,
        _ gradInput: MutableFloats, _ gradZ: MutableFloats) -> Void
    let adamStep: @convention(c) (
        _ params: MutableFloats, _ grads: Floats, _ m: MutableFloats, _ v: MutableFloats,
        _ mask: Floats, _ count: Int, _ lr: Float, _ beta1: Float, _ beta2: Float, _ eps: Float,
        _ weightDecay: Float, _ step: Int64) -> Void
    let sgdStep: @convention(c) (
        _ params: MutableFloats, _ grads: Floats, _ mask: Floats, _ count: Int, _ lr: Float,
        _ weightDecay: Float) -> Void
    let colSumSq: @convention(c) (_ m: Floats, _ rows: Int32, _ cols: Int32, _ out: MutableFloats) -> Void
    let rowSumSq: @convention(c) (_ m: Floats, _ rows: Int32, _ cols: Int32, _ out: MutableFloats) -> Void
    let scaleCols: @convention(c) (_ m: MutableFloats, _ rows: Int32, _ cols: Int32, _ s: Floats) -> Void
    let scaleRows: @convention(c) (_ m: MutableFloats, _ rows: Int32, _ cols: Int32, _ s: Floats) -> Void
    let normalizeNodes: @convention(c) (
        _ weights: MutableFloats, _ input: Int32, _ output: Int32, _ bias: MutableFloats,
        _ next: MutableFloats, _ nextOutput: Int32, _ norms: MutableFloats) -> Void

    /// The C entry points. A nil mask is the unmasked update (see optima_kernels.h), so
    /// the masked forms serve both.
    static let c = KernelTable(
        denseForward: optima_dense_forward,
        denseBackward: optima_dense_backward,
        reluBackwardFromOneOutput: optima_relu_backward_from_one_output,
        adamStep: optima_adam_step_masked,
        sgdStep: optima_sgd_step_masked,
        colSumSq: optima_col_sumsq,
        rowSumSq: optima_row_sumsq,
        scaleCols: optima_scale_cols,
        scaleRows: optima_scale_rows,
        normalizeNodes: optima_normalize_nodes)
}

public enum Kernels {
    /// The path in use: from OPTIMA_KERNELS when set and runnable here (`checkEnvironment`
    /// reports a value that is not), else the best the CPU supports.
    public static var path: KernelPath { current }

    /// Paths this CPU can run (swift and scalar always), fastest first.
    public static var supported: [KernelPath] { supportedPaths }

    /// Switch path (tests, benchmarks). Returns false, changing nothing, if the CPU cannot run it.
    @discardableResult
    public static func use(_ newPath: KernelPath) -> Bool {
        guard supportedPaths.contains(newPath) else { return false }
        select(newPath)
        return true
    }

    private static let supportedPaths: [KernelPath] = {
        let best = optima_best_path()
        var paths: [KernelPath] = []
        if best >= Int32(OPTIMA_PATH_AVX512) { paths.append(.avx512) }
        if best >= Int32(OPTIMA_PATH_AVX2) { paths.append(.avx2) }
        return paths + [.scalar, .swift]
    }()

    /// The table every operation below calls through (tests compare its entries).
    static var tableInUse: KernelTable { table }

    private static var current: KernelPath = initialPath()
    /// `current`'s operations, replaced only together with it: the calls below read
    /// nothing else to know where to go. Private, so the optimiser sees every access and
    /// drops the run-time exclusivity check from the hot path.
    private static var table: KernelTable = current.table

    private static func select(_ newPath: KernelPath) {
        // The swift path leaves C on its best path for anything still asked of it.
        _ = optima_set_path(newPath.cPath ?? optima_best_path())
        current = newPath
        table = newPath.table
    }

    /// The path OPTIMA_KERNELS asks for, read once: the library's only reader of it (the C
    /// dispatch starts on the best path and is told this one). A value this CPU cannot run
    /// leaves the best path in use and is reported by `checkEnvironment`, never by exiting.
    private static let requested: (path: KernelPath?, problem: String?) = {
        guard let raw = getenv("OPTIMA_KERNELS") else { return (nil, nil) }
        let name = String(cString: raw)
        guard let path = KernelPath(rawValue: name), supportedPaths.contains(path) else {
            let choices = supportedPaths.map(\.rawValue).joined(separator: "|")
            return (nil, "OPTIMA_KERNELS=\(name) is not a path this CPU can run (\(choices))")
        }
        return (path, nil)
    }()

    /// Throws when OPTIMA_KERNELS names a path this CPU cannot run; a command calls it first,
    /// so that a bad value fails before any work starts.
    public static func checkEnvironment() throws {
        if let problem = requested.problem { throw SettingsError(problem) }
    }

    private static func initialPath() -> KernelPath {
        guard let path = requested.path else {
            return KernelPath.allCases.first { $0.cPath == optima_best_path() } ?? .scalar
        }
        _ = optima_set_path(path.cPath ?? optima_best_path())
        return path
    }

    // MARK: dense layer

    /// Floats of workspace a dense layer of this shape needs (0 when none).
    public static func denseWorkspaceCount(input: Int, output: Int) -> Int {
        Int(optima_dense_workspace(Int32(input), Int32(output)))
    }

    /// Whether a layer's products over `rows` rows pack, given the workspace above.
    public static func packs(rows: Int, input: Int, output: Int) -> Bool {
        optima_packs(Int32(rows), Int32(input), Int32(output)) != 0
    }

    /// a = act(x * weights + bias); x [rows x input], weights [input x output] (input-major).
    @inline(__always)
    public static func denseForward(_ x: UnsafePointer<Float>, rows: Int, input: Int, output: Int,
                                    weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                                    activation: Activation, into a: UnsafeMutablePointer<Float>,
                                    workspace: UnsafeMutablePointer<Float>?) {
        table.denseForward(x, Int32(rows), Int32(input), Int32(output), weights, bias, activation.rawValue,
                           a, workspace)
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
        table.denseBackward(x, Int32(rows), Int32(input), Int32(output), weights, activations,
                            activation.rawValue, gradOutput, gradWeights, gradBias, gradInput, workspace)
    }

    /// Backward through a ReLU layer (x [rows x input] -> activations [rows x output]) whose
    /// outputs feed a one-output identity layer with weights `nextWeights` [output], given
    /// `gradOutput` [rows], dLoss/dz of that one output. The ReLU layer's dLoss/dA is never
    /// formed: gradWeights, gradBias and gradInput (skipped when nil) are overwritten, and
    /// nextGradWeights (skipped when nil) receives the one-output layer's weight gradient.
    /// gradZ [rows x output] (skipped when nil) receives the ReLU layer's dLoss/dZ, and
    /// gradInput is then formed from it, which is faster: pass any spare buffer of that size
    /// where gradInput is wanted.
    @inline(__always)
    public static func reluBackwardFromOneOutput(_ x: UnsafePointer<Float>, rows: Int, input: Int,
                                                 output: Int, weights: UnsafePointer<Float>,
                                                 activations: UnsafePointer<Float>,
                                                 nextWeights: UnsafePointer<Float>,
                                                 gradOutput: UnsafePointer<Float>,
                                                 gradWeights: UnsafeMutablePointer<Float>,
                                                 gradBias: UnsafeMutablePointer<Float>,
                                                 nextGradWeights: UnsafeMutablePointer<Float>?,
                                                 gradInput: UnsafeMutablePointer<Float>?,
                                                 gradZ: UnsafeMutablePointer<Float>? = nil) {
        table.reluBackwardFromOneOutput(x, Int32(rows), Int32(input), Int32(output), weights, activations,
                                        nextWeights, gradOutput, gradWeights, gradBias, nextGradWeights,
                                        gradInput, gradZ)
    }

    // MARK: optimisers

    /// One Adam step (PyTorch semantics, coupled L2 weight decay); `step` is 1-based.
    /// Where mask is 0 the weight and both moments become exactly 0.
    @inline(__always)
    public static func adamStep(params: UnsafeMutablePointer<Float>, grads: UnsafePointer<Float>,
                                m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
                                mask: UnsafePointer<Float>?, count: Int, lr: Float, beta1: Float,
                                beta2: Float, eps: Float, weightDecay: Float, step: Int) {
        table.adamStep(params, grads, m, v, mask, count, lr, beta1, beta2, eps, weightDecay, Int64(step))
    }

    /// p -= lr * (g + weightDecay * p); masked weights become exactly 0.
    @inline(__always)
    public static func sgdStep(params: UnsafeMutablePointer<Float>, grads: UnsafePointer<Float>,
                               mask: UnsafePointer<Float>?, count: Int, lr: Float, weightDecay: Float) {
        table.sgdStep(params, grads, mask, count, lr, weightDecay)
    }

    // MARK: norms

    /// out[j] = sum_i m[i][j]^2
    public static func colSumSq(_ m: UnsafePointer<Float>, rows: Int, cols: Int,
                                into out: UnsafeMutablePointer<Float>) {
        table.colSumSq(m, Int32(rows), Int32(cols), out)
    }

    /// out[i] = sum_j m[i][j]^2
    public static func rowSumSq(_ m: UnsafePointer<Float>, rows: Int, cols: Int,
                                into out: UnsafeMutablePointer<Float>) {
        table.rowSumSq(m, Int32(rows), Int32(cols), out)
    }

    /// m[i][j] *= s[j]
    public static func scaleCols(_ m: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                                 by s: UnsafePointer<Float>) {
        table.scaleCols(m, Int32(rows), Int32(cols), s)
    }

    /// m[i][j] *= s[i]
    public static func scaleRows(_ m: UnsafeMutablePointer<Float>, rows: Int, cols: Int,
                                 by s: UnsafePointer<Float>) {
        table.scaleRows(m, Int32(rows), Int32(cols), s)
    }

    /// Node normalisation (Guo & Barbu, Eq. 3): each node's incoming weights and bias are
    /// divided by the node's norm and its outgoing weights (`next`, [output x nextOutput])
    /// multiplied by it; `norms` receives the norms. Zero-norm nodes are left as they are.
    public static func normalizeNodes(weights: UnsafeMutablePointer<Float>, input: Int, output: Int,
                                      bias: UnsafeMutablePointer<Float>, next: UnsafeMutablePointer<Float>?,
                                      nextOutput: Int, norms: UnsafeMutablePointer<Float>) {
        table.normalizeNodes(weights, Int32(input), Int32(output), bias, next, Int32(nextOutput), norms)
    }

    // MARK: packed products

    /// The block sizes, in floats, of a path's packed, cache-blocked products (wide layers
    /// over batches of 64 rows or more): the K block (for L1), rows of A per block (L2),
    /// columns of B per block (L3). Nil for a path without them (scalar, swift).
    public static func blocking(_ path: KernelPath) -> (kc: Int, mc: Int, nc: Int)? {
        guard let c = path.cPath else { return nil }
        var kc: Int32 = 0, mc: Int32 = 0, nc: Int32 = 0
        guard optima_blocking_of(c, &kc, &mc, &nc) == 0 else { return nil }
        return (Int(kc), Int(mc), Int(nc))
    }

    /// Forces the packed products' block sizes (0 for all three: the caches' sizes again),
    /// so that tests cross every block edge on small shapes. Workspaces are sized after it.
    static func forceBlocking(kc: Int, mc: Int, nc: Int) {
        optima_set_blocking(Int32(kc), Int32(mc), Int32(nc))
    }

    // MARK: peak

    /// Measured single-core fp32 peak of a path in GFLOP/s (0 if the CPU cannot run it).
    public static func peakGFLOPs(_ path: KernelPath, seconds: Double) -> Double {
        guard let c = path.cPath else { return SwiftKernels.peakGFLOPs(seconds: seconds) }
        return optima_peak_fma_gflops(c, seconds)
    }
}
