// The kernel tables: each C SIMD table starts as a copy of the scalar reference and
// replaces only the kernels it speeds up; Kernels.use swaps the one table every
// Kernels operation calls through, so a path runs exactly its own kernels, bit for bit
// what calling them directly gives.
import CKernels
import XCTest
@testable import Optima

private typealias Buf = TestBuffer

/// Where the operations of one run go: through Kernels, or straight to one implementation.
private enum Route { case kernels, swiftKernels, cEntryPoints }

/// Every operation once, on shapes that reach the wide, narrow and one-output code and
/// awkward tails, with non-square matrices so that swapped rows and columns show. The
/// same seed every run: two routes to the same kernels give the same bits.
private func everyOperation(_ route: Route) -> [[Float]] {
    var g = Xoshiro256(seed: 5)
    var results: [[Float]] = []
    for (rows, input, output) in [(5, 19, 21), (6, 17, 3), (4, 9, 1)] {
        let x = Buf(rows * input, random: &g), w = Buf(input * output, random: &g)
        let b = Buf(output, random: &g), gradA = Buf(rows * output, random: &g)
        let ws = Buf(Kernels.denseWorkspaceCount(input: input, output: output))
        for act in [Activation.identity, .relu, .sigmoid] {
            let a = Buf(rows * output), dA = Buf(copying: gradA)
            let dW = Buf(input * output), db = Buf(output), dX = Buf(rows * input)
            switch route {
            case .kernels:
                Kernels.denseForward(x.p, rows: rows, input: input, output: output, weights: w.p, bias: b.p,
                                     activation: act, into: a.p, workspace: ws.p)
                Kernels.denseBackward(x.p, rows: rows, input: input, output: output, weights: w.p,
                                      activations: a.p, activation: act, gradOutput: dA.p, gradWeights: dW.p,
                                      gradBias: db.p, gradInput: dX.p, workspace: ws.p)
            case .swiftKernels:
                SwiftKernels.denseForward(x.p, rows: rows, input: input, output: output, weights: w.p, bias: b.p,
                                          activation: act, into: a.p, workspace: ws.p)
                SwiftKernels.denseBackward(x.p, rows: rows, input: input, output: output, weights: w.p,
                                           activations: a.p, activation: act, gradOutput: dA.p, gradWeights: dW.p,
                                           gradBias: db.p, gradInput: dX.p, workspace: ws.p)
            case .cEntryPoints:
                optima_dense_forward(x.p, Int32(rows), Int32(input), Int32(output), w.p, b.p, act.rawValue,
                                     a.p, ws.p)
                optima_dense_backward(x.p, Int32(rows), Int32(input), Int32(output), w.p, a.p, act.rawValue,
                                      dA.p, dW.p, db.p, dX.p, ws.p)
            }
            results += [a.array, dA.array, dW.array, db.array, dX.array]
        }
        if output > 1 {
            let a = Buf(rows * output, random: &g), w2 = Buf(output, random: &g), dz = Buf(rows, random: &g)
            for e in 0..<a.count where a[e] < 0 { a[e] = 0 }
            let dW = Buf(input * output), db = Buf(output), dw2 = Buf(output), dX = Buf(rows * input)
            let dZ = Buf(rows * output)
            switch route {
            case .kernels:
                Kernels.reluBackwardFromOneOutput(x.p, rows: rows, input: input, output: output, weights: w.p,
                                                  activations: a.p, nextWeights: w2.p, gradOutput: dz.p,
                                                  gradWeights: dW.p, gradBias: db.p, nextGradWeights: dw2.p,
                                                  gradInput: dX.p, gradZ: dZ.p)
            case .swiftKernels:
                SwiftKernels.reluBackwardFromOneOutput(x.p, rows: rows, input: input, output: output,
                                                       weights: w.p, activations: a.p, nextWeights: w2.p,
                                                       gradOutput: dz.p, gradWeights: dW.p, gradBias: db.p,
                                                       nextGradWeights: dw2.p, gradInput: dX.p, gradZ: dZ.p)
            case .cEntryPoints:
                optima_relu_backward_from_one_output(x.p, Int32(rows), Int32(input), Int32(output), w.p, a.p,
                                                     w2.p, dz.p, dW.p, db.p, dw2.p, dX.p, dZ.p)
            }
            results += [dW.array, db.array, dw2.array, dX.array, dZ.array]
        }
    }

    let n = 37
    let p = Buf(n, random: &g), grads = Buf(n, random: &g), m = Buf(n, random: &g, -0.1, 0.1)
    let v = Buf(n, random: &g, 0, 0.01), mask = Buf(n)
    for i in 0..<n { mask[i] = i % 3 == 0 ? 0 : 1 }
    for (step, masked) in [(1, false), (2, true)] {
        switch route {
        case .kernels:
            Kernels.adamStep(params: p.p, grads: grads.p, m: m.p, v: v.p, mask: masked ? mask.p : nil, count: n,
                             lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-3, step: step)
            Kernels.sgdStep(params: p.p, grads: grads.p, mask: masked ? mask.p : nil, count: n, lr: 0.1,
                            weightDecay: 0.01)
        case .swiftKernels:
            SwiftKernels.adamStep(params: p.p, grads: grads.p, m: m.p, v: v.p, mask: masked ? mask.p : nil,
                                  count: n, lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-3,
                                  step: step)
            SwiftKernels.sgdStep(params: p.p, grads: grads.p, mask: masked ? mask.p : nil, count: n, lr: 0.1,
                                 weightDecay: 0.01)
        case .cEntryPoints where masked:
            optima_adam_step_masked(p.p, grads.p, m.p, v.p, mask.p, n, 1e-2, 0.9, 0.999, 1e-8, 1e-3, Int64(step))
            optima_sgd_step_masked(p.p, grads.p, mask.p, n, 0.1, 0.01)
        case .cEntryPoints:
            optima_adam_step(p.p, grads.p, m.p, v.p, n, 1e-2, 0.9, 0.999, 1e-8, 1e-3, Int64(step))
            optima_sgd_step(p.p, grads.p, n, 0.1, 0.01)
        }
        results += [p.array, m.array, v.array]
    }

    let rows = 19, cols = 21, nextOutput = 3
    let mat = Buf(rows * cols, random: &g), sc = Buf(cols, random: &g), sr = Buf(rows, random: &g)
    let colOut = Buf(cols), rowOut = Buf(rows)
    let bias = Buf(cols, random: &g), next = Buf(cols * nextOutput, random: &g), norms = Buf(cols)
    switch route {
    case .kernels:
        Kernels.colSumSq(mat.p, rows: rows, cols: cols, into: colOut.p)
        Kernels.rowSumSq(mat.p, rows: rows, cols: cols, into: rowOut.p)
        Kernels.scaleCols(mat.p, rows: rows, cols: cols, by: sc.p)
        Kernels.scaleRows(mat.p, rows: rows, cols: cols, by: sr.p)
        Kernels.normalizeNodes(weights: mat.p, input: rows, output: cols, bias: bias.p, next: next.p,
                               nextOutput: nextOutput, norms: norms.p)
    case .swiftKernels:
        SwiftKernels.colSumSq(mat.p, rows: rows, cols: cols, into: colOut.p)
        SwiftKernels.rowSumSq(mat.p, rows: rows, cols: cols, into: rowOut.p)
        SwiftKernels.scaleCols(mat.p, rows: rows, cols: cols, by: sc.p)
        SwiftKernels.scaleRows(mat.p, rows: rows, cols: cols, by: sr.p)
        SwiftKernels.normalizeNodes(weights: mat.p, input: rows, output: cols, bias: bias.p, next: next.p,
                                    nextOutput: nextOutput, norms: norms.p)
    case .cEntryPoints:
        optima_col_sumsq(mat.p, Int32(rows), Int32(cols), colOut.p)
        optima_row_sumsq(mat.p, Int32(rows), Int32(cols), rowOut.p)
        optima_scale_cols(mat.p, Int32(rows), Int32(cols), sc.p)
        optima_scale_rows(mat.p, Int32(rows), Int32(cols), sr.p)
        optima_normalize_nodes(mat.p, Int32(rows), Int32(cols), bias.p, next.p, Int32(nextOutput), norms.p)
    }
    results += [colOut.array, rowOut.array, mat.array, bias.array, next.array, norms.array]
    return results
}

