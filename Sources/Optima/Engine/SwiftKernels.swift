// Every kernel again in plain Swift on SIMD8<Float>: the path for CPUs the C
// variants do not cover, and a second, independent implementation to test the
// C code against. Same layouts and semantics as CKernels/include/optima_kernels.h.
// Built without target flags, so SIMD8 becomes pairs of SSE registers on x86:
// loops keep few enough accumulators for 16 xmm registers and never fuse a*b+c
// (Swift has no contraction, and a lane-wise fma would be a libm call).

private typealias F8 = SIMD8<Float>

@inline(__always) private func load8(_ p: UnsafePointer<Float>) -> F8 {
    UnsafeRawPointer(p).loadUnaligned(as: F8.self)
}

@inline(__always) private func store8(_ v: F8, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: F8.self)
}

@inline(__always) private func sigmoid(_ z: Float) -> Float { 1 / (1 + _expf(-z)) }

enum SwiftKernels {
    // MARK: building blocks

    /// C[r, :] = (bias +) sum_kk a(r,kk) * B[kk, :], a(r,kk) = A[r*ars + kk*aks]; ReLU if asked.
    /// Vectorised over the columns, four rows share each load of B.
    static func gemm(_ A: UnsafePointer<Float>, ars: Int, aks: Int, m: Int, n: Int, k: Int,
                     _ B: UnsafePointer<Float>, ldb: Int, _ C: UnsafeMutablePointer<Float>, ldc: Int,
                     bias: UnsafePointer<Float>?, relu: Bool) {
        var j = 0
        while j + 8 <= n {
            let b0 = bias.map { load8($0 + j) } ?? F8()
            var i = 0
            while i + 4 <= m {
                var c0 = b0, c1 = b0, c2 = b0, c3 = b0
                for kk in 0..<k {
                    let w = load8(B + kk * ldb + j)
                    let a = A + i * ars + kk * aks
                    c0 += a[0] * w
                    c1 += a[ars] * w
                    c2 += a[2 * ars] * w
                    c3 += a[3 * ars] * w
                }
                if relu {
                    c0.replace(with: 0, where: c0 .< 0); c1.replace(with: 0, where: c1 .< 0)
                    c2.replace(with: 0, where: c2 .< 0); c3.replace(with: 0, where: c3 .< 0)
                }
                store8(c0, C + i * ldc + j); store8(c1, C + (i + 1) * ldc + j)
                store8(c2, C + (i + 2) * ldc + j); store8(c3, C + (i + 3) * ldc + j)
                i += 4
            }
            while i < m {
                var c0 = b0
                for kk in 0..<k { c0 += A[i * ars + kk * aks] * load8(B + kk * ldb + j) }
                if relu { c0.replace(with: 0, where: c0 .< 0) }
                store8(c0, C + i * ldc + j)
                i += 1
            }
            j += 8
        }
        // Leftover columns (fewer than 8): one at a time.
        while j < n {
            for i in 0..<m {
                var s = bias?[j] ?? 0
                for kk in 0..<k { s += A[i * ars + kk * aks] * B[kk * ldb + j] }
                C[i * ldc + j] = relu ? max(s, 0) : s
            }
            j += 1
        }
    }

    /// sum_l p[l] * q[l], two vector accumulators.
    @inline(__always)
    static func dot(_ p: UnsafePointer<Float>, _ q: UnsafePointer<Float>, _ len: Int) -> Float {
        var s0 = F8(), s1 = F8()
        var l = 0
        while l + 16 <= len {
            s0 += load8(p + l) * load8(q + l)
            s1 += load8(p + l + 8) * load8(q + l + 8)
            l += 16
        }
        if l + 8 <= len { s0 += load8(p + l) * load8(q + l); l += 8 }
        var s = (s0 + s1).sum()
        while l < len { s += p[l] * q[l]; l += 1 }
        return s
    }

    /// C[r, c] = (bias[c] +) dot(P[r, :], Q[c, :]) over len; ReLU if asked.
    static func dots(_ P: UnsafePointer<Float>, ldp: Int, m: Int, _ Q: UnsafePointer<Float>, ldq: Int,
                     n: Int, len: Int, _ C: UnsafeMutablePointer<Float>, ldc: Int,
                     bias: UnsafePointer<Float>?, relu: Bool) {
        for r in 0..<m {
            for c in 0..<n {
                var z = dot(P + r * ldp, Q + c * ldq, len) + (bias?[c] ?? 0)
                if relu && !(z > 0) { z = 0 }
                C[r * ldc + c] = z
            }
        }
    }

