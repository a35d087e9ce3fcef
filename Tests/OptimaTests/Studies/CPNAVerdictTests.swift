// The cpna studies' verdict rules on hand-made rows: the paper's picture must pass, and a
// picture where the claim fails must not.
import XCTest
@testable import Optima

final class CPNAVerdictTests: XCTestCase {
    // MARK: Figs 1-2

    /// Sorted curves: `losses` for ranks 1...n of one (n, p, h), test AUC falling along them.
    private func curve(n: Int = 3000, p: Int, h: Int, losses: [Double], testAUC: (Double, Double)) -> [CPNASortedMinima.Row] {
        losses.enumerated().map { i, l in
            let t = testAUC.0 + (testAUC.1 - testAUC.0) * Double(i) / Double(max(1, losses.count - 1))
            return CPNASortedMinima.Row(n: n, p: p, h: h, rank: i + 1, loss: l, trainAUC: 1, testAUC: t)
        }
    }

    func testSortedMinimaPassThePapersPicture() {
        let rows = curve(p: 4, h: 20, losses: [0.10, 0.2, 0.3], testAUC: (0.99, 0.8))
            + curve(p: 4, h: 500, losses: [0.01, 0.05, 0.2], testAUC: (1, 0.9))
            + curve(p: 100, h: 20, losses: [0.2, 0.3, 0.4], testAUC: (0.55, 0.5))
            + curve(p: 100, h: 500, losses: [0.3, 0.4, 0.5], testAUC: (0.52, 0.5))
        XCTAssertEqual(CPNASortedMinima.judge(rows).verdict, .reproduced, CPNASortedMinima.judge(rows).reason)
    }

    func testSortedMinimaFailWhenMinimaAreEqualAndP100Generalises() {
        let rows = curve(p: 4, h: 20, losses: [0.1, 0.1, 0.1], testAUC: (0.99, 0.99))
            + curve(p: 4, h: 500, losses: [0.2, 0.2, 0.2], testAUC: (1, 1))
            + curve(p: 100, h: 20, losses: [0.3, 0.3, 0.3], testAUC: (0.9, 0.9))
            + curve(p: 100, h: 500, losses: [0.1, 0.1, 0.1], testAUC: (0.9, 0.9))
        let j = CPNASortedMinima.judge(rows)
        XCTAssertEqual(j.verdict, .notReproduced, j.reason)
        XCTAssert(j.reason.contains("test AUC 0.900→0.900"), j.reason)
    }

    // MARK: Fig 3

    private func transitionRows(k: Int, n: Int, _ aucs: [(Int, Double)]) -> [CPNAFig3.Row] {
        aucs.map { CPNAFig3.Row(k: k, n: n, p: $0.0, repeats: 10, testAUC: $0.1, testAUCSD: 0.01, trainAUC: 1) }
    }

    func testPhaseTransitionPassesWhenTheCrossingMovesWithN() {
        let rows = transitionRows(k: 3, n: 1000, [(3, 0.99), (10, 0.9), (20, 0.7), (30, 0.5)])
            + transitionRows(k: 3, n: 3000, [(3, 0.99), (10, 0.95), (20, 0.85), (30, 0.55)])
        let j = CPNAFig3.judge(rows)
        XCTAssertEqual(j.verdict, .reproduced, j.reason)
        // n = 1000 crosses 0.8 at 10 + (0.1 / 0.2)·10 = 15.
        XCTAssert(j.reason.contains("k = 3, n = 1000: p ≈ 15.0"), j.reason)
        XCTAssertEqual(CPNAFig3.transitions(rows).first { $0.n == 3000 }?.crossing ?? 0, 20 + 0.05 / 0.3 * 10, accuracy: 1e-9)
    }

    func testPhaseTransitionFailsWhenNMakesNoDifference() {
        let rows = transitionRows(k: 3, n: 1000, [(3, 0.99), (10, 0.7), (20, 0.5)])
            + transitionRows(k: 3, n: 3000, [(3, 0.99), (10, 0.7), (20, 0.5)])
        XCTAssertEqual(CPNAFig3.judge(rows).verdict, .partly)
        // A curve that never falls: no drop claim either.
        let flat = transitionRows(k: 3, n: 1000, [(3, 0.99), (30, 0.95)]) + transitionRows(k: 3, n: 3000, [(3, 0.99), (30, 0.97)])
        XCTAssertEqual(CPNAFig3.judge(flat).verdict, .notReproduced)
    }

    // MARK: Fig 4

    private func hiddenCurve(k: Int, p: Int, _ points: [(h: Int, train: Double, test: Double)]) -> [CPNAFig4.Row] {
        points.map { CPNAFig4.Row(k: k, p: p, h: $0.h, testAUC: $0.test, testAUCSD: 0, trainAUC: $0.train) }
    }

