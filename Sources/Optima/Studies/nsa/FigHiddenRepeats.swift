// The figure the text of nsa §2.2 cites as "Figure ??": for each h, train 10
// initialisations, keep the best test AUC and its train AUC; repeat 10 times and plot the
// mean (band: ± one standard deviation over the repeats) vs h. The text names neither k,
// p nor n; we use k = 3, p = 15 (irrelevant features present), n = 1000.

struct NSAFigHidden: Study {
    let about = StudyAbout(.nsa, "fig-hidden", "train/test AUC vs hidden nodes, best of 10, repeated (the text's Figure ??)",
                           title: "train and test AUC vs hidden nodes (the text's \"Figure ??\"; k = 3, p = 15, n = 1000)",
                           claim: "Best test AUC of 10 initialisations and its train AUC, averaged over 10 repeats: \"the training AUC "
                           + "becomes better and better and finally it reaches 1.0. But the test AUC ... quickly reaches its best value when "
                           + "the number of hidden nodes is relatively small, and then no further improvement.\"")

    static let (k, p, n) = (3, 15, 1000)
    static func hs(_ s: StudyScale) -> [Int] { s == .paper ? [4, 8, 16, 32, 64, 128, 256, 512, 1024] : [4, 16, 64] }
    static func inits(_ s: StudyScale) -> Int { s == .paper ? 10 : 3 }
    static func repeats(_ s: StudyScale) -> Int { s == .paper ? 10 : 2 }

    func grid(_ s: StudyScale) -> [TrainingPoint] {
        let t = XORTraining(s)
        // Repeat r uses initialisations r*inits ..< (r+1)*inits: all distinct.
        return NSAFigHidden.hs(s).flatMap { h in (0..<(NSAFigHidden.inits(s) * NSAFigHidden.repeats(s))).map {
            t.point(k: NSAFigHidden.k, p: NSAFigHidden.p, n: NSAFigHidden.n, hidden: h, initialization: $0) } }
    }

    struct Row {
        var h: Int
        var trainAUC: Double, trainSD: Double
        var testAUC: Double, testSD: Double
    }

    func rows(_ results: [StudyResult], scale s: StudyScale) -> [Row] {
        results.grouped { $0.point.hidden }.map { h, g in
            let best = g.grouped { $0.point.initialization / NSAFigHidden.inits(s) }.compactMap { $0.items.max { $0.testAUC < $1.testAUC } }
            let train = best.map(\.trainAUC), test = best.map(\.testAUC)
            return Row(h: h, trainAUC: mean(train), trainSD: standardDeviation(train), testAUC: mean(test), testSD: standardDeviation(test))
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [.int("k") { _ in NSAFigHidden.k }, .int("p") { _ in NSAFigHidden.p }, .int("n") { _ in NSAFigHidden.n }, .int("h") { $0.h },
         .int("inits") { _ in NSAFigHidden.inits(s) }, .int("repeats") { _ in NSAFigHidden.repeats(s) },
         .number("mean_train_auc") { $0.trainAUC }, .number("sd_train_auc") { $0.trainSD },
         .number("mean_test_auc") { $0.testAUC }, .number("sd_test_auc") { $0.testSD }]
    }

    func reportColumns(_ s: StudyScale) -> [Column<Row>] {
        [.int("h") { $0.h }, .number("train AUC") { $0.trainAUC }, .number("± sd") { $0.trainSD },
         .number("test AUC") { $0.testAUC }, .number("± sd ") { $0.testSD }]
    }

    func plot(_ rows: [Row], scale s: StudyScale) -> String? {
        var plot = SVGPlot(title: "Train and test AUC vs h (k = \(NSAFigHidden.k), p = \(NSAFigHidden.p), n = \(NSAFigHidden.n))",
                           xLabel: "hidden nodes h", yLabel: "AUC (best test AUC of \(NSAFigHidden.inits(s)) inits)", xLog: true)
        plot.width = 560
        plot.legend = .bottomRight
        let x = rows.map { Double($0.h) }
        for (name, m, sd) in [("train AUC", rows.map(\.trainAUC), rows.map(\.trainSD)),
                              ("test AUC", rows.map(\.testAUC), rows.map(\.testSD))] {
            let color = plot.nextColor
            plot.addBand(x: x, lower: zip(m, sd).map { $0 - $1 }, upper: zip(m, sd).map { $0 + $1 }, color: color)
            plot.addLine(name: name + " (± 1 sd over \(NSAFigHidden.repeats(s)) repeats)", x: x, y: m, color: color, markers: true)
        }
        return plot.render()
    }

    /// The sentence cpna/fig4 judges too, by the same rule (EarlyPlateauRule), on our one curve.
    static func judge(_ rows: [Row]) -> Judgement {
        EarlyPlateauRule.judge([("k = \(k), p = \(p)", rows.map { EarlyPlateauRule.Point(h: $0.h, trainAUC: $0.trainAUC, testAUC: $0.testAUC) })])
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { NSAFigHidden.judge(rows) }
    func settings(_ s: StudyScale) -> String {
        XORTraining(s).sentence + " The text names no k, p or n for this figure; we use k = 3, p = 15, n = 1000. The cpna paper "
            + "prints the same experiment at k = 3, p = 30 and 35 (and k = 4, 5); cpna/fig4 runs those settings and judges them by "
            + "the same rule."
    }
}
