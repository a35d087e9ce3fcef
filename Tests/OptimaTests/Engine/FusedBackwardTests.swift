// The fused backward of a ReLU layer under a one-output identity layer, on every path,
// against naive loops in Double and against the unfused two-kernel sequence (the output
// layer's backward forming dLoss/dA, then the ReLU layer's backward); and a whole network
// that takes the fused path against finite differences.
import XCTest
@testable import Optima

private typealias Floats = TestBuffer

/// One case: X [rows x input] -> ReLU layer -> A [rows x output] -> one identity output.
private struct Case {
    let rows, input, output: Int
    let x, w, a, w2, dz: Floats
    var label: String { "\(rows)x\(input)->\(output)->1" }

    init(rows: Int, input: Int, output: Int, seed: UInt64) {
        self.rows = rows; self.input = input; self.output = output
        var g = Xoshiro256(seed: seed)
        x = Floats(rows * input, random: &g)
        w = Floats(input * output, random: &g)
        // ReLU outputs: about half exact zeros.
        a = Floats(rows * output, random: &g)
        for e in 0..<a.count where a.p[e] < 0 { a.p[e] = 0 }
        w2 = Floats(output, random: &g)
        dz = Floats(rows, random: &g)
    }

    struct Grads { var dw, db, dw2: [Float]; var dx: [Float]?; var dz: [Float]? = nil }

    /// The fused kernel on the current path; dX, dw2 and dZ skipped (and checked untouched)
    /// when asked.
    func fused(withGradInput: Bool, withNext: Bool, withGradZ: Bool = false) -> Grads {
        let dW = Floats(input * output, .nan), db = Floats(output, .nan)
        let dw2 = Floats(output, 12345), dX = Floats(rows * input, 12345), dZ = Floats(rows * output, 12345)
        Kernels.reluBackwardFromOneOutput(x.p, rows: rows, input: input, output: output, weights: w.p,
                                          activations: a.p, nextWeights: w2.p, gradOutput: dz.p,
                                          gradWeights: dW.p, gradBias: db.p,
                                          nextGradWeights: withNext ? dw2.p : nil,
                                          gradInput: withGradInput ? dX.p : nil,
                                          gradZ: withGradZ ? dZ.p : nil)
        if !withGradInput { XCTAssertTrue(dX.array.allSatisfy { $0 == 12345 }, "dX written when nil: \(label)") }
        if !withNext { XCTAssertTrue(dw2.array.allSatisfy { $0 == 12345 }, "dw2 written when nil: \(label)") }
        if !withGradZ { XCTAssertTrue(dZ.array.allSatisfy { $0 == 12345 }, "dZ written when nil: \(label)") }
        return Grads(dw: dW.array, db: db.array, dw2: withNext ? dw2.array : [],
                     dx: withGradInput ? dX.array : nil, dz: withGradZ ? dZ.array : nil)
    }

    /// The unfused sequence on the current path: the output layer's backward writes dLoss/dA of
    /// the ReLU layer, whose own backward then applies the mask.
    func unfused() -> Grads {
        let z = Floats(rows), dzCopy = Floats(rows)
        dzCopy.p.update(from: dz.p, count: rows)
        let dw2 = Floats(output), db2 = Floats(1), dA = Floats(rows * output, .nan)
        Kernels.denseBackward(a.p, rows: rows, input: output, output: 1, weights: w2.p, activations: z.p,
                              activation: .identity, gradOutput: dzCopy.p, gradWeights: dw2.p,
                              gradBias: db2.p, gradInput: dA.p, workspace: nil)
        let n = Kernels.denseWorkspaceCount(input: input, output: output)
        let ws = n > 0 ? Floats(n) : nil
        let dW = Floats(input * output), db = Floats(output), dX = Floats(rows * input)
        Kernels.denseBackward(x.p, rows: rows, input: input, output: output, weights: w.p,
                              activations: a.p, activation: .relu, gradOutput: dA.p, gradWeights: dW.p,
                              gradBias: db.p, gradInput: dX.p, workspace: ws?.p)
        return Grads(dw: dW.array, db: db.array, dw2: dw2.array, dx: dX.array)
    }

