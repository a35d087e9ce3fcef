import XCTest
import Foundation
@testable import Optima

/// Annealing schedules, normalisation, compaction, NSA / FSA+NSA / CPNA and retraining.
final class PruningTests: XCTestCase {

    // MARK: schedules against the papers' formulas

    /// The formula written out independently: target + floor((initial-target)·max(0, (N-2ε)/(2εμ+N))).
    private func formula(_ e: Int, initial: Int, target: Int, start: Double, n: Double, mu: Double) -> Int {
        let eps = max(0, Double(e) - start)
        return target + Int(floor(Double(initial - target) * max(0, (n - 2 * eps) / (2 * eps * mu + n))))
    }

    func testNodeScheduleMatchesPaper() {
        let h = AnnealingSchedule.nodes(from: 1024, to: 128, epochs: 300, mu: 30)
        for e in 1...75 { XCTAssertEqual(h.count(afterEpoch: e), 1024, "e = \(e)") }
        XCTAssertEqual(h.count(afterEpoch: 76), 829)
        XCTAssertEqual(h.count(afterEpoch: 183), 129)
        for e in 184...300 { XCTAssertEqual(h.count(afterEpoch: e), 128, "e = \(e)") }
        for e in [80, 100, 120, 150, 180] {
            XCTAssertEqual(h.count(afterEpoch: e), formula(e, initial: 1024, target: 128, start: 75, n: 225, mu: 30))
        }
        XCTAssertEqual(h.finalEpoch, 184)
        assertMonotone(h)
    }

    func testFeatureScheduleMatchesPaper() {
        let p = AnnealingSchedule.features(from: 15, to: 3, epochs: 300, mu: 30)
        for e in 1...180 { XCTAssertEqual(p.count(afterEpoch: e), 15, "e = \(e)") }
        XCTAssertEqual(p.count(afterEpoch: 181), 10)
        XCTAssertEqual(p.count(afterEpoch: 195), 4)
        for e in 196...300 { XCTAssertEqual(p.count(afterEpoch: e), 3, "e = \(e)") }
        for e in [182, 185, 190] {
            XCTAssertEqual(p.count(afterEpoch: e), formula(e, initial: 15, target: 3, start: 180, n: 120, mu: 30))
        }
        assertMonotone(p)
    }

    func testConnectionScheduleCountsFromEndOfPretraining() {
        let m = AnnealingSchedule.connections(from: 1024, to: 12, epochs: 400, pretrain: 100, mu: 30)
        for e in 1...100 { XCTAssertEqual(m.count(afterEpoch: e), 1024) }
        for e in [101, 110, 150, 200, 249, 250, 251, 400] {
            XCTAssertEqual(m.count(afterEpoch: e), formula(e, initial: 1024, target: 12, start: 100, n: 300, mu: 30))
        }
        XCTAssertEqual(m.count(afterEpoch: 250), 12)   // target at the middle of the window
        assertMonotone(m)
    }

    private func assertMonotone(_ s: AnnealingSchedule, file: StaticString = #filePath, line: UInt = #line) {
        for e in 1..<400 where s.count(afterEpoch: e + 1) > s.count(afterEpoch: e) {
            XCTFail("schedule grows at epoch \(e)", file: file, line: line)
        }
    }

    // MARK: normalisation and compaction keep the network function

    private func data(features p: Int, rows n: Int = 200, task: Task = .binary, seed: UInt64 = 3) -> Dataset {
        var g = Xoshiro256(seed: seed)
        let x = (0..<(n * p)).map { _ in g.uniform(-1, 1) }
        let y: [Float]
        switch task {
        case .multiclass(let c): y = (0..<n).map { Float($0 % c) }
        default: y = (0..<n).map { i in x[i * p] * x[i * p + 1] > 0 ? 1 : 0 }
        }
        return Dataset(name: "check", features: x, targets: y, count: n, featureCount: p, task: task)
    }

