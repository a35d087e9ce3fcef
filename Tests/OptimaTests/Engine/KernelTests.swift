// Every kernel path against the scalar C reference on awkward shapes, the reference
// itself against naive loops written here, Adam/SGD against the PyTorch formulas in
// Double, and the norm kernels against naive loops.
import Foundation
import XCTest
@testable import Optima

private typealias Buf = TestBuffer

/// One dense layer's inputs and outputs.
private final class Layer {
    let rows, input, output: Int
    let act: Activation
    let x, w, b, gradA: Buf
    init(rows: Int, input: Int, output: Int, act: Activation, seed: UInt64) {
        self.rows = rows; self.input = input; self.output = output; self.act = act
        var g = Xoshiro256(seed: seed)
        x = Buf(rows * input, random: &g)
        w = Buf(input * output, random: &g)
        b = Buf(output, random: &g)
        gradA = Buf(rows * output, random: &g)
    }
    var label: String { "\(rows)x\(input)->\(output) \(act)" }

    struct Result { var a, dz, dw, db: [Float]; var dx: [Float]? }

    /// Forward then backward on the current path; dX skipped (and checked untouched) when asked.
    func run(withGradInput: Bool) -> Result {
        let ws = Buf(Kernels.denseWorkspaceCount(input: input, output: output), .nan)
        let a = Buf(rows * output), dA = Buf(copying: gradA)
        let dW = Buf(input * output, .nan), db = Buf(output, .nan), dX = Buf(rows * input, 12345)
        Kernels.denseForward(x.p, rows: rows, input: input, output: output, weights: w.p, bias: b.p,
                             activation: act, into: a.p, workspace: ws.p)
        Kernels.denseBackward(x.p, rows: rows, input: input, output: output, weights: w.p,
                              activations: a.p, activation: act, gradOutput: dA.p, gradWeights: dW.p,
                              gradBias: db.p, gradInput: withGradInput ? dX.p : nil, workspace: ws.p)
        if !withGradInput { XCTAssertTrue(dX.array.allSatisfy { $0 == 12345 }, "dX written when nil: \(label)") }
        return Result(a: a.array, dz: dA.array, dw: dW.array, db: db.array, dx: withGradInput ? dX.array : nil)
    }

    /// The same computation as naive loops in Double, written independently of the C code.
    func naive() -> Result {
        var a = [Float](repeating: 0, count: rows * output)
        for i in 0..<rows {
            for j in 0..<output {
                var z = Double(b[j])
                for k in 0..<input { z += Double(x[i * input + k]) * Double(w[k * output + j]) }
                switch act {
                case .identity: a[i * output + j] = Float(z)
                case .relu: a[i * output + j] = Float(max(z, 0))
                case .sigmoid: a[i * output + j] = Float(1 / (1 + exp(-z)))
                }
            }
        }
        var dz = [Float](repeating: 0, count: rows * output)
        for e in 0..<dz.count {
            switch act {
            case .identity: dz[e] = gradA[e]
            case .relu: dz[e] = a[e] > 0 ? gradA[e] : 0
            case .sigmoid: dz[e] = Float(Double(gradA[e]) * Double(a[e]) * (1 - Double(a[e])))
            }
        }
        var dw = [Float](repeating: 0, count: input * output), db = [Float](repeating: 0, count: output)
        var dx = [Float](repeating: 0, count: rows * input)
        for j in 0..<output { db[j] = Float((0..<rows).reduce(0.0) { $0 + Double(dz[$1 * output + j]) }) }
        for k in 0..<input {
            for j in 0..<output {
                var s = 0.0
                for i in 0..<rows { s += Double(x[i * input + k]) * Double(dz[i * output + j]) }
                dw[k * output + j] = Float(s)
            }
        }
        for i in 0..<rows {
            for k in 0..<input {
                var s = 0.0
                for j in 0..<output { s += Double(dz[i * output + j]) * Double(w[k * output + j]) }
                dx[i * input + k] = Float(s)
            }
        }
        return Result(a: a, dz: dz, dw: dw, db: db, dx: dx)
    }
}

