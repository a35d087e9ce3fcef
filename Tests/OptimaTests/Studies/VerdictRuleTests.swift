// The verdict rules on hand-made rows: for each rule, rows that must pass and rows that must
// fail, so no verdict in a report can be a literal or a rule that cannot fail.
import XCTest
@testable import Optima

final class VerdictRuleTests: XCTestCase {
    // MARK: The rule over claims

    func testTheRuleOverClaims() {
        let holds = Claim("a", held: 3, of: 4), fails = Claim("b", held: 2, of: 4), unchecked = Claim("c", held: 0, of: 0)
        XCTAssertTrue(holds.holds)   // 3 of 4 reaches the default share
        XCTAssertFalse(fails.holds)
        XCTAssertEqual(VerdictRule.verdict([holds, holds]), .reproduced)
        XCTAssertEqual(VerdictRule.verdict([holds, fails]), .partly)
        XCTAssertEqual(VerdictRule.verdict([fails, fails]), .notReproduced)
        XCTAssertEqual(VerdictRule.verdict([holds, unchecked]), .notComparable)
        XCTAssertEqual(VerdictRule.verdict([]), .notComparable)
        XCTAssertFalse(Claim("all", held: 3, of: 4, share: 1).holds)
        XCTAssertTrue(Claim("most", held: 2, of: 3, share: 0.51).holds)
        XCTAssertFalse(Claim("most", held: 1, of: 2, share: 0.51).holds)
        let j = VerdictRule.judge([holds, fails], detail: "x = 1.")
        XCTAssertEqual(j.reason, "a: 3/4; b: 2/4. x = 1.")
    }

    /// A reduced budget decides "it happens" only when it happened, "it never happens" only
    /// when it did happen; what it leaves undecided is listed and caps the verdict at partly.
    func testAReducedBudgetJudgesOnlyWhatItCanDecide() {
        let learns = Claim("learns", held: 4, of: 4), stuck = Claim("stays stuck", held: 4, of: 4)
        let neverLearns = Claim("learns", held: 0, of: 4), escapes = Claim("stays stuck", held: 0, of: 4)
        // At the paper's budget both are decided.
        XCTAssertEqual(VerdictRule.verdict([learns.at(reduced: false, .happens), stuck.at(reduced: false, .neverHappens)]), .reproduced)
        // Reduced: learning is seen, staying stuck is not shown: partly, with the stuck claim not comparable.
        let reduced = VerdictRule.judge([learns.at(reduced: true, .happens), stuck.at(reduced: true, .neverHappens)])
        XCTAssertEqual(reduced.verdict, .partly, reduced.reason)
        XCTAssert(reduced.reason.contains("stays stuck: 4/4 here, not comparable (holds within the reduced budget, which cannot show"),
                  reduced.reason)
        // A run that escaped refutes "stays stuck" at any budget; one that has not learnt yet decides nothing.
        XCTAssertEqual(VerdictRule.verdict([neverLearns.at(reduced: true, .happens), escapes.at(reduced: true, .neverHappens)]),
                       .notReproduced)
        XCTAssertEqual(neverLearns.at(reduced: true, .happens).undecided?.contains("slower run"), true)
        XCTAssertNil(escapes.at(reduced: true, .neverHappens).undecided)
        // A comparison at equal budgets is decided either way.
        XCTAssertNil(Claim("a below b", held: 0, of: 4).at(reduced: true, .sameBudget).undecided)
        // Nothing decided: not comparable; an untestable claim beside failing ones leaves them failing.
        let untested = Claim.untestable("needs ≥ 400 units", because: "no run has 400 units")
        XCTAssertEqual(VerdictRule.verdict([stuck.at(reduced: true, .neverHappens), untested]), .notComparable)
        XCTAssertEqual(VerdictRule.verdict([escapes, untested]), .notReproduced)
        XCTAssertEqual(untested.summary, "needs ≥ 400 units: not comparable (no run has 400 units)")
    }

    // MARK: Hand-made results