    private func assertSameOutputs(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5,
                                   file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        let scale = max(1e-6, a.map(abs).max() ?? 0)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst / scale, tolerance, file: file, line: line)
    }

    func testNormalisationLeavesOutputsUnchanged() {
        for (sizes, task) in [([7, 64, 1], Task.binary), ([7, 32, 16, 1], .binary), ([7, 40, 3], .multiclass(classes: 3))] {
            let d = data(features: 7, task: task)
            let net = Network(sizes: sizes, task: task, seed: 11)
            // Spread the node norms so the normalisation has something to do.
            for i in 0..<net.parameters.count { net.parameters[i] *= Float(1 + i % 5) }
            let before = net.predict(d.features, rows: d.count)
            net.normalizeHiddenNodes()
            assertSameOutputs(before, net.predict(d.features, rows: d.count))
            for l in 0..<(net.layerCount - 1) {
                let L = net.shape.layers[l]
                for j in 0..<L.output {
                    var s: Float = 0
                    for k in 0..<L.input { let w = net.weight(layer: l, from: k, to: j); s += w * w }
                    XCTAssertEqual(s.squareRoot(), 1, accuracy: 1e-5)
                }
            }
        }
    }

    func testCompactedNetworkMatchesMaskedDense() {
        let d = data(features: 9)
        var r = Recipe()
        r.hidden = [48]
        r.training.epochs = 5
        let net = r.makeNetwork(features: 9, task: .binary)
        let trainer = Trainer(network: net, train: d, settings: r.training)
        for _ in 0..<5 { trainer.runEpoch() }
        // Sparse enough that features lose every connection, nodes lose every outgoing
        // connection, and nodes lose every incoming one (constants to fold).
        // 12 input connections cannot feed all 20 nodes that keep an output connection.
        net.keepLargestConnections(layer: 1, keep: 20)
        net.keepLargestConnections(layer: 0, keep: 12)
        let L0 = net.shape.layers[0]
        for j in 0..<L0.output {   // and feature 8 loses every connection
            net.mask![L0.weightOffset + 8 * L0.output + j] = 0
            net.parameters[L0.weightOffset + 8 * L0.output + j] = 0
        }
        let dense = net.copy()
        trainer.optimizer.applyMask(net.mask!)
        trainer.removeDisconnectedUnits(initialWeights: nil)
        XCTAssertLessThanOrEqual(net.shape.sizes[1], 12)
        XCTAssertLessThan(net.shape.inputCount, 9)
        XCTAssertFalse(net.featureIndices.contains(8))
        assertSameOutputs(dense.predict(d.features, rows: d.count),
                          net.predict(trainer.view(of: d).features, rows: d.count))
        XCTAssertEqual(trainer.optimizer.stateBuffers.map(\.count), [net.shape.parameterCount, net.shape.parameterCount])
    }

    // MARK: CPNA: a removed connection never comes back

    func testPrunedConnectionsStayZeroThroughTraining() throws {
        let d = data(features: 8, rows: 300)
        var r = Recipe()
        r.hidden = [32]
        r.training.epochs = 40
        r.training.optimizer.weightDecay = 1e-4
        var s = ConnectionPruningSettings()
        s.order = .together
        s.pretrainEpochs = 5
        s.outputTarget = 10
        s.inputTarget = 25
        let net = r.makeNetwork(features: 8, task: .binary)
        let cpna = try ConnectionPruning(s, network: net, epochs: 40)
        var removed = Set<[Int]>()   // (layer, from, to) in the original numbering
        var checkedEpochs = 0
        _ = r.run(network: net, train: d, test: nil, afterEpoch: cpna.callAsFunction) { t, _, _ in
            let n = t.network
            guard let mask = n.mask else { return }
            checkedEpochs += 1
            for l in 0..<n.layerCount {
                let L = n.shape.layers[l]
                let from = l == 0 ? n.featureIndices : n.nodeIndices[l - 1]
                let to = l == n.layerCount - 1 ? Array(0..<L.output) : n.nodeIndices[l]
                for k in 0..<L.input {
                    for j in 0..<L.output {
                        let i = L.weightOffset + k * L.output + j
                        let id = [l, from[k], to[j]]
                        if mask[i] == 0 {
                            XCTAssertEqual(n.parameters[i], 0)
                            removed.insert(id)
                        } else {
                            XCTAssertFalse(removed.contains(id), "connection \(id) came back")
                        }
                    }
                }
            }
        }
        XCTAssertGreaterThan(checkedEpochs, 20)
        XCTAssertLessThanOrEqual(net.liveConnections(layer: 1), 10)
        XCTAssertLessThanOrEqual(net.liveConnections(layer: 0), 25)
    }

    // MARK: NSA

    func testNSAKeepsExactlyScheduledNodesAndCarriesMoments() throws {
        let d = data(features: 5, rows: 256)
        var r = Recipe()
        r.hidden = [64]
        r.training.epochs = 40
        var s = NodeSelectionSettings()
        s.nodeTargets = [8]
        let net = r.makeNetwork(features: 5, task: .binary)
        let nsa = try NodeSelection(s, network: net, epochs: 40)
        var momentsChecked = false
        _ = r.run(network: net, train: d, test: nil, afterEpoch: { t, e in
            // Snapshot the moments by original node index, prune, compare.
            let before = self.incomingMoments(t)
            nsa(t, e)
            let after = self.incomingMoments(t)
            XCTAssertEqual(t.network.shape.sizes[1], nsa.nodeSchedules[0].count(afterEpoch: e), "epoch \(e)")
            for (node, m) in after { XCTAssertEqual(m, before[node]) }
            if after.count < before.count { momentsChecked = true }
        })
        XCTAssertTrue(momentsChecked)
        XCTAssertEqual(net.shape.sizes, [5, 8, 1])
    }

    func testTraceHasOneRowPerEpochAndWritesCSV() throws {
        let d = data(features: 5, rows: 128)
        var r = Recipe()
        r.hidden = [32]
        r.training.epochs = 12
        var s = NodeSelectionSettings()
        s.nodeTargets = [4]
        s.featureTarget = 2
        let net = r.makeNetwork(features: 5, task: .binary)
        let fsa = try NodeSelection(s, network: net, epochs: 12)
        let trace = PruningTrace(train: d, test: d)
        _ = r.run(network: net, train: d, test: d, afterEpoch: fsa.callAsFunction, observe: trace.record)
        XCTAssertEqual(trace.rows.map(\.epoch), Array(1...12))
        XCTAssertEqual(trace.rows.map(\.nodes), (1...12).map { fsa.nodeSchedules[0].count(afterEpoch: $0) })
        XCTAssertEqual(trace.rows.last?.features, 2)
        XCTAssertEqual(trace.rows.last?.connections, net.connectionCount)
        XCTAssertNotNil(trace.rows.last?.testAUC)
        let path = NSTemporaryDirectory() + "pruning-trace-\(getpid()).csv"
        defer { unlink(path) }
        try trace.write(to: path)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 13)
        XCTAssertEqual(String(lines[0]), PruningTrace.header)
        XCTAssertEqual(lines[1].split(separator: ",", omittingEmptySubsequences: false).count, 13)
        // Once at most PruningTrace.spreadNodes nodes are left, each node's inputs are listed.
        XCTAssertEqual(trace.rows.last?.inputsPerNode.count, 4)
        XCTAssertEqual(trace.rows.last?.inputsPerNode.allSatisfy { $0 == 2 }, true, "FSA keeps whole columns: 2 inputs per node")
    }

    /// Adam's first moments of each node's incoming weights and bias, by original node index.
    private func incomingMoments(_ t: Trainer) -> [Int: [Float]] {
        let n = t.network, L = n.shape.layers[0], m = t.optimizer.stateBuffers[0]
        var out: [Int: [Float]] = [:]
        for j in 0..<L.output {
            out[n.nodeIndices[0][j]] = (0..<L.input).map { m[L.weightOffset + $0 * L.output + j] } + [m[L.biasOffset + j]]
        }
        return out
    }

    func testNodeRankingBreaksTiesByLowestIndex() {
        XCTAssertEqual(positionsOfLargest(3, of: [1, 2, 2, 2, 0, .nan]), [1, 2, 3])
        XCTAssertEqual(positionsOfLargest(2, of: [5, .nan, 5, 1]), [0, 2])
    }

    // MARK: retraining the found sub-network

    func testRetrainingFromOriginalInitReproducesInitialSubnetwork() throws {
        let d = data(features: 6, rows: 200)
        var r = Recipe()
        r.hidden = [24]
        r.training.epochs = 30
        var s = ConnectionPruningSettings()
        s.pretrainEpochs = 3
        s.outputTarget = 8
        s.inputTarget = 14
        let net = r.makeNetwork(features: 6, task: .binary)
        let original = net.copy()
        let initial = InitialWeights(of: net)
        let cpna = try ConnectionPruning(s, network: net, epochs: 30, initialWeights: initial)
        _ = r.run(network: net, train: d, test: nil, afterEpoch: cpna.callAsFunction)
        XCTAssertLessThan(net.shape.sizes[1], 24)

        let start = net.subnetworkForRetraining(from: .original, initialWeights: initial)
        XCTAssertEqual(start.shape, net.shape)
        let L0 = start.shape.layers[0], L1 = start.shape.layers[1]
        for (c, j) in start.nodeIndices[0].enumerated() {
            for (r, f) in start.featureIndices.enumerated() {
                let i = L0.weightOffset + r * L0.output + c
                XCTAssertEqual(start.parameters[i], start.mask![i] == 0 ? 0 : original.weight(layer: 0, from: f, to: j))
            }
            XCTAssertEqual(start.bias(0)[c], original.bias(0)[j])
            let i = L1.weightOffset + c
            XCTAssertEqual(start.parameters[i], start.mask![i] == 0 ? 0 : original.weight(layer: 1, from: j, to: 0))
        }
        XCTAssertEqual(start.bias(1)[0], original.bias(1)[0])

        let fresh = net.subnetworkForRetraining(from: .fresh(seed: 99), initialWeights: nil)
        for i in 0..<fresh.parameters.count where fresh.mask![i] == 0 { XCTAssertEqual(fresh.parameters[i], 0) }
        let retrained = r.retrain(net, from: .original, initialWeights: initial, train: d, test: nil)
        XCTAssertEqual(retrained.shape, net.shape)
        XCTAssertTrue(retrained.train.loss.isFinite)
    }

    // MARK: the papers' XOR runs

    private func xorRecipe(hidden: Int, epochs: Int) -> Recipe {
        var r = Recipe()
        r.hidden = [hidden]
        r.training.epochs = epochs
        r.training.batchSize = 64
        r.training.optimizer.weightDecay = 1e-4
        return r
    }

    func testFSANSASelectsTheRelevantXORFeatures() throws {
        let train = try XORData.make(k: 3, p: 15, n: 3000)
        let test = try XORData.make(k: 3, p: 15, n: 3000, test: true)
        let r = xorRecipe(hidden: 1024, epochs: 300)
        var s = NodeSelectionSettings()
        s.nodeTargets = [128]
        s.featureTarget = 3
        let net = r.makeNetwork(features: 15, task: .binary)
        let fsa = try NodeSelection(s, network: net, epochs: 300)
        let out = r.run(network: net, train: train, test: test, afterEpoch: fsa.callAsFunction)
        XCTAssertEqual(out.featureIndices, [0, 1, 2])
        XCTAssertEqual(out.shape.sizes, [3, 128, 1])
        XCTAssertGreaterThanOrEqual(out.test?.auc ?? 0, 0.95)
    }

    func testCPNAAllBeatsTheDenseNetworkOnXOR() throws {
        let train = try XORData.make(k: 3, p: 15, n: 3000)
        let test = try XORData.make(k: 3, p: 15, n: 3000, test: true)
        let r = xorRecipe(hidden: 256, epochs: 300)
        let dense = r.run(train: train, test: test)
        let net = r.makeNetwork(features: 15, task: .binary)
        let cpna = try ConnectionPruning(ConnectionPruningSettings(), network: net, epochs: 300)
        let pruned = r.run(network: net, train: train, test: test, afterEpoch: cpna.callAsFunction)
        XCTAssertGreaterThan(pruned.test?.auc ?? 0, dense.test?.auc ?? 1)
        XCTAssertEqual(pruned.featureIndices, [0, 1, 2])
    }
}
