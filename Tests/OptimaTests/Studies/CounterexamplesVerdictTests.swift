// The counterexamples studies' verdict rules on hand-made rows: for each, rows that must pass
// and rows that must fail, so no verdict can be a literal or a rule that cannot fail.
import XCTest
@testable import Optima

final class CounterexamplesVerdictTests: XCTestCase {
    private func certificate(loss: Double, minimum: Bool) -> MinimumCertificate {
        MinimumCertificate(loss: loss, gradient: minimum ? 0 : 1, largestDrop: minimum ? -1e-13 : 0.1, descentDrift: 0,
                           descentDrop: minimum ? 0 : 0.5, tolerance: 1e-9 * max(1, loss))
    }

    func testProp1to3() {
        let search = (global: [[1]], local: [[1]])
        func rows(printedMinimum: Bool, better: Double) -> [CounterexamplesProp1to3.Row] {
            StatedMinima.points.map { p in
                let loss = p.role == .better ? (p.data == "d1" ? 14 : better) : (p.data == "d1" ? 18 : 1)
                let printed = certificate(loss: p.paperLoss ?? loss, minimum: printedMinimum || !p.isCorrected)
                return .init(point: p, printed: printed, corrected: certificate(loss: loss, minimum: true))
            }
        }
        XCTAssertEqual(CounterexamplesProp1to3.judge(rows(printedMinimum: true, better: 0.5), search: search).verdict, .reproduced)
        // Ours: Prop. 2 as printed fails.
        XCTAssertEqual(CounterexamplesProp1to3.judge(rows(printedMinimum: false, better: 0.5), search: search).verdict, .partly)
        // A "better" point that is not better fails that claim too.
        let j = CounterexamplesProp1to3.judge(rows(printedMinimum: true, better: 2), search: search)
        XCTAssertEqual(j.verdict, .partly)
        XCTAssert(j.reason.contains("the better point's loss is lower: 1/3"), j.reason)
    }

    func testFig4() {
        func row(_ d: String, worse: Double, better: Double, minimum: Bool = true) -> CounterexamplesFig4.Row {
            .init(data: d, x: 0, y: 0, worse: worse, better: better, worseIsMinimum: minimum, betterIsMinimum: true)
        }
        XCTAssertEqual(CounterexamplesFig4.judge([row("d1", worse: 2, better: 1), row("d2", worse: 1, better: 0)]).verdict, .reproduced)
        XCTAssertEqual(CounterexamplesFig4.judge([row("d1", worse: 1, better: 2), row("d2", worse: 1, better: 0)]).verdict, .partly)
        XCTAssertEqual(CounterexamplesFig4.judge([row("d1", worse: 1, better: 2, minimum: false)]).verdict, .notReproduced)
    }

    func testRemark1() {
        func row(_ t: Double, loss: Double, minimum: Bool = true) -> CounterexamplesRemark1.Row {
            .init(t: t, distance: abs(t - 1), certificate: certificate(loss: loss, minimum: minimum))
        }
        XCTAssertEqual(CounterexamplesRemark1.judge([row(0.5, loss: 18), row(2, loss: 18)]).verdict, .reproduced)
        XCTAssertEqual(CounterexamplesRemark1.judge([row(0.5, loss: 18), row(2, loss: 17.5)]).verdict, .partly)
        XCTAssertEqual(CounterexamplesRemark1.judge([row(2, loss: 17, minimum: false)]).verdict, .notReproduced)
    }

