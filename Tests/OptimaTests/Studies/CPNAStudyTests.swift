// The cpna paper's studies at quick scale, and the pruning mechanics they rely on: the
// per-node and contribution rankings on hand-computed cases, the iteration clock, and the
// retrainings sharing their pruning run.
import Foundation
import XCTest
@testable import Optima

final class CPNAStudyTests: XCTestCase {
    private func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "optima-cpna-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    private func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func testEveryItemAtQuickScale() throws {
        let dir = try temporaryDirectory()
        let options = StudyOptions(scale: .quick, threads: 2, resultsDir: dir, quiet: true)
        // Table 3 (real data) has its own test (RealDataStudyTests).
        let studies = try StudyRegistry.select("cpna").filter { $0.id.item != "table3" }
        XCTAssertEqual(Set(studies.map(\.id.item)), ["fig1", "fig2", "fig3", "fig4", "fig6", "fig7", "fig8", "table1", "targets",
                                                         "targets-trace", "nodes", "deep"])
        for s in studies { try StudyRegistry.run(s, options: options) }
        let q = StudyScale.quick, folder = dir + "/cpna/"

        // Figs 1-2: one CSV row per rank of each (n, p, h) curve; every figure has its plot.
        for fig in [CPNASortedMinima.fig1, .fig2] {
            let csv = try lines(folder + "\(fig.id.item).csv")
            XCTAssertEqual(csv.count - 1, fig.cells.count * CPNASortedMinima.hs(q).count * CPNASortedMinima.inits(q))
            let svg = try String(contentsOfFile: folder + "\(fig.id.item).svg", encoding: .utf8)
            XCTAssert(svg.contains("<svg") && (svg.contains("<polyline") || svg.contains("<path")), "\(fig.id.item).svg draws nothing")
        }
        // Fig 3: one row per (k, n, p); Fig 4: per (k, p, h); Fig 6: per (method, H).
        XCTAssertEqual(try lines(folder + "fig3.csv").count - 1,
                       CPNAFig3.ks(q).map { CPNAFig3.ps(k: $0, q).count }.reduce(0, +) * CPNAFig3.ns(q).count)
        XCTAssertEqual(try lines(folder + "fig4.csv").count - 1, CPNAFig4.settings(q).count * CPNAFig4.hs(q).count)
        XCTAssertEqual(try lines(folder + "fig6.csv").count - 1, CPNAFig6.widths(q).count * 3)

