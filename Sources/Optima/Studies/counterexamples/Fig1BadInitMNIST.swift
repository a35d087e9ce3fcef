// counterexamples Figure 1 (§3.1.1): final training accuracy of 784-h-…-h-10 ReLU nets on
// MNIST per initialisation, with 2 and 5 hidden layers of h units, on the true labels (top
// row) and on labels randomly permuted over the images (bottom row). A Gaussian with a
// negative mean switches every ReLU off for most or all images (the "blind spot"), and
// nothing then moves the hidden weights. The paper's column titles did not survive in our
// copy, so the columns are ours: weights and biases N(μ, 0.1²) for μ from 0 (good) to −0.05
// (nearly every unit off on nearly every image), the mean being what the paper says it
// varies. Its budget (1 000 000 updates, h in [100, 2000]) runs with `--scale full`, as 800
// jobs of about 27 core-hours each on average (FullScaleCosts);
// the default `paper` scale is a stated reduced budget (see `settings`).
import Foundation

struct CounterexamplesFig1: Study {
    let about = StudyAbout(.counterexamples, "fig1", "bad initialisation on MNIST: final training accuracy vs h per init, 2 and 5 layers, true and permuted labels (reduced)",
                           title: "Fig. 1: final training accuracy on MNIST vs hidden units per initialisation, true and permuted labels (reduced budget)",
                           claim: "\"models that are not initialized in a good interval do not seem to converge to a good solution of the "
                           + "problem even after 1,000,000 updates. Depth does not seem to be able to resolve the bad initialization of the "
                           + "model. [...] destroying the structure makes the model even more susceptible to bad initializations (second "
                           + "column of Figure 1, the network requires at least 400 units to be able to achieve 0 training error).\" (App. A: "
                           + "100 jobs, h sampled from [100, 2000] for all hidden layers, Adam lr 1e-4, batch 200, 1,000,000 updates.)")

    var hasFullScale: Bool { true }

    /// One column: weights N(μ, σ²) and biases N(μ, σ²).
    struct Init: Equatable {
        var mean: Double
        var std: Double
        var title: String { "w, b ~ N(\(CounterexamplesFig1.g(mean)), \(CounterexamplesFig1.g(std))²)" }
        var initialization: Initialization { .gaussian(weightMean: mean, weightStd: std, biasMean: mean, biasStd: std) }
    }

    /// A mean or a deviation as written in a title: 0, -0.05, 0.1.
    static func g(_ x: Double) -> String { String(format: "%g", x) }

    /// Named settings the paper leaves out or that we reduce.
    static let std = 0.1
    static func means(_ s: StudyScale) -> [Double] { s == .quick ? [0, -0.1] : [0, -0.02, -0.03, -0.05] }
    static func inits(_ s: StudyScale) -> [Init] { means(s).map { Init(mean: $0, std: std) } }
    /// "2 and 5 layers": hidden layers of h units each (784-h-h-10 and 784-h-h-h-h-h-10).
    static let depths = [2, 5]
    /// Jobs per (column, labels, depth); each draws its h uniformly from `widthRange`, the
    /// same h for every column, label row and depth, so the panels compare like with like.
    static func jobs(_ s: StudyScale) -> Int { s == .full ? 50 : s == .paper ? 4 : 1 }
    static func widthRange(_ s: StudyScale) -> ClosedRange<Int> { s == .full ? 100...2000 : s == .paper ? 32...256 : 32...32 }
    /// The first `rows` MNIST training images (nil: all 60 000), for both label rows.
    static func rows(_ s: StudyScale) -> Int? { s == .full ? nil : s == .paper ? 2000 : 1000 }
    static func updates(_ s: StudyScale) -> Int { s == .full ? paperUpdates : s == .paper ? 3000 : 200 }
    static let paperUpdates = 1_000_000
    static let batch = 200
    /// Seeds of the h draws and of the label permutation.
    static let widthSeed: UInt64 = 1, labelSeed: UInt64 = 1
    /// Chance level of a constant prediction (the most common digit is 11 % of MNIST).
    static let chance = 0.1

    static func width(job: Int, _ s: StudyScale) -> Int {
        let r = widthRange(s)
        var g = Xoshiro256(seed: widthSeed, stream: UInt64(job))
        return r.lowerBound + g.index(below: r.count)
    }