    func testTheorem1() {
        func row(startMinimum: Bool = false, moved: Double = 0, trainedOutput: Double = -1, live: Double = 3,
                 lemma1: [Double] = [-1, -1]) -> CounterexamplesTheorem1.Row {
            .init(sizes: [1, 3, 1], startOutput: 0.5, startLoss: 60, firstLayerGradient: 0, outputBiasGradient: startMinimum ? 0 : 10,
                  startIsMinimum: startMinimum, firstLayerMoved: moved, trainedOutput: trainedOutput, meanY: -1,
                  trained: certificate(loss: 50, minimum: true), constructionLoss: 62, shiftedConstructionLoss: 60, liveLoss: live,
                  lemma1Outputs: lemma1)
        }
        // Lemma 1: a start on identical inputs that ends away from the mean fails it.
        let off = CounterexamplesTheorem1.judge([row(startMinimum: true, lemma1: [-1, -0.9])])
        XCTAssertEqual(off.verdict, .partly, off.reason)
        XCTAssert(off.reason.contains("Lemma 1: identical inputs, every trained start outputs the mean of y: 0/1"), off.reason)
        XCTAssertEqual(CounterexamplesTheorem1.judge([row(startMinimum: true)]).verdict, .reproduced)
        XCTAssertEqual(CounterexamplesTheorem1.judge([row()]).verdict, .partly)   // ours: a dead start is not yet a minimum
        let j = CounterexamplesTheorem1.judge([row(startMinimum: true, moved: 0.1, trainedOutput: 0, live: 55)])
        XCTAssert(j.reason.contains("Lemma 2: first layer's gradient 0 and unmoved: 0/1") && j.reason.contains("ii) a better point exists: 0/1"), j.reason)
    }

    func testProp4() {
        func row(_ mu: Double, failures: Int, collapsed: Int, bound: Double, blind: Int = 0, blindFailures: Int = 0) -> CounterexamplesProp4.Row {
            .init(mean: mu, runs: 100, failures: failures, collapsed: collapsed, blindStarts: blind, blindFailures: blindFailures, bound: bound)
        }
        // The control mostly reaches 0 error; the blind-spot starts never do, as often as the bound says.
        let good = [row(0, failures: 10, collapsed: 0, bound: 0), row(3, failures: 100, collapsed: 100, bound: 0.9, blind: 90, blindFailures: 90)]
        XCTAssertEqual(CounterexamplesProp4.judge(good).verdict, .reproduced)
        // Ours: the control never reaches 0 error either, so failing says nothing; the collapse still does.
        let ours = [row(0, failures: 99, collapsed: 0, bound: 0), row(3, failures: 100, collapsed: 100, bound: 0.96, blind: 90, blindFailures: 90)]
        let j = CounterexamplesProp4.judge(ours)
        XCTAssertEqual(j.verdict, .partly, j.reason)
        XCTAssert(j.reason.contains("unlike the μ = 0 control: 90/90 here, not comparable (the μ = 0 control also never reaches 0 error in 99 of 100 runs)"),
                  j.reason)
        XCTAssert(j.reason.contains("where the bound is above the control's: not comparable"), j.reason)
        // A blind-spot start that learned, and a collapse below the bound.
        let bad = [row(0, failures: 10, collapsed: 0, bound: 0), row(3, failures: 100, collapsed: 50, bound: 0.9, blind: 90, blindFailures: 89)]
        let b = CounterexamplesProp4.judge(bad)
        XCTAssertEqual(b.verdict, .partly, b.reason)
        XCTAssert(b.reason.contains("unlike the μ = 0 control: 89/90;") && b.reason.contains("collapsed fraction ≥ the bound: 1/2"), b.reason)
        // Failing below the bound where the control would not fail: that claim fails.
        let few = [row(0, failures: 10, collapsed: 0, bound: 0), row(3, failures: 50, collapsed: 100, bound: 0.9, blind: 90, blindFailures: 90)]
        XCTAssert(CounterexamplesProp4.judge(few).reason.contains("where the bound is above the control's: 0/1"))
        XCTAssertEqual(CounterexamplesProp4.judge([row(3, failures: 100, collapsed: 100, bound: 0.9)]).verdict, .notComparable)
    }