    func testFig4PassesWhenTrainReachesOneAndTestPlateausEarly() {
        let rows = hiddenCurve(k: 3, p: 30, [(8, 0.8, 0.7), (64, 0.95, 0.9), (1024, 1, 0.905)])
        XCTAssertEqual(CPNAFig4.judge(rows).verdict, .reproduced)
    }

    func testFig4FailsWhenTestKeepsImprovingWithWidth() {
        let rows = hiddenCurve(k: 3, p: 30, [(8, 0.8, 0.6), (64, 0.95, 0.7), (1024, 1, 0.9)])
        XCTAssertEqual(CPNAFig4.judge(rows).verdict, .partly)
        let neverFits = hiddenCurve(k: 3, p: 30, [(8, 0.8, 0.6), (64, 0.9, 0.7), (1024, 0.95, 0.9)])
        XCTAssertEqual(CPNAFig4.judge(neverFits).verdict, .notReproduced)
    }

    // MARK: Fig 6

    private func fig6(_ H: Int, nn: Double, cpa: (Double, Double), cpna: (Double, Double)) -> [CPNAFig6.Row] {
        [CPNAFig6.Row(method: "plain", H: H, runs: 100, mean: nn, sd: 0.05),
         CPNAFig6.Row(method: "cpa", H: H, runs: 100, mean: cpa.0, sd: cpa.1),
         CPNAFig6.Row(method: "cpna", H: H, runs: 100, mean: cpna.0, sd: cpna.1)]
    }

    func testFig6PassesWhenCPNAIsHighestAndSteadiest() {
        let rows = fig6(256, nn: 0.6, cpa: (0.7, 0.1), cpna: (0.8, 0.05)) + fig6(512, nn: 0.55, cpa: (0.72, 0.1), cpna: (0.85, 0.04))
        XCTAssertEqual(CPNAFig6.judge(rows).verdict, .reproduced)
    }

    func testFig6FailsWhenPruningDoesNotHelp() {
        let rows = fig6(256, nn: 0.8, cpa: (0.7, 0.05), cpna: (0.6, 0.1)) + fig6(512, nn: 0.8, cpa: (0.7, 0.05), cpna: (0.6, 0.1))
        let j = CPNAFig6.judge(rows)
        XCTAssertEqual(j.verdict, .notReproduced, j.reason)
        XCTAssert(j.reason.contains("H = 256: NN 0.800±0.050, CPA 0.700±0.050, CPNA 0.600±0.100"), j.reason)
    }

    // MARK: Table 1 and Fig 7

    private func table1(_ best: [CPNATable1.Variant: Double], k: Int = 3) -> [CPNATable1.Row] {
        let setting = CPNATable1.paper.first { $0.k == k }!
        return best.map { v, b in
            CPNATable1.Row(k: k, p: setting.p, H: setting.H, variant: v, runs: 10, best: b, mean: b - 0.1, sd: 0.05,
                           paper: v.paperColumn.map { setting.paper[$0] / 100 })
        }
    }

    func testTable1PassesAtThePapersNumbers() {
        let rows = table1([.nn: 0.8253, .hidden: 0.9658, .all: 0.9958, .allContribution: 0.99, .random: 0.7047, .initial: 0.7168])
        let j = CPNATable1.judge(rows)
        XCTAssertEqual(j.verdict, .reproduced, j.reason)
        // Our best equals the paper's number exactly, so the best is nearer than the mean everywhere.
        XCTAssert(j.reason.contains("nearer our best than our mean in 5 of 5 cells"), j.reason)
    }

    func testTable1FailsWhenRetrainingRecoversAndTheNumbersAreFarOff() {
        let rows = table1([.nn: 0.9, .hidden: 0.8, .all: 0.7, .allContribution: 0.7, .random: 0.85, .initial: 0.9])
        let j = CPNATable1.judge(rows)
        XCTAssertEqual(j.verdict, .notReproduced, j.reason)
        XCTAssert(j.reason.contains("CPNA(hidden) above NN: 0/1"), j.reason)
    }

    func testTable1VariantsRoundTripThroughTheirMethods() {
        let s = CPNATable1.paper[1]
        for v in CPNATable1.Variant.allCases { XCTAssertEqual(CPNATable1.Variant(v.method(s)), v, v.rawValue) }
    }

    private func fig7(_ k: Int, pruned: Double, fresh: Double, original: Double) -> [CPNAFig7.Row] {
        [(CPNATable1.Variant.hidden, pruned), (.random, fresh), (.initial, original)].flatMap { v, auc in
            (1...3).map { CPNAFig7.Row(k: k, p: 60, variant: v, rank: $0, testAUC: auc - 0.01 * Double($0)) }
        }
    }

