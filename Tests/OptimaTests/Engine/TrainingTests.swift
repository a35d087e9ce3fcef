import XCTest
@testable import Optima

/// Gradients, losses, metrics and whole training runs.
final class TrainingTests: XCTestCase {

    // MARK: gradients against central finite differences

    /// A small data set for gradient checks, with inputs away from 0.
    private func smallData(task: Task, rows: Int = 5, features: Int = 3) -> Dataset {
        var g = Xoshiro256(seed: 7)
        let x = (0..<(rows * features)).map { _ in g.uniform(-1, 1) }
        let targets: [Float]
        switch task {
        case .binary: targets = (0..<rows).map { Float($0 % 2) }
        case .multiclass(let c): targets = (0..<rows).map { Float($0 % c) }
        case .regression(let o): targets = (0..<(rows * o)).map { _ in g.uniform(-1, 1) }
        }
        return Dataset(name: "check", features: x, targets: targets, count: rows, featureCount: features, task: task)
    }

    /// Every parameter's gradient against central finite differences, on every kernel path.
    private func checkGradient(hidden: [Int], activation: Activation, task: Task, file: StaticString = #filePath, line: UInt = #line) {
        for path in Kernels.supported {
            Kernels.use(path)
            defer { Kernels.use(Kernels.supported.first!) }
            let data = smallData(task: task)
            let net = Network(sizes: [data.featureCount] + hidden + [task.outputCount], hiddenActivation: activation,
                              task: task, seed: 3)
            assertGradientMatchesFiniteDifferences(net, data: data, "\(path)", file: file, line: line)
        }
    }

    func testGradientReLUBinary() { checkGradient(hidden: [6], activation: .relu, task: .binary) }
    func testGradientSigmoidBinary() { checkGradient(hidden: [6], activation: .sigmoid, task: .binary) }
    func testGradientReLUSoftmax() { checkGradient(hidden: [5], activation: .relu, task: .multiclass(classes: 4)) }
    func testGradientSigmoidSoftmax() { checkGradient(hidden: [5], activation: .sigmoid, task: .multiclass(classes: 3)) }
    func testGradientReLURegression() { checkGradient(hidden: [4], activation: .relu, task: .regression(outputs: 2)) }
    func testGradientDeepReLU() { checkGradient(hidden: [6, 5], activation: .relu, task: .binary) }
    func testGradientDeepSigmoidWide() { checkGradient(hidden: [17, 20], activation: .sigmoid, task: .multiclass(classes: 10)) }
    func testGradientLinearModel() { checkGradient(hidden: [], activation: .relu, task: .binary) }

    // MARK: losses and metrics against hand-computed values

    func testAUCHandCases() {
        XCTAssertEqual(Metrics.auc(scores: [0.1, 0.4, 0.35, 0.8], labels: [0, 0, 1, 1])!, 0.75, accuracy: 1e-12)
        XCTAssertEqual(Metrics.auc(scores: [1, 2, 3], labels: [0, 1, 1])!, 1.0, accuracy: 1e-12)
        XCTAssertEqual(Metrics.auc(scores: [3, 2, 1], labels: [0, 1, 1])!, 0.0, accuracy: 1e-12)
        // All tied: every pair counts one half.
        XCTAssertEqual(Metrics.auc(scores: [5, 5, 5, 5], labels: [0, 1, 0, 1])!, 0.5, accuracy: 1e-12)
        // One tie across classes: pairs (pos 0.5 vs neg 0.5) count 1/2.
        // positives {0.5, 0.9}, negatives {0.1, 0.5}: pairs won 1 + 0.5 + 1 + 1 = 3.5 of 4.
        XCTAssertEqual(Metrics.auc(scores: [0.1, 0.5, 0.5, 0.9], labels: [0, 0, 1, 1])!, 0.875, accuracy: 1e-12)
        XCTAssertNil(Metrics.auc(scores: [1, 2], labels: [1, 1]))
    }

    func testLossesHandComputed() {
        // BCE: y=1, z=0 -> log 2; y=0, z=2 -> log(1+e^2).
        XCTAssertEqual(Loss.binaryCrossEntropy(logits: [0, 2], labels: [1, 0]), (log(2) + log(1 + exp(2))) / 2, accuracy: 1e-9)
        // Large logits stay finite.
        XCTAssertEqual(Loss.binaryCrossEntropy(logits: [1000], labels: [0]), 1000, accuracy: 1e-6)
        // Softmax CE of uniform logits over 4 classes is log 4.
        XCTAssertEqual(Loss.softmaxCrossEntropy(logits: [1, 1, 1, 1], labels: [2], width: 4), log(4), accuracy: 1e-9)
        XCTAssertEqual(Loss.meanSquaredError(outputs: [1, 2], targets: [0, 0]), 2.5, accuracy: 1e-12)
        XCTAssertEqual(Metrics.accuracy(outputs: [0.3, -1, 2, 0.1, 0.2, 0.0], labels: [0, 1], width: 3), 0.5)
    }

