// cpna Figure 6 (§3.1): does CPNA's normalisation matter? 5-D XOR, p = 15, n = 3000: a dense
// network of H hidden nodes (NN) against CPA and CPNA started from the same width with only
// the hidden→output connections pruned, down to 64; 100 initialisations each; the mean and
// mean ± sd of the test AUC against H.

struct CPNAFig6: Study {
    let about = StudyAbout(.cpna, "fig6", "NN vs CPA vs CPNA against the starting width H (5-D XOR, p = 15)",
                           title: "test AUC of NN, CPA and CPNA vs the starting width H",
                           claim: "\"We see both CPA and CPNA help improve the generalization capability of NNs, but the CPNA not "
                           + "only achieves the highest test AUC, but also is more consistent (the variance is smaller) than CPA\".")

    static let (k, p, target) = (5, 15, 64)
    static func n(_ s: StudyScale) -> Int { s == .paper ? 3000 : 1000 }
    static func widths(_ s: StudyScale) -> [Int] { s == .paper ? [128, 256, 512, 1024, 2048] : [128, 256] }
    static func inits(_ s: StudyScale) -> Int { s == .paper ? 100 : 4 }
    static let methods: [Method] = [
        .plain,
        .cpna(CPNATraining.cpna(.output, hidden: target, normalize: false)),
        .cpna(CPNATraining.cpna(.output, hidden: target)),
    ]

    func grid(_ s: StudyScale) -> [TrainingPoint] {
        let t = CPNATraining(s)
        return CPNAFig6.widths(s).flatMap { H in CPNAFig6.methods.flatMap { m in
            (0..<CPNAFig6.inits(s)).map { t.pruningPoint(k: CPNAFig6.k, p: CPNAFig6.p, n: CPNAFig6.n(s), hidden: H, method: m,
                                                         initialization: $0) } } }
    }

    struct Row {
        var method: String, H: Int
        var runs: Int
        var mean: Double, sd: Double
    }

    func rows(_ results: [StudyResult], scale: StudyScale) -> [Row] {
        results.grouped { "\($0.point.method.name) \($0.point.hidden)" }.map { _, g in
            Row(method: g[0].point.method.name, H: g[0].point.hidden, runs: g.count, mean: mean(g.map(\.testAUC)),
                sd: standardDeviation(g.map(\.testAUC)))
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [Column("method") { $0.method }, .int("H") { $0.H }, .int("runs") { $0.runs },
         .number("mean_test_auc") { $0.mean }, .number("sd_test_auc") { $0.sd }]
    }

    /// The paper's names: NN for the dense network.
    static func label(_ method: String) -> String { method == "plain" ? "NN" : method.uppercased() }

    func reportColumns(_ s: StudyScale) -> [Column<Row>] {
        [Column("method") { CPNAFig6.label($0.method) }, .int("H") { $0.H }, .int("runs") { $0.runs },
         Column("test AUC, mean ± sd") { "\(f($0.mean)) ± \(f($0.sd))" }]
    }

    func plot(_ rows: [Row], scale s: StudyScale) -> String? {
        var plot = SVGPlot(title: "Fig. 6: 5-D XOR, p = 15, n = \(CPNAFig6.n(s)), \(CPNAFig6.inits(s)) initialisations",
                           xLabel: "starting hidden nodes H", yLabel: "test AUC (mean ± sd)", xLog: true)
        for (method, c) in rows.grouped(by: \.method) {
            let x = c.map { Double($0.H) }
            plot.addBand(x: x, lower: c.map { $0.mean - $0.sd }, upper: c.map { $0.mean + $0.sd })
            plot.addLine(name: CPNAFig6.label(method), x: x, y: c.map(\.mean), markers: true)
        }
        plot.legend = .bottomRight
        return plot.render()
    }

    /// Per H, three claims: CPA and CPNA above the NN (two cases per H); CPNA's mean at least
    /// CPA's; CPNA's sd below CPA's.
    static func judge(_ rows: [Row]) -> Judgement {
        let byH = rows.grouped(by: \.H).compactMap { H, c -> (H: Int, nn: Row, cpa: Row, cpna: Row)? in
            guard let nn = c.first(where: { $0.method == "plain" }), let cpa = c.first(where: { $0.method == "cpa" }),
                  let cpna = c.first(where: { $0.method == "cpna" }) else { return nil }
            return (H, nn, cpa, cpna)
        }
        let beat = byH.map { ($0.cpa.mean > $0.nn.mean ? 1 : 0) + ($0.cpna.mean > $0.nn.mean ? 1 : 0) }.reduce(0, +)
        return VerdictRule.judge([
            Claim("CPA and CPNA above the NN", held: beat, of: 2 * byH.count),
            Claim("CPNA's mean ≥ CPA's", held: byH.filter { $0.cpna.mean >= $0.cpa.mean }.count, of: byH.count),
            Claim("CPNA's sd < CPA's", held: byH.filter { $0.cpna.sd < $0.cpa.sd }.count, of: byH.count),
        ], detail: byH.map { "H = \($0.H): NN \(f($0.nn.mean))±\(f($0.nn.sd)), CPA \(f($0.cpa.mean))±\(f($0.cpa.sd)), "
                            + "CPNA \(f($0.cpna.mean))±\(f($0.cpna.sd))" }.joined(separator: "; "))
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { CPNAFig6.judge(rows) }

    func settings(_ s: StudyScale) -> String {
        CPNATraining(s).sentence + " Only hidden→output connections pruned, to \(CPNAFig6.target); the NN trains the dense "
            + "H-node network with the same recipe. The paper does not list its H; ours are \(CPNAFig6.widths(s)), n = \(CPNAFig6.n(s))."
    }
}
