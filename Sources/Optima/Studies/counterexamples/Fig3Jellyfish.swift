// counterexamples Figure 3 (§3.1.2): what a failed Jellyfish run learned. The paper shows the
// learned function of a good and a failed 2-h-1 ReLU net and says the failed one is almost
// linear near the data. We train the Jellyfish ReLU cell of Table 1 at h = 4 (the width the
// paper quotes) from the same starts as table1, and measure how linear each learned logit is
// on the data's square [0, 1]²: the R² of the best affine fit to it on a grid there
// (1: exactly affine), and how many linear pieces of the net the 4 points fall in (distinct
// ReLU on/off patterns). The heat maps are the first converged and the first failed run.
// Each run is a computation that trains it and keeps its network (a job of the runner,
// resumable and shardable like a grid); the rows and the heat maps measure what it learned.
import Foundation

struct CounterexamplesFig3: Study {
    let about = StudyAbout(.counterexamples, "fig3", "what failed Jellyfish runs learned: linearity near the data, heat maps",
                           title: "Fig. 3: the learned function of a converged and a failed Jellyfish run",
                           claim: "\"One particular observation (see Figure 3) is that in contrast with good solutions, when the model fails "
                           + "on this dataset, its behaviour close to the datapoints is almost linear.\"")

    /// Named settings the paper leaves out: Table 1's Jellyfish ReLU GD cell at h = 4.
    static let hidden = 4
    static func inits(_ s: StudyScale) -> Int { s == .paper ? 200 : 24 }
    /// Almost linear: an affine function explains at least this share of the logit's variance
    /// on the data's square.
    static let almostLinear = 0.95
    /// The grid the fit is measured on: `fitGrid`² points evenly over [0, 1]².
    static let fitGrid = 21
    /// A logit whose standard deviation on the grid is below this is flat (R² = 1): a dead net's
    /// output varies by float noise, and the R² of noise says nothing about linearity.
    static let flat = 0.01

    func grid(_ s: StudyScale) -> [TrainingPoint] { [] }

    struct Row {
        var initialization: Int
        var converged: Bool
        var loss: Double
        /// R² of the best affine fit to the logit on the data's square.
        var linearity: Double
        /// Distinct ReLU on/off patterns at the 4 points (linear pieces they fall in).
        var pieces: Int
        /// What the run learned, for the heat maps.
        var network: Network? = nil
    }

    /// Run `i` as a single point of table1's cell (the seed of table1's start `i`; the variant
    /// names the cell's recipe in the key).
    static func point(_ i: Int, _ s: StudyScale) -> TrainingPoint {
        var p = TrainingPoint(data: .named("jellyfish", splitSeed: 0), hidden: hidden, initialization: i,
                              epochs: CounterexamplesTable1.steps(s), recipe: CounterexamplesTable1.recipe(.relu, .gd, s))
        p.variant = "\(OptimizerKind.gd.rawValue),\(CounterexamplesTable1.name(.relu))"
        return p
    }

    /// One job per run: train it, keep its network.
    func computations(_ s: StudyScale) -> [StudyComputation] {
        (0..<CounterexamplesFig3.inits(s)).map { CounterexamplesFig3.point($0, s).learnedNetwork }
    }

    /// R² of the least-squares plane a + b·x1 + c·x2 through the logit on an n × n grid over
    /// [0, 1]² (1 when the logit is flat there).
    static func linearity(_ net: Network, grid n: Int = fitGrid) -> Double {
        var x1 = [Double](), x2 = [Double]()
        for k in 0..<(n * n) {
            x1.append(Double(k % n) / Double(n - 1))
            x2.append(Double(k / n) / Double(n - 1))
        }
        let input: [Float] = (0..<(n * n)).flatMap { [Float(x1[$0]), Float(x2[$0])] }
        let z: [Double] = net.predict(input, rows: n * n).map { Double($0) }
        // On a symmetric grid the centred x1, x2 and the constant are orthogonal, so each
        // slope is its own one-variable regression.
        let count = Double(z.count), mz: Double = z.reduce(0, +) / count
        var sxx = 0.0, sxz = 0.0, syz = 0.0, total = 0.0
        for k in 0..<z.count {
            let (a, b, c) = (x1[k] - 0.5, x2[k] - 0.5, z[k] - mz)
            sxx += a * a
            sxz += a * c
            syz += b * c
            total += c * c
        }
        // A logit that hardly moves on the square (sd below `flat`) is a constant: affine.
        guard total > flat * flat * count else { return 1 }
        var residual = 0.0
        for k in 0..<z.count {
            let r: Double = z[k] - mz - sxz / sxx * (x1[k] - 0.5) - syz / sxx * (x2[k] - 0.5)
            residual += r * r
        }
        return 1 - residual / total
    }

    /// Distinct on/off patterns of the hidden ReLUs over the data's points.
    static func pieces(_ net: Network, _ d: Dataset) -> Int {
        let h = net.shape.layers[0].output, k = d.featureCount
        return Set((0..<d.count).map { r in
            (0..<h).map { j in
                (0..<k).reduce(net.bias(0)[j]) { $0 + net.weight(layer: 0, from: $1, to: j) * d.features[r * k + $1] } > 0
            }
        }).count
    }

