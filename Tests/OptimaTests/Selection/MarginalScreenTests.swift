import XCTest
@testable import Optima

/// The screen `optima select` runs first when the features outnumber the training rows: its
/// score on hand-computed cases, which features it keeps, and the procedure's outcome on
/// screened data put back in the columns as given.
final class MarginalScreenTests: XCTestCase {
    private func data(_ columns: [[Float]], labels: [Float]) -> Dataset {
        let n = labels.count, p = columns.count
        var x = [Float](repeating: 0, count: n * p)
        for r in 0..<n { for c in 0..<p { x[r * p + c] = columns[c][r] } }
        return Dataset(name: "t", features: x, targets: labels, count: n, featureCount: p, task: .binary)
    }

    /// n η² by hand: 10 rows in 2 bins of 5. A column that splits the labels exactly explains
    /// all of their variance (score 10); a constant one nothing; one that puts 4 of the 5
    /// positives in the upper bin: bin means 0.2 and 0.8 around 0.5, so
    /// 5·0.3² + 5·0.3² = 0.9 of the total n·0.25 = 2.5, η² = 0.36, score 3.6.
    func testScoreIsRowsTimesTheShareOfVarianceTheBinMeansExplain() {
        let y: [Float] = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
        let exact = (1...10).map(Float.init)
        let constant = [Float](repeating: 3, count: 10)
        let mostly: [Float] = [1, 2, 3, 4, 9, 5, 6, 7, 8, 10]   // row 4 (a 0) in the upper bin, row 5 (a 1) in the lower
        let s = MarginalScreen.scores(data([exact, constant, mostly], labels: y), bins: 2)
        XCTAssertEqual(s[0], 10, accuracy: 1e-9)
        XCTAssertEqual(s[1], 0, accuracy: 1e-9)
        XCTAssertEqual(s[2], 3.6, accuracy: 1e-9)
    }

    /// Several classes: the score sums over the classes' indicators. x = 1…6 in 2 bins,
    /// classes 0 0 1 1 2 2: class 0's indicator (mean 1/3) has bin sums of its centred values
    /// 1 and −1, so 1/3 + 1/3 = 2/3 between the bins over a variance of 2/9 per row: 3; class 1
    /// is split evenly (0); class 2 as class 0 (3). Regression: y = x, centred bin sums ∓4.5,
    /// 2 · 4.5² / 3 = 13.5 of 17.5: 6 · 13.5 / 17.5.
    func testScoreSumsOverClassesAndWorksOnRegression() {
        let x: [Float] = [1, 2, 3, 4, 5, 6]
        let classes = Dataset(name: "t", features: x, targets: [0, 0, 1, 1, 2, 2], count: 6, featureCount: 1,
                              task: .multiclass(classes: 3))
        XCTAssertEqual(MarginalScreen.scores(classes, bins: 2)[0], 6, accuracy: 1e-9)
        let regression = Dataset(name: "t", features: x, targets: x, count: 6, featureCount: 1,
                                 task: .regression(outputs: 1))
        XCTAssertEqual(MarginalScreen.scores(regression, bins: 2)[0], 6 * 13.5 / 17.5, accuracy: 1e-9)
    }

    /// Equal values share a bin, whatever the order of the rows: a 0/1 column equal to the
    /// label is two groups and explains it all, with 5 bins as with 2.
    func testTiedValuesShareABin() {
        let y: [Float] = [1, 0, 1, 1, 0, 0, 1, 0, 0, 0]
        for bins in [2, 5, 7] {
            XCTAssertEqual(MarginalScreen.scores(data([y], labels: y), bins: bins)[0], 10, accuracy: 1e-9, "bins \(bins)")
        }
    }