    func testFig7PassesWhenNeitherRetrainingRecovers() {
        XCTAssertEqual(CPNAFig7.judge(fig7(3, pruned: 0.95, fresh: 0.6, original: 0.65)).verdict, .reproduced)
    }

    func testFig7FailsWhenRetrainingMatchesThePrunedNetwork() {
        let j = CPNAFig7.judge(fig7(3, pruned: 0.9, fresh: 0.95, original: 0.92))
        XCTAssertEqual(j.verdict, .notReproduced, j.reason)
        XCTAssert(j.reason.contains("3-D: pruned 0.880, fresh 0.930, original 0.900"), j.reason)
    }

    // MARK: Fig 8 and the targets study

    /// One run's three phase ends: (train AUC, test AUC) at the end of dense training, of
    /// hidden pruning and of input pruning.
    private func run(_ ranking: String, _ i: Int, _ ends: [(train: Double, test: Double)]) -> [CPNAFig8.Row] {
        zip(CPNAFig8.phases, zip([26, 160, 300], ends)).map { phase, e in
            let t = PruningTraceRow(epoch: e.0, nodes: 1, features: 1, connections: 1, trainLoss: 0.1, testLoss: 0.2,
                                    trainAUC: e.1.train, testAUC: e.1.test, trainAccuracy: nil, testAccuracy: nil, seconds: 0)
            return CPNAFig8.Row(ranking: ranking, run: i, epoch: e.0, iteration: 47 * e.0, phase: phase, trace: t)
        }
    }
    private let story = [(1.0, 0.6), (1.0, 0.8), (0.99, 0.98)], stuck = [(0.95, 0.51), (0.99, 0.52), (0.9, 0.52)]

    func testFig8PassesThePapersStory() {
        let rows = (0..<4).flatMap { run("layer", $0, story) }
        XCTAssertEqual(CPNAFig8.judge(rows).verdict, .reproduced)
        XCTAssert(CPNAFig8.judge(rows).reason.contains("in 4 of 4 runs with the layer ranking"))
    }

    func testFig8CountsTheRunsThatShowThePicture() {
        // One run of four tells the paper's story: not enough.
        let one = CPNAFig8.judge(run("layer", 0, story) + (1..<4).flatMap { run("layer", $0, stuck) })
        XCTAssertEqual(one.verdict, .notReproduced, one.reason)
        XCTAssert(one.reason.contains("The paper's picture (all three) in 1 of 4 runs with the layer ranking"), one.reason)
        XCTAssert(one.reason.contains("layer: 0.950 / 0.510 → 0.990 / 0.520 → 0.900 / 0.520"), one.reason)
        // The end generalises in every run, but the dense phase never was a bad optimum.
        let late = CPNAFig8.judge((0..<4).flatMap { run("contribution", $0, [(0.95, 0.55), (1.0, 0.8), (0.99, 0.98)]) })
        XCTAssertEqual(late.verdict, .partly, late.reason)
    }

    func testTargetsNeedsTheLiteralReadingToFindTheInteraction() {
        func row(_ literal: Bool, input: Int, found: Int) -> CPNATargets.Row {
            CPNATargets.Row(variant: literal ? "literal" : "other", inputTarget: input, literal: literal, runs: 10, meanAUC: 0.9,
                            sdAUC: 0.1, foundRuns: found, completeNodes: 8, nodes: 8, example: "")
        }
        XCTAssertEqual(CPNATargets.judge([row(true, input: 24, found: 9), row(false, input: 24, found: 10)]).verdict, .reproduced)
        XCTAssertEqual(CPNATargets.judge([row(true, input: 24, found: 0), row(false, input: 24, found: 10)]).verdict, .partly)
        XCTAssertEqual(CPNATargets.judge([row(true, input: 24, found: 0), row(false, input: 36, found: 10)]).verdict, .notReproduced)
    }

    func testTargetsTraceNeedsBothReadingsToFindTheInteraction() {
        func end(_ ranking: ConnectionRanking, auc: Double) -> CPNATargetsTrace.Row {
            let t = PruningTraceRow(epoch: 300, nodes: 12, features: 3, connections: 36, trainLoss: 0.1, testLoss: 0.1,
                                    trainAUC: auc, testAUC: auc, trainAccuracy: nil, testAccuracy: nil, seconds: 0,
                                    inputsPerNode: [3, 3, 2], relevantInputsPerNode: [3, 3, 2])
            return CPNATargetsTrace.Row(ranking: ranking, epoch: 300, trace: t)
        }
        XCTAssertEqual(CPNATargetsTrace.judge([end(.layer, auc: 0.99), end(.contribution, auc: 0.99)]).verdict, .reproduced)
        let j = CPNATargetsTrace.judge([end(.layer, auc: 0.6), end(.contribution, auc: 0.99)])
        XCTAssertEqual(j.verdict, .partly, j.reason)
        XCTAssertEqual(CPNATargetsTrace.judge([end(.layer, auc: 0.6), end(.contribution, auc: 0.7)]).verdict, .notReproduced)
        XCTAssert(j.reason.contains("layer ranking ends with 2 of 3 nodes seeing all 3 (3/3 3/3 2/2), test AUC 0.600"), j.reason)
    }