    private func result(k: Int = 3, p: Int = 3, n: Int = 1000, h: Int = 16, method: Method = .plain, initialization: Int = 0,
                        loss: Double, trainAUC: Double = 0.99, testAUC: Double) -> StudyResult {
        StudyResult(point: TrainingPoint(data: .xor(k: k, p: p, n: n), hidden: h, method: method, initialization: initialization,
                                         epochs: 10),
                    record: ["train_loss": JSONValue(loss), "train_auc": JSONValue(trainAUC), "test_auc": JSONValue(testAUC)])
    }

    // MARK: nsa/fig2

    private func fig2Row(k: Int, p: Int, n: Int, h: Int = 16, fsa: Bool = false, loss: Double, testAUC: Double) -> NSAFig2.Row {
        NSAFig2.Row(k: k, p: p, n: n, h: h, method: fsa ? "fsa+nsa" : "plain", inits: 10, loss: loss, lossSD: 0,
                    trainAUC: 1, testAUC: testAUC, testAUCSD: 0, epochs: 300)
    }

    /// Rows over k = 3, 4, 5 and four n: the p = k loss from `narrowLoss` (of t = 0 … 1 along
    /// n), the p = 15 loss rising with n, with a peak at the paper's large-loss region when
    /// `peaks`, the p = 15 test AUC below p = k's, and FSA+NSA at `fsaAUC`.
    private func fig2Rows(narrowLoss: (Double) -> Double, fsaAUC: Double, peaks: Bool) -> [NSAFig2.Row] {
        [3, 4, 5].flatMap { k in [300, 1000, 3000, 10_000].enumerated().flatMap { i, n -> [NSAFig2.Row] in
            let t = Double(i) / 3, peak = peaks && NSAFig2.largeLossRegion[k] == n
            return [fig2Row(k: k, p: k, n: n, loss: narrowLoss(t), testAUC: 0.95 + 0.04 * t),
                    fig2Row(k: k, p: 15, n: n, loss: peak ? 0.6 : 0.05 + 0.2 * t, testAUC: 0.80 + 0.1 * t),
                    fig2Row(k: k, p: 15, n: n, h: 128, fsa: true, loss: 0.1, testAUC: fsaAUC)]
        } }
    }

    /// The paper's picture: p = k loss flat, p = 15 loss rising and below in AUC, AUC rising,
    /// FSA+NSA on top, and a loss peak at n = 1000 for k = 4 and n = 3000 for k = 5.
    func testFig2PassesThePapersPicture() {
        let j = NSAFig2.judge(fig2Rows(narrowLoss: { 0.10 - 0.002 * $0 }, fsaAUC: 0.999, peaks: true))
        XCTAssertEqual(j.verdict, .reproduced, j.reason)
        XCTAssert(j.reason.contains("k = 4: 1 of 2 curves peak at n = 1000, highest h = 16, p = 15: 0.050 (n = 300) → 0.600 → 0.183 (n = 3000)"),
                  j.reason)
    }

    /// Ours: the p = k loss rises with n and FSA+NSA never beats the NN on the true features;
    /// here no loss peaks where the paper saw large values either.
    func testFig2FailsWhenTheNarrowLossRisesAndFSALoses() {
        let j = NSAFig2.judge(fig2Rows(narrowLoss: { 0.008 + 0.058 * $0 }, fsaAUC: 0.70, peaks: false))
        XCTAssertEqual(j.verdict, .partly, j.reason)
        XCTAssert(j.reason.contains("p = k loss does not rise with n (curves): 0/3"), j.reason)
        XCTAssert(j.reason.contains("FSA+NSA above the best NN on the true features (cells, most): 0/12"), j.reason)
        XCTAssert(j.reason.contains("(some curve peaks there): 0/2"), j.reason)
        XCTAssert(j.reason.contains("0.008 → 0.066"), "the reason quotes the numbers: \(j.reason)")
        // The flat arm: at the paper's 300 epochs the p = k loss stays flat where ours rises.
        let flat = [3, 4, 5].flatMap { k in [300, 1000, 3000, 10_000].map { n in
            var r = fig2Row(k: k, p: k, n: n, loss: 0.05, testAUC: 0.95)
            r.flat = true
            return r
        } }
        let both = NSAFig2.judge(fig2Rows(narrowLoss: { 0.008 + 0.058 * $0 }, fsaAUC: 0.70, peaks: false) + flat)
        XCTAssert(both.reason.contains("p = k loss does not rise with n (curves): 0/3; at the paper's flat epochs too (curves): 3/3"), both.reason)
        XCTAssert(both.reason.contains("At the paper's flat 300 epochs the p = k loss: k=3 h=16 0.050 → 0.050"), both.reason)
        // A grid without n on both sides of the stated ones cannot test the region.
        let two = NSAFig2.judge(fig2Rows(narrowLoss: { 0.10 - 0.002 * $0 }, fsaAUC: 0.999, peaks: true).filter { $0.n >= 3000 })
        XCTAssertEqual(two.verdict, .partly, two.reason)
        XCTAssert(two.reason.contains("(some curve peaks there): not comparable"), two.reason)
    }

