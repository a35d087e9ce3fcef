// CPNA's node form on the iteration clock: with one output it must give exactly the network
// that connection pruning of the hidden→output layer gives (the same weights ranked on the
// same schedule), and with two hidden layers every layer must reach its target.
import XCTest
@testable import Optima

final class NodeFormTests: XCTestCase {
    private func recipe(hidden: [Int]) -> Recipe {
        var r = Recipe.cpnaTable1
        r.hidden = hidden
        r.training.epochs = 12
        return r
    }

    /// Trains with `method` from the recipe's start; returns the network and its hidden sizes
    /// after every epoch.
    private func trained(_ method: PruningMethod, _ r: Recipe, on data: Dataset) throws -> (Network, [[Int]]) {
        let net = r.makeNetwork(features: data.featureCount, task: data.task)
        let pruner = try XCTUnwrap(try method.pruner(network: net, epochs: 12, initialWeights: InitialWeights(of: net)))
        var sizes: [[Int]] = []
        _ = try r.run(network: net, train: data, test: nil, afterEpoch: { t, e in
            pruner.step(t, e)
            sizes.append(t.network.shape.hiddenSizes)
        })
        return (net, sizes)
    }

    func testOnOneOutputTheNodeFormIsConnectionPruningOfTheOutputLayer() throws {
        let data = try XORData.make(k: 3, p: 6, n: 256)
        let r = recipe(hidden: [32])
        var nodes = NodeSelectionSettings.cpnaNodes(targets: [4], pretrain: 3, epochs: 12)
        nodes.clock = .iteration
        var connections = ConnectionPruningSettings()
        connections.layers = .output
        connections.outputTarget = 4
        XCTAssertEqual(connections.clock, .iteration)
        let (a, aSizes) = try trained(.nodes(nodes), r, on: data)
        let (b, bSizes) = try trained(.connections(connections), r, on: data)
        XCTAssertEqual(aSizes, bSizes)
        XCTAssertEqual(aSizes.last, [4])
        XCTAssertEqual(a.parameters.array, b.parameters.array)
    }

    func testTheIterationClockPrunesEveryHiddenLayerAndNeverBringsANodeBack() throws {
        let data = try XORData.make(k: 3, p: 6, n: 256)
        var s = NodeSelectionSettings.cpnaNodes(targets: [6, 3], pretrain: 3, epochs: 12)
        s.clock = .iteration
        let (net, sizes) = try trained(.nodes(s), recipe(hidden: [16, 8]), on: data)
        XCTAssertEqual(sizes.last, [6, 3])
        XCTAssertEqual(sizes.prefix(3).map { $0 }, Array(repeating: [16, 8], count: 3), "no pruning while pre-training")
        for (before, after) in zip(sizes, sizes.dropFirst()) {
            XCTAssert(zip(before, after).allSatisfy { $0 >= $1 }, "\(sizes)")
        }
        XCTAssertTrue(net.parametersAreFinite)
    }

    func testTheIterationClockSelectsNoFeatures() throws {
        var s = NodeSelectionSettings()
        s.clock = .iteration
        s.featureTarget = 3
        let data = try XORData.make(k: 3, p: 6, n: 64)
        let net = recipe(hidden: [8]).makeNetwork(features: data.featureCount, task: data.task)
        XCTAssertThrowsError(try NodeSelection(s, network: net, epochs: 12))
    }
}
