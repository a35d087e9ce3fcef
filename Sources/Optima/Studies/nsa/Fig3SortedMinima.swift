// nsa Figure 3 (§2.2): one data set (p = k, n = 1000), many random initialisations, the
// local minima they reach sorted by training loss, with the train and test AUC of each; h
// from the paper's Table 1 (64, 128, 128 for k = 3, 4, 5).

struct NSAFig3: Study {
    let about = StudyAbout(.nsa, "fig3", "many initialisations sorted by training loss",
                           title: "random initialisations sorted by training loss (p = k, n = 1000)",
                           claim: "\"The loss values are clearly different and they reflect in different training and test AUCs ... "
                           + "there are many local minima with different values\"; h from Table 1 (64, 128, 128).")

    static let n = 1000
    static let ks = [3, 4, 5]
    static func inits(_ s: StudyScale) -> Int { s == .paper ? 100 : 20 }

    func grid(_ s: StudyScale) -> [TrainingPoint] {
        let t = XORTraining(s)
        return NSAFig3.ks.flatMap { k in
            (0..<NSAFig3.inits(s)).map { t.point(k: k, p: k, n: NSAFig3.n, hidden: XORTraining.paperTable1[k]!, initialization: $0) }
        }
    }

    /// One minimum and its rank by loss within its k.
    struct Row {
        var rank: Int
        var result: StudyResult
        var k: Int { result.point.k }
    }

    func rows(_ results: [StudyResult], scale: StudyScale) -> [Row] {
        results.grouped { $0.point.k }.flatMap { _, g in
            g.sorted { $0.trainLoss != $1.trainLoss ? $0.trainLoss < $1.trainLoss : $0.point.initialization < $1.point.initialization }
                .enumerated().map { Row(rank: $0 + 1, result: $1) }
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [.int("k") { $0.k }, .int("p") { $0.result.point.p }, .int("n") { $0.result.point.n },
         .int("h") { $0.result.point.hidden }, .int("rank") { $0.rank }, .int("init") { $0.result.point.initialization },
         .number("train_loss") { $0.result.trainLoss }, .number("train_auc") { $0.result.trainAUC },
         .number("test_auc") { $0.result.testAUC }]
    }

    /// Per k: the spread of the minima in loss and test AUC.
    struct Spread {
        var k: Int, h: Int
        var minLoss: Double, medianLoss: Double, maxLoss: Double
        var minTestAUC: Double, maxTestAUC: Double
        /// Mean test AUC of the lowest-loss and of the highest-loss tenth of the minima.
        var bestTenthAUC: Double, worstTenthAUC: Double
    }

    static func spreads(_ rows: [Row]) -> [Spread] {
        rows.grouped(by: \.k).map { k, s in
            let tests = s.map(\.result.testAUC), q = max(1, s.count / 10)
            return Spread(k: k, h: s[0].result.point.hidden, minLoss: s.first!.result.trainLoss,
                          medianLoss: s[s.count / 2].result.trainLoss, maxLoss: s.last!.result.trainLoss,
                          minTestAUC: tests.min()!, maxTestAUC: tests.max()!,
                          bestTenthAUC: mean(s.prefix(q).map(\.result.testAUC)),
                          worstTenthAUC: mean(s.suffix(q).map(\.result.testAUC)))
        }
    }

    func reportTable(_ rows: [Row], scale: StudyScale) -> (header: [String], rows: [[String]]) {
        (["k", "h", "min loss", "median loss", "max loss", "min test AUC", "max test AUC",
          "test AUC, lowest-loss 10%", "test AUC, highest-loss 10%"],
         NSAFig3.spreads(rows).map { ["\($0.k)", "\($0.h)", f($0.minLoss, 4), f($0.medianLoss, 4), f($0.maxLoss, 4),
                                      f($0.minTestAUC), f($0.maxTestAUC), f($0.bestTenthAUC), f($0.worstTenthAUC)] })
    }

    func plot(_ rows: [Row], scale s: StudyScale) -> String? {
        var top: [SVGPlot] = [], bottom: [SVGPlot] = []
        for (k, rs) in rows.grouped(by: \.k) {
            let x = rs.map { Double($0.rank) }
            var loss = SVGPlot(title: "k = \(k), h = \(rs[0].result.point.hidden): training loss",
                               xLabel: "initialisation, sorted by loss", yLabel: "training loss")
            loss.addLine(name: "training loss", x: x, y: rs.map(\.result.trainLoss), markers: true)
            loss.legend = .topLeft
            var auc = SVGPlot(title: "k = \(k): AUC of each minimum", xLabel: "initialisation, sorted by loss", yLabel: "AUC")
            auc.addLine(name: "train AUC", x: x, y: rs.map(\.result.trainAUC), markers: true)
            auc.addLine(name: "test AUC", x: x, y: rs.map(\.result.testAUC), markers: true)
            auc.legend = .bottomLeft
            top.append(loss)
            bottom.append(auc)
        }
        return SVGPanels(top + bottom, columns: max(1, top.count),
                         title: "Fig. 3: \(NSAFig3.inits(s)) initialisations sorted by training loss (p = k, n = \(NSAFig3.n))").render()
    }

    /// How far apart the best and worst minimum's test AUC must be to count as different:
    /// several standard errors of an AUC on the 3000 test rows (about 0.003 each).
    static let testAUCSpread = 0.02

    /// Three claims, each over every k: the losses differ (largest > 1.1 × smallest); the
    /// test AUCs differ (max − min ≥ testAUCSpread); and lower loss goes with higher test AUC
    /// (the lowest-loss tenth's mean test AUC above the highest-loss tenth's by at least
    /// testAUCSpread: a smaller gap is within the noise and no evidence).
    static func judge(_ rows: [Row]) -> Judgement {
        let s = spreads(rows)
        let spreadKs = s.filter { $0.maxTestAUC - $0.minTestAUC >= testAUCSpread }.map { "k = \($0.k)" }
        return VerdictRule.judge([
            Claim("loss differs between minima (max > 1.1 × min)", held: s.filter { $0.maxLoss > 1.1 * $0.minLoss }.count,
                  of: s.count, share: 1),
            Claim("test AUC differs between minima (max − min ≥ \(testAUCSpread))",
                  held: spreadKs.count, of: s.count, share: 1),
            Claim("lower loss, higher test AUC (lowest-loss tenth above highest-loss tenth by ≥ \(testAUCSpread))",
                  held: s.filter { $0.bestTenthAUC - $0.worstTenthAUC >= testAUCSpread }.count, of: s.count, share: 1),
        ], detail: "Test AUC ranges: " + s.map { "k = \($0.k) \(f($0.minTestAUC))–\(f($0.maxTestAUC))" }.joined(separator: ", ")
            + "; lowest-loss tenth minus highest-loss tenth: "
            + s.map { "k = \($0.k) " + String(format: "%+.4f", $0.bestTenthAUC - $0.worstTenthAUC) }.joined(separator: ", ")
            + "; it spreads by \(testAUCSpread) or more " + (spreadKs.isEmpty ? "for no k" : "only for " + spreadKs.joined(separator: ", "))
            + ". The peers' Task C (k = 3, h = 64, 200 epochs) found losses 0.178–0.222.")
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { NSAFig3.judge(rows) }
    func settings(_ s: StudyScale) -> String { XORTraining(s).sentence }
}
