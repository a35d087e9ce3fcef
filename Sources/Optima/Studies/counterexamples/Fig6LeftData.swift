// counterexamples Figure 6 (left): the set Proposition 4 constructs, N − 1 points with every
// coordinate negative close to the origin and one far point with every coordinate positive,
// standardised. We draw the built-in `blindspot` set and check the properties the
// proposition asks of it: whitened, full-rank covariance, linearly separable, and the signs.
// No training.

struct CounterexamplesFig6Left: Study {
    let about = StudyAbout(.counterexamples, "fig6-left", "the blind-spot data set of Prop. 4 and its properties",
                           title: "Fig. 6 (left): the blind-spot data set of Proposition 4",
                           claim: "\"Let us now consider a dataset where N − 1 points have all features negative, and a single point … which has "
                           + "all the features positive … their coordinate-wise mean will be 0 and standard deviation 1 … Our dataset is therefore "
                           + "normalized (whitened) and can have a full rank covariance matrix\"; it can be \"linearly separable\".")

    func grid(_ s: StudyScale) -> [TrainingPoint] { [] }

    struct Row {
        var x1: Double
        var x2: Double
        var label: Int
    }

    func rows(_ results: [StudyResult], scale: StudyScale) throws -> [Row] {
        let d = try CounterexamplesData.blindSpot()
        return (0..<d.count).map { Row(x1: Double(d.features[2 * $0]), x2: Double(d.features[2 * $0 + 1]), label: Int(d.targets[$0])) }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [.number("x1", decimals: 4) { $0.x1 }, .number("x2", decimals: 4) { $0.x2 }, .int("label") { $0.label }]
    }

    /// The report lists the checks, not the 50 points (they are in the CSV).
    func reportTable(_ rows: [Row], scale: StudyScale) -> (header: [String], rows: [[String]]) {
        let p = CounterexamplesFig6Left.properties(rows)
        func f(_ x: Double) -> String { String(format: "%.2e", x) }
        return (["property", "ours"], [
            ["points (label 1)", "\(rows.count) (\(rows.filter { $0.label == 1 }.count))"],
            ["largest |mean| of a coordinate", f(p.largestMean)], ["largest |sd − 1| of a coordinate", f(p.largestSDError)],
            ["covariance determinant", f(p.determinant)],
            ["points with every coordinate negative / positive", "\(p.negative) / \(p.positive)"],
            ["separated by a threshold on x1", p.separable ? "yes" : "no"],
        ])
    }

    /// Means, standard deviations (population), covariance determinant, sign pattern, and
    /// whether a threshold on x1 separates the labels.
    static func properties(_ rows: [Row]) -> (largestMean: Double, largestSDError: Double, determinant: Double, negative: Int, positive: Int, separable: Bool) {
        let n = Double(rows.count)
        let m1 = rows.reduce(0) { $0 + $1.x1 } / n, m2 = rows.reduce(0) { $0 + $1.x2 } / n
        let c11 = rows.reduce(0) { $0 + ($1.x1 - m1) * ($1.x1 - m1) } / n, c22 = rows.reduce(0) { $0 + ($1.x2 - m2) * ($1.x2 - m2) } / n
        let c12 = rows.reduce(0) { $0 + ($1.x1 - m1) * ($1.x2 - m2) } / n
        let sorted = rows.sorted { $0.x1 < $1.x1 }
        // Separable by x1: the labels, read in order of x1, are some 0s and then only 1s.
        let separable = zip(sorted, sorted.dropFirst()).allSatisfy { !($0.label == 1 && $1.label == 0) } && Set(sorted.map(\.x1)).count == sorted.count
        return (max(abs(m1), abs(m2)), max(abs(c11.squareRoot() - 1), abs(c22.squareRoot() - 1)), c11 * c22 - c12 * c12,
                rows.filter { $0.x1 < 0 && $0.x2 < 0 }.count, rows.filter { $0.x1 > 0 && $0.x2 > 0 }.count, separable)
    }

    func plot(_ rows: [Row], scale: StudyScale) -> String? {
        var p = SVGPlot(title: "Blind-spot set (standardised)", xLabel: "x1", yLabel: "x2")
        for label in [0, 1] {
            let g = rows.filter { $0.label == label }
            p.addPoints(name: "label \(label)", x: g.map(\.x1), y: g.map(\.x2), marker: label == 1 ? .circle : .square,
                        color: label == 1 ? "#d62728" : "#1f77b4")
        }
        p.legend = .topLeft
        var zoom = SVGPlot(title: "The N − 1 near points, enlarged", xLabel: "x1", yLabel: "x2")
        for label in [0, 1] {
            let g = rows.filter { $0.label == label && $0.x1 < 0 }
            zoom.addPoints(name: "label \(label)", x: g.map(\.x1), y: g.map(\.x2), marker: label == 1 ? .circle : .square,
                           color: label == 1 ? "#d62728" : "#1f77b4")
        }
        zoom.legend = .none
        return SVGPanels([p, zoom], title: "Fig. 6 (left): the data set of Prop. 4; colour is the label").render()
    }

    /// Whitened (means within 1e-5 of 0, standard deviations within 1e-4 of 1, float data),
    /// full-rank covariance (determinant above 1e-6: the far point pulls both coordinates
    /// together, so it is small, but float rounding of entries near 1 moves it by ~1e-7 only),
    /// N − 1 all-negative points and one all-positive point, and linearly separable.
    static func judge(_ rows: [Row]) -> Judgement {
        let p = properties(rows)
        let checks = [p.largestMean <= 1e-5 && p.largestSDError <= 1e-4, p.determinant > 1e-6,
                      p.negative == rows.count - 1 && p.positive == 1, p.separable]
        return VerdictRule.judge([Claim("whitened, full rank, signs, separable", held: checks.filter { $0 }.count, of: checks.count, share: 1)],
                                 detail: String(format: "means ≤ %.1e, |sd − 1| ≤ %.1e, covariance determinant %.2e, %d negative and %d positive points",
                                                p.largestMean, p.largestSDError, p.determinant, p.negative, p.positive))
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { CounterexamplesFig6Left.judge(rows) }

    func settings(_ s: StudyScale) -> String {
        "The built-in blindspot set: 49 near points uniform in [−1, −0.1]² and one far point at (500, 500) (10N), each coordinate then "
            + "standardised; near points labelled 1 in the upper half of x1, the far point 1 (the proof lets their labels be anything)."
    }
}