/// A table's entries as addresses, in declaration order.
private func entries(_ t: KernelTable) -> [UnsafeRawPointer] {
    func address<F>(_ f: F) -> UnsafeRawPointer { unsafeBitCast(f, to: UnsafeRawPointer.self) }
    return [address(t.denseForward), address(t.denseBackward), address(t.reluBackwardFromOneOutput),
            address(t.adamStep), address(t.sgdStep), address(t.colSumSq), address(t.rowSumSq),
            address(t.scaleCols), address(t.scaleRows), address(t.normalizeNodes)]
}

final class KernelTableTests: XCTestCase {
    /// The kernels the AVX2 and AVX-512 tables replace. scale_cols and scale_rows stay the
    /// reference's (a multiply per element is the same bits at any width, and training never
    /// calls them): a table that gains or loses an override must change this list too.
    private static let simdOwn = Set([
        OPTIMA_OP_DENSE_FORWARD, OPTIMA_OP_DENSE_BACKWARD, OPTIMA_OP_RELU_BACKWARD_FROM_ONE_OUTPUT,
        OPTIMA_OP_ADAM_STEP, OPTIMA_OP_SGD_STEP, OPTIMA_OP_COL_SUMSQ, OPTIMA_OP_ROW_SUMSQ,
    ].map(Int32.init))