private func assertSame(_ got: Layer.Result, _ ref: Layer.Result, _ l: Layer, _ what: String,
                        file: StaticString = #filePath, line: UInt = #line) {
    func cmp(_ g: [Float], _ r: [Float], _ terms: Int, _ name: String) {
        let b = Buf(g.count)
        for i in 0..<g.count { b[i] = g[i] }
        assertClose(b, r, terms: terms, "\(what) \(name) \(l.label)", file: file, line: line)
    }
    cmp(got.a, ref.a, l.input, "A")
    cmp(got.dz, ref.dz, 1, "dZ")
    cmp(got.db, ref.db, l.rows, "db")
    cmp(got.dw, ref.dw, l.rows, "dWt")
    if let gx = got.dx, let rx = ref.dx { cmp(gx, rx, l.output, "dX") }
}

/// Runs body on each path, restoring the path in use afterwards.
private func onEveryPath(_ body: (KernelPath) -> Void) {
    let original = Kernels.path
    defer { Kernels.use(original) }
    for p in Kernels.supported {
        XCTAssertTrue(Kernels.use(p))
        body(p)
    }
}

final class KernelTests: XCTestCase {
    static let rowsSet = [1, 3, 17, 64]
    /// 15, 17, 29 and 64: the 512-bit weight gradient's tall blocks (2, 2, 3 and 5 blocks of at
    /// most 14 rows); 1023 beyond them.
    static let inputSet = [1, 3, 15, 17, 29, 64, 1023]
    /// 10 and 26: multi-class output layers; 32 and 33 either side of the widest layer whose
    /// dX goes through transposed weights.
    static let outputSet = [1, 3, 7, 10, 15, 16, 17, 26, 32, 33, 1023]
    static let activations: [Activation] = [.identity, .relu, .sigmoid]

    func testPathsAndSwitching() {
        XCTAssertTrue(Kernels.supported.contains(.scalar))
        XCTAssertTrue(Kernels.supported.contains(.swift))
        onEveryPath { p in XCTAssertEqual(Kernels.path, p) }
        XCTAssertEqual(Kernels.denseWorkspaceCount(input: 100, output: 1), 0)
        XCTAssertEqual(Kernels.denseWorkspaceCount(input: 100, output: 64), 0)
        XCTAssertGreaterThan(Kernels.denseWorkspaceCount(input: 100, output: 10), 0)
    }

    /// Every path matches the scalar C reference, forward and backward, with and without dX.
    func testDenseLayerAllPathsMatchReference() {
        let original = Kernels.path
        defer { Kernels.use(original) }
        var seed: UInt64 = 1
        for rows in Self.rowsSet {
            for input in Self.inputSet {
                for output in Self.outputSet {
                    for act in Self.activations {
                        seed += 1
                        let l = Layer(rows: rows, input: input, output: output, act: act, seed: seed)
                        Kernels.use(.scalar)
                        let ref = l.run(withGradInput: true)
                        for p in Kernels.supported where p != .scalar {
                            Kernels.use(p)
                            assertSame(l.run(withGradInput: true), ref, l, p.rawValue)
                            assertSame(l.run(withGradInput: false), ref, l, p.rawValue + " (no dX)")
                        }
                    }
                }
            }
        }
    }

    /// The scalar reference against naive Double loops, so it cannot share a fast path's mistake.
    func testScalarReferenceMatchesNaiveLoops() {
        let original = Kernels.path
        defer { Kernels.use(original) }
        Kernels.use(.scalar)
        var seed: UInt64 = 1000
        for rows in Self.rowsSet {
            for input in Self.inputSet {
                for output in Self.outputSet where rows * input * output <= 2_000_000 {
                    for act in Self.activations {
                        seed += 1
                        let l = Layer(rows: rows, input: input, output: output, act: act, seed: seed)
                        assertSame(l.run(withGradInput: true), l.naive(), l, "scalar vs naive")
                    }
                }
            }
        }
    }

