// counterexamples Theorem 1 (with Lemmas 1-2 and Corollary 1): a regression net whose first
// layer is dead on every point (W₁xᵢ < −b₁) has a constant output; training cannot revive
// the layer (its gradient is exactly zero), so it ends at the mean of y, a local minimum;
// with ≥ 3 first-layer units on a "decent" set a better point exists (Appendix B.3).
// On D3, for a 1-3-1 and a 1-3-3-1 net: the gradient at a dead start, gradient descent from
// it, the certificate of where it ends, the appendix's construction and training from live
// initialisations; and Lemma 1 checked numerically: the same live starts trained on D3 with
// every x replaced by the first end at the mean of y. The trainings of a net are one
// computation, a job of the runner; the
// rows certify the point it recorded and compute the rest, which trains nothing.
import Foundation

struct CounterexamplesTheorem1: Study {
    let about = StudyAbout(.counterexamples, "theorem1", "a dead first layer is a local minimum at the mean of y, not a global one",
                           title: "Theorem 1: a dead first layer gives a local minimum that is not global (D3)",
                           claim: "Lemma 1: \"If x₁ = … = x_N, then the solution to regression (2) has a constant output M ≡ "
                           + "(y₁ + … + y_N)/N\". Lemma 2: \"If W₁xᵢ < −b₁ for all i, the model has a constant output. Moreover, applying local "
                           + "optimization does not change the values of W₁, b₁.\" Corollary 1: \"after the training, the model will output "
                           + "(y₁ + … + y_N)/N\". Theorem 1: any such point \"i) is a local minimum of the error surface, ii) if the first "
                           + "layer contains at least 3 neurons and if the dataset is decent, then θ is not a global minimum.\"")

    /// Named settings the paper leaves out.
    static let data = "d3"
    static let nets: [[Int]] = [[1, 3, 1], [1, 3, 3, 1]]
    /// Gradient descent from the dead start (only the layers after the first can move).
    static let (deadLearningRate, deadSteps) = (0.01, 3000)
    /// Live initialisations: weights N(0, 1/fan-in), biases N(0, 0.1²), then gradient descent.
    static func liveInits(_ s: StudyScale) -> Int { s == .paper ? 20 : 4 }
    static func liveSteps(_ s: StudyScale) -> Int { s == .paper ? 20_000 : 4000 }
    static let liveLearningRate = 2e-4
    static let seed: UInt64 = 7

    func grid(_ s: StudyScale) -> [TrainingPoint] { [] }

    struct Row {
        var sizes: [Int]
        /// The dead start: its constant output, loss and gradients.
        var startOutput: Double
        var startLoss: Double
        var firstLayerGradient: Double
        var outputBiasGradient: Double
        var startIsMinimum: Bool
        /// After gradient descent from the dead start.
        var firstLayerMoved: Double
        var trainedOutput: Double
        var meanY: Double
        var trained: MinimumCertificate
        /// Appendix B.3's construction as printed, and with its constant moved into the last bias.
        var constructionLoss: Double
        var shiftedConstructionLoss: Double
        /// The lowest loss training from live initialisations reached.
        var liveLoss: Double
        /// Lemma 1: the outputs the live starts end with on D3 with every x the first.
        var lemma1Outputs: [Double]
        /// The largest distance of those outputs from the mean of y.
        var lemma1Gap: Double { lemma1Outputs.map { abs($0 - meanY) }.max() ?? .nan }
    }

    /// A random net whose first layer is dead on every point: each first-layer bias is set
    /// one below minus the largest pre-activation it gets.
    static func deadStart(_ sizes: [Int], on d: ExactData, seed: UInt64) -> ExactNetwork {
        var g = Xoshiro256(seed: seed, stream: 0xDEAD)
        var n = ExactNetwork(sizes: sizes, parameters: (0..<ExactNetwork.parameterCount(sizes)).map { _ in g.normal() })
        let (wo, bo) = n.offsets(0), (inputs, units) = (sizes[0], sizes[1])
        for j in 0..<units {
            let top: Double = d.x.map { x -> Double in
                (0..<inputs).reduce(0.0) { s, k in s + n.parameters[wo + j * inputs + k] * x[k] }
            }.max() ?? 0
            n.parameters[bo + j] = -top - 1
        }
        return n
    }

