// cpna Figure 4 (§3): for each number of hidden nodes, 10 random initialisations; keep the
// best test AUC and its train AUC; repeat 10 times and average. k = 3 at p = 30, 35; k = 4
// at p = 20, 25; k = 5 at p = 10, 15. The paper gives no n; we use 3000, the n of §4.1.

struct CPNAFig4: Study {
    let about = StudyAbout(.cpna, "fig4", "best test AUC of 10 initialisations and its train AUC vs h",
                           title: "train and test AUC vs the number of hidden nodes",
                           claim: "\"When the number of hidden node increases, the training AUC becomes better and better and "
                           + "finally reaches 1. But the test AUC quickly reaches the best results when the number of hidden "
                           + "nodes is relatively small, and then no further improvement happens\".")

    static func settings(_ s: StudyScale) -> [(k: Int, p: Int)] {
        s == .paper ? [(3, 30), (3, 35), (4, 20), (4, 25), (5, 10), (5, 15)] : [(3, 15), (3, 30)]
    }
    static func hs(_ s: StudyScale) -> [Int] { s == .paper ? [8, 16, 32, 64, 128, 256, 512, 1024] : [8, 32, 128] }
    static func n(_ s: StudyScale) -> Int { s == .paper ? 3000 : 1000 }
    static func inits(_ s: StudyScale) -> Int { s == .paper ? 10 : 3 }
    static func repeats(_ s: StudyScale) -> Int { s == .paper ? 10 : 2 }

    func grid(_ s: StudyScale) -> [TrainingPoint] {
        let t = CPNATraining(s), count = CPNAFig4.inits(s) * CPNAFig4.repeats(s)
        return CPNAFig4.settings(s).flatMap { kp in CPNAFig4.hs(s).flatMap { h in
            (0..<count).map { t.densePoint(k: kp.k, p: kp.p, n: CPNAFig4.n(s), hidden: h, initialization: $0) } } }
    }

    /// One (k, p, h): the means over repeats of the best test AUC and its train AUC.
    struct Row {
        var k: Int, p: Int, h: Int
        var testAUC: Double, testAUCSD: Double, trainAUC: Double
    }

    func rows(_ results: [StudyResult], scale s: StudyScale) -> [Row] {
        results.grouped { [$0.point.k, $0.point.p, $0.point.hidden] }.map { key, g in
            let best = g.grouped { $0.point.initialization / CPNAFig4.inits(s) }.compactMap { _, run in
                run.max { ($0.testAUC, -$0.point.initialization) < ($1.testAUC, -$1.point.initialization) }
            }
            return Row(k: key[0], p: key[1], h: key[2], testAUC: mean(best.map(\.testAUC)),
                       testAUCSD: standardDeviation(best.map(\.testAUC)), trainAUC: mean(best.map(\.trainAUC)))
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [.int("k") { $0.k }, .int("p") { $0.p }, .int("h") { $0.h }, .number("mean_best_test_auc") { $0.testAUC },
         .number("sd_best_test_auc") { $0.testAUCSD }, .number("mean_train_auc") { $0.trainAUC }]
    }

    func plot(_ rows: [Row], scale s: StudyScale) -> String? {
        let plots = rows.grouped(by: \.k).map { k, rs in
            var plot = SVGPlot(title: "k = \(k)", xLabel: "hidden nodes h", yLabel: "AUC", xLog: true)
            for (p, c) in rs.grouped(by: \.p) {
                let x = c.map { Double($0.h) }
                let color = plot.addLine(name: "test, p = \(p)", x: x, y: c.map(\.testAUC), markers: true)
                plot.addLine(name: "train, p = \(p)", x: x, y: c.map(\.trainAUC), dashed: true, color: color, markers: true)
            }
            plot.legend = .bottomRight
            return plot
        }
        return SVGPanels(plots, title: "Fig. 4: best test AUC of \(CPNAFig4.inits(s)) initialisations and its train AUC, "
                         + "mean of \(CPNAFig4.repeats(s)) repeats, n = \(CPNAFig4.n(s))").render()
    }

    /// The sentence nsa/fig-hidden judges too, by the same rule (EarlyPlateauRule), per (k, p).
    static func judge(_ rows: [Row]) -> Judgement {
        EarlyPlateauRule.judge(rows.grouped { [$0.k, $0.p] }.map { key, c in
            ("k = \(key[0]), p = \(key[1])", c.map { EarlyPlateauRule.Point(h: $0.h, trainAUC: $0.trainAUC, testAUC: $0.testAUC) })
        })
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { CPNAFig4.judge(rows) }

    func settings(_ s: StudyScale) -> String {
        CPNATraining(s).sentence + " n = \(CPNAFig4.n(s)) (not given by the paper); h ∈ \(CPNAFig4.hs(s))."
    }
}