    /// A column that acts through its square is uncorrelated with the label, yet scores far
    /// above noise columns; so does a line.
    func testSquareScoresAsWellAsALine() {
        var g = Xoshiro256(seed: 5, stream: 1)
        let n = 400
        let square = (0..<n).map { _ in Float(g.normal()) }, line = (0..<n).map { _ in Float(g.normal()) }
        let noise = (0..<20).map { _ in (0..<n).map { _ in Float(g.normal()) } }
        let squareLabels = square.map { $0 * $0 > 0.4549 ? Float(1) : 0 }   // 0.4549: the median of a χ²₁
        let s = MarginalScreen.scores(data([square] + noise, labels: squareLabels), bins: 5)
        let r = pearson(square, squareLabels)
        XCTAssertLessThan(abs(r), 0.1, "the square is not visible to a correlation")
        XCTAssertGreaterThan(s[0], 10 * s[1...].max()!, "\(s)")
        let lineLabels = line.map { $0 > 0 ? Float(1) : 0 }
        let t = MarginalScreen.scores(data([line] + noise, labels: lineLabels), bins: 5)
        XCTAssertGreaterThan(t[0], 10 * t[1...].max()!, "\(t)")
        // Noise columns: about bins − 1 = 4 each.
        XCTAssertEqual(s[1...].reduce(0, +) / 20, 4, accuracy: 1.5)
    }

    private func pearson(_ a: [Float], _ b: [Float]) -> Double {
        let n = Double(a.count), ma = a.reduce(0, +) / Float(n), mb = b.reduce(0, +) / Float(n)
        var ab = 0.0, aa = 0.0, bb = 0.0
        for i in a.indices {
            let x = Double(a[i] - ma), y = Double(b[i] - mb)
            ab += x * y; aa += x * x; bb += y * y
        }
        return ab / (aa * bb).squareRoot()
    }

    /// n rows, p columns, the label set by columns `relevant` (a sum of them, cut at 0).
    private func wide(rows n: Int, columns p: Int, relevant: [Int], seed: UInt64) -> Dataset {
        var g = Xoshiro256(seed: seed, stream: 4)
        var x = [Float](repeating: 0, count: n * p), y = [Float](repeating: 0, count: n)
        for r in 0..<n {
            for c in 0..<p { x[r * p + c] = Float(g.normal()) }
            y[r] = relevant.map { x[r * p + $0] }.reduce(0, +) > 0 ? 1 : 0
        }
        return Dataset(name: "wide", features: x, targets: y, count: n, featureCount: p, task: .binary)
    }

    /// The screen runs only with more columns than rows, and keeps ⌊n / ln n⌋ of them (or
    /// --screen-keep), among them the relevant ones.
    func testScreenKeepsTheBestNOverLnNWhenColumnsOutnumberRows() {
        let d = wide(rows: 60, columns: 200, relevant: [5, 150], seed: 1)
        let screen = MarginalScreen()
        XCTAssertTrue(screen.applies(to: d))
        XCTAssertEqual(screen.keepCount(d), 14)   // 60 / ln 60 = 14.65
        let seen = screen.seen(d)
        XCTAssertEqual(seen.count, 14)
        XCTAssertEqual(screen.seenCount(d), 14)
        XCTAssertEqual(seen, seen.sorted())
        XCTAssertTrue(Set(seen).isSuperset(of: [5, 150]), "\(seen)")
        let s = MarginalScreen.scores(d, bins: screen.bins)
        XCTAssertGreaterThanOrEqual(seen.map { s[$0] }.min()!, (0..<200).filter { !seen.contains($0) }.map { s[$0] }.max()!)
        var fixed = screen
        fixed.keep = 30
        XCTAssertEqual(fixed.seen(d).count, 30)
        var off = screen
        off.enabled = false
        XCTAssertEqual(off.seen(d), Array(0..<200))
        let tall = wide(rows: 200, columns: 200, relevant: [5], seed: 1)
        XCTAssertFalse(screen.applies(to: tall))
        XCTAssertEqual(screen.seen(tall), Array(0..<200))
        XCTAssertEqual(screen.seenCount(tall), 200)
    }