    static func transpose(_ m: UnsafePointer<Float>, rows: Int, cols: Int, into t: UnsafeMutablePointer<Float>) {
        for r in 0..<rows { for c in 0..<cols { t[c * rows + r] = m[r * cols + c] } }
    }

    // MARK: dense layer

    static func denseForward(_ x: UnsafePointer<Float>, rows: Int, input: Int, output: Int,
                             weights: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                             activation: Activation, into a: UnsafeMutablePointer<Float>,
                             workspace: UnsafeMutablePointer<Float>?) {
        let relu = activation == .relu
        if output == 1 {
            dots(x, ldp: input, m: rows, weights, ldq: input, n: 1, len: input, a, ldc: 1, bias: bias, relu: relu)
        } else if output < 16, let ws = workspace {
            transpose(weights, rows: input, cols: output, into: ws)
            dots(x, ldp: input, m: rows, ws, ldq: input, n: output, len: input, a, ldc: output,
                 bias: bias, relu: relu)
        } else {
            gemm(x, ars: input, aks: 1, m: rows, n: output, k: input, weights, ldb: output, a, ldc: output,
                 bias: bias, relu: relu)
        }
        if activation == .sigmoid {
            for e in 0..<rows * output { a[e] = sigmoid(a[e]) }
        }
    }

    static func denseBackward(_ x: UnsafePointer<Float>, rows: Int, input: Int, output: Int,
                              weights: UnsafePointer<Float>, activations: UnsafePointer<Float>,
                              activation: Activation, gradOutput dA: UnsafeMutablePointer<Float>,
                              gradWeights dW: UnsafeMutablePointer<Float>, gradBias db: UnsafeMutablePointer<Float>,
                              gradInput dX: UnsafeMutablePointer<Float>?, workspace: UnsafeMutablePointer<Float>?) {
        dzAndBiasGrad(dA, activations, rows: rows, output: output, activation: activation, db: db)
        let dZ = UnsafePointer(dA)
        if output == 1 {
            // Wt [input x 1] is a vector: dW = dZ^T X, dX[i, :] = dZ[i] * w.
            gemm(dZ, ars: 1, aks: 1, m: 1, n: input, k: rows, x, ldb: input, dW, ldc: input, bias: nil, relu: false)
            if let dX {
                gemm(dZ, ars: 1, aks: 1, m: rows, n: input, k: 1, weights, ldb: input, dX, ldc: input,
                     bias: nil, relu: false)
            }
        } else {
            gemm(x, ars: 1, aks: input, m: input, n: output, k: rows, dZ, ldb: output, dW, ldc: output,
                 bias: nil, relu: false)
            if let dX {
                dots(dZ, ldp: output, m: rows, weights, ldq: output, n: input, len: output, dX, ldc: input,
                     bias: nil, relu: false)
            }
        }
    }

    /// dA -> dZ in place and db = column sums of dZ, row by row over the contiguous columns.
    static func dzAndBiasGrad(_ dA: UnsafeMutablePointer<Float>, _ A: UnsafePointer<Float>, rows: Int,
                              output: Int, activation: Activation, db: UnsafeMutablePointer<Float>) {
        let n = rows * output
        switch activation {
        case .identity: break
        case .relu:
            var e = 0
            while e + 8 <= n {
                var d = load8(dA + e)
                d.replace(with: 0, where: load8(A + e) .<= 0)
                store8(d, dA + e)
                e += 8
            }
            while e < n { if !(A[e] > 0) { dA[e] = 0 }; e += 1 }
        case .sigmoid:
            var e = 0
            while e + 8 <= n {
                let a = load8(A + e)
                store8(load8(dA + e) * (a * (1 - a)), dA + e)
                e += 8
            }
            while e < n { dA[e] = dA[e] * (A[e] * (1 - A[e])); e += 1 }
        }
        for j in 0..<output { db[j] = 0 }
        for i in 0..<rows {
            let row = dA + i * output
            var j = 0
            while j + 8 <= output { store8(load8(db + j) + load8(row + j), db + j); j += 8 }
            while j < output { db[j] += row[j]; j += 1 }
        }
    }

