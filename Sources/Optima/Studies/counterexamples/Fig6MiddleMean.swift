// counterexamples Figure 6 (middle): how large the weights' mean μ must be for the blind-spot
// effect of Proposition 4 to have probability ≥ 99 %, against the width h of 2-h-…-h-1 nets,
// for LeCun'98, Xavier'10 and a fixed σ = 0.01. Computed exactly from Appendix B.1's bound,
// then cross-checked by sampling nets at that μ on the blind-spot set, where h and the
// depth are small enough to sample. No training: the sampled nets are only evaluated.

struct CounterexamplesFig6Middle: Study {
    let about = StudyAbout(.counterexamples, "fig6-middle", "the mean μ giving the blind spot with 99 % probability vs width h",
                           title: "Fig. 6 (middle): μ needed for a 99 % blind spot vs width h (2-h-…-h-1)",
                           claim: "\"if one uses initialization given by LeCun et al. (1998) or Glorot & Bengio (2010) then we need μ = 0.24 even if "
                           + "we have 10,000 hidden units in each of 100 hidden layers, while using fixed standard deviation to 0.01 fails even with "
                           + "μ = 0.07.\" (LeCun'98: N(μ, 1/h); Xavier'10: N(μ, 2/(h_in + h_out)).)")

    static let widths = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000]
    static let depths = [1, 3, 10, 100]
    static let target = 0.99
    /// Sampled where both are small: the cross-check draws every weight of every net.
    static let sampledWidths = [1, 2, 5], sampledDepths = [1, 3]
    static func draws(_ s: StudyScale) -> Int { s == .paper ? 4000 : 300 }

    func grid(_ s: StudyScale) -> [TrainingPoint] { [] }

    struct Row {
        var initialization: BlindSpotInit
        var layers: Int
        var width: Int
        var meanNeeded: Double
        var draws: Int
        /// Sampled fractions: every weight positive, and the effect itself (every near point
        /// gets one output, the far point a larger one).
        var allPositive: Double
        var effect: Double

        var standardError: Double { (CounterexamplesFig6Middle.target * (1 - CounterexamplesFig6Middle.target) / Double(max(1, draws))).squareRoot() }
    }

    /// Samples nets at μ with biases 0 and counts both events on the data.
    static func sample(_ i: BlindSpotInit, layers: Int, width h: Int, mean mu: Double, draws: Int, data: ExactData) -> (Double, Double) {
        let sizes = [2] + Array(repeating: h, count: layers) + [1]
        var g = Xoshiro256(seed: 23, stream: UInt64(layers * 100_000 + h * 10 + BlindSpotInit.allCases.firstIndex(of: i)!))
        var positive = 0, effect = 0
        for _ in 0..<draws {
            var p: [Double] = []
            for l in 0..<(sizes.count - 1) {
                let s = i.sigma(fanIn: sizes[l], fanOut: sizes[l + 1], width: h)
                p += (0..<(sizes[l] * sizes[l + 1])).map { _ in mu + s * g.normal() } + [Double](repeating: 0, count: sizes[l + 1])
            }
            let net = ExactNetwork(sizes: sizes, parameters: p)
            if (0..<net.layerCount).allSatisfy({ l in let o = net.offsets(l); return p[o.weights..<o.biases].allSatisfy { $0 > 0 } }) { positive += 1 }
            let out = data.x.map(net.output), near = out.dropLast()
            if near.allSatisfy({ $0 == near.first! }) && out.last! > near.first! { effect += 1 }
        }
        return (Double(positive) / Double(draws), Double(effect) / Double(draws))
    }

    func rows(_ results: [StudyResult], scale: StudyScale) throws -> [Row] {
        let t = CounterexamplesFig6Middle.self, data = ExactData(try CounterexamplesData.blindSpot())
        return BlindSpotInit.allCases.flatMap { i in t.depths.flatMap { L in t.widths.map { h in
            let mu = BlindSpotBound.meanNeeded(t.target, inputs: 2, width: h, hidden: L, i)
            let sampled = t.sampledWidths.contains(h) && t.sampledDepths.contains(L)
            let (pos, eff) = sampled ? t.sample(i, layers: L, width: h, mean: mu, draws: t.draws(scale), data: data) : (.nan, .nan)
            return Row(initialization: i, layers: L, width: h, meanNeeded: mu, draws: sampled ? t.draws(scale) : 0, allPositive: pos, effect: eff)
        } } }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [Column("init") { $0.initialization.rawValue }, .int("hidden_layers") { $0.layers }, .int("h") { $0.width },
         .number("mu_needed", decimals: 4) { $0.meanNeeded }, .int("draws") { $0.draws },
         .number("sampled_all_weights_positive") { $0.allPositive }, .number("sampled_effect") { $0.effect }]
    }

    /// The report: μ needed per init at a few widths, for 1 and 100 hidden layers.
    func reportTable(_ rows: [Row], scale: StudyScale) -> (header: [String], rows: [[String]]) {
        let shown = [1, 10, 100, 1000, 10_000]
        func mu(_ i: BlindSpotInit, _ L: Int, _ h: Int) -> String {
            rows.first { $0.initialization == i && $0.layers == L && $0.width == h }.map { MarkdownReport.number($0.meanNeeded, decimals: 4) } ?? "–"
        }
        return (["hidden layers", "h"] + BlindSpotInit.allCases.map { "μ needed, " + $0.rawValue },
                [1, 100].flatMap { L in shown.map { h in ["\(L)", "\(h)"] + BlindSpotInit.allCases.map { mu($0, L, h) } } })
    }

    func plot(_ rows: [Row], scale: StudyScale) -> String? {
        func panel(_ inits: [BlindSpotInit], _ title: String, reference: Double) -> SVGPlot {
            var p = SVGPlot(title: title, xLabel: "hidden units per layer h", yLabel: "μ needed for 99 %", xLog: true, yLog: true)
            for (k, L) in [1, 10, 100].enumerated() {
                for i in inits {
                    let g = rows.filter { $0.initialization == i && $0.layers == L }
                    p.addLine(name: "\(i.rawValue), \(L) layer\(L > 1 ? "s" : "")", x: g.map { Double($0.width) }, y: g.map(\.meanNeeded),
                              dashed: i == .xavier, color: SVGPlot.palette[k])
                }
            }
            p.addLine(name: "paper's μ = \(reference)", x: [1, 10_000], y: [reference, reference], dashed: true, color: "#7f7f7f")
            p.legend = .bottomLeft
            return p
        }
        return SVGPanels([panel([.lecun, .xavier], "LeCun'98 (solid), Xavier'10 (dashed)", reference: 0.24),
                          panel([.fixed], "fixed σ = 0.01", reference: 0.07)],
                         title: "Fig. 6 (middle): μ for P(blind spot) ≥ 99 % from App. B.1's bound").render()
    }

    /// The sampled fraction of all-positive nets at μ is 0.99 (within 4 s.e.) and the effect's
    /// at least that; at h = 10,000 and 100 layers μ = 0.24 suffices for LeCun and Xavier,
    /// is what they need (within 0.005), and σ = 0.01 needs 0.07 (within 0.005).
    static func judge(_ rows: [Row]) -> Judgement {
        let sampled = rows.filter { $0.draws > 0 }
        let t = CounterexamplesFig6Middle.target
        let exact = sampled.filter { abs($0.allPositive - t) <= 4 * $0.standardError }.count
        let effect = sampled.filter { $0.effect >= t - 4 * $0.standardError }.count
        let big = rows.filter { $0.width == 10_000 && $0.layers == 100 }
        let lecunXavier = big.filter { $0.initialization != .fixed }, fixed = big.filter { $0.initialization == .fixed }
        let from = rows.filter { $0.initialization == .lecun && $0.layers == 100 && $0.meanNeeded <= 0.24 }.map(\.width).min()
        func f(_ x: Double) -> String { MarkdownReport.number(x, decimals: 4) }
        let at007 = BlindSpotBound.probability(mean: 0.07, sigma: 0.01, inputs: 2, width: 10_000, hidden: 100)
        return VerdictRule.judge([
            Claim("sampled P(all weights > 0) at μ is 99 %", held: exact, of: sampled.count, share: 1),
            Claim("sampled P(effect) ≥ 99 %", held: effect, of: sampled.count, share: 1),
            Claim("μ = 0.24 suffices (LeCun, Xavier; 10,000 × 100)", held: lecunXavier.filter { $0.meanNeeded <= 0.24 }.count, of: lecunXavier.count, share: 1),
            Claim("μ = 0.24 is what they need", held: lecunXavier.filter { abs($0.meanNeeded - 0.24) <= 0.005 }.count, of: lecunXavier.count, share: 1),
            Claim("σ = 0.01 needs μ = 0.07", held: fixed.filter { abs($0.meanNeeded - 0.07) <= 0.005 }.count, of: fixed.count, share: 1),
        ], detail: "At h = 10,000 and 100 hidden layers the bound needs μ = " + big.map { "\(f($0.meanNeeded)) (\($0.initialization.rawValue))" }
            .joined(separator: ", ") + ": LeCun's σ = 1/√h is 0.01 there, the fixed σ. μ = 0.24 is enough from h = \(from.map(String.init) ?? "–") "
            + "on (100 layers, LeCun) and too little below; with σ = 0.01, μ = 0.07 gives " + String(format: "%.1f %%", 100 * at007)
            + " at 10,000 × 100. Sampled: P(all > 0) from \(f(sampled.map(\.allPositive).min() ?? .nan)) to \(f(sampled.map(\.allPositive).max() ?? .nan)), "
            + "P(effect) from \(f(sampled.map(\.effect).min() ?? .nan)) to \(f(sampled.map(\.effect).max() ?? .nan))")
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { CounterexamplesFig6Middle.judge(rows) }

    func settings(_ s: StudyScale) -> String {
        let t = CounterexamplesFig6Middle.self
        return "Bound: P = Π_l Φ(μ/σ_l)^(weights of layer l) for a 2-h-…-h-1 net (App. B.1, with each layer's σ), solved for P = 99 % by "
            + "bisection. LeCun'98: σ² = 1/h in every layer, as the caption says (not 1/fan-in); Xavier'10: σ² = 2/(fan-in + fan-out). "
            + "Widths \(t.widths.map(String.init).joined(separator: ", ")); \(t.depths.map(String.init).joined(separator: ", ")) hidden layers. "
            + "Sampling: \(t.draws(s)) nets per (init, h ∈ {\(t.sampledWidths.map(String.init).joined(separator: ", "))}, layers ∈ "
            + "{\(t.sampledDepths.map(String.init).joined(separator: ", "))}) at the computed μ, biases 0, on the blindspot set; the effect: "
            + "all 49 near points get the same output and the far point a larger one."
    }
}