    // MARK: nsa/fig3

    private func fig3Rows(testAUCs: [Int: ClosedRange<Double>]) -> [NSAFig3.Row] {
        testAUCs.keys.sorted().flatMap { k -> [NSAFig3.Row] in
            let r = testAUCs[k]!
            return (0..<10).map { i in
                // Lower loss, higher test AUC; losses 0.1 ... 0.19.
                let t = Double(i) / 9
                return NSAFig3.Row(rank: i + 1, result: result(k: k, p: k, initialization: i, loss: 0.1 + 0.01 * Double(i),
                                                               testAUC: r.upperBound - t * (r.upperBound - r.lowerBound)))
            }
        }
    }

    func testFig3PassesWhenEveryKHasSpreadMinima() {
        let j = NSAFig3.judge(fig3Rows(testAUCs: [3: 0.90...0.99, 4: 0.85...0.95, 5: 0.70...0.85]))
        XCTAssertEqual(j.verdict, .reproduced, j.reason)
    }

    func testFig3IsPartlyWhenTheTestAUCSpreadsOnlyForK5() {
        // The ranges of the paper-scale run.
        let j = NSAFig3.judge(fig3Rows(testAUCs: [3: 0.993...0.996, 4: 0.971...0.979, 5: 0.888...0.925]))
        XCTAssertEqual(j.verdict, .partly, j.reason)
        XCTAssert(j.reason.contains("only for k = 5"), j.reason)
        XCTAssert(j.reason.contains("0.888–0.925"), j.reason)
        // A lower loss with a test AUC higher by less than the noise is no evidence.
        XCTAssert(j.reason.contains("lower loss, higher test AUC (lowest-loss tenth above highest-loss tenth by ≥ 0.02): 1/3"), j.reason)
        XCTAssert(j.reason.contains("k = 3 +0.0030"), j.reason)
        // Nowhere spread, and the losses equal too: nothing of the claim holds.
        let flat = fig3Rows(testAUCs: [3: 0.990...0.995]).map { r -> NSAFig3.Row in
            var r = r
            r.result.trainLoss = 0.1
            r.result.testAUC = 0.99
            return r
        }
        XCTAssertEqual(NSAFig3.judge(flat).verdict, .notReproduced)
    }

    // MARK: nsa/fig1 and nsa/table1

    private func fig1Rows(_ curve: [(h: Int, loss: Double, testAUC: Double)], k: Int = 3) -> [NSAFig1.Row] {
        curve.map {
            NSAFig1.Row(k: k, h: $0.h, inits: 10, best: result(k: k, h: $0.h, loss: $0.loss, trainAUC: min(1, $0.testAUC + 0.01),
                                                                testAUC: $0.testAUC), meanLoss: $0.loss)
        }
    }