    /// select on 150 rows of 400 columns: every step sees the 29 screened columns, and what it
    /// reports (the table, the kept features, the runs, the tuning's and the check's trials,
    /// the events) is what the procedure gives on those columns alone, renumbered to the
    /// columns as given; the screened-out ones rank last, at frequency 0.
    func testSelectOnScreenedColumnsReportsTheColumnsAsGiven() throws {
        let d = wide(rows: 150, columns: 400, relevant: [10, 300], seed: 2)
        var procedure = SelectionProcedure()
        procedure.tuning.runs = 2
        procedure.tuning.wideEpochs = 20
        procedure.tuning.trialNetwork.epochs = 20
        procedure.stability.runs = 6
        procedure.finalChoice.enabled = false
        procedure.finalNetworks = 1
        procedure.final.training.epochs = 20
        var tuned: [TuningTrial] = [], checked: [HeldOutTrial] = []
        let o = try procedure.select(d, test: nil) { event in
            if case let .tuned(trials, _) = event { tuned = trials }
            if case let .checked(trials, _, _) = event { checked = trials }
        }
        let seen = try XCTUnwrap(o.screened)
        XCTAssertEqual(seen, procedure.screen.seen(d))
        XCTAssertEqual(seen.count, 29)   // 150 / ln 150 = 29.9
        XCTAssertEqual(o.procedure.screen, procedure.screen)
        XCTAssertTrue(Set(o.kept).isSuperset(of: [10, 300]), "\(o.kept)")
        // The same procedure on the screened columns alone, its numbers mapped by hand.
        var inner = procedure
        inner.screen.enabled = false
        let alone = try inner.select(d.columns(seen), test: nil)
        XCTAssertEqual(o.kept, alone.kept.map { seen[$0] })
        XCTAssertEqual(o.runs.map(\.kept), alone.runs.map { $0.kept.map { seen[$0] } })
        XCTAssertEqual(o.trials.map(\.selected), alone.trials.map { $0.selected.map { seen[$0] } })
        XCTAssertEqual(o.trials.map(\.heldOutLoss), alone.trials.map(\.heldOutLoss))
        XCTAssertEqual(o.checkTrials.map(\.feature), alone.checkTrials.map { $0.feature.map { seen[$0] } })
        XCTAssertFalse(o.checkTrials.isEmpty)
        XCTAssertEqual(tuned, o.trials)
        XCTAssertEqual(checked, o.checkTrials)
        for f in alone.table {
            let g = o.table[seen[f.feature]]
            XCTAssertEqual([g.frequency, g.norm], [f.frequency, f.norm])
            XCTAssertEqual(g.rank, f.rank)
            XCTAssertEqual(g.kept, f.kept)
        }
        // The columns as given, every one once, the screened-out ones last, by their score.
        XCTAssertEqual(o.table.map(\.feature), Array(0..<400))
        XCTAssertEqual(o.table.map(\.name), d.featureNames)
        XCTAssertEqual(o.table.map(\.rank).sorted(), Array(1...400))
        let out = o.table.filter(\.screenedOut)
        XCTAssertEqual(Set(out.map(\.feature)), Set(0..<400).subtracting(seen))
        XCTAssertTrue(out.allSatisfy { $0.frequency == 0 && !$0.kept && $0.rank > seen.count })
        let scores = MarginalScreen.scores(d, bins: procedure.screen.bins)
        XCTAssertEqual(o.table.map(\.screenScore), scores.map { $0 })
        XCTAssertEqual(out.sorted { $0.rank < $1.rank }.map(\.feature),
                       out.map(\.feature).sorted { (scores[$0], $1) > (scores[$1], $0) }, "screened out: by score")
        XCTAssertEqual(StabilitySelection.kept(o.table), o.kept)
        // The final network reads the kept columns: its inputs are as many.
        XCTAssertEqual(o.final.networks[0].shape.layers[0].input, o.kept.count)
    }
}