    /// One PyTorch Adam step written out in Double (coupled L2 weight decay).
    func testAdamMatchesPyTorchFormula() {
        let n = 37, lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 1e-2
        onEveryPath { path in
            var g = Xoshiro256(seed: 7)
            let p = Buf(n, random: &g), grad = Buf(n, random: &g)
            let m = Buf(n, random: &g, -0.1, 0.1), v = Buf(n, random: &g, 0, 0.01)
            let p0 = p.array, m0 = m.array, v0 = v.array
            for step in [1, 2, 10, 1000] {
                p.p.update(from: p0, count: n); m.p.update(from: m0, count: n); v.p.update(from: v0, count: n)
                Kernels.adamStep(params: p.p, grads: grad.p, m: m.p, v: v.p, mask: nil, count: n, lr: Float(lr),
                                 beta1: Float(b1), beta2: Float(b2), eps: Float(eps), weightDecay: Float(wd), step: step)
                var ep = [Float](), em = [Float](), ev = [Float]()
                for i in 0..<n {
                    let gi = Double(grad[i]) + wd * Double(p0[i])
                    let mi = b1 * Double(m0[i]) + (1 - b1) * gi
                    let vi = b2 * Double(v0[i]) + (1 - b2) * gi * gi
                    let bc1 = 1 - pow(b1, Double(step)), bc2 = 1 - pow(b2, Double(step))
                    let denom = vi.squareRoot() / bc2.squareRoot() + eps
                    ep.append(Float(Double(p0[i]) - lr / bc1 * mi / denom))
                    em.append(Float(mi)); ev.append(Float(vi))
                }
                assertClose(p, ep, terms: 1, "\(path) adam p step \(step)")
                assertClose(m, em, terms: 1, "\(path) adam m step \(step)")
                assertClose(v, ev, terms: 1, "\(path) adam v step \(step)")
                // The update itself, not only the new weight: a step is about lr = 1e-3, so a
                // tolerance relative to the weight (1e-4 of about 0.5) would let an update that
                // is 5 % off pass. Float rounding of the weight costs about 6e-8.
                for i in 0..<n {
                    let want = Double(ep[i]) - Double(p0[i]), got = Double(p[i]) - Double(p0[i])
                    XCTAssertEqual(got, want, accuracy: 1e-3 * abs(want) + 2e-7,
                                   "\(path) adam update [\(i)] step \(step)")
                }
            }
        }
    }

    func testMaskedAdamKeepsPrunedWeightsAndMomentsAtZero() {
        let n = 53
        onEveryPath { path in
            var g = Xoshiro256(seed: 9)
            let p = Buf(n, random: &g), m = Buf(n), v = Buf(n), mask = Buf(n)
            for i in 0..<n { mask[i] = i % 3 == 0 ? 0 : 1 }
            for step in 1...5 {
                let grad = Buf(n, random: &g, 0.5, 1)  // never zero
                Kernels.adamStep(params: p.p, grads: grad.p, m: m.p, v: v.p, mask: mask.p, count: n, lr: 0.01,
                                 beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-4, step: step)
                for i in 0..<n where mask[i] == 0 {
                    XCTAssertEqual(p[i], 0, "\(path) p[\(i)] step \(step)")
                    XCTAssertEqual(m[i], 0, "\(path) m[\(i)] step \(step)")
                    XCTAssertEqual(v[i], 0, "\(path) v[\(i)] step \(step)")
                }
                for i in 0..<n where mask[i] == 1 { XCTAssertNotEqual(m[i], 0, "\(path) live m[\(i)]") }
            }
        }
    }

    func testSGDMatchesFormulaAndMaskZeroes() {
        let n = 29, lr: Float = 0.1, wd: Float = 0.01
        onEveryPath { path in
            var g = Xoshiro256(seed: 11)
            let p = Buf(n, random: &g), grad = Buf(n, random: &g), mask = Buf(n)
            for i in 0..<n { mask[i] = i % 4 == 1 ? 0 : 1 }
            let p0 = p.array
            Kernels.sgdStep(params: p.p, grads: grad.p, mask: nil, count: n, lr: lr, weightDecay: wd)
            assertClose(p, (0..<n).map { Float(Double(p0[$0]) - Double(lr) * (Double(grad[$0]) + Double(wd) * Double(p0[$0]))) },
                        terms: 1, "\(path) sgd")
            for _ in 0..<3 {
                Kernels.sgdStep(params: p.p, grads: grad.p, mask: mask.p, count: n, lr: lr, weightDecay: wd)
                for i in 0..<n where mask[i] == 0 { XCTAssertEqual(p[i], 0, "\(path) masked sgd p[\(i)]") }
            }
        }
    }