    func testFig6Left() {
        let rows = (0..<9).map { i in CounterexamplesFig6Left.Row(x1: -0.5 - 0.01 * Double(i), x2: -0.5 + 0.01 * Double(i % 3), label: i < 4 ? 0 : 1) }
        // Not whitened and no positive point: fails.
        XCTAssertEqual(CounterexamplesFig6Left.judge(rows).verdict, .notReproduced)
        // A standardised set passes: the built-in one.
        let d = try! CounterexamplesData.blindSpot()
        let built = (0..<d.count).map { CounterexamplesFig6Left.Row(x1: Double(d.features[2 * $0]), x2: Double(d.features[2 * $0 + 1]), label: Int(d.targets[$0])) }
        XCTAssertEqual(CounterexamplesFig6Left.judge(built).verdict, .reproduced)
        var swapped = built
        swapped[swapped.count - 1].label = 0   // the far point labelled 0: no threshold on x1 separates
        XCTAssertEqual(CounterexamplesFig6Left.judge(swapped).verdict, .notReproduced)
    }

    func testFig6Middle() {
        func row(_ i: BlindSpotInit, h: Int = 10_000, L: Int = 100, mu: Double, draws: Int = 0, pos: Double = .nan, eff: Double = .nan) -> CounterexamplesFig6Middle.Row {
            .init(initialization: i, layers: L, width: h, meanNeeded: mu, draws: draws, allPositive: pos, effect: eff)
        }
        let sampled = [row(.lecun, h: 2, L: 1, mu: 3, draws: 1000, pos: 0.99, eff: 0.995)]
        let paper = sampled + [row(.lecun, mu: 0.24), row(.xavier, mu: 0.238), row(.fixed, mu: 0.07)]
        XCTAssertEqual(CounterexamplesFig6Middle.judge(paper).verdict, .reproduced)
        // Ours: 0.07 for all three; 0.24 suffices but is not what is needed.
        let ours = sampled + [row(.lecun, mu: 0.0703), row(.xavier, mu: 0.0716), row(.fixed, mu: 0.0703)]
        XCTAssertEqual(CounterexamplesFig6Middle.judge(ours).verdict, .partly)
        // A sampled probability far from 99 % fails the cross-check.
        let off = [row(.lecun, h: 2, L: 1, mu: 3, draws: 1000, pos: 0.9, eff: 0.9)] + Array(paper.dropFirst())
        XCTAssertEqual(CounterexamplesFig6Middle.judge(off).verdict, .partly)
    }

    func testProp5() {
        func row(_ h: Int, _ L: Int, trivial: Int, bound: Double = 0, trained: Int = 1, stayed: Int = 1) -> CounterexamplesProp5.Row {
            .init(width: h, layers: L, draws: 1000, trivial: trivial, bound: bound, trained: trained, stayedTrivial: stayed)
        }
        XCTAssertEqual(CounterexamplesProp5.judge([row(2, 1, trivial: 50), row(2, 10, trivial: 500), row(2, 100, trivial: 990, bound: 0.9)]).verdict, .reproduced)
        // Flat in depth, below the bound, and a trained net that escaped.
        let bad = [row(2, 1, trivial: 50), row(2, 10, trivial: 50, stayed: 0), row(2, 100, trivial: 50, bound: 0.9)]
        XCTAssertEqual(CounterexamplesProp5.judge(bad).verdict, .notReproduced)
    }

    /// Table 1's rows with every rate taken from `rate` (default: the paper's own numbers, and
    /// SGD on XOR always converging, as the paper remarks).
    private func table1Rows(_ rate: (String, String, OptimizerKind, Int) -> Double? = { _, _, _, _ in nil }) -> [CounterexamplesTable1.Row] {
        CounterexamplesTable1.sets.flatMap { d in ["relu", "sigmoid"].flatMap { a in CounterexamplesTable1.optimizers(d).flatMap { o in
            CounterexamplesTable1.widths.map { h in
                let paper = CounterexamplesTable1.paper["\(d)/\(a)"]![o].map { $0[h - 2] / 100 } ?? .nan
                let r = rate(d, a, o, h) ?? (o == .sgd ? 1 : paper)
                return .init(data: d, activation: a, optimizer: o, hidden: h, runs: 1000, converged: Int((1000 * r).rounded()), paper: paper)
            }
        } } }
    }

