// nsa Figure 5 (§2.2): the test AUC of the best-loss minimum out of 10 random
// initialisations vs the dimension p, for a network with 500 hidden nodes, k = 3, 4, 5
// (n is not given; we use 3000, the n of Figure 4).

struct NSAFig5: Study {
    let about = StudyAbout(.nsa, "fig5", "test AUC of the best-loss minimum vs p, h = 500",
                           title: "test AUC of the best-loss minimum vs p (h = 500)",
                           claim: "\"Even if in the range NN can work, the test AUC still decreases as p increases.\"")

    static func ks(_ s: StudyScale) -> [Int] { s == .paper ? [3, 4, 5] : [3] }
    static func ps(_ s: StudyScale) -> [Int] { s == .paper ? [3, 4, 5, 10, 20, 50, 100, 200] : [3, 10, 20] }
    static func h(_ s: StudyScale) -> Int { s == .paper ? 500 : 100 }
    static func n(_ s: StudyScale) -> Int { s == .paper ? 3000 : 1000 }
    static func inits(_ s: StudyScale) -> Int { s == .paper ? 10 : 3 }

    func grid(_ s: StudyScale) -> [TrainingPoint] {
        let t = XORTraining(s)
        return NSAFig5.ks(s).flatMap { k in NSAFig5.ps(s).filter { $0 >= k }.flatMap { p in
            (0..<NSAFig5.inits(s)).map { t.point(k: k, p: p, n: NSAFig5.n(s), hidden: NSAFig5.h(s), initialization: $0) } } }
    }

    struct Row {
        var k: Int, p: Int
        var inits: Int
        var best: StudyResult
    }

    func rows(_ results: [StudyResult], scale: StudyScale) -> [Row] {
        results.grouped { [$0.point.k, $0.point.p] }.compactMap { key, g in
            g.bestLoss.map { Row(k: key[0], p: key[1], inits: g.count, best: $0) }
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [.int("k") { $0.k }, .int("p") { $0.p }, .int("n") { $0.best.point.n }, .int("h") { $0.best.point.hidden },
         .int("inits") { $0.inits }, .int("best_init") { $0.best.point.initialization },
         .number("train_loss") { $0.best.trainLoss }, .number("train_auc") { $0.best.trainAUC }, .number("test_auc") { $0.best.testAUC }]
    }

    func reportColumns(_ s: StudyScale) -> [Column<Row>] {
        [.int("k") { $0.k }, .int("p") { $0.p }, .number("train loss") { $0.best.trainLoss },
         .number("train AUC") { $0.best.trainAUC }, .number("test AUC") { $0.best.testAUC }]
    }

    func plot(_ rows: [Row], scale s: StudyScale) -> String? {
        let plots = rows.grouped(by: \.k).map { k, rs in
            var plot = SVGPlot(title: "k = \(k)", xLabel: "dimension p", yLabel: "AUC of the best-loss minimum", xLog: true)
            plot.addLine(name: "test AUC", x: rs.map { Double($0.p) }, y: rs.map(\.best.testAUC), markers: true)
            plot.addLine(name: "train AUC", x: rs.map { Double($0.p) }, y: rs.map(\.best.trainAUC), dashed: true, markers: true)
            plot.legend = .bottomLeft
            return plot
        }
        return SVGPanels(plots, title: "Fig. 5: best loss of \(NSAFig5.inits(s)) initialisations, h = \(NSAFig5.h(s)), n = \(NSAFig5.n(s))").render()
    }

    /// Per k: the test AUC at the largest p is more than 0.05 below that at p = k.
    static func judge(_ rows: [Row]) -> Judgement {
        let byK = rows.grouped(by: \.k).map { k, rs in (k, rs.sorted { $0.p < $1.p }) }
        let claims = byK.map { k, s in
            Claim("k = \(k): test AUC at the largest p more than 0.05 below p = k",
                  held: s.count > 1 && s.last!.best.testAUC < s.first!.best.testAUC - 0.05 ? 1 : 0, of: s.count > 1 ? 1 : 0)
        }
        return VerdictRule.judge(claims,
            detail: byK.map { k, s in "k = \(k): \(f(s.first!.best.testAUC)) at p = \(s.first!.p) → \(f(s.last!.best.testAUC)) at p = \(s.last!.p)" }
                .joined(separator: "; ") + ", while the train AUC stays high: the wide network fits the irrelevant features.")
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { NSAFig5.judge(rows) }
    func settings(_ s: StudyScale) -> String { XORTraining(s).sentence + " n is not given by the paper; we use \(NSAFig5.n(s))." }
}
