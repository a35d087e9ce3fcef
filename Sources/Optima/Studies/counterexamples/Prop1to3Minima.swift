// counterexamples Propositions 1-3 (§3.1.3): the stated points of one-hidden-layer ReLU
// regression on D1, D2, D3 (sum of squared errors, Eq. 1), each certified numerically as
// printed and, for Proposition 2, with the sign of w₂ corrected. No training.

struct CounterexamplesProp1to3: Study {
    let about = StudyAbout(.counterexamples, "prop1-3", "regression minima of Props. 1-3 on D1-D3, certified numerically",
                           title: "Propositions 1-3: local minima of ReLU regression on D1, D2, D3",
                           claim: "Prop. 1: on D1, (w, b, v, c) = (1, −3, 1, 0) \"is a local minimum of L which is not a global minimum\" "
                           + "(L = 18; L(−7, −4, 1, 0) = 14). Prop. 2: on D2, w = (−5, −1), b = (1, −8), v = (1, −1), c = −1 \"is a global "
                           + "minimum (with perfect fit) and the local one … is obtained for w = (−3, −1), b = (4 + 1/3, −10), v = (1, −1), "
                           + "c = −3\". Prop. 3: on D3, w = (−1.5, −1.5, 1.5), b = (1, 0, −13 − 1/6), v = (1, 1, −1), c = −1 \"is a better "
                           + "local minimum … than the local minimum obtained for w = (−2, 1, 1), b = (3 + 2/3, −10, −11), v = (1, −1, −1), c = −3\".")

    func grid(_ s: StudyScale) -> [TrainingPoint] { [] }

    struct Row {
        var point: StatedPoint
        var printed: MinimumCertificate
        var corrected: MinimumCertificate
    }