    func testTable1() {
        // The paper's own table passes its claims.
        let paper = CounterexamplesTable1.judge(table1Rows())
        XCTAssertEqual(paper.verdict, .reproduced, paper.reason)
        XCTAssert(paper.reason.contains("Adam below GD: 13/20") && paper.reason.contains("Jellyfish below XOR: 17/19"), paper.reason)
        // Adam one point below GD everywhere: within the intervals in the middle of the range, so
        // no ReLU pair counts (near 100 % the intervals are narrow and 99 % vs 100 % is real).
        let close = CounterexamplesTable1.judge(table1Rows { d, a, o, h in
            o == .adam ? max(0, CounterexamplesTable1.paper["\(d)/\(a)"]![.gd]![h - 2] / 100 - 0.01) : nil
        })
        XCTAssertEqual(close.verdict, .partly, close.reason)
        XCTAssert(close.reason.contains("Adam below GD with ReLU 0/12"), close.reason)
        // Adam converging every time: that claim fails, the other two stand on GD's cells.
        let adam = CounterexamplesTable1.judge(table1Rows { _, _, o, _ in o == .adam ? 1 : nil })
        XCTAssertEqual(adam.verdict, .partly, adam.reason)
        XCTAssert(adam.reason.contains("Adam below GD: 0/14"), adam.reason)
        XCTAssert(paper.reason.contains("our rate within 5 points of the paper's: 48/48"), paper.reason)
        XCTAssert(paper.reason.contains("no cell differs from the paper's by more than 10 points"), paper.reason)
        // Ours on Jellyfish with sigmoid units and Adam, the rest as printed: the reason names
        // those cells, ours beside the paper's; 42 close cells of 48 still pass the claim.
        let ours: [Double] = [0.11, 0.61, 0.93, 1, 1, 1]
        let jelly = CounterexamplesTable1.judge(table1Rows { d, a, o, h in
            d == "jellyfish" && a == "sigmoid" && o == .adam ? ours[h - 2] : nil
        })
        XCTAssert(jelly.reason.contains("Jellyfish sigmoid Adam, h = 2/3/4/5/6/7: 11/61/93/100/100/100% (paper 0/0/2/27/17/58%)"), jelly.reason)
        XCTAssert(jelly.reason.contains("our rate within 5 points of the paper's: 42/48"), jelly.reason)
        // Every cell 20 points above the paper's (capped at 100 %): the closeness claim fails.
        let above = CounterexamplesTable1.judge(table1Rows { d, a, o, h in
            CounterexamplesTable1.paper["\(d)/\(a)"]![o].map { min(1, $0[h - 2] / 100 + 0.2) }
        })
        XCTAssert(above.reason.contains("our rate within 5 points of the paper's: 16/48"), above.reason)
        // SGD no better than the full-batch optimisers at h = 2: the remark fails.
        let sgd = CounterexamplesTable1.judge(table1Rows { _, _, o, _ in o == .sgd ? 0.25 : nil })
        XCTAssertEqual(sgd.verdict, .partly, sgd.reason)
        XCTAssert(sgd.reason.contains("XOR at h = 2: SGD above both full-batch optimisers: 0/4"), sgd.reason)
        XCTAssert(paper.reason.contains("XOR at h = 2, SGD / GD / Adam: relu 100% / 23% / 28%, sigmoid 100% / 90% / 79%"), paper.reason)
        // Every cell equal: no claim holds.
        XCTAssertEqual(CounterexamplesTable1.judge(table1Rows { _, _, _, _ in 0.5 }).verdict, .notReproduced)
        // Every cell at 100 %: nothing to compare.
        XCTAssertEqual(CounterexamplesTable1.judge(table1Rows { _, _, _, _ in 1 }).verdict, .notComparable)
    }