    func testPyTorchInitializationBounds() {
        let net = Network(sizes: [15, 64, 1], task: .binary, seed: 9)
        for l in 0..<net.layerCount {
            let L = net.shape.layers[l]
            let bound = Float(1 / Double(L.input).squareRoot())
            for i in 0..<(L.weightCount + L.output) {
                XCTAssertLessThanOrEqual(abs(net.parameters[L.weightOffset + i]), bound)
            }
        }
        let g = Network(sizes: [4, 2000, 1], task: .binary,
                        initialization: .gaussian(weightMean: 0.5, weightStd: 0.2, biasMean: -1, biasStd: 0.01), seed: 9)
        let w = (0..<8000).map { Double(g.parameters[$0]) }
        let mean = w.reduce(0, +) / 8000
        let sd = (w.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 8000).squareRoot()
        XCTAssertEqual(mean, 0.5, accuracy: 0.01)
        XCTAssertEqual(sd, 0.2, accuracy: 0.01)
        XCTAssertEqual(Double(g.bias(0)[7]), -1, accuracy: 0.05)
    }

    // MARK: whole runs

    private func recipe(hidden: Int, epochs: Int, seed: UInt64 = 1) -> Recipe {
        var r = Recipe()
        r.hidden = [hidden]
        r.training.epochs = epochs
        r.training.batchSize = 64
        r.training.optimizer.weightDecay = 1e-4
        r.seed = seed
        r.training.seed = seed
        return r
    }

    func testTwoDimensionalXORIsLearned() throws {
        let train = try XORData.make(k: 2, p: 2, n: 1000)
        let test = try XORData.make(k: 2, p: 2, n: 3000, test: true)
        let out = recipe(hidden: 20, epochs: 100).run(train: train, test: test)
        XCTAssertGreaterThan(out.train.auc!, 0.99)
    }

    func testThreeDimensionalXORGeneralises() throws {
        let train = try XORData.make(k: 3, p: 3, n: 1000)
        let test = try XORData.make(k: 3, p: 3, n: 3000, test: true)
        let out = recipe(hidden: 64, epochs: 200).run(train: train, test: test)
        XCTAssertGreaterThan(out.test!.auc!, 0.95)
    }

    func testPlainGradientDescentAndSGDLowerTheLoss() throws {
        let train = try XORData.make(k: 2, p: 2, n: 400)
        for kind in [OptimizerKind.gd, .sgd] {
            var r = recipe(hidden: 32, epochs: kind == .gd ? 300 : 100)
            r.training.optimizer.kind = kind
            r.training.optimizer.learningRate = kind == .gd ? 0.5 : 0.1
            let net = r.makeNetwork(features: 2, task: .binary)
            let before = Evaluation(network: net, data: train).loss
            let out = r.run(network: net, train: train, test: nil)
            XCTAssertLessThan(out.train.loss, 0.6 * before, "\(kind) did not train")
        }
    }

    func testSGDStepIsTheTextbookUpdate() {
        // One full-batch step by hand: p' = p - lr (g + wd p).
        let data = Dataset(name: "one", features: [0.5, -0.25], targets: [1], count: 1, featureCount: 2, task: .binary)
        var r = recipe(hidden: 3, epochs: 1)
        r.training.optimizer.kind = .gd
        r.training.optimizer.learningRate = 0.1
        r.training.optimizer.weightDecay = 0.01
        let net = r.makeNetwork(features: 2, task: .binary)
        let p0 = net.parameters.array
        let (_, g) = net.lossAndGradient(data)
        _ = r.run(network: net, train: data, test: nil)
        for i in 0..<p0.count {
            XCTAssertEqual(net.parameters[i], p0[i] - 0.1 * (g[i] + 0.01 * p0[i]), accuracy: 1e-6)
        }
    }

    func testDivergenceStopsTrainingAndIsReported() {
        let data = Dataset(name: "steep", features: [1, 2, 3, 4, 5], targets: [10, -10, 10, -10, 10], count: 5,
                           featureCount: 1, task: .regression(outputs: 1))
        var r = recipe(hidden: 4, epochs: 50)
        r.training.optimizer.kind = .gd
        r.training.optimizer.learningRate = 100
        let out = r.run(train: data, test: nil)
        XCTAssertNotNil(out.divergedAtEpoch)
        XCTAssertEqual(out.epochs, out.divergedAtEpoch)
        XCTAssertLessThan(out.epochs, 50, "training went on after the weights broke")
        XCTAssertEqual(out.json["diverged_at_epoch"]?.int, out.divergedAtEpoch)
        r.training.optimizer.learningRate = 1e-3
        XCTAssertNil(r.run(train: data, test: nil).divergedAtEpoch)
    }

