// cpna Figure 7 (§4.1): for each Table 1 setting, 100 trials of pre-training, CPNA on the
// hidden connections, and retraining the sub-network from a fresh initialisation and from
// the run's initial weights; the three test-AUC curves, each sorted. The trials are Table
// 1's (its results file): a retraining shares the seed of the CPNA(hidden) run it retrains.

struct CPNAFig7: Study {
    let about = StudyAbout(.cpna, "fig7", "CPNA(hidden) vs its sub-network retrained (fresh / original init), sorted",
                           title: "the pruned sub-network against its two retrainings, sorted test AUC",
                           claim: "\"neither retraining from scratch nor using the original initial weights can achieve the "
                           + "performance of the corresponding sub-network that was obtained by pruning the fully connected dense "
                           + "neural network. The retraining using initial weights seems works a little better than retraining "
                           + "from a random initialization\".")

    var resultsFrom: StudyID? { CPNATable1().id }
    static let shown: [CPNATable1.Variant] = [.hidden, .random, .initial]

    func grid(_ s: StudyScale) -> [TrainingPoint] { CPNATable1().grid(s) }

    /// One trial at its rank within its curve.
    struct Row {
        var k: Int, p: Int
        var variant: CPNATable1.Variant
        var rank: Int
        var testAUC: Double
    }

    func rows(_ results: [StudyResult], scale: StudyScale) -> [Row] {
        results.compactMap { r in CPNATable1.Variant(r.point.method).map { (r, $0) } }
            .filter { CPNAFig7.shown.contains($0.1) }
            .grouped { "\($0.0.point.k) \($0.1.rawValue)" }.flatMap { _, g in
                g.map(\.0.testAUC).sorted(by: >).enumerated().map { i, auc in
                    Row(k: g[0].0.point.k, p: g[0].0.point.p, variant: g[0].1, rank: i + 1, testAUC: auc)
                }
            }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [.int("k") { $0.k }, .int("p") { $0.p }, Column("method") { $0.variant.rawValue }, .int("rank") { $0.rank },
         .number("test_auc") { $0.testAUC }]
    }

    /// Per setting and curve: the mean, median and largest test AUC.
    struct Curve {
        var k: Int, p: Int
        var variant: CPNATable1.Variant
        var mean: Double, median: Double, max: Double
    }

    static func curves(_ rows: [Row]) -> [Curve] {
        rows.grouped { "\($0.k) \($0.variant.rawValue)" }.map { _, c in
            Curve(k: c[0].k, p: c[0].p, variant: c[0].variant, mean: mean(c.map(\.testAUC)), median: c[c.count / 2].testAUC,
                  max: c.map(\.testAUC).max()!)
        }
    }

    func reportTable(_ rows: [Row], scale: StudyScale) -> (header: [String], rows: [[String]]) {
        (["k", "p", "curve", "trials", "mean test AUC", "median", "largest"],
         CPNAFig7.curves(rows).map { c in
            ["\(c.k)", "\(c.p)", c.variant.rawValue, "\(rows.filter { $0.k == c.k && $0.variant == c.variant }.count)",
             f(c.mean), f(c.median), f(c.max)]
         })
    }

    func plot(_ rows: [Row], scale s: StudyScale) -> String? {
        let plots = rows.grouped(by: \.k).map { k, rs in
            var plot = SVGPlot(title: "k = \(k), p = \(rs[0].p)", xLabel: "trial, sorted by test AUC", yLabel: "test AUC")
            for (v, c) in rs.grouped(by: \.variant) {
                plot.addLine(name: v == .hidden ? "pruned (CPNA hidden)" : v == .random ? "retrained, fresh init" : "retrained, original init",
                             x: c.map { Double($0.rank) }, y: c.map(\.testAUC))
            }
            plot.legend = .bottomLeft
            return plot
        }
        return SVGPanels(plots, title: "Fig. 7: test AUC of \(CPNATable1.inits(s)) trials per curve, sorted").render()
    }

    /// Two claims per setting: each retraining's mean test AUC is below the pruned network's
    /// (two cases); retraining from the original weights has a mean at least that from a fresh start.
    static func judge(_ rows: [Row]) -> Judgement {
        let bySetting = curves(rows).grouped(by: \.k).compactMap { k, c -> (k: Int, pruned: Curve, fresh: Curve, original: Curve)? in
            guard let a = c.first(where: { $0.variant == .hidden }), let b = c.first(where: { $0.variant == .random }),
                  let d = c.first(where: { $0.variant == .initial }) else { return nil }
            return (k, a, b, d)
        }
        let below = bySetting.map { ($0.fresh.mean < $0.pruned.mean ? 1 : 0) + ($0.original.mean < $0.pruned.mean ? 1 : 0) }.reduce(0, +)
        return VerdictRule.judge([
            Claim("retrained below the pruned network (mean)", held: below, of: 2 * bySetting.count),
            Claim("original init ≥ fresh init (mean)", held: bySetting.filter { $0.original.mean >= $0.fresh.mean }.count,
                  of: bySetting.count),
        ], detail: bySetting.map { "\($0.k)-D: pruned \(f($0.pruned.mean)), fresh \(f($0.fresh.mean)), original \(f($0.original.mean))" }
            .joined(separator: "; "))
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { CPNAFig7.judge(rows) }
    func settings(_ s: StudyScale) -> String { CPNATable1().settings(s) }
}