    func testFig3() {
        func row(_ converged: Bool, _ r2: Double) -> CounterexamplesFig3.Row {
            .init(initialization: 0, converged: converged, loss: 0.5, linearity: r2, pieces: converged ? 3 : 1)
        }
        let good = [row(true, 0.8), row(true, 0.85), row(false, 1), row(false, 0.99), row(false, 0.97), row(false, 0.5)]
        XCTAssertEqual(CounterexamplesFig3.judge(good).verdict, .reproduced)
        // Failed runs as bent as the converged ones.
        let bent = [row(true, 0.8), row(false, 0.7), row(false, 0.99), row(false, 0.6)]
        XCTAssertEqual(CounterexamplesFig3.judge(bent).verdict, .notReproduced)
        // No failed run: nothing to judge.
        XCTAssertEqual(CounterexamplesFig3.judge([row(true, 0.8)]).verdict, .notComparable)
    }

    func testFig5() {
        func row(_ tau: Double, _ h: Int, _ mse: Double) -> CounterexamplesFig5.Row { .init(tau: tau, rate: 1e-3, hidden: h, mse: mse, updates: 100) }
        let picture = [row(1, 100, 0.01), row(1, 3000, 0), row(0.01, 100, 0.9), row(0.01, 3000, 0.5)]
        XCTAssertEqual(CounterexamplesFig5.judge(picture, budget: nil).verdict, .reproduced)
        // At a reduced budget the unfitted wide net may only be slow: not comparable, so partly.
        let reduced = CounterexamplesFig5.judge(picture, budget: "100 of 2000 updates")
        XCTAssertEqual(reduced.verdict, .partly, reduced.reason)
        XCTAssert(reduced.reason.contains("not fitted (MSE ≥ 0.1): 1/1 here, not comparable"), reduced.reason)
        // The widest net fits the squeezed data: the second claim fails, at any budget.
        let fitted = CounterexamplesFig5.judge([row(1, 100, 0.01), row(1, 3000, 0), row(0.01, 100, 0.9), row(0.01, 3000, 0.05)],
                                               budget: "100 of 2000 updates")
        XCTAssertEqual(fitted.verdict, .partly)
        XCTAssert(fitted.reason.contains("not fitted (MSE ≥ 0.1): 0/1."), fitted.reason)
        XCTAssert(fitted.reason.contains("h = 3000, lr 0.001: MSE 0.000 at τ = 1, 0.050 at τ = 0.01"), fitted.reason)
        XCTAssertEqual(CounterexamplesFig5.judge([row(1, 100, 0.5), row(0.01, 100, 0.01)], budget: nil).verdict, .notReproduced)
    }

    func testFig2() {
        func row(_ tau: Double, _ h: Int, _ acc: Double) -> CounterexamplesFig2.Row { .init(tau: tau, rate: 1e-3, hidden: h, accuracy: acc, updates: 100) }
        let picture = [row(1, 100, 0.98), row(1, 400, 0.99), row(0.001, 100, 0.6), row(0.001, 400, 0.9)]
        let j = CounterexamplesFig2.judge(picture, budget: nil)
        XCTAssertEqual(j.verdict, .reproduced)
        XCTAssert(j.reason.contains("h = 400, lr 0.001: 0.990 at τ = 1, 0.900 at τ = 0.001"), j.reason)
        // At a reduced budget the gap may close later: partly, with the lasting gap not comparable.
        let reduced = CounterexamplesFig2.judge(picture, budget: "100 of 1200000 updates")
        XCTAssertEqual(reduced.verdict, .partly, reduced.reason)
        XCTAssert(reduced.reason.contains("still below after the paper's 1200000 updates: 2/2 here, not comparable"), reduced.reason)
        // Caught up already within the reduced budget: refuted at any budget.
        XCTAssertEqual(CounterexamplesFig2.judge([row(1, 100, 0.9), row(0.001, 100, 0.95)], budget: "100 of 1200000 updates").verdict,
                       .notReproduced)
        XCTAssertEqual(CounterexamplesFig2.judge([row(1, 100, 0.9)], budget: nil).verdict, .notComparable)
    }