    func testSIMDTablesStartFromTheReference() {
        let ops = 0..<Int32(OPTIMA_OP_COUNT)
        let scalar = Int32(OPTIMA_PATH_SCALAR)
        for op in ops { XCTAssertEqual(optima_table_entry_is_reference(scalar, op), 1, "scalar op \(op)") }
        #if arch(x86_64) || arch(i386)
        // Both tables exist on any x86 CPU; only running them needs the ISA.
        for path in [Int32(OPTIMA_PATH_AVX2), Int32(OPTIMA_PATH_AVX512)] {
            let name = String(cString: optima_path_name(path))
            for op in ops {
                XCTAssertEqual(optima_table_entry_is_reference(path, op), Self.simdOwn.contains(op) ? 0 : 1,
                               "\(name) op \(op)")
            }
        }
        #endif
        XCTAssertEqual(optima_table_entry_is_reference(scalar, Int32(OPTIMA_OP_COUNT)), -1)
        XCTAssertEqual(optima_table_entry_is_reference(scalar, -1), -1)
        XCTAssertEqual(optima_table_entry_is_reference(99, 0), -1)
    }

    /// Kernels passes an activation to C as its raw value.
    func testActivationCodesAreTheCKernels() {
        XCTAssertEqual(Activation.identity.rawValue, Int32(OPTIMA_ACT_IDENTITY))
        XCTAssertEqual(Activation.relu.rawValue, Int32(OPTIMA_ACT_RELU))
        XCTAssertEqual(Activation.sigmoid.rawValue, Int32(OPTIMA_ACT_SIGMOID))
    }

    /// use() swaps the table Kernels calls through (and the C side's active table with it),
    /// and every operation through Kernels is bit for bit the implementation called directly.
    func testUseSwitchesTheTable() {
        let original = Kernels.path
        defer { Kernels.use(original) }
        let c = entries(.c), swift = entries(.swift)
        for i in c.indices { XCTAssertNotEqual(c[i], swift[i], "entry \(i)") }
        for path in Kernels.supported {
            XCTAssertTrue(Kernels.use(path))
            XCTAssertEqual(entries(Kernels.tableInUse), path == .swift ? swift : c, "\(path)")
            XCTAssertEqual(optima_active_path(), path.cPath ?? optima_best_path(), "\(path)")
            let direct = everyOperation(path == .swift ? .swiftKernels : .cEntryPoints)
            let through = everyOperation(.kernels)
            XCTAssertEqual(through.count, direct.count)
            for (i, (got, want)) in zip(through, direct).enumerated() where got != want {
                let at = got.indices.first { $0 >= want.count || got[$0] != want[$0] } ?? got.count
                XCTFail("\(path): result \(i) differs from the direct call at [\(at)]")
            }
        }
    }
}