    static func data(permuted: Bool, _ s: StudyScale) -> DataSpec {
        .relabeled("mnist", splitSeed: 0, rows: rows(s), labelSeed: permuted ? labelSeed : nil)
    }

    /// The counterexamples MNIST preset (Adam lr 1e-4 with its default β and ε, batch 200, no
    /// weight decay) with the column's initialisation.
    static func recipe(_ i: Init) -> Recipe {
        var r = Recipe.counterexamplesMNIST()
        r.initialization = i.initialization
        return r
    }

    func grid(_ s: StudyScale) -> [TrainingPoint] {
        let t = CounterexamplesFig1.self, stepsPerEpoch = ((t.rows(s) ?? 60_000) + t.batch - 1) / t.batch
        return t.inits(s).flatMap { i in [false, true].flatMap { permuted in t.depths.flatMap { depth in (0..<t.jobs(s)).map { j in
            var p = TrainingPoint(data: t.data(permuted: permuted, s), hidden: t.width(job: j, s), initialization: j,
                                  epochs: (t.updates(s) + stepsPerEpoch - 1) / stepsPerEpoch, recipe: t.recipe(i))
            p.hiddenLayers = depth
            p.variant = "adam,lr=0.0001,batch=\(t.batch),init=N(\(i.mean),\(i.std))"
            return p
        } } } }
    }

    struct Row {
        var mean: Double
        var std: Double
        var permuted: Bool
        var layers: Int
        var hidden: Int
        var job: Int
        var accuracy: Double
        var updates: Int
        var labels: String { permuted ? "permuted" : "true" }
    }

