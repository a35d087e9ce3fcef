// counterexamples Proposition 5 and Figure 6 (right): with a correct zero-mean initialisation,
// the chance that some hidden layer of a deep ReLU net is dead on every point, so that the
// net gives every point the same output and training cannot change that, goes to 1 with
// depth. We sample nets 2-h-…-h-1 on the jellyfish set and count those whose outputs are all
// equal, beside App. B.2's bound, and train some of them to see they stay trivial. Each
// (h, depth) is one computation: a job of the runner, resumable and shardable like a grid.
import Foundation

struct CounterexamplesProp5: Study {
    let about = StudyAbout(.counterexamples, "prop5", "P(trivial model) of zero-mean deep ReLU nets vs depth (Fig. 6 right)",
                           title: "Proposition 5 and Fig. 6 (right): probability of a trivial model vs the number of hidden layers",
                           claim: "\"For every dataset, every feed forward rectifier network built for it, and every distribution used to initialize "
                           + "both weights and biases such that E[w] = 0, E[b] = 0, Var[w] > 0, Var[b] ≥ 0, the probability that the gradient based "
                           + "training of any loss function will lead to a trivial model (predicting the same label for all datapoints) goes to 1 as "
                           + "the number of hidden layers go to infinity.\" (App. B.2: P ≥ 1 − (1 − cdf_b(0)^h cdf_W(0)^(h²))^(k−1).)")

    /// Named settings the paper leaves out. Biases 0 (Var[b] = 0 is allowed); with zero biases
    /// a ReLU layer is positively homogeneous, so σ does not change which nets are trivial.
    static let data = "jellyfish"
    static let widths = [2, 3, 4]
    static func depths(_ s: StudyScale) -> [Int] { s == .paper ? [1, 2, 3, 5, 10, 20, 50, 100] : [1, 5, 20] }
    static func draws(_ s: StudyScale) -> Int { s == .paper ? 2000 : 200 }
    /// Trivial nets trained per cell, with the counterexamples preset's gradient descent.
    static func trained(_ s: StudyScale) -> Int { s == .paper ? 5 : 2 }
    static let trainingSteps = 500

    func grid(_ s: StudyScale) -> [TrainingPoint] { [] }

    struct Row {
        var width: Int
        var layers: Int
        var draws: Int
        var trivial: Int
        var bound: Double
        var trained: Int
        var stayedTrivial: Int

        var fraction: Double { Double(trivial) / Double(max(1, draws)) }
        var standardError: Double { (fraction * (1 - fraction) / Double(max(1, draws))).squareRoot() }
    }

    static func recipe(width h: Int, layers: Int, draw: Int) -> Recipe {
        var r = Recipe.counterexamplesGD
        r.hidden = Array(repeating: h, count: layers)
        r.initialization = .gaussian(weightMean: 0, weightStd: 1, biasMean: 0, biasStd: 0)
        r.seed = derivedSeed(for: "counterexamples-prop5,h=\(h),layers=\(layers),draw=\(draw)", base: TrainingPoint.baseSeed)
        r.training.seed = r.seed &+ 1
        r.training.epochs = trainingSteps
        return r
    }

    /// Every point gets exactly the same output.
    static func isTrivial(_ n: Network, _ d: Dataset) -> Bool {
        let out = n.predict(d.features, rows: d.count)
        return out.allSatisfy { $0 == out[0] }
    }

    /// App. B.2's bound with biases 0 (cdf_b(0) = 1, cdf_W(0) = 1/2): 1 − (1 − 2^(−h²))^(L−1).
    static func bound(width h: Int, layers L: Int) -> Double {
        1 - Foundation.pow(1 - Foundation.pow(0.5, Double(h * h)), Double(L - 1))
    }

    /// The job of one (h, depth): the settings its counts depend on name it.
    static func key(width h: Int, layers L: Int, _ s: StudyScale) -> String {
        "data=\(data),h=\(h),layers=\(L),draws=\(draws(s)),trained=\(trained(s)),steps=\(trainingSteps)"
    }

    func computations(_ s: StudyScale) -> [StudyComputation] {
        let t = CounterexamplesProp5.self, (draws, trained) = (t.draws(s), t.trained(s))
        return t.widths.flatMap { h in t.depths(s).map { L in
            StudyComputation(t.key(width: h, layers: L, s)) { try t.sample(width: h, layers: L, draws: draws, train: trained) }
        } }
    }

    /// Draws `draws` nets 2-h-…-h-1 (L hidden layers), counts the trivial ones and trains the
    /// first `train` of those; how many stayed trivial.
    static func sample(width h: Int, layers L: Int, draws: Int, train: Int) throws -> ResultRecord {
        let d = try DataSpec.named(data, splitSeed: 0).load().train
        var trivial = 0, trained = 0, stayed = 0
        for i in 0..<draws {
            let r = recipe(width: h, layers: L, draw: i), net = r.makeNetwork(features: d.featureCount, task: d.task)
            guard isTrivial(net, d) else { continue }
            trivial += 1
            if trained < train {
                trained += 1
                _ = r.run(network: net, train: d, test: nil)
                if isTrivial(net, d) { stayed += 1 }
            }
        }
        return ["trivial": JSONValue(trivial), "trained": JSONValue(trained), "still_trivial": JSONValue(stayed)]
    }