        // Table 1 and Fig. 7 share one results file; every retraining recorded the pruned
        // network it started from, and that network is the CPNA(hidden) run of the same init.
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder + "fig7.jsonl"))
        let records = try lines(folder + "table1.jsonl").map { try JSONValue.parse($0).object! }
        let hidden = records.filter { $0["method"]?.string == "cpna" && $0["layers"]?.string == "hidden" }
        let retrained = records.filter { $0["retrain"] != nil }
        XCTAssertEqual(hidden.count, CPNATable1.inits(q))
        XCTAssertEqual(retrained.count, 2 * CPNATable1.inits(q))
        for r in retrained {
            let same = hidden.first { $0["init"]?.int == r["init"]?.int }!
            XCTAssertEqual(r["found_test_auc"]!.double!, same["test_auc"]!.double!, accuracy: 1e-12,
                           "a retraining must start from its own CPNA(hidden) run")
        }
        XCTAssertEqual(try lines(folder + "fig7.csv").count - 1, 3 * CPNATable1.inits(q))

        // Fig 8: a traced row per epoch of each run, phases in order, connections falling to the targets.
        let fig8 = try lines(folder + "fig8.csv")
        XCTAssertEqual(fig8.count - 1, 2 * CPNAFig8.runs(q) * CPNATraining(q).pruningEpochs)
        let last = fig8.last!.split(separator: ",").map(String.init)
        XCTAssertEqual(last[4], "input pruning")
        XCTAssertLessThanOrEqual(Int(last[5])!, CPNAFig8.outputTarget + CPNAFig8.inputTarget)

        // Targets: every reading, and its nodes' inputs/relevant pairs.
        let targets = try lines(folder + "targets.csv")
        XCTAssertEqual(targets.count - 1, CPNATargets.variants.count)
        // Targets trace: both readings, every epoch of input pruning, 24 connections at the end.
        let trace = try lines(folder + "targets-trace.csv").dropFirst().map { $0.split(separator: ",").map(String.init) }
        XCTAssertEqual(Set(trace.map { $0[0] }), ["layer", "contribution"])
        for reading in ["layer", "contribution"] {
            XCTAssertEqual(trace.last { $0[0] == reading }?[2], "24", "\(reading) ends with 24 input connections")
        }
        // Node form: one row per method, each ending with the nodes it keeps (the NN keeps all).
        let nodes = Array(try lines(folder + "nodes.csv").dropFirst())
        XCTAssertEqual(nodes.count, CPNANodes.Variant.allCases.count)
        for (line, v) in zip(nodes, CPNANodes.Variant.allCases) where v != .nn {
            XCTAssert(line.hasPrefix("\"\(v.rawValue)\","), line)
            XCTAssertEqual(line.split(separator: ",").last.flatMap { Double($0) }, Double(CPNANodes.kept), line)
        }
        // Deep: every method at every depth, the deep records naming their layers.
        XCTAssertEqual(try lines(folder + "deep.csv").count - 1, CPNADeep.depths.map { CPNADeep.cells(depth: $0).count }.reduce(0, +))
        let deep = try lines(folder + "deep.jsonl").map { try JSONValue.parse($0).object! }
        XCTAssertEqual(deep.filter { $0["key"]?.string?.contains("layers=2") == true }.count,
                       CPNADeep.cells(depth: 2).count * CPNADeep.inits(q))
        XCTAssertEqual(deep.filter { $0["key"]?.string?.contains("middle_target=144") == true }.count, 3 * CPNADeep.inits(q))
        let report = try String(contentsOfFile: folder + "REPORT.md", encoding: .utf8)
        for item in ["fig1", "fig2", "fig3", "fig4", "fig6", "fig7", "fig8", "table1", "targets", "targets-trace", "nodes", "deep"] {
            XCTAssert(report.contains("<!-- begin \(item) -->"), "REPORT.md lacks \(item)")
        }
        XCTAssert(report.contains("(99.58)"), "Table 1 quotes the paper's numbers beside ours")
        XCTAssert(report.contains("the paper gives no value; 30 is the nsa paper's"), "μ is flagged as unstated")
    }

    // MARK: Rankings

    /// A 3-4-1 network whose first layer's |w| are 1...12 in input-major order (w_ij at
    /// i·4 + j), outgoing weights `out`.
    private func network(out: [Float]) -> Network {
        let net = Network(sizes: [3, 4, 1], hiddenActivation: .relu, task: .binary, initialization: .pytorch, seed: 1)
        for i in 0..<12 { net.weights(0)[i] = Float(i + 1) * (i % 2 == 0 ? 1 : -1) }
        for j in 0..<4 { net.weights(1)[j] = out[j] }
        return net
    }

    /// Live (unmasked) first-layer positions.
    private func live(_ net: Network) -> [Int] { (0..<12).filter { net.mask![net.shape.layers[0].weightOffset + $0] != 0 } }

    func testLayerRankingKeepsTheLargestWeights() {
        let net = network(out: [1, 1, 1, 1])
        net.keepLargestConnections(layer: 0, keep: 4)
        XCTAssertEqual(live(net), [8, 9, 10, 11])
    }

    func testContributionRankingWeighsEachNodeByItsOutgoingNorm() {
        // Node 0's outgoing weight is 10, the others 0.1: |w_i0|·10 = 10, 50, 90 beat every
        // other contribution (at most 12·0.1), so node 0 keeps its three inputs first.
        let net = network(out: [10, 0.1, 0.1, -0.1])
        net.keepLargestConnections(layer: 0, keep: 4, nodeScale: [10, 0.1, 0.1, 0.1])
        XCTAssertEqual(live(net), [0, 4, 8, 11])
        XCTAssertEqual(net.weights(0)[1], 0, "pruned weights are zeroed")
    }

    func testNodeRankingGivesEveryNodeItsShare() {
        let net = network(out: [1, 1, 1, 1])
        // 6 over 4 nodes: 2 for the two nodes with the largest weight (nodes 3: 12, 2: 11), 1 for the others.
        net.keepLargestConnectionsPerNode(layer: 0, keep: 6)
        XCTAssertEqual(live(net), [6, 7, 8, 9, 10, 11])
        let spread = net.inputSpread(relevant: [0])
        XCTAssertEqual(spread.inputs, [2, 2, 1, 1])
        XCTAssertEqual(spread.relevant, [0, 0, 0, 0])
    }

    // MARK: The iteration clock

    func testIterationClockPrunesEveryStepAndReachesItsTargets() throws {
        let data = try XORData.make(k: 3, p: 6, n: 256)
        var recipe = Recipe.cpnaTable1
        recipe.hidden = [32]
        recipe.training.epochs = 12
        let net = recipe.makeNetwork(features: data.featureCount, task: data.task)
        var s = ConnectionPruningSettings()
        s.outputTarget = 4
        s.inputTarget = 8
        XCTAssertEqual(s.clock, .iteration)
        let pruning = try ConnectionPruning(s, network: net, epochs: 12)
        var counts: [Int] = []
        let outcome = recipe.run(network: net, train: data, test: nil, afterStep: { t in
            pruning.afterStep(t)
            counts.append(t.network.liveConnections)
        }, afterEpoch: pruning.callAsFunction)
        XCTAssertEqual(counts.count, 12 * 4, "one pruning step per Adam step (256 rows, batch 64)")
        XCTAssertEqual(net.liveConnections(layer: 0), 8)
        XCTAssertLessThanOrEqual(outcome.connections, 12)
        // counts[i] is read after step i + 1; a fall from it to the next that is not at an
        // epoch's end (where the compaction runs) was pruned inside an epoch.
        let midEpoch = (0..<(counts.count - 1)).filter { counts[$0] > counts[$0 + 1] && ($0 + 1) % 4 != 0 }
        XCTAssertFalse(midEpoch.isEmpty, "the iteration clock prunes between epochs' ends: \(counts)")
        XCTAssertEqual(counts.prefix(12), ArraySlice(repeating: counts[0], count: 12), "no pruning while pre-training")
        XCTAssertTrue(net.parametersAreFinite)
    }
}