    func testNormKernelsMatchNaiveLoops() {
        for (rows, cols) in [(1, 1), (3, 17), (17, 3), (15, 1023), (64, 33)] {
            onEveryPath { path in
                var g = Xoshiro256(seed: UInt64(rows * 100 + cols))
                let m = Buf(rows * cols, random: &g), sc = Buf(cols, random: &g), sr = Buf(rows, random: &g)
                let colOut = Buf(cols), rowOut = Buf(rows)
                Kernels.colSumSq(m.p, rows: rows, cols: cols, into: colOut.p)
                Kernels.rowSumSq(m.p, rows: rows, cols: cols, into: rowOut.p)
                assertClose(colOut, (0..<cols).map { j in Float((0..<rows).reduce(0.0) { $0 + Double(m[$1 * cols + j] * m[$1 * cols + j]) }) },
                            terms: rows, "\(path) colSumSq \(rows)x\(cols)")
                assertClose(rowOut, (0..<rows).map { i in Float((0..<cols).reduce(0.0) { $0 + Double(m[i * cols + $1] * m[i * cols + $1]) }) },
                            terms: cols, "\(path) rowSumSq \(rows)x\(cols)")
                let m0 = m.array
                Kernels.scaleCols(m.p, rows: rows, cols: cols, by: sc.p)
                XCTAssertEqual(m.array, (0..<rows * cols).map { m0[$0] * sc[$0 % cols] }, "\(path) scaleCols")
                Kernels.scaleRows(m.p, rows: rows, cols: cols, by: sr.p)
                XCTAssertEqual(m.array, (0..<rows * cols).map { m0[$0] * sc[$0 % cols] * sr[$0 / cols] }, "\(path) scaleRows")
            }
        }
    }

    func testNormalizeNodes() {
        let input = 5, hidden = 7, output = 3, rows = 4
        onEveryPath { path in
            var g = Xoshiro256(seed: 21)
            let x = Buf(rows * input, random: &g)
            let w1 = Buf(input * hidden, random: &g), b1 = Buf(hidden, random: &g)
            let w2 = Buf(hidden * output, random: &g), b2 = Buf(output, random: &g)
            for k in 0..<input { w1[k * hidden + 2] = 0 }  // node 2 has zero norm
            b1[2] = 0.5
            let w1Before = w1.array, b1Before = b1.array, w2Before = w2.array
            let h = Buf(rows * hidden), y = Buf(rows * output)
            let ws = Buf(Kernels.denseWorkspaceCount(input: hidden, output: output))
            func forward() -> [Float] {
                Kernels.denseForward(x.p, rows: rows, input: input, output: hidden, weights: w1.p, bias: b1.p,
                                     activation: .relu, into: h.p, workspace: nil)
                Kernels.denseForward(h.p, rows: rows, input: hidden, output: output, weights: w2.p, bias: b2.p,
                                     activation: .identity, into: y.p, workspace: ws.p)
                return y.array
            }
            let before = forward()
            let norms = Buf(hidden)
            Kernels.normalizeNodes(weights: w1.p, input: input, output: hidden, bias: b1.p, next: w2.p,
                                   nextOutput: output, norms: norms.p)
            for j in 0..<hidden {
                let n = (0..<input).reduce(0.0) { $0 + Double(w1Before[$1 * hidden + j] * w1Before[$1 * hidden + j]) }.squareRoot()
                XCTAssertEqual(Double(norms[j]), n, accuracy: 1e-5 * max(n, 1), "\(path) norm \(j)")
                if j == 2 { continue }
                let unit = (0..<input).reduce(0.0) { $0 + Double(w1[$1 * hidden + j] * w1[$1 * hidden + j]) }
                XCTAssertEqual(unit, 1, accuracy: 1e-5, "\(path) node \(j) not unit")
                XCTAssertEqual(Double(b1[j]), Double(b1Before[j]) / n, accuracy: 1e-5, "\(path) bias \(j)")
            }
            // The zero-norm node: incoming, bias and outgoing weights untouched.
            for k in 0..<input { XCTAssertEqual(w1[k * hidden + 2], 0) }
            XCTAssertEqual(b1[2], 0.5)
            for c in 0..<output { XCTAssertEqual(w2[2 * output + c], w2Before[2 * output + c], "\(path) zero-norm outgoing") }
            let after = forward()
            for i in 0..<before.count {
                XCTAssertLessThanOrEqual(abs(after[i] - before[i]), 1e-5 * max(abs(before[i]), 1),
                                         "\(path) network output changed by normalisation")
            }
        }
    }

    func testPeakIsPositiveOnEveryPath() {
        for p in Kernels.supported { XCTAssertGreaterThan(Kernels.peakGFLOPs(p, seconds: 0.01), 0, "\(p)") }
    }
}
