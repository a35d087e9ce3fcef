// counterexamples Remark 1: the minimum (1, −3, 1, 0) of Prop. 1 is not strict. With the
// unit active on x ≥ 3 the loss depends on v·w, v·b and c only, so the curve
// (w, b, v, c) = (t, −3t, 1/t, 0), t > 0, keeps L at 18. We evaluate L along it, certify
// points on it as local minima, and set beside it a line across it (c moves), where L rises.
// No training: the certificates' short descents only probe the stated points.
import Foundation

struct CounterexamplesRemark1: Study {
    let about = StudyAbout(.counterexamples, "remark1", "Prop. 1's minimum lies on a curve of minima with L = 18",
                           title: "Remark 1: (1, −3, 1, 0) lies on a 1-D manifold where L ≡ 18",
                           claim: "\"The point (1, −3, 1, 0) is a minimum, but it is not a 'strict' minimum - it is not isolated, but lies "
                           + "on a 1-dimensional manifold at which L ≡ 18.\"")

    func grid(_ s: StudyScale) -> [TrainingPoint] { [] }

    /// The point of the curve at t: (t, −3t, 1/t, 0).
    static func onCurve(_ t: Double) -> ExactNetwork { ExactNetwork(w: [t], b: [-3 * t], v: [1 / t], c: 0) }
    static func ts(_ s: StudyScale) -> [Double] { s == .paper ? [0.25, 0.5, 0.75, 1, 1.5, 2, 4] : [0.5, 1, 2] }

    struct Row {
        var t: Double
        /// Distance from (1, −3, 1, 0).
        var distance: Double
        var certificate: MinimumCertificate
    }

    func rows(_ results: [StudyResult], scale: StudyScale) -> [Row] {
        let d = StatedMinima.data("d1"), origin = CounterexamplesRemark1.onCurve(1).parameters
        return CounterexamplesRemark1.ts(scale).map { t in
            let n = CounterexamplesRemark1.onCurve(t)
            return Row(t: t, distance: zip(n.parameters, origin).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot(),
                       certificate: MinimumCertificate.check(n, on: d, CertificateSettings.at(scale)))
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [.number("t") { $0.t }, Column("point") { StatedMinima.describe(CounterexamplesRemark1.onCurve($0.t)) },
         .number("distance_from_(1,-3,1,0)") { $0.distance }, .number("loss", decimals: 12) { $0.certificate.loss },
         .number("gradient") { $0.certificate.gradient }, .number("largest_perturbation_drop") { $0.certificate.largestDrop },
         .number("descent_drop") { $0.certificate.descentDrop }, Column("local_minimum") { $0.certificate.isLocalMinimum ? "yes" : "no" }]
    }

    func reportColumns(_ s: StudyScale) -> [Column<Row>] {
        func e(_ x: Double) -> String { x == 0 ? "0" : String(format: "%.1e", x) }
        return [.number("t", decimals: 2) { $0.t }, Column("point") { StatedMinima.describe(CounterexamplesRemark1.onCurve($0.t)) },
                .number("distance from (1, −3, 1, 0)", decimals: 3) { $0.distance }, Column("L − 18") { e($0.certificate.loss - 18) },
                Column("max \u{7C}∇L\u{7C}") { e($0.certificate.gradient) }, Column("largest drop") { e($0.certificate.largestDrop) },
                Column("GD drop") { e($0.certificate.descentDrop) }, Column("local minimum") { $0.certificate.isLocalMinimum ? "yes" : "no" }]
    }

    func plot(_ rows: [Row], scale: StudyScale) -> String? {
        let d = StatedMinima.data("d1"), ss = (0...200).map { -0.7 + 1.4 * Double($0) / 200 }
        var p = SVGPlot(title: "L along the curve (t, −3t, 1/t, 0) and across it (c moves)", xLabel: "log t (along) or c (across)", yLabel: "L")
        p.addLine(name: "along the curve", x: ss, y: ss.map { CounterexamplesRemark1.onCurve(Foundation.exp($0)).loss(d) }, color: "#1f77b4")
        p.addLine(name: "across: (1, −3, 1, c)", x: ss, y: ss.map { ExactNetwork(w: [1], b: [-3], v: [1], c: $0).loss(d) }, dashed: true, color: "#d62728")
        p.addPoints(name: "certified minima", x: rows.map { Foundation.log($0.t) }, y: rows.map(\.certificate.loss), color: "#1f77b4")
        p.legend = .topRight
        return SVGPanels([p], title: "Remark 1: a curve of minima with L = 18 on D1").render()
    }

    /// On every sampled point of the curve L is 18 (to 1e-9) and the point is a certified
    /// local minimum; the curve's points are apart, so the minimum is not isolated.
    static func judge(_ rows: [Row]) -> Judgement {
        let flat = rows.filter { abs($0.certificate.loss - 18) <= 1e-9 }.count
        let far = rows.map(\.distance).max() ?? 0
        return VerdictRule.judge([
            Claim("L = 18 on the curve", held: flat, of: rows.count, share: 1),
            Claim("local minimum at each point", held: rows.filter(\.certificate.isLocalMinimum).count, of: rows.count, share: 1),
        ], detail: "The sampled points lie up to \(MarkdownReport.number(far, decimals: 2)) apart from (1, −3, 1, 0) with "
            + "|L − 18| ≤ \(String(format: "%.1e", rows.map { abs($0.certificate.loss - 18) }.max() ?? .nan)); across the curve L = 18 + 5c²")
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { CounterexamplesRemark1.judge(rows) }

    func settings(_ s: StudyScale) -> String { "Certified as in prop1-3: " + CertificateSettings.at(s).sentence + "." }
}