    func testFig1NeedsTheLossAndTheAUCToRiseOrFallAndThenSettle() {
        let good = fig1Rows([(2, 0.6, 0.7), (32, 0.12, 0.98), (128, 0.1, 0.985)])
        XCTAssertEqual(NSAFig1.judge(good).verdict, .reproduced, NSAFig1.judge(good).reason)
        // Ours for k = 4: the loss keeps falling over the last two doublings.
        let falling = NSAFig1.judge(fig1Rows([(1, 0.679, 0.516), (256, 0.097, 0.977), (1024, 0.064, 0.979)], k: 4))
        XCTAssertEqual(falling.verdict, .partly, falling.reason)
        XCTAssert(falling.reason.contains("then stabilises (the last two doublings change it by less than 25 %): 0/1"), falling.reason)
        XCTAssert(falling.reason.contains("k = 4: loss 0.679 (h = 1) → 0.097 (h = 256) → 0.064 (h = 1024)"), falling.reason)
        // The test AUC still rising at the largest h.
        XCTAssertEqual(NSAFig1.judge(fig1Rows([(2, 0.6, 0.6), (32, 0.12, 0.8), (128, 0.1, 0.9)])).verdict, .partly)
        // A loss that neither falls nor settles, an AUC that falls.
        XCTAssertEqual(NSAFig1.judge(fig1Rows([(2, 0.2, 0.99), (32, 0.1, 0.9), (128, 0.3, 0.8)])).verdict, .notReproduced)
        // One h only: no curve to judge.
        XCTAssertEqual(NSAFig1.judge(fig1Rows([(16, 0.1, 0.9)])).verdict, .notComparable)
    }

    func testTable1ComparesTheChosenH() {
        func row(_ k: Int, paper: Int, ours: Int) -> NSATable1.Row {
            NSATable1.Row(k: k, paper: paper, choice: fig1Rows([(ours, 0.1, 0.99)], k: k)[0])
        }
        XCTAssertEqual(NSATable1.judge([row(3, paper: 64, ours: 64), row(4, paper: 128, ours: 128)]).verdict, .reproduced)
        XCTAssertEqual(NSATable1.judge([row(3, paper: 64, ours: 32), row(4, paper: 128, ours: 128)]).verdict, .partly)
        XCTAssertEqual(NSATable1.judge([row(3, paper: 64, ours: 16), row(4, paper: 128, ours: 128)]).verdict, .notReproduced)
        XCTAssertEqual(NSATable1.judge([NSATable1.Row(k: 3, paper: 64, choice: nil)]).verdict, .notComparable)
        // The choice rule: train AUC > 0.95, then the smallest h within the tolerance of the best test AUC.
        let curve = [(4, 0.3, 0.90), (16, 0.1, 0.990), (64, 0.05, 0.993), (256, 0.04, 0.98)]
        XCTAssertEqual(NSATable1.choose(fig1Rows(curve))?.h, 16)
    }

    // MARK: nsa/fig4

    private func fig4Row(k: Int, p: Int, successes: Int, inits: Int = 100, hitTestAUC: Double? = 0.95) -> NSAFig4.Row {
        NSAFig4.Row(k: k, p: p, n: 3000, inits: inits, successes: successes,
                    hitTime: successes > 0 ? Double(inits) / Double(successes) : Double(inits),
                    hitTestAUC: successes > 0 ? hitTestAUC : nil)
    }

    func testFig4NeedsTheHitTimeToBlowUpBeforeMemorising() {
        XCTAssertEqual(NSAFig4.judge([fig4Row(k: 3, p: 3, successes: 100), fig4Row(k: 3, p: 20, successes: 5)]).verdict, .reproduced)
        XCTAssertEqual(NSAFig4.judge([fig4Row(k: 3, p: 3, successes: 100), fig4Row(k: 3, p: 20, successes: 0)]).verdict, .reproduced)
        // Growth only where the hits memorised the training set does not count.
        let memorised = [fig4Row(k: 3, p: 3, successes: 100), fig4Row(k: 3, p: 10, successes: 50),
                         fig4Row(k: 3, p: 100, successes: 5, hitTestAUC: 0.5)]
        let j = NSAFig4.judge(memorised)
        XCTAssertEqual(j.verdict, .notReproduced, j.reason)
        XCTAssert(j.reason.contains("memorise"), j.reason)
        // One k grows, the other is capped from p = k on: partly.
        let mixed = [fig4Row(k: 3, p: 3, successes: 100), fig4Row(k: 3, p: 20, successes: 5),
                     fig4Row(k: 5, p: 5, successes: 0), fig4Row(k: 5, p: 10, successes: 0)]
        XCTAssertEqual(NSAFig4.judge(mixed).verdict, .partly)
        // Capped already at p = k: no growth to see.
        XCTAssertEqual(NSAFig4.judge([fig4Row(k: 5, p: 5, successes: 0), fig4Row(k: 5, p: 10, successes: 0)]).verdict, .notReproduced)
    }

