// counterexamples Figure 4: D1, D2, D3 with the two fits of Propositions 1-3, the worse
// local minimum (red) and the better one (blue); Proposition 2's with w₂ = +1, since as
// printed neither of its points fits (prop1-3 shows why). Both fits are certified as local
// minima here too, so the figure's caption is checked, not only drawn. No training: the
// certificates' short descents only probe the stated points.

struct CounterexamplesFig4: Study {
    let about = StudyAbout(.counterexamples, "fig4", "D1-D3 with the worse and the better local minimum of Props. 1-3",
                           title: "Fig. 4: local minima for ReLU regression on D1, D2, D3",
                           claim: "\"Local minima for ReLU-based regression. Both lines represent local optima, where the blue one is "
                           + "better than the red one.\" (1, 2 and 3 hidden units on D1, D2, D3.)")

    func grid(_ s: StudyScale) -> [TrainingPoint] { [] }

    /// One data point with both fits' outputs there, and whether each fit is a certified minimum.
    struct Row {
        var data: String
        var x: Double
        var y: Double
        var worse: Double
        var better: Double
        var worseIsMinimum: Bool
        var betterIsMinimum: Bool
    }

    static let sets = ["d1", "d2", "d3"]

    static func fits(_ data: String) -> (worse: ExactNetwork, better: ExactNetwork) {
        let g = StatedMinima.points.filter { $0.data == data }
        return (g.first { $0.role == .worse }!.corrected, g.first { $0.role == .better }!.corrected)
    }

    func rows(_ results: [StudyResult], scale: StudyScale) -> [Row] {
        CounterexamplesFig4.sets.flatMap { name -> [Row] in
            let d = StatedMinima.data(name), (w, b) = CounterexamplesFig4.fits(name)
            let s = CertificateSettings.at(scale)
            let (wMin, bMin) = (MinimumCertificate.check(w, on: d, s).isLocalMinimum, MinimumCertificate.check(b, on: d, s).isLocalMinimum)
            return zip(d.x, d.y).map { Row(data: name, x: $0[0], y: $1, worse: w.output($0), better: b.output($0),
                                           worseIsMinimum: wMin, betterIsMinimum: bMin) }
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [Column("data") { $0.data }, .number("x") { $0.x }, .number("y") { $0.y },
         .number("worse_fit", decimals: 4) { $0.worse }, .number("better_fit", decimals: 4) { $0.better },
         Column("worse_local_minimum") { $0.worseIsMinimum ? "yes" : "no" },
         Column("better_local_minimum") { $0.betterIsMinimum ? "yes" : "no" }]
    }

    /// The report shows one line per set: both losses and both certificates.
    func reportTable(_ rows: [Row], scale: StudyScale) -> (header: [String], rows: [[String]]) {
        (["data", "hidden units", "red (worse) L", "blue (better) L", "red a local minimum", "blue a local minimum"],
         CounterexamplesFig4.losses(rows).map { s in
            [s.data, String(CounterexamplesFig4.fits(s.data).worse.sizes[1]), MarkdownReport.number(s.worse, decimals: 4),
             MarkdownReport.number(s.better, decimals: 4), s.worseIsMinimum ? "yes" : "no", s.betterIsMinimum ? "yes" : "no"]
         })
    }

    /// Per set: both fits' sums of squared errors and certificates.
    static func losses(_ rows: [Row]) -> [(data: String, worse: Double, better: Double, worseIsMinimum: Bool, betterIsMinimum: Bool)] {
        rows.grouped(by: \.data).map { name, g in
            (name, g.reduce(0) { $0 + ($1.worse - $1.y) * ($1.worse - $1.y) }, g.reduce(0) { $0 + ($1.better - $1.y) * ($1.better - $1.y) },
             g.allSatisfy(\.worseIsMinimum), g.allSatisfy(\.betterIsMinimum))
        }
    }

    func plot(_ rows: [Row], scale: StudyScale) -> String? {
        let panels = rows.grouped(by: \.data).map { name, g -> SVGPlot in
            let (w, b) = CounterexamplesFig4.fits(name)
            let lo = (g.map(\.x).min() ?? 0) - 1.5, hi = (g.map(\.x).max() ?? 0) + 1.5
            let xs = (0...600).map { lo + (hi - lo) * Double($0) / 600 }
            var p = SVGPlot(title: "\(name.uppercased()) (\(w.sizes[1]) hidden unit\(w.sizes[1] > 1 ? "s" : ""))", xLabel: "x", yLabel: "y")
            p.addLine(name: "worse minimum", x: xs, y: xs.map { w.output([$0]) }, color: "#d62728")
            p.addLine(name: "better minimum", x: xs, y: xs.map { b.output([$0]) }, color: "#1f77b4")
            p.addPoints(name: "data", x: g.map(\.x), y: g.map(\.y), marker: .square, color: "#000000")
            return p
        }
        return SVGPanels(panels, title: "Fig. 4: red, the worse local minimum; blue, the better one (Prop. 2 with w₂ = +1)").render()
    }

    /// Per set: both lines are certified local minima, and blue's loss is below red's.
    static func judge(_ rows: [Row]) -> Judgement {
        let s = losses(rows)
        return VerdictRule.judge([
            Claim("both lines local optima", held: s.reduce(0) { $0 + ($1.worseIsMinimum ? 1 : 0) + ($1.betterIsMinimum ? 1 : 0) },
                  of: 2 * s.count, share: 1),
            Claim("blue better than red", held: s.filter { $0.better < $0.worse - 1e-9 }.count, of: s.count, share: 1),
        ], detail: s.map { "\($0.data.uppercased()): red L = \(MarkdownReport.number($0.worse, decimals: 4)), blue L = "
            + MarkdownReport.number($0.better, decimals: 4) }.joined(separator: "; ") + " (D2 with w₂ = +1 in both points)")
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { CounterexamplesFig4.judge(rows) }

    func settings(_ s: StudyScale) -> String { "The points of prop1-3 (Prop. 2 with w₂ = +1), certified as there: " + CertificateSettings.at(s).sentence + "." }
}
