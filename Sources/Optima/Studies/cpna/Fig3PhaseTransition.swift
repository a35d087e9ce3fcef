// cpna Figure 3 (§2.2): for each p, the lowest-loss network of 10 random initialisations
// (h = 500), its test AUC averaged over 10 repeats, against p, for k = 3, 4, 5 and several
// n. The paper reads a phase transition off it: the p where the test AUC falls below 0.8
// depends on n; we report that p per (k, n).

struct CPNAFig3: Study {
    let about = StudyAbout(.cpna, "fig3", "phase transition: test AUC of the best-loss net vs p, per n",
                           title: "test AUC of the best of 10 initialisations vs p (h = 500), per n",
                           claim: "\"the test AUC quickly drops from close to 1 to 0.5. The number of variables p where the test "
                           + "AUC gets below a threshold (e.g. 0.8) depends on the number n of training examples.\"")

    static func ks(_ s: StudyScale) -> [Int] { s == .paper ? [3, 4, 5] : [3] }
    static func ns(_ s: StudyScale) -> [Int] { s == .paper ? [1000, 3000, 10_000] : [300, 1000] }
    /// p from k to past the transition (which moves to smaller p as k grows).
    static func ps(k: Int, _ s: StudyScale) -> [Int] {
        guard s == .paper else { return [3, 10, 30] }
        switch k {
        case 3: return [3, 10, 20, 30, 40, 60, 80, 100]
        case 4: return [4, 10, 15, 20, 30, 40, 60]
        default: return [5, 8, 10, 15, 20, 30]
        }
    }
    static func h(_ s: StudyScale) -> Int { s == .paper ? 500 : 100 }
    static func inits(_ s: StudyScale) -> Int { s == .paper ? 10 : 3 }
    static func repeats(_ s: StudyScale) -> Int { s == .paper ? 10 : 2 }
    static let threshold = 0.8

    func grid(_ s: StudyScale) -> [TrainingPoint] {
        let t = CPNATraining(s), count = CPNAFig3.inits(s) * CPNAFig3.repeats(s)
        return CPNAFig3.ks(s).flatMap { k in CPNAFig3.ns(s).flatMap { n in CPNAFig3.ps(k: k, s).flatMap { p in
            (0..<count).map { t.densePoint(k: k, p: p, n: n, hidden: CPNAFig3.h(s), initialization: $0) } } } }
    }

    /// One (k, n, p): the mean and sd over repeats of the test AUC of each repeat's best-loss network.
    struct Row {
        var k: Int, n: Int, p: Int
        var repeats: Int
        var testAUC: Double, testAUCSD: Double, trainAUC: Double
    }

    func rows(_ results: [StudyResult], scale s: StudyScale) -> [Row] {
        results.grouped { [$0.point.k, $0.point.n, $0.point.p] }.map { key, g in
            let best = g.grouped { $0.point.initialization / CPNAFig3.inits(s) }.compactMap { $0.items.bestLoss }
            return Row(k: key[0], n: key[1], p: key[2], repeats: best.count, testAUC: mean(best.map(\.testAUC)),
                       testAUCSD: standardDeviation(best.map(\.testAUC)), trainAUC: mean(best.map(\.trainAUC)))
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [.int("k") { $0.k }, .int("n") { $0.n }, .int("p") { $0.p }, .int("repeats") { $0.repeats },
         .number("mean_test_auc") { $0.testAUC }, .number("sd_test_auc") { $0.testAUCSD }, .number("mean_train_auc") { $0.trainAUC }]
    }

    /// One (k, n) curve: its first and last test AUC and the p where it falls below the
    /// threshold, interpolated linearly between the grid's p (nil if it never does).
    struct Transition {
        var k: Int, n: Int
        var first: Double, last: Double
        var crossing: Double?
    }

    static func transitions(_ rows: [Row]) -> [Transition] {
        rows.grouped { [$0.k, $0.n] }.map { key, c in
            let c = c.sorted { $0.p < $1.p }
            var crossing: Double?
            for (a, b) in zip(c, c.dropFirst()) where crossing == nil {
                if a.testAUC >= threshold && b.testAUC < threshold {
                    crossing = Double(a.p) + (a.testAUC - threshold) / (a.testAUC - b.testAUC) * Double(b.p - a.p)
                }
            }
            if c.first!.testAUC < threshold { crossing = Double(c.first!.p) }
            return Transition(k: key[0], n: key[1], first: c.first!.testAUC, last: c.last!.testAUC, crossing: crossing)
        }
    }

    func reportTable(_ rows: [Row], scale: StudyScale) -> (header: [String], rows: [[String]]) {
        (["k", "n", "test AUC at p = k", "test AUC at the largest p", "p where test AUC < \(CPNAFig3.threshold)"],
         CPNAFig3.transitions(rows).map { t in ["\(t.k)", "\(t.n)", f(t.first), f(t.last),
                                                t.crossing.map { f($0, 1) } ?? "not below"] })
    }

    func plot(_ rows: [Row], scale s: StudyScale) -> String? {
        let plots = rows.grouped(by: \.k).map { k, rs in
            var plot = SVGPlot(title: "k = \(k)", xLabel: "dimension p", yLabel: "mean test AUC of the best-loss net")
            for (n, c) in rs.grouped(by: \.n) {
                let x = c.map { Double($0.p) }
                plot.addBand(x: x, lower: c.map { $0.testAUC - $0.testAUCSD }, upper: c.map { $0.testAUC + $0.testAUCSD })
                plot.addLine(name: "n = \(n)", x: x, y: c.map(\.testAUC), markers: true)
            }
            plot.legend = .topRight
            return plot
        }
        return SVGPanels(plots, title: "Fig. 3: best loss of \(CPNAFig3.inits(s)) initialisations, h = \(CPNAFig3.h(s)), "
                         + "mean ± sd of \(CPNAFig3.repeats(s)) repeats").render()
    }

    /// Two claims: each (k, n) curve starts at ≥ 0.9 and ends at ≤ 0.6; and for each k the
    /// crossing of 0.8 moves to larger p as n grows (never earlier for a larger n, and later
    /// for the largest n than for the smallest; a curve that never crosses counts as past the grid).
    static func judge(_ rows: [Row]) -> Judgement {
        let t = transitions(rows)
        let drops = t.filter { $0.first >= 0.9 && $0.last <= 0.6 }.count
        let byK = t.grouped(by: \.k).map { k, c in (k, c.sorted { $0.n < $1.n }.map { $0.crossing ?? .infinity }) }
        let moves = byK.filter { _, x in x.count > 1 && zip(x, x.dropFirst()).allSatisfy { $0 <= $1 } && x.last! > x.first! }
        return VerdictRule.judge([
            Claim("test AUC falls from ≥ 0.9 at p = k to ≤ 0.6 at the largest p", held: drops, of: t.count),
            Claim("the p of test AUC < \(threshold) grows with n", held: moves.count, of: byK.count),
        ], detail: "Crossings: " + t.map { "k = \($0.k), n = \($0.n): " + ($0.crossing.map { "p ≈ " + f($0, 1) } ?? "none") }
            .joined(separator: "; "))
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { CPNAFig3.judge(rows) }

    func settings(_ s: StudyScale) -> String {
        CPNATraining(s).sentence + " The paper does not list its p and n grids; ours are p ∈ "
            + CPNAFig3.ks(s).map { "\(CPNAFig3.ps(k: $0, s)) (k = \($0))" }.joined(separator: ", ")
            + " and n ∈ \(CPNAFig3.ns(s)), h = \(CPNAFig3.h(s))."
    }
}