    func testSameSeedGivesIdenticalWeights() throws {
        let train = try XORData.make(k: 3, p: 5, n: 300)
        let r = recipe(hidden: 32, epochs: 5, seed: 4)
        let a = r.makeNetwork(features: 5, task: .binary), b = r.makeNetwork(features: 5, task: .binary)
        _ = r.run(network: a, train: train, test: nil)
        _ = r.run(network: b, train: train, test: nil)
        XCTAssertEqual(a.parameters.array, b.parameters.array)
        let c = recipe(hidden: 32, epochs: 5, seed: 5).makeNetwork(features: 5, task: .binary)
        XCTAssertNotEqual(a.parameters.array, c.parameters.array)
    }

    func testKernelPathsAgreeOnAShortRun() throws {
        let train = try XORData.make(k: 3, p: 15, n: 500)
        let r = recipe(hidden: 100, epochs: 3)
        var results: [(KernelPath, [Float])] = []
        for path in Kernels.supported {
            Kernels.use(path)
            let net = r.makeNetwork(features: 15, task: .binary)
            _ = r.run(network: net, train: train, test: nil)
            results.append((path, net.parameters.array))
        }
        Kernels.use(Kernels.supported.first!)
        let reference = results.first { $0.0 == .scalar }!.1
        for (path, p) in results {
            var worst: Float = 0
            for (x, y) in zip(p, reference) { worst = max(worst, abs(x - y) / max(1, abs(y))) }
            XCTAssertLessThan(worst, 1e-3, "\(path) drifts from the scalar path")
        }
    }

    func testMaskedWeightsStayZeroThroughTraining() throws {
        let train = try XORData.make(k: 2, p: 4, n: 200)
        var r = recipe(hidden: 8, epochs: 3)
        r.training.batchSize = 16
        let net = r.makeNetwork(features: 4, task: .binary)
        let mask = FloatBuffer(count: net.shape.parameterCount)
        mask.fill(1)
        for i in stride(from: 0, to: net.shape.layers[0].weightCount, by: 3) { mask[i] = 0; net.parameters[i] = 0 }
        net.mask = mask
        _ = r.run(network: net, train: train, test: nil)
        for i in 0..<mask.count where mask[i] == 0 { XCTAssertEqual(net.parameters[i], 0) }
        XCTAssertEqual(net.connectionCount, 4 * 8 + 8 - (4 * 8 + 2) / 3)
    }

    func testCompactionMatchesMaskedDenseNetwork() {
        let net = Network(sizes: [6, 10, 7, 3], task: .multiclass(classes: 3), seed: 11)
        var g = Xoshiro256(seed: 2)
        let x = (0..<(9 * 6)).map { _ in g.uniform(-1, 1) }
        let keepInputs = [0, 2, 3, 5], keepNodes = [[1, 2, 4, 8, 9], [0, 3, 6]]
        // Zero what compaction removes; the dense network's outputs must equal the compact one's.
        let dense = net.copy()
        for l in 0..<dense.layerCount {
            let L = dense.shape.layers[l]
            let rowsKept = l == 0 ? keepInputs : keepNodes[l - 1]
            for k in 0..<L.input where !rowsKept.contains(k) {
                for j in 0..<L.output { dense.weights(l)[k * L.output + j] = 0 }
            }
        }
        // A removed node must not contribute: zero its bias too (ReLU(b) could be > 0).
        for (l, kept) in keepNodes.enumerated() {
            for j in 0..<dense.shape.sizes[l + 1] where !kept.contains(j) { dense.bias(l)[j] = -1e9 }
        }
        let moments = FloatBuffer(net.parameters.array)
        let compacted = net.compact(keepInputs: keepInputs, keepNodes: keepNodes, companions: [moments])
        XCTAssertEqual(net.shape.sizes, [4, 5, 3, 3])
        XCTAssertEqual(compacted[0].array, net.parameters.array)
        XCTAssertEqual(net.featureIndices, keepInputs)
        XCTAssertEqual(net.nodeIndices, keepNodes)
        let xs = (0..<9).flatMap { r in keepInputs.map { x[r * 6 + $0] } }
        let a = net.predict(xs, rows: 9), b = dense.predict(x, rows: 9)
        for (u, v) in zip(a, b) { XCTAssertEqual(u, v, accuracy: 1e-5 * max(1, abs(v))) }
    }
}