    // MARK: nsa/fig5, nsa/fig-hidden, nsa/fig6

    func testFig5NeedsTheTestAUCToFallWithP() {
        func rows(_ aucs: [Double]) -> [NSAFig5.Row] {
            zip([3, 10, 100], aucs).map { NSAFig5.Row(k: 3, p: $0, inits: 10, best: result(p: $0, loss: 0.1, testAUC: $1)) }
        }
        XCTAssertEqual(NSAFig5.judge(rows([0.99, 0.9, 0.6])).verdict, .reproduced)
        XCTAssertEqual(NSAFig5.judge(rows([0.99, 0.98, 0.97])).verdict, .notReproduced)
    }

    func testFigHiddenNeedsTrainToReachOneAndTestToPlateauEarly() {
        func rows(_ v: [(Int, Double, Double)]) -> [NSAFigHidden.Row] {
            v.map { NSAFigHidden.Row(h: $0.0, trainAUC: $0.1, trainSD: 0, testAUC: $0.2, testSD: 0) }
        }
        XCTAssertEqual(NSAFigHidden.judge(rows([(4, 0.8, 0.7), (64, 0.97, 0.9), (1024, 1.0, 0.9)])).verdict, .reproduced)
        XCTAssertEqual(NSAFigHidden.judge(rows([(4, 0.8, 0.7), (64, 0.9, 0.8), (1024, 0.95, 0.9)])).verdict, .notReproduced)
        XCTAssertEqual(NSAFigHidden.judge(rows([(4, 0.8, 0.7), (64, 0.9, 0.8), (1024, 1.0, 0.9)])).verdict, .partly)
        // A plateau that a later h leaves again is no plateau: from h = 512 on only.
        let dip = NSAFigHidden.judge(rows([(4, 0.8, 0.7), (64, 0.97, 0.9), (256, 1, 0.85), (512, 1, 0.9), (1024, 1, 0.9)]))
        XCTAssertEqual(dip.verdict, .partly, dip.reason)
        XCTAssert(dip.reason.contains("within 0.01 of it from h = 512 on"), dip.reason)
    }

    /// nsa/fig-hidden and cpna/fig4 judge the same sentence by one rule: the same curve gets the
    /// same claims and the same verdict from both.
    func testFigHiddenAndCPNAFig4ShareTheirRule() {
        for curve in [[(8, 0.8, 0.7), (64, 0.97, 0.9), (1024, 1.0, 0.905)], [(8, 0.8, 0.6), (64, 0.95, 0.7), (1024, 1.0, 0.9)]] {
            let nsa = NSAFigHidden.judge(curve.map { NSAFigHidden.Row(h: $0.0, trainAUC: $0.1, trainSD: 0, testAUC: $0.2, testSD: 0) })
            let cpna = CPNAFig4.judge(curve.map { CPNAFig4.Row(k: 3, p: 15, h: $0.0, testAUC: $0.2, testAUCSD: 0, trainAUC: $0.1) })
            XCTAssertEqual(nsa, cpna)
        }
    }

    func testFig6ChecksTheScheduleFormulas() {
        let rows = NSAFig6().rows([], scale: .paper)
        XCTAssertEqual(NSAFig6.judge(rows).verdict, .reproduced)
        var broken = rows
        broken[200].features = 4   // k not reached at the end of the window
        XCTAssertEqual(NSAFig6.judge(broken).verdict, .notReproduced)
        broken = rows
        broken[250].nodes = 300   // rises again
        XCTAssertEqual(NSAFig6.judge(broken).verdict, .notReproduced)
    }
}