    func rows(_ results: [StudyResult], computed: ComputedRecords, scale: StudyScale) throws -> [Row] {
        let d = try DataSpec.named("jellyfish", splitSeed: 0).load().train
        return try (0..<CounterexamplesFig3.inits(scale)).map { i in
            let point = CounterexamplesFig3.point(i, scale)
            let net = try LearnedNetwork.network(computed.record(point.learnedNetworkKey), of: point, on: d)
            let e = Evaluation(network: net, data: d)
            return Row(initialization: i, converged: e.accuracy == 1, loss: e.loss, linearity: CounterexamplesFig3.linearity(net),
                       pieces: CounterexamplesFig3.pieces(net, d), network: net)
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [.int("init") { $0.initialization }, Column("converged") { $0.converged ? "yes" : "no" },
         .number("train_loss", decimals: 4) { $0.loss }, .number("affine_r2", decimals: 4) { $0.linearity },
         .int("linear_pieces_at_points") { $0.pieces }]
    }

    /// Per outcome: how many runs, the median R², the share almost linear, the median pieces.
    static func summary(_ rows: [Row]) -> [(converged: Bool, runs: Int, medianR2: Double, almostLinear: Double, medianPieces: Double)] {
        [true, false].map { c in
            let g = rows.filter { $0.converged == c }
            return (c, g.count, median(g.map(\.linearity)), Double(g.filter { $0.linearity >= almostLinear }.count) / Double(max(1, g.count)),
                    median(g.map { Double($0.pieces) }))
        }
    }

    func reportTable(_ rows: [Row], scale: StudyScale) -> (header: [String], rows: [[String]]) {
        (["runs", "count", "median R² of the affine fit on [0, 1]²", "share with R² ≥ \(CounterexamplesFig3.almostLinear)",
          "median linear pieces at the 4 points"],
         CounterexamplesFig3.summary(rows).map { s in
            [s.converged ? "converged" : "failed", String(s.runs), MarkdownReport.number(s.medianR2, decimals: 4),
             MarkdownReport.number(s.almostLinear, decimals: 3), MarkdownReport.number(s.medianPieces, decimals: 1)]
         })
    }

    func plot(_ rows: [Row], scale: StudyScale) throws -> String? {
        let d = try DataSpec.named("jellyfish", splitSeed: 0).load().train
        let shown = [rows.first { $0.converged }, rows.first { !$0.converged }].compactMap { $0 }
        let axis = (0...40).map { -0.25 + 1.5 * Double($0) / 40 }
        let panels = shown.compactMap { row -> SVGPlot? in
            guard let net = row.network else { return nil }
            let logits = net.predict(axis.flatMap { y in axis.flatMap { x in [Float(x), Float(y)] } }, rows: axis.count * axis.count)
            var p = SVGPlot(title: "\(row.converged ? "converged" : "failed") (init \(row.initialization)): R² = "
                            + MarkdownReport.number(row.linearity, decimals: 3), xLabel: "x1", yLabel: "x2", width: 400, height: 400)
            p.addHeatmap(xs: axis, ys: axis, values: logits.map { 1 / (1 + exp(-Double($0))) }, range: 0...1)
            for (label, name, color) in [(Float(1), "positive", "#b40426"), (Float(0), "negative", "#3b4cc0")] {
                let idx = (0..<d.count).filter { d.targets[$0] == label }
                p.addPoints(name: name, x: idx.map { Double(d.features[2 * $0]) }, y: idx.map { Double(d.features[2 * $0 + 1]) },
                            marker: label == 1 ? .triangle : .square, color: color)
            }
            p.legend = .outsideRight
            return p
        }
        return SVGPanels(panels, title: "Fig. 3: P(positive) of 2-\(CounterexamplesFig3.hidden)-1 ReLU nets on Jellyfish (blue 0, white 0.5, red 1)").render()
    }

    /// Failed runs are almost linear near the data (R² ≥ `almostLinear` in 3/4 of them), and
    /// more linear there than converged runs (median R² higher).
    static func judge(_ rows: [Row]) -> Judgement {
        let failed = rows.filter { !$0.converged }, s = summary(rows)
        let (good, bad) = (s[0], s[1])
        func f(_ x: Double) -> String { MarkdownReport.number(x, decimals: 3) }
        return VerdictRule.judge([
            Claim("failed runs almost linear (R² ≥ \(almostLinear))", held: failed.filter { $0.linearity >= almostLinear }.count, of: failed.count),
            Claim("failed runs more linear than converged ones", held: good.runs > 0 && bad.medianR2 > good.medianR2 ? 1 : 0,
                  of: good.runs > 0 && bad.runs > 0 ? 1 : 0, share: 1),
        ], detail: "\(bad.runs) of \(rows.count) runs failed; median R²: failed \(f(bad.medianR2)), converged \(f(good.medianR2)); "
            + "median linear pieces at the 4 points: failed \(MarkdownReport.number(bad.medianPieces, decimals: 1)), converged "
            + MarkdownReport.number(good.medianPieces, decimals: 1))
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { CounterexamplesFig3.judge(rows) }

    func settings(_ s: StudyScale) -> String {
        let t = CounterexamplesFig3.self
        return "Table 1's Jellyfish ReLU GD cell at h = \(t.hidden): the first \(t.inits(s)) of its starts, trained as there "
            + "(\(CounterexamplesTable1.steps(s)) full-batch steps, learning rate \(String(format: "%g", Double(CounterexamplesTable1.gdRate)))). "
            + "Linearity: R² of the least-squares plane through the logit on a \(t.fitGrid) × \(t.fitGrid) grid over [0, 1]², the "
            + "square the 4 points span (a logit with standard deviation below \(t.flat) there counts as flat, R² = 1); almost linear: R² ≥ \(t.almostLinear). Linear pieces: distinct on/off patterns of the hidden "
            + "ReLUs at the 4 points. The heat maps show the first converged and the first failed start."
    }
}