    func rows(_ results: [StudyResult], computed: ComputedRecords, scale: StudyScale) throws -> [Row] {
        let t = CounterexamplesProp5.self
        return try t.widths.flatMap { h in try t.depths(scale).map { L in
            let r = try computed.record(t.key(width: h, layers: L, scale))
            let trivial = try r.count("trivial", atMost: t.draws(scale))
            let trained = try r.count("trained", atMost: min(trivial, t.trained(scale)))
            return Row(width: h, layers: L, draws: t.draws(scale), trivial: trivial, bound: t.bound(width: h, layers: L),
                       trained: trained, stayedTrivial: try r.count("still_trivial", atMost: trained))
        } }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [.int("h") { $0.width }, .int("hidden_layers") { $0.layers }, .int("draws") { $0.draws }, .int("trivial") { $0.trivial },
         .number("fraction") { $0.fraction }, .number("standard_error") { $0.standardError }, .number("bound", decimals: 4) { $0.bound },
         .int("trained") { $0.trained }, .int("still_trivial_after_training") { $0.stayedTrivial }]
    }

    func plot(_ rows: [Row], scale: StudyScale) -> String? {
        var p = SVGPlot(title: "2-h-…-h-1, weights N(0, 1), biases 0, on \(CounterexamplesProp5.data)", xLabel: "hidden layers",
                        yLabel: "P(trivial model)", xLog: true)
        p.yRange = 0...1
        for (k, (h, g)) in rows.grouped(by: \.width).enumerated() {
            let c = SVGPlot.palette[k], x = g.map { Double($0.layers) }
            p.addLine(name: "h = \(h), sampled", x: x, y: g.map(\.fraction), color: c, markers: true)
            p.addLine(name: "h = \(h), bound", x: x, y: g.map(\.bound), dashed: true, color: c)
        }
        p.legend = .topLeft
        return SVGPanels([p], title: "Fig. 6 (right): Prop. 5, \(CounterexamplesProp5.draws(scale)) initialisations per point").render()
    }

    /// Per width: the sampled fraction is at least the bound (less 3 s.e.) at every depth; it
    /// rises with depth (the deepest above the shallowest by 3 s.e., no drop beyond 3 s.e.);
    /// and every trained trivial net is still trivial.
    static func judge(_ rows: [Row]) -> Judgement {
        let curves = rows.grouped(by: \.width)
        let above = rows.filter { $0.fraction >= $0.bound - 3 * max($0.standardError, 1 / Double(max(1, $0.draws))) }.count
        let rising = curves.filter { _, g in
            let s = g.sorted { $0.layers < $1.layers }
            let noDrop = zip(s, s.dropFirst()).allSatisfy { $1.fraction >= $0.fraction - 3 * max($0.standardError, $1.standardError, 1e-3) }
            return s.count > 1 && noDrop && s.last!.fraction > s.first!.fraction + 3 * max(s.first!.standardError, s.last!.standardError)
        }.count
        func f(_ x: Double) -> String { MarkdownReport.number(x, decimals: 3) }
        return VerdictRule.judge([
            Claim("sampled ≥ bound", held: above, of: rows.count, share: 1),
            Claim("rises with depth", held: rising, of: curves.count, share: 1),
            Claim("trivial nets stay trivial when trained", held: rows.reduce(0) { $0 + $1.stayedTrivial }, of: rows.reduce(0) { $0 + $1.trained }, share: 1),
        ], detail: curves.map { h, g in
            let s = g.sorted { $0.layers < $1.layers }
            return "h = \(h): " + [s.first!, s.last!].map { "\($0.layers) layer\($0.layers > 1 ? "s" : "") \(f($0.fraction)) (bound \(f($0.bound)))" }.joined(separator: " → ")
        }.joined(separator: "; "))
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { CounterexamplesProp5.judge(rows) }

    func settings(_ s: StudyScale) -> String {
        let t = CounterexamplesProp5.self
        let widths: String = t.widths.map(String.init).joined(separator: ", ")
        let depths: String = t.depths(s).map(String.init).joined(separator: ", ")
        let rate: String = String(format: "%g", Double(Recipe.counterexamplesGD.training.optimizer.learningRate))
        let nets: String = "Data: \(t.data) (4 points). Nets 2-h-…-h-1 (h ∈ {\(widths)}), ReLU, weights N(0, 1), biases 0; "
        let sampling: String = "\(t.draws(s)) initialisations per (h, depth), depths \(depths). Trivial: all four outputs exactly equal at initialisation. "
        return nets + sampling + "Up to \(t.trained(s)) trivial nets per point trained for \(t.trainingSteps) steps of "
            + "full-batch gradient descent on the log loss (learning rate \(rate))."
    }
}