    func rows(_ results: [StudyResult], scale: StudyScale) -> [Row] {
        results.map { r in
            guard case let .relabeled(_, _, _, labels) = r.point.data,
                  case let .gaussian(mean, std, _, _) = r.point.recipe.initialization else {
                preconditionFailure("fig1 trains Gaussian-initialised nets on relabeled data")
            }
            return Row(mean: mean, std: std, permuted: labels != nil, layers: r.point.hiddenLayers, hidden: r.point.hidden,
                       job: r.point.initialization, accuracy: r.trainAccuracy, updates: r.steps)
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [.number("w_b_mean", decimals: 3) { $0.mean }, .number("w_b_std", decimals: 3) { $0.std }, Column("labels") { $0.labels },
         .int("hidden_layers") { $0.layers }, .int("h") { $0.hidden }, .int("job") { $0.job }, .int("updates") { $0.updates },
         .number("train_accuracy", decimals: 4) { $0.accuracy }]
    }

    func plot(_ rows: [Row], scale: StudyScale) -> String? {
        let means = CounterexamplesFig1.means(scale)
        let panels = [false, true].flatMap { permuted in means.map { mu -> SVGPlot in
            let g = rows.filter { $0.permuted == permuted && $0.mean == mu }
            var p = SVGPlot(title: "\(permuted ? "permuted" : "true"): " + Init(mean: mu, std: CounterexamplesFig1.std).title,
                            xLabel: "hidden units per layer h", yLabel: "final training accuracy", width: 320, height: 280)
            p.yRange = 0...1
            for (depth, color) in [(5, 0), (2, 3)] {
                let s = g.filter { $0.layers == depth }
                p.addPoints(name: "\(depth) layers", x: s.map { Double($0.hidden) }, y: s.map(\.accuracy), marker: .triangle,
                            color: SVGPlot.palette[color])
            }
            p.legend = .bottomRight
            return p
        } }
        return SVGPanels(panels, columns: means.count,
                         title: "Fig. 1: MNIST, 784-h-…-h-10, after \(CounterexamplesFig1.updates(scale)) updates (top: true labels, bottom: permuted)").render()
    }

    /// What a run at scale `s` falls short of the paper's budget by, or nil at the paper's budget.
    static func budget(_ s: StudyScale) -> String? {
        guard s != .full else { return nil }
        let images = rows(s).map { "\($0) of its 60 000 images" } ?? "all its images"
        return "\(updates(s)) of the paper's \(paperUpdates) updates, \(images), h ≤ \(widthRange(s).upperBound)"
    }
    /// The width from which the paper's permuted labels reach zero training error.
    static let permutedWidth = 400

    /// The paper's statements, each decided only as far as the budget allows (Claim.Kind):
    ///   - in the good interval (μ = 0) the true labels are learnt: training accuracy ≥ 0.9;
    ///   - outside it (the farthest μ) no 2-layer run reaches a good solution (accuracy below
    ///     0.5), with true or permuted labels; and depth does not resolve it: no 5-layer run
    ///     there does either. Below the paper's budget a run that ends low may be slow rather
    ///     than stuck: these two are decided only where a run does escape;
    ///   - permuted labels are more susceptible: at an intermediate μ, the share of the μ = 0
    ///     run's gain over chance that remains is lower with permuted labels than with the true
    ///     ones (pairs where the μ = 0 run learnt the permuted labels, ≥ chance + 0.1); a
    ///     comparison at equal updates;
    ///   - with permuted labels and a good start, zero training error needs at least 400
    ///     units: testable only at the paper's budget, with runs on both sides of 400.
    /// Each claim must hold in 3/4 of its cases.
    static func judge(_ rows: [Row], budget: String?) -> Judgement {
        func f(_ x: Double) -> String { MarkdownReport.number(x, decimals: 3) }
        let means = Set(rows.map(\.mean)).sorted(by: >)
        guard let good = means.first, good == 0, let worst = means.last, worst < good else {
            return VerdictRule.judge([Claim("a good and a bad initialisation to compare", held: 0, of: 0)])
        }
        func at(_ mu: Double, _ r: Row) -> Row? {
            rows.first { $0.mean == mu && $0.permuted == r.permuted && $0.layers == r.layers && $0.job == r.job }
        }
        let goodTrue = rows.filter { $0.mean == good && !$0.permuted }
        let (shallow, deep) = (rows.filter { $0.mean == worst && $0.layers == depths.min() },
                               rows.filter { $0.mean == worst && $0.layers == depths.max() })
        // Remaining share of the μ = 0 run's gain over chance, per pair of label rows.
        func kept(_ r: Row) -> Double? {
            guard let g = at(good, r), g.accuracy - chance >= 0.1 else { return nil }
            return (r.accuracy - chance) / (g.accuracy - chance)
        }
        let middle = rows.filter { $0.mean != good && $0.mean != worst && !$0.permuted }.compactMap { r -> (Row, Double, Double)? in
            var twin = r
            twin.permuted = true
            guard let perm = at(r.mean, twin), let k = kept(r), let kp = kept(perm) else { return nil }
            return (r, k, kp)
        }
        let claims = [
            Claim("μ = 0 learns the true labels (≥ 0.9)", held: goodTrue.filter { $0.accuracy >= 0.9 }.count, of: goodTrue.count)
                .at(reduced: budget != nil, .happens),
            Claim("μ = \(g(worst)), \(depths.min()!) layers: no good solution (< 0.5)", held: shallow.filter { $0.accuracy < 0.5 }.count,
                  of: shallow.count).at(reduced: budget != nil, .neverHappens),
            Claim("μ = \(g(worst)), \(depths.max()!) layers: none either", held: deep.filter { $0.accuracy < 0.5 }.count, of: deep.count)
                .at(reduced: budget != nil, .neverHappens),
            Claim("permuted labels lose more of the μ = 0 accuracy at an intermediate μ", held: middle.filter { $0.2 < $0.1 }.count,
                  of: middle.count).at(reduced: budget != nil, .sameBudget),
            permutedNeedWidth(rows.filter { $0.mean == good && $0.permuted }, budget: budget),
        ]
        func span(_ rs: [Row]) -> String {
            guard let lo = rs.map(\.accuracy).min(), let hi = rs.map(\.accuracy).max() else { return "none" }
            return "\(f(lo))–\(f(hi))"
        }
        var detail = means.map { mu in
            "μ = \(g(mu)): true labels " + span(rows.filter { $0.mean == mu && !$0.permuted })
                + ", permuted " + span(rows.filter { $0.mean == mu && $0.permuted })
        }.joined(separator: "; ")
        // Whether the bad start's accuracy still grows with h: then it is slow, not (yet) shown stuck.
        detail += "; at μ = \(g(worst)) the true-label accuracy from the smallest to the largest h: " + depths.map { d in
            let s = rows.filter { $0.mean == worst && !$0.permuted && $0.layers == d }.sorted { $0.hidden < $1.hidden }
            guard let a = s.first, let b = s.last else { return "\(d) layers: none" }
            return "\(d) layers \(f(a.accuracy)) (h = \(a.hidden)) → \(f(b.accuracy)) (h = \(b.hidden))"
        }.joined(separator: ", ")
        if !middle.isEmpty {
            detail += "; share of the μ = 0 gain over chance kept at intermediate μ, true / permuted labels: "
                + middle.map { "μ = \(g($0.0.mean)), \($0.0.layers) layers, h = \($0.0.hidden): \(f($0.1)) / \(f($0.2))" }.joined(separator: ", ")
        }
        let scope = budget.map { " (at a reduced budget: \($0))" } ?? " (after \(rows.first?.updates ?? 0) updates, the paper's budget)"
        return VerdictRule.judge(claims, detail: detail + scope)
    }

    /// "The network requires at least 400 units to be able to achieve 0 training error" with
    /// permuted labels: each good-start run reaches zero error exactly when h ≥ 400.
    static func permutedNeedWidth(_ runs: [Row], budget: String?) -> Claim {
        let statement = "permuted labels reach zero training error only from \(permutedWidth) units"
        if budget != nil {
            return .untestable(statement, because: "a threshold at the paper's budget and on all its images; here h ≤ \(runs.map(\.hidden).max() ?? 0)")
        }
        guard runs.contains(where: { $0.hidden >= permutedWidth }), runs.contains(where: { $0.hidden < permutedWidth }) else {
            return .untestable(statement, because: "no good-start run on one side of \(permutedWidth) units")
        }
        return Claim(statement, held: runs.filter { ($0.accuracy == 1) == ($0.hidden >= permutedWidth) }.count, of: runs.count)
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement {
        CounterexamplesFig1.judge(rows, budget: CounterexamplesFig1.budget(scale))
    }

    func settings(_ s: StudyScale) -> String {
        let t = CounterexamplesFig1.self, r = t.widthRange(s)
        let data = t.rows(s).map { "the first \($0) of the 60 000 MNIST training images" } ?? "all 60 000 MNIST training images"
        var text = "Columns (ours: the paper's column titles are lost; it says it varies the mean of the Gaussian): weights and "
            + "biases both N(μ, \(t.std)²) with μ ∈ {" + t.means(s).map(t.g).joined(separator: ", ")
            + "}. With pixels / 255 a first-layer unit's input on an average image has mean ≈ 103 μ and standard deviation "
            + "≈ 0.93 (σ = 0.1): over the training images a unit starts on for about 2 % of them at μ = −0.02, 0.2 % at −0.03 "
            + "and 0.001 % at −0.05 (faint images only); a unit that is off on every image never moves again. \"2 and 5 "
            + "layers\" read as 2 "
            + "and 5 hidden layers of h units "
            + "(784-h-h-10, 784-h-h-h-h-h-10: the caption's \"5 layer models with same number of hidden units on each\"). "
            + "Bottom row: the training labels randomly permuted over the images (one fixed permutation, seed \(t.labelSeed)). "
            + "Softmax cross-entropy, Adam lr 1e-4 (β = (0.9, 0.999), ε = 1e-8), batch \(t.batch), no weight decay; training "
            + "accuracy on \(data), pixels / 255. \(t.jobs(s)) job(s) per (column, labels, depth), h drawn uniformly from "
            + "[\(r.lowerBound), \(r.upperBound)] per job (seed \(t.widthSeed)), the same h in every panel; \(t.updates(s)) updates per run."
        if s != .full {
            text += " Reduced from the paper (`--scale full` runs it: all 60 000 images, h in [100, 2000], 50 jobs per depth and "
                + "panel, \(t.paperUpdates) updates): \(data) instead of all 60 000 (so that the permuted labels can be learnt at "
                + "all within the budget), h in [\(r.lowerBound), \(r.upperBound)] instead of [100, 2000], \(t.jobs(s)) job(s) per "
                + "depth and panel instead of 100 jobs, \(t.updates(s)) updates instead of \(t.paperUpdates). At this budget a "
                + "column that ends low may be slow rather than stuck (the verdict quotes how the accuracy at the farthest μ grows "
                + "with h), so \"does not converge\" can only be refuted here, by a run that does; only a start with every unit off on every "
                + "image (μ = −0.1, the quick scale's) is stuck at any budget."
        }
        return text
    }
}
