import XCTest
@testable import Optima

/// One training on several threads (`Trainer.threads`): the same numbers every time at a given
/// count, and the one-thread training's numbers to float rounding at any count, with pruning,
/// masks, a short last batch and a worker left without rows.
final class ParallelStepTests: XCTestCase {
    private func recipe(hidden: [Int], epochs: Int, batch: Int) -> Recipe {
        var r = Recipe()
        r.hidden = hidden
        r.training.epochs = epochs
        r.training.batchSize = batch
        return r
    }

    /// Per-epoch training losses (measured after each epoch on the whole set) and the weights.
    private func train(_ r: Recipe, _ data: Dataset, threads: Int, pruning: PruningMethod = .none)
        throws -> (losses: [Double], parameters: [Float], features: [Int], shape: NetworkShape) {
        let network = r.makeNetwork(features: data.featureCount, task: data.task)
        let pruner = try pruning.pruner(network: network, epochs: r.training.epochs, initialWeights: InitialWeights(of: network))
        var losses: [Double] = []
        _ = r.run(network: network, train: data, test: nil, afterEpoch: { t, e in pruner?.step(t, e) },
                  observe: { t, _, _ in losses.append(Evaluation(network: t.network, data: t.view(of: data)).loss) },
                  threads: threads, minimumSplitWork: 0)   // these small steps are split too
        return (losses, network.parameters.array, network.featureIndices, network.shape)
    }

    private func assertClose(_ a: [Double], _ b: [Double], relative: Double, _ what: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        for (i, (x, y)) in zip(a, b).enumerated() {
            XCTAssertLessThanOrEqual(abs(x - y), relative * max(abs(x), abs(y), 1e-12), "\(what), epoch \(i + 1): \(x) vs \(y)",
                                     file: file, line: line)
        }
    }

    func testTwoThreadsRepeatExactlyAndMatchOneThreadToRounding() throws {
        let data = try XORData.make(k: 3, p: 15, n: 600)
        let r = recipe(hidden: [256], epochs: 8, batch: 64)
        let one = try train(r, data, threads: 1)
        let two = try train(r, data, threads: 2), again = try train(r, data, threads: 2)
        XCTAssertEqual(two.parameters, again.parameters, "the same seed and count give the same weights, bit for bit")
        XCTAssertNotEqual(two.parameters, one.parameters, "the split really ran (its sums differ in the last bits)")
        assertClose(two.losses, one.losses, relative: 1e-4, "2 threads against 1")
        let gap = zip(two.parameters, one.parameters).map { abs($0 - $1) }.max()!
        XCTAssertLessThan(gap, 1e-3, "weights stay within rounding of the one-thread run")
    }

    /// Batch 7 on 3 threads: shares of 3, 3 and 1 rows; the last batch (100 = 14·7 + 2) gives
    /// the third worker no rows. Multi-class, two hidden layers (the general backward path).
    func testUnevenSharesAndAnEmptyWorkerGiveTheSameTraining() throws {
        let data = try XORData.make(k: 2, p: 6, n: 100).withClasses(3)
        let r = recipe(hidden: [24, 16], epochs: 6, batch: 7)
        let one = try train(r, data, threads: 1), three = try train(r, data, threads: 3)
        assertClose(three.losses, one.losses, relative: 1e-4, "3 threads against 1")
    }

    /// Pruning changes the network's shape between epochs (FSA+NSA) and masks single weights
    /// (CPNA); the split follows both and keeps what one thread keeps.
    func testPruningKeepsTheSameFeaturesAndConnections() throws {
        let data = try XORData.make(k: 3, p: 15, n: 600)
        var nodes = NodeSelectionSettings()
        nodes.nodeTargets = [16]
        nodes.featureTarget = 3
        let r = recipe(hidden: [128], epochs: 30, batch: 64)
        let fsaOne = try train(r, data, threads: 1, pruning: .nodes(nodes))
        let fsaTwo = try train(r, data, threads: 2, pruning: .nodes(nodes))
        XCTAssertEqual(fsaOne.features.count, 3, "FSA ran")
        XCTAssertEqual(fsaTwo.features, fsaOne.features)
        XCTAssertEqual(fsaTwo.shape, fsaOne.shape)
        assertClose(fsaTwo.losses, fsaOne.losses, relative: 1e-3, "FSA+NSA, 2 threads against 1")

        var connections = ConnectionPruningSettings()
        connections.outputTarget = 8
        connections.inputTarget = 16
        let c = recipe(hidden: [64], epochs: 20, batch: 64)
        let cpnaOne = try train(c, data, threads: 1, pruning: .connections(connections))
        let cpnaTwo = try train(c, data, threads: 2, pruning: .connections(connections))
        XCTAssertGreaterThan(cpnaOne.parameters.filter { $0 == 0 }.count, 10, "CPNA masked connections")
        XCTAssertEqual(cpnaTwo.shape, cpnaOne.shape)
        XCTAssertEqual(cpnaTwo.parameters.map { $0 == 0 }, cpnaOne.parameters.map { $0 == 0 }, "the same weights pruned")
        assertClose(cpnaTwo.losses, cpnaOne.losses, relative: 1e-3, "CPNA, 2 threads against 1")
    }

    /// A team's workers park when idle and wake for the next phase; every worker runs every
    /// phase exactly once.
    /// Steps below `ParallelStep.minimumWork` stay on one thread: the same bits as one thread.
    func testSmallStepsAreNotSplit() throws {
        let data = try XORData.make(k: 3, p: 15, n: 300)
        let r = recipe(hidden: [64], epochs: 3, batch: 64)
        XCTAssertLessThan(ParallelStep.work(r.makeNetwork(features: 15, task: .binary).shape, rows: 64), ParallelStep.minimumWork)
        func weights(_ threads: Int) -> [Float] {
            let network = r.makeNetwork(features: data.featureCount, task: data.task)
            _ = r.run(network: network, train: data, test: nil, threads: threads)
            return network.parameters.array
        }
        XCTAssertEqual(weights(2), weights(1))
    }

    func testTeamRunsEveryWorkerOncePerPhaseAfterParking() {
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: 3)
        counts.initialize(repeating: 0, count: 3)
        defer { counts.deallocate() }
        let address = Int(bitPattern: counts)
        let team = StepTeam(size: 3) { phase, w in
            UnsafeMutablePointer<Int>(bitPattern: address)![w] += phase + 1
        }
        for phase in 0..<50 { team.run(phase: phase % 2) }
        usleep(50_000)   // long enough for the workers to park
        team.run(phase: 1)
        team.stop()
        XCTAssertEqual(Array(UnsafeBufferPointer(start: counts, count: 3)), [77, 77, 77])
    }
}

private extension Dataset {
    /// The rows relabelled into `classes` classes (the XOR label plus the row number's
    /// remainder), for a multi-class check.
    func withClasses(_ classes: Int) -> Dataset {
        let labels = (0..<count).map { Float((Int(targets[$0]) + $0) % classes) }
        return Dataset(name: name, features: features, targets: labels, count: count, featureCount: featureCount,
                       task: .multiclass(classes: classes))
    }
}
