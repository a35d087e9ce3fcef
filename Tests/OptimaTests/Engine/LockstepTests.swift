// Lockstep training must follow, for every network, the path the network follows alone
// with the same batch order: same parameters at the end up to the order of float sums.
import XCTest
@testable import Optima

final class LockstepTests: XCTestCase {
    private func compare(hidden: Int, task: Task, data: Dataset, settings: TrainingSettings, networks: Int = 5,
                         file: StaticString = #filePath, line: UInt = #line) {
        func fresh(_ i: Int) -> Network {
            Network(sizes: [data.featureCount, hidden, 1], task: task, seed: UInt64(100 + i))
        }
        let alone = (0..<networks).map { i -> Network in
            let net = fresh(i)
            _ = Trainer(network: net, train: data, settings: settings).run(test: nil)
            return net
        }
        let together = (0..<networks).map(fresh)
        let lockstep = LockstepTrainer(networks: together, train: data, settings: settings)
        lockstep.run()
        XCTAssertEqual(lockstep.epoch, settings.epochs, file: file, line: line)
        for (n, net) in together.enumerated() {
            lockstep.copy(block: n, into: net)
            let a = alone[n].parameters.array, b = net.parameters.array
            let moved = zip(a, fresh(n).parameters.array).map { abs($0 - $1) }.max()!
            XCTAssertGreaterThan(moved, 1e-3, "training must move the weights", file: file, line: line)
            for i in a.indices {
                XCTAssertEqual(b[i], a[i], accuracy: 1e-4 * max(1, abs(a[i])),
                               "network \(n), parameter \(i)", file: file, line: line)
            }
        }
    }

    func testAdamMinibatchesMatchSeparateTraining() throws {
        var s = TrainingSettings()
        s.epochs = 6
        s.batchSize = 64
        s.seed = 9
        let data = try XORData.make(k: 3, p: 3, n: 200)   // the last batch of each epoch has 8 rows
        compare(hidden: 20, task: .binary, data: data, settings: s)   // 16 lanes plus a tail of 4
        compare(hidden: 32, task: .binary, data: data, settings: s)
    }

    func testFullBatchGradientDescentOnRegressionMatches() {
        var s = TrainingSettings()
        s.epochs = 200
        s.optimizer.kind = .gd
        s.optimizer.learningRate = 0.01
        s.optimizer.weightDecay = 0
        compare(hidden: 4, task: .regression(outputs: 1), data: CounterexamplesData.d1(), settings: s, networks: 7)
    }
}
