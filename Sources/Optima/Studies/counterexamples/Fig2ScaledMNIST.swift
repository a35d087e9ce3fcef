// counterexamples Figure 2 (§3.1.1): final training accuracy of one-hidden-layer ReLU nets on
// MNIST with the inputs multiplied by τ, against h. Shrinking the inputs does not push them
// into a blind spot; it packs them into few linear regions of the freshly initialised net
// (with biases drawn like the weights, a unit's side is then decided by its bias alone), and
// the paper reads its plot as learning becoming "less well behaved". Its 400 jobs of 1 200 000
// updates (h in [100, 2000]) are out of reach on two cores: `paper` scale is a reduced default (see
// `settings`), one run per (τ, learning rate, h); `--scale full` runs the paper's budget. The column titles giving the paper's τ did
// not survive in our copy of the paper, so the τ grid is ours.
import Foundation

struct CounterexamplesFig2: Study {
    let about = StudyAbout(.counterexamples, "fig2", "scaled MNIST: final training accuracy vs h per input scale τ (reduced)",
                           title: "Fig. 2: final training accuracy on MNIST scaled by τ vs hidden units (reduced budget)",
                           claim: "\"we consider the MNIST dataset, where we scale the inputs by a factor τ. The intuition is not to force the "
                           + "datasets into the blind spot of the model, but rather to concentrate most of the datapoints in very few linear "
                           + "regions (given by the initialization of the MLP). While these results do not necessarily point towards the "
                           + "model being locked in a bad minimum, they suggest that learning becomes less well behaved.\" (App. A: 400 jobs, "
                           + "h in [100, 2000], Adam with learning rate 1e-4 or 1e-3, batch 50, 1,200,000 updates.)")

    var hasFullScale: Bool { true }

    /// Named settings the paper leaves out or that we reduce.
    static func scales(_ s: StudyScale) -> [Double] { s == .quick ? [1, 0.001] : [1, 0.1, 0.01, 0.001] }
    /// h: a fixed pair at paper scale; at full scale the paper's 400 jobs, 50 per (τ, learning
    /// rate), with h drawn from [100, 2000].
    static func widths(_ s: StudyScale) -> [Int] {
        switch s {
        case .full: return SampledWidths.draw(fullJobs, in: 100...2000)
        case .paper: return [100, 400]
        case .quick: return [32]
        }
    }
    static let fullJobs = 50
    static func rates(_ s: StudyScale) -> [Float] { s == .quick ? [1e-3] : [1e-4, 1e-3] }
    /// Updates per run: the paper's 1 200 000 at full scale; cut to 12 000 (10 epochs) at paper
    /// scale, one epoch at quick scale.
    static func updates(_ s: StudyScale) -> Int { s == .full ? paperUpdates : s == .paper ? 12_000 : 1200 }
    static let paperUpdates = 1_200_000
    static let batch = 50
    static let rows = 60_000

    /// The counterexamples MNIST preset (Adam with its default β and ε, no weight decay,
    /// weights and biases N(0, 0.1²)) with Fig. 2's batch and the run's learning rate.
    static func recipe(lr: Float, _ s: StudyScale) -> Recipe {
        var r = Recipe.counterexamplesMNIST()
        r.training.optimizer.learningRate = lr
        r.training.batchSize = batch
        return r
    }

    func grid(_ s: StudyScale) -> [TrainingPoint] {
        let t = CounterexamplesFig2.self, stepsPerEpoch = (t.rows + t.batch - 1) / t.batch
        return t.scales(s).flatMap { tau in t.rates(s).flatMap { lr in t.widths(s).map { h in
            var p = TrainingPoint(data: .scaled("mnist", splitSeed: 0, inputScale: tau), hidden: h, initialization: 0,
                                  epochs: max(1, t.updates(s) / stepsPerEpoch), recipe: t.recipe(lr: lr, s))
            p.variant = "adam,lr=\(lr),batch=\(t.batch)"
            return p
        } } }
    }

    struct Row {
        var tau: Double
        var rate: Float
        var hidden: Int
        var accuracy: Double
        var updates: Int
    }

