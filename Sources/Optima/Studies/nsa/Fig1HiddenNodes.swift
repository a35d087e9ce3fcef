// nsa Figure 1 (§2.1): for each k and each h, train with p = k and n = 1000 from several
// initialisations, keep the one with the smallest loss, and plot its loss, train AUC and
// test AUC against h.

struct NSAFig1: Study {
    let about = StudyAbout(.nsa, "fig1", "loss, train and test AUC vs hidden nodes h (p = k)",
                           title: "loss, train and test AUC vs hidden nodes h (p = k, n = 1000)",
                           claim: "Best-loss network of 10 initialisations per h: \"the loss decreases considerably first, "
                           + "then it stabilizes. Same happens with the train and test AUC.\"")

    static let n = 1000
    static func ks(_ s: StudyScale) -> [Int] { s == .paper ? [2, 3, 4, 5] : [2, 3, 4] }
    static func hs(_ s: StudyScale) -> [Int] { s == .paper ? [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024] : [2, 8, 32, 128] }
    static func inits(_ s: StudyScale) -> Int { s == .paper ? 10 : 3 }

    func grid(_ s: StudyScale) -> [TrainingPoint] {
        let t = XORTraining(s)
        return NSAFig1.ks(s).flatMap { k in NSAFig1.hs(s).flatMap { h in
            (0..<NSAFig1.inits(s)).map { t.point(k: k, p: k, n: NSAFig1.n, hidden: h, initialization: $0) } } }
    }

    /// The best-loss minimum for (k, h).
    struct Row {
        var k: Int
        var h: Int
        var inits: Int
        var best: StudyResult
        var meanLoss: Double
    }

    func rows(_ results: [StudyResult], scale: StudyScale) -> [Row] {
        results.grouped { [$0.point.k, $0.point.hidden] }.compactMap { key, g in
            g.bestLoss.map { Row(k: key[0], h: key[1], inits: g.count, best: $0, meanLoss: mean(g.map(\.trainLoss))) }
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [.int("k") { $0.k }, .int("p") { $0.k }, .int("n") { _ in NSAFig1.n }, .int("h") { $0.h },
         .int("inits") { $0.inits }, .int("best_init") { $0.best.point.initialization },
         .number("train_loss") { $0.best.trainLoss }, .number("train_auc") { $0.best.trainAUC },
         .number("test_auc") { $0.best.testAUC }, .number("mean_train_loss") { $0.meanLoss }]
    }

    func reportColumns(_ s: StudyScale) -> [Column<Row>] {
        [.int("k") { $0.k }, .int("h") { $0.h }, .number("train loss") { $0.best.trainLoss },
         .number("train AUC") { $0.best.trainAUC }, .number("test AUC") { $0.best.testAUC }]
    }

    func plot(_ rows: [Row], scale s: StudyScale) -> String? {
        let measures: [(String, (Row) -> Double)] = [
            ("training loss", { $0.best.trainLoss }), ("train AUC", { $0.best.trainAUC }), ("test AUC", { $0.best.testAUC }),
        ]
        let plots = measures.map { label, value in
            var plot = SVGPlot(title: label.prefix(1).uppercased() + label.dropFirst() + " of the best-loss minimum",
                               xLabel: "hidden nodes h", yLabel: label, xLog: true)
            if label != "training loss" { plot.legend = .bottomRight }
            for (k, rs) in rows.grouped(by: \.k) {
                plot.addLine(name: "k = \(k)", x: rs.map { Double($0.h) }, y: rs.map(value), markers: true)
            }
            return plot
        }
        return SVGPanels(plots, title: "Fig. 1: best of \(NSAFig1.inits(s)) initialisations, p = k, n = \(NSAFig1.n)").render()
    }

    /// A loss counts as stable when the last two doublings of h change it by less than this
    /// share of its value; an AUC when they change it by less than `aucNoise` (nsa/fig3's
    /// threshold: several standard errors of an AUC on the 3000 test rows).
    static let stableShare = 0.25, aucNoise = 0.02

    /// The paper's two sentences, per k (every k must hold), each able to fail:
    ///   - the loss "decreases considerably first": at a quarter of the largest h (two
    ///     doublings below it) it is below half its value at the smallest h;
    ///   - "then it stabilizes": from there to the largest h it changes by less than
    ///     `stableShare` of its value;
    ///   - "same happens with the train and test AUC": both rise by more than `aucNoise` from
    ///     the smallest h to a quarter of the largest,
    ///   - and then both change by less than `aucNoise`.
    static func judge(_ rows: [Row]) -> Judgement {
        var falls = 0, stable = 0, rises = 0, level = 0, notes: [String] = []
        let curves = rows.grouped(by: \.k).compactMap { k, rs -> (Int, Row, Row, Row)? in
            let s = rs.sorted { $0.h < $1.h }
            guard let first = s.first, let last = s.last, let quarter = s.last(where: { $0.h <= last.h / 4 }), first.h < quarter.h else {
                return nil
            }
            return (k, first, quarter, last)
        }
        for (k, first, quarter, last) in curves {
            let (a, b, c) = (first.best, quarter.best, last.best)
            if b.trainLoss < 0.5 * a.trainLoss { falls += 1 }
            if abs(c.trainLoss - b.trainLoss) < stableShare * b.trainLoss { stable += 1 }
            if b.trainAUC - a.trainAUC > aucNoise && b.testAUC - a.testAUC > aucNoise { rises += 1 }
            if abs(c.trainAUC - b.trainAUC) < aucNoise && abs(c.testAUC - b.testAUC) < aucNoise { level += 1 }
            notes.append("k = \(k): loss \(f(a.trainLoss)) (h = \(first.h)) → \(f(b.trainLoss)) (h = \(quarter.h)) → \(f(c.trainLoss)) "
                + "(h = \(last.h)), test AUC \(f(a.testAUC)) → \(f(b.testAUC)) → \(f(c.testAUC))")
        }
        return VerdictRule.judge([
            Claim("loss falls considerably first (below half by a quarter of the largest h)", held: falls, of: curves.count, share: 1),
            Claim("then stabilises (the last two doublings change it by less than \(Int(100 * stableShare)) %)", held: stable,
                  of: curves.count, share: 1),
            Claim("train and test AUC rise first (by more than \(aucNoise))", held: rises, of: curves.count, share: 1),
            Claim("then stabilise (the last two doublings change them by less than \(aucNoise))", held: level, of: curves.count, share: 1),
        ], detail: notes.joined(separator: "; ") + ".")
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { NSAFig1.judge(rows) }
    func settings(_ s: StudyScale) -> String { XORTraining(s).sentence }
}
