// Tiny networks trained in SIMD lanes: the vector exp against libm; every path (AVX-512,
// AVX2, the Swift loop) against the plain C reference on awkward network counts, widths,
// activations, losses and optimisers, with the padding past the last network untouched;
// and the lanes against training each network separately with the Trainer.
import CKernels
import Foundation
import XCTest
@testable import Optima

final class TinyLanesTests: XCTestCase {
    private let cPaths: [KernelPath] = [.avx512, .avx2].filter { Kernels.supported.contains($0) }

    override func tearDown() {
        Kernels.use(Kernels.supported[0])
        super.tearDown()
    }

    // MARK: exp

    func testVectorExpMatchesLibm() {
        // Every 64th float in [-104, 89] (about 1.2 million values), the ends, and specials.
        var xs: [Float] = []
        var x: Float = -104
        while x < 89 {
            xs.append(x)
            x = Float(bitPattern: x.bitPattern &+ (x < 0 ? ~UInt32(0) &* 64 : 64))
            if x.sign == .minus, x > -1e-30 { x = 0 }
        }
        xs += [0, -0.0, 88.72283, 88.7229, -87.33654, -103.97, 1e-30, -1e-30, 89, 200, -200, .infinity, -.infinity]
        for path in cPaths {
            var got = [Float](repeating: 0, count: xs.count)
            XCTAssertEqual(optima_tiny_exp(path.cPath!, xs, &got, xs.count), 0)
            var worstUlps: Float = 0
            for (x, e) in zip(xs, got) {
                let ref = expf(x)
                if ref.isInfinite || ref == 0 {
                    XCTAssertEqual(e, ref, "\(path) exp(\(x))")
                } else if ref < Float.leastNormalMagnitude {
                    // Subnormal results: within 2 of the smallest steps.
                    XCTAssertLessThanOrEqual(abs(e - ref), 2 * Float.leastNonzeroMagnitude, "\(path) exp(\(x))")
                } else {
                    worstUlps = max(worstUlps, abs(e - ref) / ref.ulp)
                }
            }
            XCTAssertLessThanOrEqual(worstUlps, 2, "\(path): worst error \(worstUlps) ulp")
            var nan: [Float] = [.nan]
            XCTAssertEqual(optima_tiny_exp(path.cPath!, nan, &nan, 1), 0)
            XCTAssertTrue(nan[0].isNaN, "\(path): exp(NaN) must be NaN")
        }
    }

    // MARK: paths against the reference

    private struct Case {
        var inputs = 2, hidden = 4, count = 17
        var act: Activation = .relu
        var squared = false, adam = false
        var steps = 60
        var label: String { "p \(inputs) h \(hidden) n \(count) \(act) \(squared ? "mse" : "log") \(adam ? "adam" : "gd")" }
    }

    /// Trains a case's networks (SoA, 3 columns of padding) on `path`; returns params, m, v.
    private func train(_ c: Case, data: Dataset, path: KernelPath) -> [[Float]] {
        let np = Int(optima_tiny_parameter_count(Int32(c.inputs), Int32(c.hidden))), ld = c.count + 3
        var g = Xoshiro256(seed: UInt64(c.hidden * 31 + c.count))
        var p = (0..<(np * ld)).map { _ in g.uniform(-0.9, 0.9) }
        var m = [Float](repeating: 0, count: np * ld), v = m
        for k in 0..<np { for n in c.count..<ld { p[k * ld + n] = 777 } }   // padding: never touched
        var t = optima_tiny_task()
        (t.inputs, t.hidden, t.rows) = (Int32(c.inputs), Int32(c.hidden), Int32(data.count))
        t.activation = c.act.rawValue
        t.loss = c.squared ? Int32(OPTIMA_TINY_LOSS_SQUARED) : Int32(OPTIMA_TINY_LOSS_LOGISTIC)
        t.optimizer = c.adam ? Int32(OPTIMA_TINY_ADAM) : Int32(OPTIMA_TINY_GD)
        (t.lr, t.beta1, t.beta2, t.eps, t.wd) = (c.adam ? 0.01 : 0.3, 0.9, 0.999, 1e-8, c.adam ? 1e-3 : 0)
        data.features.withUnsafeBufferPointer { x in
            data.targets.withUnsafeBufferPointer { y in
                (t.X, t.y) = (x.baseAddress, y.baseAddress)
                if path == .swift {
                    // The Swift loop has no ld: train the networks packed, then spread them back.
                    var packed = (0..<np).flatMap { k in p[(k * ld)..<(k * ld + c.count)] }
                    var pm = [Float](repeating: 0, count: packed.count), pv = pm
                    TinyLanes.trainInSwift(t, params: &packed, m: &pm, v: &pv, count: c.count, steps: c.steps)
                    for k in 0..<np {
                        for n in 0..<c.count {
                            (p[k * ld + n], m[k * ld + n], v[k * ld + n]) = (packed[k * c.count + n], pm[k * c.count + n], pv[k * c.count + n])
                        }
                    }
                } else {
                    XCTAssertEqual(optima_tiny_train_on(path.cPath!, &t, &p, &m, &v, c.count, ld, 0, Int64(c.steps)), 0)
                }
            }
        }
        return [p, m, v]
    }