    func testFig1() {
        typealias Row = CounterexamplesFig1.Row
        let reduced = "3000 of the paper's 1000000 updates"
        // Accuracy per (μ, labels, depth, h) for three jobs (h = 50, 200, 500).
        func rows(_ acc: (Double, Bool, Int, Int) -> Double) -> [Row] {
            [0, -0.05, -0.1].flatMap { mu in [false, true].flatMap { permuted in [2, 5].flatMap { depth in [50, 200, 500].enumerated().map { j, h in
                Row(mean: mu, std: 0.1, permuted: permuted, layers: depth, hidden: h, job: j, accuracy: acc(mu, permuted, depth, h), updates: 100)
            } } } }
        }
        // The paper's picture: μ = 0 learns both label rows (the permuted ones to zero error from
        // 400 units on), μ = −0.1 is stuck at chance, and the intermediate μ keeps most of the
        // true-label accuracy but little of the permuted one.
        let paper = rows { mu, permuted, depth, h in
            mu == 0 ? (permuted ? (h >= 400 ? 1 : 0.9) : 1) : mu == -0.1 ? 0.11 : (permuted ? 0.3 : 0.95) - (depth == 5 ? 0.05 : 0)
        }
        let j = CounterexamplesFig1.judge(paper, budget: nil)
        XCTAssertEqual(j.verdict, .reproduced, j.reason)
        XCTAssert(j.reason.contains("μ = -0.1: true labels 0.110–0.110"), j.reason)
        XCTAssert(j.reason.contains("μ = -0.05, 2 layers, h = 50: 0.944 / 0.250"), j.reason)
        XCTAssert(j.reason.contains("permuted labels reach zero training error only from 400 units: 6/6"), j.reason)
        // The same picture at a reduced budget: being stuck is not shown, the 400 units not testable.
        let r = CounterexamplesFig1.judge(paper, budget: reduced)
        XCTAssertEqual(r.verdict, .partly, r.reason)
        XCTAssert(r.reason.contains("μ = -0.1, 2 layers: no good solution (< 0.5): 6/6 here, not comparable"), r.reason)
        XCTAssert(r.reason.contains("only from 400 units: not comparable"), r.reason)
        // At the paper's budget, permuted labels learnt to zero error by narrow nets refute the 400 units.
        let narrow = rows { mu, permuted, depth, h in mu == 0 ? 1 : mu == -0.1 ? 0.11 : (permuted ? 0.3 : 0.95) }
        XCTAssertEqual(CounterexamplesFig1.judge(narrow, budget: nil).verdict, .partly)
        // Depth rescues the bad start: refuted even at a reduced budget.
        let deep = rows { mu, permuted, depth, _ in mu == 0 ? 1 : depth == 5 ? 0.9 : 0.11 }
        let d = CounterexamplesFig1.judge(deep, budget: reduced)
        XCTAssertEqual(d.verdict, .partly, d.reason)
        XCTAssert(d.reason.contains("μ = -0.1, 5 layers: none either: 0/6") && d.reason.contains("2 layers: no good solution (< 0.5): 6/6 here"),
                  d.reason)
        XCTAssert(d.reason.contains("at μ = -0.1 the true-label accuracy from the smallest to the largest h: 2 layers 0.110 (h = 50) → 0.110 (h = 500)"),
                  d.reason)
        // A good start that learns less than the bad ones, and deeper bad nets that learn more.
        XCTAssertEqual(CounterexamplesFig1.judge(rows { mu, _, depth, _ in mu == 0 ? 0.5 : depth == 5 ? 0.95 : 0.6 }, budget: nil).verdict,
                       .notReproduced)
        // A good start that has not learnt yet at a reduced budget decides nothing about it.
        let slow = CounterexamplesFig1.judge(rows { mu, _, _, _ in mu == 0 ? 0.5 : 0.11 }, budget: reduced)
        XCTAssert(slow.reason.contains("μ = 0 learns the true labels (≥ 0.9): 0/6 here, not comparable"), slow.reason)
        // No bad column to compare with.
        XCTAssertEqual(CounterexamplesFig1.judge(paper.filter { $0.mean == 0 }, budget: nil).verdict, .notComparable)
    }
}