    // MARK: Node form and deep networks

    private func nodeRows(nn: Double, connections: Double, epoch: Double, iteration: Double) -> [CPNANodes.Row] {
        zip(CPNANodes.Variant.allCases, [nn, connections, epoch, iteration]).map {
            CPNANodes.Row(variant: $0, runs: 20, best: $1 + 0.02, mean: $1, sd: 0.02, nodes: 12)
        }
    }

    func testNodeFormPassesWhenItDoesWhatTheConnectionFormDoes() {
        let j = CPNANodes.judge(nodeRows(nn: 0.78, connections: 0.95, epoch: 0.94, iteration: 0.955))
        XCTAssertEqual(j.verdict, .reproduced, j.reason)
        XCTAssert(j.reason.contains("CPNA nodes, per epoch 0.940 ± 0.020"), j.reason)
    }

    func testNodeFormFailsWhenItTrailsTheConnectionFormOrTheNN() {
        XCTAssertEqual(CPNANodes.judge(nodeRows(nn: 0.78, connections: 0.95, epoch: 0.85, iteration: 0.95)).verdict, .partly)
        XCTAssertEqual(CPNANodes.judge(nodeRows(nn: 0.96, connections: 0.90, epoch: 0.80, iteration: 0.82)).verdict,
                       .notReproduced)
        // Without the connection form there is nothing to set the node form beside.
        let alone = nodeRows(nn: 0.78, connections: 0.95, epoch: 0.94, iteration: 0.95).filter { $0.variant != .connections }
        XCTAssertEqual(CPNANodes.judge(alone).verdict, .notComparable)
    }

    private func deepRows(depth: Int, middle: Int? = nil, nn: Double?, hidden: Double, all: Double,
                          random: Double) -> [CPNADeep.Row] {
        zip(CPNADeep.Variant.allCases, [nn ?? .nan, hidden, all, random]).compactMap { v, auc in
            v == .nn && nn == nil ? nil
                : CPNADeep.Row(depth: depth, variant: v, middle: v == .nn ? nil : middle, runs: 10, best: auc + 0.02, mean: auc,
                               sd: 0.02, connections: 36)
        }
    }

    func testDeepPassesWhenCPNABeatsTheNNAndItsRetrainingAtEveryDepth() {
        let j = CPNADeep.judge(deepRows(depth: 1, nn: 0.8, hidden: 0.95, all: 0.97, random: 0.6)
                               + deepRows(depth: 2, nn: 0.75, hidden: 0.9, all: 0.93, random: 0.55)
                               + deepRows(depth: 2, middle: 144, nn: nil, hidden: 0.92, all: 0.94, random: 0.6))
        XCTAssertEqual(j.verdict, .reproduced, j.reason)
        XCTAssert(j.reason.contains("CPNA(hidden) above the NN of its depth: 3/3"), j.reason)
        XCTAssert(j.reason.contains("2 hidden layers, 12 between them: NN 0.750, CPNA(hidden) 0.900"), j.reason)
        XCTAssert(j.reason.contains("2 hidden layers, 144 between them: NN 0.750, CPNA(hidden) 0.920"), j.reason)
    }

    func testDeepFailsWhenTheSecondLayerLosesWhatCPNAFinds() {
        let one = deepRows(depth: 1, nn: 0.8, hidden: 0.95, all: 0.97, random: 0.6)
        let j = CPNADeep.judge(one + deepRows(depth: 2, nn: 0.8, hidden: 0.7, all: 0.75, random: 0.72))
        XCTAssertEqual(j.verdict, .notReproduced, j.reason)
        XCTAssertEqual(CPNADeep.judge(one + deepRows(depth: 2, nn: 0.8, hidden: 0.9, all: 0.75, random: 0.6)).verdict, .partly)
        // One middle reading failing is enough to fail the claim.
        let literalFails = one + deepRows(depth: 2, nn: 0.8, hidden: 0.9, all: 0.92, random: 0.6)
            + deepRows(depth: 2, middle: 144, nn: nil, hidden: 0.7, all: 0.92, random: 0.6)
        XCTAssertEqual(CPNADeep.judge(literalFails).verdict, .partly)
    }
}