    private func compareToReference(_ c: Case, data: Dataset, file: StaticString = #filePath, line: UInt = #line) {
        let ref = train(c, data: data, path: .scalar)
        let np = ref[0].count / (c.count + 3), ld = c.count + 3
        for path in cPaths + [.swift] {
            let got = train(c, data: data, path: path)
            for (which, (a, b)) in zip(["params", "m", "v"], zip(got, ref)) where c.adam || which == "params" {
                var worst: Float = 0
                for k in 0..<np {
                    for n in 0..<ld {
                        let i = k * ld + n
                        if n >= c.count {
                            XCTAssertEqual(a[i], b[i], "\(path) \(c.label): padding written", file: file, line: line)
                        } else {
                            worst = max(worst, abs(a[i] - b[i]) / max(which == "params" ? 1 : 1e-3, abs(b[i])))
                        }
                    }
                }
                // Adam divides by sqrt(v): where a gradient sums to nearly zero, the step's size
                // rests on its rounding, so a few of its parameters drift further apart.
                XCTAssertLessThanOrEqual(worst, c.adam ? 1e-3 : 1e-4, "\(path) \(c.label) \(which): worst difference \(worst)",
                                         file: file, line: line)
            }
        }
    }

    func testEveryPathMatchesTheReference() {
        let xor = CounterexamplesData.xor4()
        for count in [1, 15, 17, 33] {
            for hidden in 1...7 {
                for act in [Activation.relu, .sigmoid] {
                    for adam in [false, true] {
                        compareToReference(Case(hidden: hidden, count: count, act: act, adam: adam), data: xor)
                    }
                }
            }
        }
        // The generic (unspecialised) kernels: more inputs and points, wider, squared error.
        let d1 = CounterexamplesData.d1()
        compareToReference(Case(inputs: d1.featureCount, hidden: 3, count: 19, squared: true), data: d1)
        compareToReference(Case(inputs: d1.featureCount, hidden: 9, count: 9, act: .sigmoid, squared: true, adam: true), data: d1)
        var g = Xoshiro256(seed: 5)
        let wide = Dataset(name: "random", features: (0..<(11 * 3)).map { _ in g.uniform(-1, 1) },
                           targets: (0..<11).map { Float($0 % 2) }, count: 11, featureCount: 3, task: .binary)
        compareToReference(Case(inputs: 3, hidden: 16, count: 21, adam: true), data: wide)
        compareToReference(Case(inputs: 3, hidden: 12, count: 5, act: .sigmoid), data: wide)
    }

    func testTheReferenceRefusesWhatIsNotTiny() {
        let xor = CounterexamplesData.xor4()
        var t = optima_tiny_task()
        (t.inputs, t.hidden, t.rows, t.activation, t.lr) = (2, Int32(OPTIMA_TINY_MAX_HIDDEN) + 1, 4, 1, 0.1)
        var p = [Float](repeating: 1, count: 100)
        xor.features.withUnsafeBufferPointer { x in
            xor.targets.withUnsafeBufferPointer { y in
                (t.X, t.y) = (x.baseAddress, y.baseAddress)
                XCTAssertEqual(optima_tiny_train(&t, &p, nil, nil, 1, 1, 0, 1), -1)
                t.hidden = 2
                t.optimizer = Int32(OPTIMA_TINY_ADAM)
                XCTAssertEqual(optima_tiny_train(&t, &p, nil, nil, 1, 1, 0, 1), -1, "Adam needs its moments")
                t.optimizer = Int32(OPTIMA_TINY_GD)
                XCTAssertEqual(optima_tiny_train(&t, &p, nil, nil, 2, 1, 0, 1), -1, "ld below count")
            }
        }
        XCTAssertTrue(p.allSatisfy { $0 == 1 })
    }