    /// See Kernels.reluBackwardFromOneOutput: dZ[i, j] = dz[i] * w2[j] where A[i, j] > 0, built
    /// eight columns and up to four rows of X at a time, never stored.
    static func reluBackwardFromOneOutput(_ x: UnsafePointer<Float>, rows: Int, input: Int, output: Int,
                                          weights: UnsafePointer<Float>, activations A: UnsafePointer<Float>,
                                          nextWeights w2: UnsafePointer<Float>, gradOutput dz: UnsafePointer<Float>,
                                          gradWeights dW: UnsafeMutablePointer<Float>,
                                          gradBias db: UnsafeMutablePointer<Float>,
                                          nextGradWeights dw2: UnsafeMutablePointer<Float>?,
                                          gradInput dX: UnsafeMutablePointer<Float>?,
                                          gradZ: UnsafeMutablePointer<Float>? = nil) {
        @inline(__always) func dZ(_ i: Int, _ j: Int) -> Float { A[i * output + j] > 0 ? dz[i] * w2[j] : 0 }
        if let gradZ {
            for i in 0..<rows { for j in 0..<output { gradZ[i * output + j] = dZ(i, j) } }
        }
        var j = 0
        while j + 8 <= output {
            let w = load8(w2 + j)
            var sb = F8(), sw = F8()
            for i in 0..<rows {
                let a = load8(A + i * output + j)
                var d = dz[i] * w
                d.replace(with: 0, where: .!(a .> 0))
                sb += d
                sw += dz[i] * a
            }
            store8(sb, db + j)
            if let dw2 { store8(sw, dw2 + j) }
            var k = 0
            while k < input {
                let nk = min(4, input - k)
                var c0 = F8(), c1 = F8(), c2 = F8(), c3 = F8()
                for i in 0..<rows {
                    let a = load8(A + i * output + j)
                    var d = dz[i] * w
                    d.replace(with: 0, where: .!(a .> 0))
                    let xr = x + i * input + k
                    c0 += xr[0] * d
                    if nk > 1 { c1 += xr[1] * d }
                    if nk > 2 { c2 += xr[2] * d }
                    if nk > 3 { c3 += xr[3] * d }
                }
                store8(c0, dW + k * output + j)
                if nk > 1 { store8(c1, dW + (k + 1) * output + j) }
                if nk > 2 { store8(c2, dW + (k + 2) * output + j) }
                if nk > 3 { store8(c3, dW + (k + 3) * output + j) }
                k += 4
            }
            j += 8
        }
        // Leftover columns (fewer than 8): one at a time.
        while j < output {
            var sb: Float = 0, sw: Float = 0
            for i in 0..<rows { sb += dZ(i, j); sw += dz[i] * A[i * output + j] }
            db[j] = sb
            dw2?[j] = sw
            for k in 0..<input {
                var s: Float = 0
                for i in 0..<rows { s += x[i * input + k] * dZ(i, j) }
                dW[k * output + j] = s
            }
            j += 1
        }
        guard let dX else { return }
        if let gradZ {
            dots(UnsafePointer(gradZ), ldp: output, m: rows, weights, ldq: output, n: input, len: output, dX,
                 ldc: input, bias: nil, relu: false)
            return
        }
        // dX[i, k] = dz[i] * sum_j [A[i, j] > 0] * w2[j] * Wt[k, j]
        for i in 0..<rows {
            let arow = A + i * output
            for k in 0..<input {
                let wrow = weights + k * output
                var acc = F8()
                var j = 0
                while j + 8 <= output {
                    var p = load8(w2 + j) * load8(wrow + j)
                    p.replace(with: 0, where: .!(load8(arow + j) .> 0))
                    acc += p
                    j += 8
                }
                var s = acc.sum()
                while j < output { if arow[j] > 0 { s += w2[j] * wrow[j] }; j += 1 }
                dX[i * input + k] = dz[i] * s
            }
        }
    }

    // MARK: optimisers

