// CPNA's node form. The cpna paper ends §3.1 with "a similar algorithm can be obtained to
// directly remove NN hidden nodes instead of connections. We will call this algorithm also
// CPNA", and runs no experiment with it. Here on Table 1's 3-D row, beside the dense network
// and the connection form pruning the hidden→output connections to as many as the node form
// keeps nodes: the node form with e of Eq. 2 counted in epochs, and in Adam steps (Alg. 1's
// iterations, the connection form's default).
//
// With one output every hidden node has one outgoing connection, so the node form and
// CPNA(hidden) rank the same weights on the same schedule: they differ only in their starts
// (a point's key seeds it). The study checks that the node form does what the connection
// form does, on either clock.

struct CPNANodes: Study {
    let about = StudyAbout(.cpna, "nodes", "CPNA's node form, per epoch and per iteration, vs CPNA(hidden) and the NN (3-D XOR)",
                           title: "CPNA's node form: hidden nodes removed instead of connections",
                           claim: "\"Observe that a similar algorithm can be obtained to directly remove NN hidden nodes instead "
                           + "of connections. We will call this algorithm also CPNA\" (§3.1; no experiment in the paper).")

    /// Table 1's 3-D row; the node form keeps as many nodes as CPNA(hidden) keeps connections.
    static func setting(_ s: StudyScale) -> (k: Int, p: Int, n: Int, H: Int) { s == .quick ? (3, 20, 1000, 128) : (3, 60, 3000, 1024) }
    static let kept = 12
    static func inits(_ s: StudyScale) -> Int { s == .quick ? 2 : 20 }
    /// Two means closer than this count as the same result (about twice the standard error of
    /// a difference of two means of 20 runs at Table 1's spread).
    static let tolerance = 0.02

    enum Variant: String, CaseIterable {
        case nn = "NN", connections = "CPNA(hidden), per iteration", nodesEpoch = "CPNA nodes, per epoch",
             nodesIteration = "CPNA nodes, per iteration"

        var method: Method {
            switch self {
            case .nn: return .plain
            case .connections: return .cpna(CPNATraining.cpna(.output, hidden: CPNANodes.kept))
            case .nodesEpoch: return .cpnaNodes(keepNodes: CPNANodes.kept, clock: .epoch)
            case .nodesIteration: return .cpnaNodes(keepNodes: CPNANodes.kept, clock: .iteration)
            }
        }

        init?(_ m: Method) {
            guard let v = Variant.allCases.first(where: { $0.method == m }) else { return nil }
            self = v
        }
    }

    func grid(_ s: StudyScale) -> [TrainingPoint] {
        let t = CPNATraining(s), x = CPNANodes.setting(s)
        return Variant.allCases.flatMap { v in (0..<CPNANodes.inits(s)).map {
            t.pruningPoint(k: x.k, p: x.p, n: x.n, hidden: x.H, method: v.method, initialization: $0)
        } }
    }

    struct Row {
        var variant: Variant
        var runs: Int
        var best: Double, mean: Double, sd: Double
        /// Mean hidden nodes left at the end.
        var nodes: Double
    }

    func rows(_ results: [StudyResult], scale: StudyScale) -> [Row] {
        results.grouped { $0.point.method.keyPart(hidden: $0.point.hidden) }.compactMap { _, g in
            guard let v = Variant(g[0].point.method) else { return nil }
            let auc = g.map(\.testAUC)
            return Row(variant: v, runs: g.count, best: auc.max() ?? .nan, mean: mean(auc), sd: standardDeviation(auc),
                       nodes: mean(g.map { Double($0.nodes.first ?? 0) }))
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [Column("method") { $0.variant.rawValue }, .int("runs") { $0.runs }, .number("best_test_auc") { $0.best },
         .number("mean_test_auc") { $0.mean }, .number("sd_test_auc") { $0.sd }, .number("mean_nodes", decimals: 1) { $0.nodes }]
    }

    /// Per clock: the node form above the NN, and within `tolerance` of CPNA(hidden); on the
    /// mean test AUC over the initialisations.
    static func judge(_ rows: [Row]) -> Judgement {
        let by = Dictionary(rows.map { ($0.variant, $0) }) { a, _ in a }
        let forms = [Variant.nodesEpoch, .nodesIteration].compactMap { by[$0] }
        let nn = by[.nn], connections = by[.connections]
        let above = nn.map { nn in forms.filter { $0.mean > nn.mean }.count } ?? 0
        let close = connections.map { c in forms.filter { abs($0.mean - c.mean) <= tolerance }.count } ?? 0
        return VerdictRule.judge([
            Claim("the node form above the NN", held: above, of: nn == nil ? 0 : forms.count, share: 1),
            Claim("the node form within \(tolerance) of CPNA(hidden)", held: close, of: connections == nil ? 0 : forms.count,
                  share: 1),
        ], detail: "Mean test AUC: " + Variant.allCases.compactMap { v in by[v].map { "\(v.rawValue) \(f($0.mean)) ± \(f($0.sd))" } }
            .joined(separator: ", "))
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { CPNANodes.judge(rows) }

    func settings(_ s: StudyScale) -> String {
        let x = CPNANodes.setting(s)
        return CPNATraining(s).sentence + " \(x.k)-D XOR, p = \(x.p), n = \(x.n), H = \(x.H), \(CPNANodes.inits(s)) "
            + "initialisations per method. The node form (settings the paper leaves out): after the same pre-training, "
            + "normalise (Eq. 3) and keep the M_e hidden nodes with the largest outgoing weights, M_e annealing from H to "
            + "\(CPNANodes.kept) over the rest of the run with the same μ; per iteration, a dropped node loses its outgoing "
            + "weight at once and leaves the matrices at the end of the epoch. CPNA(hidden) keeps \(CPNANodes.kept) "
            + "hidden→output connections on the same schedule."
    }
}