    // MARK: lanes against separate training

    private func recipe(_ act: Activation, _ opt: OptimizerKind, hidden: Int, steps: Int) -> Recipe {
        var r = CounterexamplesTable1.recipe(act, opt, .quick)
        r.hidden = [hidden]
        r.training.epochs = steps
        return r
    }

    /// Trains `count` networks of a recipe alone (Trainer) and in lanes; compares every
    /// parameter and the final training accuracy.
    private func compareToTrainer(_ r: Recipe, data: Dataset, count: Int, file: StaticString = #filePath, line: UInt = #line) {
        func fresh(_ i: Int) -> Network {
            var s = r
            s.seed = UInt64(500 + i)
            return s.makeNetwork(features: data.featureCount, task: data.task)
        }
        let alone = (0..<count).map { i -> Network in
            let net = fresh(i)
            _ = r.run(network: net, train: data, test: nil)
            return net
        }
        let lanes = (0..<count).map(fresh)
        XCTAssertTrue(TinyLanes.fits(lanes, data: data, settings: r.training), file: file, line: line)
        TinyLanes.train(lanes, on: data, settings: r.training)
        let label = "\(data.name) \(r.activation) \(r.training.optimizer.kind) h \(r.hidden[0]) n \(count) on \(Kernels.path)"
        for n in 0..<count {
            let a = alone[n].parameters.array, b = lanes[n].parameters.array, start = fresh(n).parameters.array
            XCTAssertGreaterThan(zip(a, start).map { abs($0 - $1) }.max()!, 1e-3, "training must move the weights", file: file, line: line)
            for i in a.indices {
                XCTAssertEqual(b[i], a[i], accuracy: 2e-4 * max(1, abs(a[i])), "\(label): network \(n), parameter \(i)",
                               file: file, line: line)
            }
            XCTAssertEqual(Evaluation(network: lanes[n], data: data).accuracy, Evaluation(network: alone[n], data: data).accuracy,
                           file: file, line: line)
        }
    }

    func testLanesMatchSeparateTraining() {
        let xor = CounterexamplesData.xor4(), jelly = CounterexamplesData.jellyfish()
        for (count, hidden) in [(1, 1), (15, 2), (17, 3), (33, 4), (15, 5), (17, 6), (33, 7)] {
            for act in [Activation.relu, .sigmoid] {
                for opt in [OptimizerKind.gd, .adam] {
                    compareToTrainer(recipe(act, opt, hidden: hidden, steps: 150), data: hidden % 2 == 0 ? xor : jelly, count: count)
                }
            }
        }
    }

    func testEveryPathMatchesSeparateTrainingAndRegressionToo() {
        var r = recipe(.relu, .gd, hidden: 4, steps: 200)
        r.training.optimizer.learningRate = 0.01
        for path in Kernels.supported {
            Kernels.use(path)
            compareToTrainer(recipe(.sigmoid, .adam, hidden: 3, steps: 100), data: CounterexamplesData.jellyfish(), count: 17)
            compareToTrainer(r, data: CounterexamplesData.d1(), count: 9)
        }
    }

    func testFitsOnlyTinyFullBatchTraining() {
        let xor = CounterexamplesData.xor4()
        let r = recipe(.relu, .adam, hidden: 4, steps: 10)
        let nets = [r.makeNetwork(features: 2, task: .binary)]
        XCTAssertTrue(TinyLanes.fits(nets, data: xor, settings: r.training))
        var mini = r.training
        mini.batchSize = 2
        XCTAssertFalse(TinyLanes.fits(nets, data: xor, settings: mini), "minibatches are not full batch")
        mini.optimizer.kind = .gd
        XCTAssertTrue(TinyLanes.fits(nets, data: xor, settings: mini), "GD is full batch whatever the batch size")
        XCTAssertFalse(TinyLanes.fits([Network(sizes: [2, 17, 1], task: .binary, seed: 1)], data: xor, settings: r.training))
        XCTAssertFalse(TinyLanes.fits([Network(sizes: [2, 3, 3, 1], task: .binary, seed: 1)], data: xor, settings: r.training))
        let masked = r.makeNetwork(features: 2, task: .binary)
        masked.mask = FloatBuffer(count: masked.shape.parameterCount)
        XCTAssertFalse(TinyLanes.fits([masked], data: xor, settings: r.training))
        XCTAssertFalse(TinyLanes.fits(nets + [Network(sizes: [2, 5, 1], task: .binary, seed: 1)], data: xor, settings: r.training))
    }
}