    static func adamStep(params p: UnsafeMutablePointer<Float>, grads g: UnsafePointer<Float>,
                         m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>,
                         mask: UnsafePointer<Float>?, count n: Int, lr: Float, beta1: Float, beta2: Float,
                         eps: Float, weightDecay wd: Float, step t: Int) {
        // Bias corrections in Double: beta^t underflows float precision for long runs.
        let stepSize = Float(Double(lr) / (1 - _pow(Double(beta1), Double(t))))
        let invSqrtBc2 = Float(1 / (1 - _pow(Double(beta2), Double(t))).squareRoot())
        let oneB1 = 1 - beta1, oneB2 = 1 - beta2
        var e = 0
        while e + 8 <= n {
            var pp = load8(p + e)
            let grad = load8(g + e) + wd * pp
            var mm = beta1 * load8(m + e) + oneB1 * grad
            var vv = beta2 * load8(v + e) + oneB2 * grad * grad
            pp -= stepSize * mm / (vv.squareRoot() * invSqrtBc2 + eps)
            if let mask {
                let k = load8(mask + e)
                pp *= k; mm *= k; vv *= k
            }
            store8(pp, p + e); store8(mm, m + e); store8(vv, v + e)
            e += 8
        }
        while e < n {
            let grad = g[e] + wd * p[e]
            var mm = beta1 * m[e] + oneB1 * grad
            var vv = beta2 * v[e] + oneB2 * grad * grad
            var pp = p[e] - stepSize * mm / (vv.squareRoot() * invSqrtBc2 + eps)
            if let mask { pp *= mask[e]; mm *= mask[e]; vv *= mask[e] }
            p[e] = pp; m[e] = mm; v[e] = vv
            e += 1
        }
    }

    static func sgdStep(params p: UnsafeMutablePointer<Float>, grads g: UnsafePointer<Float>,
                        mask: UnsafePointer<Float>?, count n: Int, lr: Float, weightDecay wd: Float) {
        var e = 0
        while e + 8 <= n {
            let pp = load8(p + e)
            var next = pp - lr * (load8(g + e) + wd * pp)
            if let mask { next *= load8(mask + e) }
            store8(next, p + e)
            e += 8
        }
        while e < n {
            let next = p[e] - lr * (g[e] + wd * p[e])
            p[e] = mask.map { next * $0[e] } ?? next
            e += 1
        }
    }

    // MARK: norms

    static func colSumSq(_ m: UnsafePointer<Float>, rows: Int, cols: Int, into out: UnsafeMutablePointer<Float>) {
        var j = 0
        while j + 8 <= cols {
            var s = F8()
            for i in 0..<rows { let x = load8(m + i * cols + j); s += x * x }
            store8(s, out + j)
            j += 8
        }
        while j < cols {
            var s: Float = 0
            for i in 0..<rows { let x = m[i * cols + j]; s += x * x }
            out[j] = s
            j += 1
        }
    }

    static func rowSumSq(_ m: UnsafePointer<Float>, rows: Int, cols: Int, into out: UnsafeMutablePointer<Float>) {
        for i in 0..<rows { out[i] = dot(m + i * cols, m + i * cols, cols) }
    }

    static func scaleCols(_ m: UnsafeMutablePointer<Float>, rows: Int, cols: Int, by s: UnsafePointer<Float>) {
        for i in 0..<rows {
            let row = m + i * cols
            var j = 0
            while j + 8 <= cols { store8(load8(row + j) * load8(s + j), row + j); j += 8 }
            while j < cols { row[j] *= s[j]; j += 1 }
        }
    }

    static func scaleRows(_ m: UnsafeMutablePointer<Float>, rows: Int, cols: Int, by s: UnsafePointer<Float>) {
        for i in 0..<rows {
            let row = m + i * cols
            let k = s[i]
            var j = 0
            while j + 8 <= cols { store8(load8(row + j) * k, row + j); j += 8 }
            while j < cols { row[j] *= k; j += 1 }
        }
    }

    static func normalizeNodes(weights w: UnsafeMutablePointer<Float>, input: Int, output: Int,
                               bias: UnsafeMutablePointer<Float>, next: UnsafeMutablePointer<Float>?,
                               nextOutput: Int, norms: UnsafeMutablePointer<Float>) {
        colSumSq(w, rows: input, cols: output, into: norms)
        for j in 0..<output { norms[j] = norms[j].squareRoot() }
        // Divide (not multiply by a reciprocal) so nodes come out as close to unit norm as
        // float allows; zero-norm nodes are left alone.
        for r in 0..<input {
            for j in 0..<output where norms[j] > 0 { w[r * output + j] /= norms[j] }
        }
        for j in 0..<output where norms[j] > 0 {
            bias[j] /= norms[j]
            if let next { for c in 0..<nextOutput { next[j * nextOutput + c] *= norms[j] } }
        }
    }

    // MARK: peak