    /// Appendix B.3 on 1-D data: r is the point whose y is farthest from the mean, ν its y,
    /// μ the others' mean; units v, 2v, v with biases −γ+1, −2γ, −γ−1 combine into a bump of
    /// height ν − μ at x_r over μ. Deeper layers pass the first unit on with identity weights.
    /// As printed, the bump's value goes through a ReLU in a net with two hidden layers, so a
    /// negative μ or ν is cut to 0; `shifted` adds −min(μ, ν) there and puts it back in the
    /// last bias.
    static func construction(_ sizes: [Int], on d: ExactData, shifted: Bool) -> ExactNetwork {
        let ys = d.y, x = d.x.map { $0[0] }, mean = d.meanY
        let r = ys.indices.max { abs(ys[$0] - mean) < abs(ys[$1] - mean) }!
        let nu = ys[r], mu = (ys.reduce(0, +) - nu) / Double(ys.count - 1)
        let gap = x.indices.filter { $0 != r }.map { abs(x[$0] - x[r]) }.min()!
        let v = 3 / gap, gamma = v * x[r]
        let rest = [Double](repeating: 0, count: sizes[1] - 3)   // first-layer units past the three stay at 0
        var p = [v, 2 * v, v] + rest + [-gamma + 1, -2 * gamma, -gamma - 1] + rest
        let bump = [nu - mu, mu - nu, nu - mu] + rest
        if sizes.count == 3 { return ExactNetwork(sizes: sizes, parameters: p + bump + [mu]) }
        let h = sizes[2], shift = shifted ? -min(mu, nu, 0) : 0
        p += bump + [Double](repeating: 0, count: (h - 1) * sizes[1]) + [mu + shift] + [Double](repeating: 0, count: h - 1)
        for l in 2..<(sizes.count - 1) {   // identity onwards; the output reads the first unit
            let (n, m) = (sizes[l], sizes[l + 1])
            p += (0..<(m * n)).map { $0 / n == $0 % n ? 1 : 0 } + [Double](repeating: 0, count: m)
        }
        p[p.count - 1] = -shift
        return ExactNetwork(sizes: sizes, parameters: p)
    }

    /// Live initialisation i: weights N(0, 1/fan-in), biases N(0, 0.1²).
    static func liveStart(_ sizes: [Int], _ i: Int) -> ExactNetwork {
        var g = Xoshiro256(seed: seed &+ UInt64(i), stream: 0x11FE)
        var p: [Double] = []
        for l in 0..<(sizes.count - 1) {
            p += (0..<(sizes[l] * sizes[l + 1])).map { _ in g.normal() / Double(sizes[l]).squareRoot() }
            p += (0..<sizes[l + 1]).map { _ in 0.1 * g.normal() }
        }
        return ExactNetwork(sizes: sizes, parameters: p)
    }

    /// The best of several live initialisations after gradient descent.
    static func live(_ sizes: [Int], on d: ExactData, _ s: StudyScale) -> Double {
        (0..<liveInits(s)).map { i -> Double in
            let trained = liveStart(sizes, i).descended(on: d, learningRate: liveLearningRate, steps: liveSteps(s)).loss(d)
            return trained.isFinite ? trained : .infinity
        }.min() ?? .nan
    }

    /// Lemma 1's data: D3 with every x replaced by the first, the same y.
    static func constantInput(_ d: ExactData) -> ExactData { ExactData(x: d.x.map { _ in d.x[0] }, y: d.y) }

    /// The output each live start ends with after gradient descent on Lemma 1's data.
    static func lemma1(_ sizes: [Int], on d: ExactData, _ s: StudyScale) -> [Double] {
        let flat = constantInput(d)
        return (0..<liveInits(s)).map { liveStart(sizes, $0).descended(on: flat, learningRate: liveLearningRate, steps: liveSteps(s)).output(flat.x[0]) }
    }

    /// The job of one net: the settings of both its trainings name it.
    static func key(_ sizes: [Int], _ s: StudyScale) -> String {
        "data=\(data),net=\(sizes.map(String.init).joined(separator: "-")),seed=\(seed),dead_steps=\(deadSteps),"
            + "dead_lr=\(deadLearningRate),live_inits=\(liveInits(s)),live_steps=\(liveSteps(s)),live_lr=\(liveLearningRate),lemma1=constant-x"
    }

    func computations(_ s: StudyScale) -> [StudyComputation] {
        let t = CounterexamplesTheorem1.self
        return t.nets.map { sizes in StudyComputation(t.key(sizes, s)) { t.train(sizes, s) } }
    }

    /// Gradient descent from the dead start, and from the live initialisations: where the
    /// first ends and the lowest loss of the others; and the live starts' outputs on Lemma 1's data.
    static func train(_ sizes: [Int], _ s: StudyScale) -> ResultRecord {
        let d = StatedMinima.data(data)
        let end = deadStart(sizes, on: d, seed: seed).descended(on: d, learningRate: deadLearningRate, steps: deadSteps)
        return ["trained_parameters": JSONValue(end.parameters), "live_loss": JSONValue(live(sizes, on: d, s)),
                "lemma1_outputs": JSONValue(lemma1(sizes, on: d, s))]
    }