    func rows(_ results: [StudyResult], scale: StudyScale) -> [Row] {
        let s = CertificateSettings.at(scale)
        return StatedMinima.points.map { p in
            let d = StatedMinima.data(p.data)
            let printed = MinimumCertificate.check(p.printed, on: d, s)
            return Row(point: p, printed: printed, corrected: p.isCorrected ? MinimumCertificate.check(p.corrected, on: d, s) : printed)
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [Column("proposition") { $0.point.proposition }, Column("data") { $0.point.data }, Column("role") { $0.point.role.rawValue },
         Column("printed") { StatedMinima.describe($0.point.printed) },
         Column("paper_loss") { $0.point.paperLoss.map(CSVTable.cell) ?? "" },
         .number("printed_loss") { $0.printed.loss }, .number("printed_gradient") { $0.printed.gradient },
         Column("printed_local_minimum") { $0.printed.isLocalMinimum ? "yes" : "no" },
         Column("used") { StatedMinima.describe($0.point.corrected) },
         .number("loss", decimals: 4) { $0.corrected.loss }, .number("gradient") { $0.corrected.gradient },
         .number("largest_perturbation_drop") { $0.corrected.largestDrop },
         .number("descent_drop") { $0.corrected.descentDrop }, .number("descent_drift") { $0.corrected.descentDrift },
         Column("local_minimum") { $0.corrected.isLocalMinimum ? "yes" : "no" }]
    }

    func reportColumns(_ s: StudyScale) -> [Column<Row>] {
        func e(_ x: Double) -> String { x == 0 ? "0" : String(format: "%.1e", x) }
        return [Column("point") { "\($0.point.proposition) \($0.point.data) \($0.point.role.rawValue)" },
                Column("paper's L") { $0.point.paperLoss.map(CSVTable.cell) ?? "–" },
                .number("L as printed", decimals: 4) { $0.printed.loss }, Column("max |∇L| as printed") { e($0.printed.gradient) },
                Column("minimum as printed") { $0.printed.isLocalMinimum ? "yes" : "no" },
                Column("point used") { $0.point.isCorrected ? StatedMinima.describe($0.point.corrected) : "as printed" },
                .number("L", decimals: 4) { $0.corrected.loss }, Column("max |∇L|") { e($0.corrected.gradient) },
                Column("largest drop") { e($0.corrected.largestDrop) }, Column("GD drop") { e($0.corrected.descentDrop) },
                Column("local minimum") { $0.corrected.isLocalMinimum ? "yes" : "no" }]
    }

    /// The sign search on Prop. 2's printed points: the flips that make the global point a
    /// perfect fit, and those that make the local point critical with a lower loss.
    static func prop2Search() -> (global: [[Int]], local: [[Int]]) {
        let d = StatedMinima.data("d2")
        let local = StatedMinima.d2Local.loss(d)
        return (StatedMinima.signSearch(StatedMinima.d2Global) { $0.loss(d) < 1e-12 },
                StatedMinima.signSearch(StatedMinima.d2Local) { n in
                    n.loss(d) < local && [0.0, 1.0].allSatisfy { (n.gradient(d, kinkSlope: $0).map(abs).max() ?? 0) < 1e-9 } })
    }

    /// Four claims: the stated points are local minima as printed, and with Prop. 2's w₂
    /// corrected; the better point's loss is lower in each proposition; the paper's stated
    /// losses (18, 14, a perfect fit 0) are ours as printed.
    static func judge(_ rows: [Row], search: (global: [[Int]], local: [[Int]])) -> Judgement {
        let names = StatedMinima.parameterNames(hidden: 2)
        func flips(_ f: [[Int]]) -> String { f.isEmpty ? "none" : f.prefix(3).map { "{" + $0.map { names[$0] }.joined(separator: ", ") + "}" }.joined(separator: ", ") }
        let props = rows.grouped(by: \.point.proposition)
        let lower = props.filter { _, g in
            let w = g.first { $0.point.role == .worse }, b = g.first { $0.point.role == .better }
            return w != nil && b != nil && b!.corrected.loss < w!.corrected.loss - 1e-9
        }.count
        let stated = rows.filter { $0.point.paperLoss != nil }
        let losses = stated.filter { abs($0.printed.loss - $0.point.paperLoss!) <= 1e-9 }.count
        func l(_ r: Row?) -> String { r.map { MarkdownReport.number($0.corrected.loss, decimals: 4) } ?? "–" }
        let detail = props.map { p, g in
            "\(p): L = \(l(g.first { $0.point.role == .worse })) (local) vs \(l(g.first { $0.point.role == .better })) (better)"
        }.joined(separator: "; ")
        let d2 = rows.filter { $0.point.data == "d2" }
        let printed = d2.map { "\($0.point.role == .better ? "global" : "local") point as printed has L = "
            + "\(MarkdownReport.number($0.printed.loss, decimals: 4)), max |∇L| = \(MarkdownReport.number($0.printed.gradient, decimals: 2))" }
        return VerdictRule.judge([
            Claim("stated points are local minima as printed", held: rows.filter(\.printed.isLocalMinimum).count, of: rows.count, share: 1),
            Claim("with Prop. 2's w₂ = +1", held: rows.filter(\.corrected.isLocalMinimum).count, of: rows.count, share: 1),
            Claim("the better point's loss is lower", held: lower, of: props.count, share: 1),
            Claim("the paper's stated losses, as printed", held: losses, of: stated.count, share: 1),
        ], detail: detail + ". Prop. 2: the " + printed.joined(separator: "; the ") + ". Flipping signs of the printed "
            + "parameters, the fewest flips giving a perfect fit are \(flips(search.global)) and the fewest making the local "
            + "point critical at a lower loss are \(flips(search.local)): w₂ = +1 in both, the unit that fits x ≥ 10.")
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { CounterexamplesProp1to3.judge(rows, search: CounterexamplesProp1to3.prop2Search()) }

    func settings(_ s: StudyScale) -> String {
        "Loss: the sum of squared errors (Eq. 1) in Double. A point is a local minimum when both one-sided gradients vanish, "
            + "no perturbation lowers the loss and no gradient-descent run ends lower (tolerance \(CertificateSettings.at(s).tolerance) "
            + "× max(1, L)); " + CertificateSettings.at(s).sentence + "."
    }
}