    /// Naive loops in Double, written from the chain rule.
    func naive() -> Grads {
        func dZ(_ i: Int, _ j: Int) -> Double {
            a.p[i * output + j] > 0 ? Double(dz.p[i]) * Double(w2.p[j]) : 0
        }
        var dw = [Float](repeating: 0, count: input * output), db = [Float](repeating: 0, count: output)
        var dw2 = [Float](repeating: 0, count: output), dx = [Float](repeating: 0, count: rows * input)
        // dZ as the kernels round it: one float product where A > 0.
        let dzs = (0..<(rows * output)).map { e in a.p[e] > 0 ? dz.p[e / output] * w2.p[e % output] : 0 }
        for j in 0..<output {
            var s = 0.0, t = 0.0
            for i in 0..<rows { s += dZ(i, j); t += Double(dz.p[i]) * Double(a.p[i * output + j]) }
            db[j] = Float(s); dw2[j] = Float(t)
            for k in 0..<input {
                var u = 0.0
                for i in 0..<rows { u += Double(x.p[i * input + k]) * dZ(i, j) }
                dw[k * output + j] = Float(u)
            }
        }
        for i in 0..<rows {
            for k in 0..<input {
                var s = 0.0
                for j in 0..<output { s += dZ(i, j) * Double(w.p[k * output + j]) }
                dx[i * input + k] = Float(s)
            }
        }
        return Grads(dw: dw, db: db, dw2: dw2, dx: dx, dz: dzs)
    }
}

final class FusedBackwardTests: XCTestCase {
    func testFusedMatchesNaiveAndUnfusedOnEveryPath() {
        let original = Kernels.path
        defer { Kernels.use(original) }
        var seed: UInt64 = 1
        for rows in [1, 3, 17, 64] {
            for input in [1, 3, 15, 17, 64] {
                for output in [1, 3, 15, 16, 17, 33, 1023] {
                    seed += 1
                    let c = Case(rows: rows, input: input, output: output, seed: seed)
                    let ref = c.naive()
                    for path in Kernels.supported {
                        XCTAssertTrue(Kernels.use(path))
                        let unfused = c.unfused()
                        // dX without dZ, then dX formed from the stored dZ.
                        for (withGradInput, withGradZ) in [(false, false), (true, false), (true, true)] {
                            let withNext = withGradInput == (rows % 2 == 1)
                            let got = c.fused(withGradInput: withGradInput, withNext: withNext, withGradZ: withGradZ)
                            let what = "\(path) \(c.label) dX:\(withGradInput) dZ:\(withGradZ)"
                            if let dzGot = got.dz { XCTAssertEqual(dzGot, ref.dz!, "dZ vs naive, \(what)") }
                            assertClose(got.dw, ref.dw, terms: rows, "dW vs naive, \(what)")
                            assertClose(got.db, ref.db, terms: rows, "db vs naive, \(what)")
                            assertClose(got.dw, unfused.dw, terms: rows, "dW vs unfused, \(what)")
                            assertClose(got.db, unfused.db, terms: rows, "db vs unfused, \(what)")
                            if withNext {
                                assertClose(got.dw2, ref.dw2, terms: rows, "dw2 vs naive, \(what)")
                                assertClose(got.dw2, unfused.dw2, terms: rows, "dw2 vs unfused, \(what)")
                            }
                            if let dx = got.dx {
                                assertClose(dx, ref.dx!, terms: output, "dX vs naive, \(what)")
                                assertClose(dx, unfused.dx!, terms: output, "dX vs unfused, \(what)")
                            }
                        }
                    }
                }
            }
        }
    }

    /// A network whose last two layers take the fused path, with a ReLU layer below them
    /// (so the fused kernel's dX is used), against central finite differences on every path.
    func testWholeNetworkGradientThroughFusedPath() {
        let original = Kernels.path
        defer { Kernels.use(original) }
        var g = Xoshiro256(seed: 21)
        let rows = 9, features = 3
        let x = (0..<(rows * features)).map { _ in g.uniform(-1, 1) }
        let data = Dataset(name: "check", features: x, targets: (0..<rows).map { Float($0 % 2) }, count: rows,
                           featureCount: features, task: .binary)
        for path in Kernels.supported {
            XCTAssertTrue(Kernels.use(path))
            let net = Network(sizes: [features, 17, 33, 1], hiddenActivation: .relu, task: .binary, seed: 4)
            assertGradientMatchesFiniteDifferences(net, data: data, "\(path)")
        }
    }
}