    func rows(_ results: [StudyResult], scale: StudyScale) -> [Row] {
        results.map { r in
            guard case let .scaled(_, _, tau) = r.point.data else { preconditionFailure("fig2 trains on scaled data") }
            return Row(tau: tau, rate: r.point.recipe.training.optimizer.learningRate, hidden: r.point.hidden,
                       accuracy: r.trainAccuracy, updates: r.steps)
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [.number("tau", decimals: 4) { $0.tau }, Column("lr") { String(format: "%g", Double($0.rate)) }, .int("h") { $0.hidden },
         .int("updates") { $0.updates }, .number("train_accuracy", decimals: 4) { $0.accuracy }]
    }

    func plot(_ rows: [Row], scale: StudyScale) -> String? {
        let panels = rows.grouped(by: \.tau).map { tau, g -> SVGPlot in
            var p = SVGPlot(title: "τ = \(tau)", xLabel: "hidden units h", yLabel: "final training accuracy", xLog: true, width: 300, height: 300)
            p.yRange = 0...1
            for (k, (lr, s)) in g.grouped(by: \.rate).enumerated() {
                p.addPoints(name: "lr \(String(format: "%g", Double(lr)))", x: s.map { Double($0.hidden) }, y: s.map(\.accuracy),
                            marker: .triangle, color: SVGPlot.palette[k == 0 ? 3 : 0])
            }
            p.legend = .bottomRight
            return p
        }
        return SVGPanels(panels, title: "Fig. 2: MNIST × τ, one hidden layer, after \(CounterexamplesFig2.updates(scale)) updates").render()
    }

    /// What a run at scale `s` falls short of the paper's budget by, or nil at the paper's budget.
    static func budget(_ s: StudyScale) -> String? {
        s == .full ? nil : "\(updates(s)) of the paper's \(paperUpdates) updates, one run per (τ, learning rate, h)"
    }

    /// Learning less well behaved as τ shrinks: per (h, learning rate), the final training
    /// accuracy at the smallest τ is below τ = 1 (3/4 of the pairs). Within equal updates that
    /// is decided at any budget; that the gap lasts to the paper's 1 200 000 updates only at
    /// the paper's budget (below it, the small τ may only be slower).
    static func judge(_ rows: [Row], budget: String?) -> Judgement {
        let small = rows.map(\.tau).min() ?? 1
        let pairs = rows.filter { $0.tau == small && small < 1 }.compactMap { r -> (Row, Row)? in
            rows.first { $0.tau == 1 && $0.rate == r.rate && $0.hidden == r.hidden }.map { (r, $0) }
        }
        func f(_ x: Double) -> String { MarkdownReport.number(x, decimals: 3) }
        let below = pairs.filter { $0.0.accuracy < $0.1.accuracy }.count, updates = rows.first?.updates ?? 0
        var claims = [Claim("training accuracy at τ = \(small) below τ = 1 after \(updates) updates", held: below, of: pairs.count)]
        if budget != nil {
            claims.append(Claim("still below after the paper's \(paperUpdates) updates", held: below, of: pairs.count)
                .at(reduced: budget != nil, .neverHappens))
        }
        return VerdictRule.judge(claims, detail: pairs.map { "h = \($0.0.hidden), lr \(String(format: "%g", Double($0.0.rate))): "
            + "\(f($0.1.accuracy)) at τ = 1, \(f($0.0.accuracy)) at τ = \(small)" }.joined(separator: "; ")
            + (budget.map { " (at a reduced budget: \($0))" } ?? " (after the paper's \(paperUpdates) updates)"))
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement {
        CounterexamplesFig2.judge(rows, budget: CounterexamplesFig2.budget(scale))
    }

    func settings(_ s: StudyScale) -> String {
        let t = CounterexamplesFig2.self
        return "MNIST, pixels / 255, then multiplied by τ ∈ {" + t.scales(s).map { "\($0)" }.joined(separator: ", ") + "} (ours: the "
            + "paper's column titles are lost). Nets 784-h-10 ReLU, softmax cross-entropy, weights and biases N(0, 0.1²) (the "
            + "counterexamples MNIST preset; the paper states no initialisation for this figure), no weight decay; Adam (β = (0.9, 0.999), "
            + "ε = 1e-8) with learning rate " + t.rates(s).map { String(format: "%g", Double($0)) }.joined(separator: " and ")
            + ", batch \(t.batch), training accuracy on all 60 000 training images. "
            + (s == .full
                ? "The paper's budget: \(t.updates(s)) updates per run, \(t.fullJobs) runs per (τ, learning rate) with h drawn from "
                    + "[100, 2000] (\(t.scales(s).count * t.rates(s).count * t.fullJobs) jobs; the paper's 400), the same h for every τ "
                    + "and rate; the paper samples the learning rate, we run both."
                : "Reduced from the paper (`--scale full` runs its budget): \(t.updates(s)) updates per run instead of "
                    + "\(t.paperUpdates), one run per (τ, learning rate, h) on h ∈ {" + t.widths(s).map(String.init).joined(separator: ", ")
                    + "} instead of 400 jobs with h in [100, 2000] and the learning rate sampled. At this budget a lower accuracy at "
                    + "small τ may be slower learning rather than a worse end point, which the paper's 1 200 000 updates would tell apart.")
    }
}