    func rows(_ results: [StudyResult], computed: ComputedRecords, scale: StudyScale) throws -> [Row] {
        let d = StatedMinima.data(CounterexamplesTheorem1.data)
        return try CounterexamplesTheorem1.nets.map { sizes in
            let r = try computed.record(CounterexamplesTheorem1.key(sizes, scale))
            let trained = try r.parameters("trained_parameters", count: ExactNetwork.parameterCount(sizes))
            let start = CounterexamplesTheorem1.deadStart(sizes, on: d, seed: CounterexamplesTheorem1.seed)
            let g = start.gradient(d), first = start.offsets(1).weights
            let end = ExactNetwork(sizes: sizes, parameters: trained)
            guard end.loss(d).isFinite, end.gradient(d).allSatisfy(\.isFinite) else {
                throw r.error("has trained parameters whose loss or gradient on the data is not finite")
            }
            let liveLoss = try r.number("live_loss")
            guard liveLoss.isNaN || liveLoss >= 0 else { throw r.error("field \"live_loss\" is \(liveLoss), below 0") }
            return Row(sizes: sizes, startOutput: start.output(d.x[0]), startLoss: start.loss(d),
                       firstLayerGradient: g[..<first].map(abs).max() ?? 0, outputBiasGradient: abs(g.last!),
                       startIsMinimum: MinimumCertificate.check(start, on: d, CertificateSettings.at(scale)).isLocalMinimum,
                       firstLayerMoved: zip(end.parameters[..<first], start.parameters[..<first]).map { abs($0 - $1) }.max() ?? 0,
                       trainedOutput: end.output(d.x[0]), meanY: d.meanY,
                       trained: MinimumCertificate.check(end, on: d, CertificateSettings.at(scale)),
                       constructionLoss: CounterexamplesTheorem1.construction(sizes, on: d, shifted: false).loss(d),
                       shiftedConstructionLoss: CounterexamplesTheorem1.construction(sizes, on: d, shifted: true).loss(d),
                       liveLoss: liveLoss, lemma1Outputs: try r.parameters("lemma1_outputs", count: CounterexamplesTheorem1.liveInits(scale)))
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [Column("net") { $0.sizes.map(String.init).joined(separator: "-") },
         .number("start_output") { $0.startOutput }, .number("start_loss") { $0.startLoss },
         .number("start_first_layer_gradient") { $0.firstLayerGradient }, .number("start_output_bias_gradient") { $0.outputBiasGradient },
         Column("start_local_minimum") { $0.startIsMinimum ? "yes" : "no" },
         .number("first_layer_moved") { $0.firstLayerMoved }, .number("trained_output", decimals: 4) { $0.trainedOutput },
         .number("mean_y", decimals: 4) { $0.meanY }, .number("trained_loss") { $0.trained.loss },
         Column("trained_local_minimum") { $0.trained.isLocalMinimum ? "yes" : "no" },
         .number("construction_loss") { $0.constructionLoss }, .number("shifted_construction_loss") { $0.shiftedConstructionLoss },
         .number("live_training_loss") { $0.liveLoss }, .number("lemma1_largest_output_minus_mean") { $0.lemma1Gap }]
    }

    func reportColumns(_ s: StudyScale) -> [Column<Row>] {
        func yes(_ b: Bool) -> String { b ? "yes" : "no" }
        return [Column("net") { $0.sizes.map(String.init).joined(separator: "-") }, .number("start output", decimals: 2) { $0.startOutput },
                .number("max \u{7C}∂L/∂(W₁, b₁)\u{7C}", decimals: 2) { $0.firstLayerGradient },
                .number("\u{7C}∂L/∂c\u{7C}", decimals: 2) { $0.outputBiasGradient }, Column("start a minimum") { yes($0.startIsMinimum) },
                .number("W₁, b₁ moved", decimals: 2) { $0.firstLayerMoved }, .number("trained output", decimals: 4) { $0.trainedOutput },
                .number("mean y", decimals: 4) { $0.meanY }, .number("trained L", decimals: 2) { $0.trained.loss },
                Column("trained a minimum") { yes($0.trained.isLocalMinimum) },
                .number("B.3 L, printed", decimals: 2) { $0.constructionLoss }, .number("B.3 L, shifted", decimals: 2) { $0.shiftedConstructionLoss },
                .number("live training L", decimals: 2) { $0.liveLoss },
                Column("Lemma 1: \u{7C}output − mean\u{7C}, identical x") { String(format: "%.1e", $0.lemma1Gap) }]
    }

    func plot(_ rows: [Row], scale: StudyScale) -> String? {
        let d = StatedMinima.data(CounterexamplesTheorem1.data), x = d.x.map { $0[0] }
        let xs = (0...600).map { -2.5 + 16 * Double($0) / 600 }
        var p = SVGPlot(title: "D3: the dead-layer minimum and a better point (1-3-1)", xLabel: "x", yLabel: "y")
        p.addLine(name: "dead first layer, trained: mean of y", x: [xs.first!, xs.last!], y: [d.meanY, d.meanY], color: "#d62728")
        let b = CounterexamplesTheorem1.construction([1, 3, 1], on: d, shifted: false)
        p.addLine(name: "Appendix B.3 construction", x: xs, y: xs.map { b.output([$0]) }, color: "#1f77b4")
        p.addPoints(name: "data", x: x, y: d.y, marker: .square, color: "#000000")
        return SVGPanels([p], title: "Theorem 1 on D3").render()
    }

    /// Lemma 1 (every live start trained on identical inputs ends at the mean of y), Lemma 2
    /// (zero first-layer gradient, unmoved by descent), Corollary 1 (it ends at the mean),
    /// Theorem 1 i) at that end and as worded at any dead point, and ii) a better point (the
    /// construction or live training) below the dead minimum's loss.
    static func judge(_ rows: [Row]) -> Judgement {
        let n = rows.count
        func atMean(_ x: Double, _ mean: Double) -> Bool { abs(x - mean) <= 1e-6 * max(1, abs(mean)) }
        let lemma1 = rows.filter { r in !r.lemma1Outputs.isEmpty && r.lemma1Outputs.allSatisfy { atMean($0, r.meanY) } }.count
        let lemma = rows.filter { $0.firstLayerGradient == 0 && $0.firstLayerMoved == 0 }.count
        let corollary = rows.filter { atMean($0.trainedOutput, $0.meanY) }.count
        let better = rows.filter { min($0.liveLoss, $0.shiftedConstructionLoss) < $0.trained.loss - 1e-9 }.count
        func f(_ x: Double) -> String { MarkdownReport.number(x, decimals: 2) }
        return VerdictRule.judge([
            Claim("Lemma 1: identical inputs, every trained start outputs the mean of y", held: lemma1, of: n, share: 1),
            Claim("Lemma 2: first layer's gradient 0 and unmoved", held: lemma, of: n, share: 1),
            Claim("Corollary 1: trained output = mean of y", held: corollary, of: n, share: 1),
            Claim("i) local minimum once the output is the mean", held: rows.filter(\.trained.isLocalMinimum).count, of: n, share: 1),
            Claim("i) as worded, at any dead point", held: rows.filter(\.startIsMinimum).count, of: n, share: 1),
            Claim("ii) a better point exists", held: better, of: n, share: 1),
        ], detail: rows.map { r in
            "\(r.sizes.map(String.init).joined(separator: "-")): the dead start outputs \(f(r.startOutput)) with |∂L/∂c| = "
                + "\(f(r.outputBiasGradient)); trained, it outputs \(MarkdownReport.number(r.trainedOutput, decimals: 4)) (mean "
                + "\(MarkdownReport.number(r.meanY, decimals: 4))) with L = \(f(r.trained.loss)); the construction gives L = "
                + "\(f(r.constructionLoss)) as printed, \(f(r.shiftedConstructionLoss)) shifted; live training \(f(r.liveLoss)); "
                + "Lemma 1: \(r.lemma1Outputs.count) starts on identical inputs end within \(String(format: "%.1e", r.lemma1Gap)) of the mean"
        }.joined(separator: "; ") + ". A dead point is a minimum only once its constant output is the mean; with two hidden "
            + "layers the printed construction's ReLU cuts the negative mean μ to 0.")
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { CounterexamplesTheorem1.judge(rows) }

    func settings(_ s: StudyScale) -> String {
        let t = CounterexamplesTheorem1.self
        return "Data: \(t.data.uppercased()); nets \(t.nets.map { $0.map(String.init).joined(separator: "-") }.joined(separator: " and ")); "
            + "sum of squared errors. Dead start: weights and later biases N(0, 1) (seed \(t.seed)), each first-layer bias one below "
            + "minus its largest pre-activation. Training from it: \(t.deadSteps) gradient-descent steps, learning rate \(t.deadLearningRate). "
            + "Construction (App. B.3): r = the point farthest from the mean of y, v = 3 / (nearest other x's distance). "
            + "Live training: \(t.liveInits(s)) initialisations, weights N(0, 1/fan-in), biases N(0, 0.1²), \(t.liveSteps(s)) "
            + "gradient-descent steps, learning rate \(t.liveLearningRate); best loss kept. Lemma 1: the same starts and steps on D3 "
            + "with every x set to the first. Certificates: " + CertificateSettings.at(s).sentence + "."
    }
}