    /// Multiply-add throughput of SIMD8 code as this module compiles it, in GFLOP/s: six
    /// independent chains (twelve SSE registers) that never touch memory.
    static func peakGFLOPs(seconds: Double) -> Double {
        let a = F8(repeating: 0.999999), b = F8(repeating: 0.000001)
        let iterations = 200_000
        var best = 0.0
        var sink: Float = 0
        let end = peakClockSeconds() + max(seconds, 0.01)
        repeat {
            var c0 = b, c1 = b * 2, c2 = b * 3, c3 = b * 4, c4 = b * 5, c5 = b * 6
            let t0 = peakClockSeconds()
            for _ in 0..<iterations {
                c0 = c0 * a + b; c1 = c1 * a + b; c2 = c2 * a + b
                c3 = c3 * a + b; c4 = c4 * a + b; c5 = c5 * a + b
            }
            let dt = peakClockSeconds() - t0
            sink += (c0 + c1 + c2 + c3 + c4 + c5).sum()
            best = max(best, 2.0 * 6 * 8 * Double(iterations) / dt * 1e-9)
        } while peakClockSeconds() < end
        if sink.isNaN { print("") }  // keeps the loop's result alive
        return best
    }
}

extension KernelTable {
    /// The swift path: the kernels above behind the C signatures, so that Kernels calls
    /// them exactly as it calls the C entry points. Each closure captures nothing, so it is
    /// a plain C function pointer that converts the arguments back and jumps to the kernel.
    /// Kernels passes nil only where the kernel takes an optional: the other unwraps never
    /// fail.
    static let swift = KernelTable(
        denseForward: { x, rows, input, output, weights, bias, act, a, workspace in
            SwiftKernels.denseForward(x!, rows: Int(rows), input: Int(input), output: Int(output),
                                      weights: weights!, bias: bias!, activation: Activation(rawValue: act)!,
                                      into: a!, workspace: workspace)
        },
        denseBackward: { x, rows, input, output, weights, activations, act, dA, dW, db, dX, workspace in
            SwiftKernels.denseBackward(x!, rows: Int(rows), input: Int(input), output: Int(output),
                                       weights: weights!, activations: activations!,
                                       activation: Activation(rawValue: act)!, gradOutput: dA!, gradWeights: dW!,
                                       gradBias: db!, gradInput: dX, workspace: workspace)
        },
        reluBackwardFromOneOutput: { x, rows, input, output, weights, activations, w2, dz, dW, db, dw2, dX, dZ in
            SwiftKernels.reluBackwardFromOneOutput(x!, rows: Int(rows), input: Int(input), output: Int(output),
                                                   weights: weights!, activations: activations!,
                                                   nextWeights: w2!, gradOutput: dz!, gradWeights: dW!,
                                                   gradBias: db!, nextGradWeights: dw2, gradInput: dX,
                                                   gradZ: dZ)
        },
        adamStep: { p, g, m, v, mask, n, lr, beta1, beta2, eps, wd, t in
            SwiftKernels.adamStep(params: p!, grads: g!, m: m!, v: v!, mask: mask, count: n, lr: lr, beta1: beta1,
                                  beta2: beta2, eps: eps, weightDecay: wd, step: Int(t))
        },
        sgdStep: { p, g, mask, n, lr, wd in
            SwiftKernels.sgdStep(params: p!, grads: g!, mask: mask, count: n, lr: lr, weightDecay: wd)
        },
        colSumSq: { m, rows, cols, out in SwiftKernels.colSumSq(m!, rows: Int(rows), cols: Int(cols), into: out!) },
        rowSumSq: { m, rows, cols, out in SwiftKernels.rowSumSq(m!, rows: Int(rows), cols: Int(cols), into: out!) },
        scaleCols: { m, rows, cols, s in SwiftKernels.scaleCols(m!, rows: Int(rows), cols: Int(cols), by: s!) },
        scaleRows: { m, rows, cols, s in SwiftKernels.scaleRows(m!, rows: Int(rows), cols: Int(cols), by: s!) },
        normalizeNodes: { w, input, output, bias, next, nextOutput, norms in
            SwiftKernels.normalizeNodes(weights: w!, input: Int(input), output: Int(output), bias: bias!,
                                        next: next, nextOutput: Int(nextOutput), norms: norms!)
        })
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func _expf(_ x: Float) -> Float { Glibc.expf(x) }
@inline(__always) private func _pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
#else
import Darwin
@inline(__always) private func _expf(_ x: Float) -> Float { Darwin.expf(x) }
@inline(__always) private func _pow(_ x: Double, _ y: Double) -> Double { Darwin.pow(x, y) }
#endif

private func peakClockSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + 1e-9 * Double(ts.tv_nsec)
}
