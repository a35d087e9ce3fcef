// counterexamples Proposition 4: on the blind-spot set (whitened, full-rank covariance,
// linearly separable), weights N(μ, σ²) and biases 0 put every near point in the dead part of
// every first-layer ReLU with probability ≥ Φ(μ/σ)^(dh + h); then no gradient method ever
// separates them. For each μ we train many 2-h-1 nets with the log loss and count the runs
// that never reach 0 training error and the runs that end collapsed (every near point with
// one output: the blind spot), beside the bound and, among the runs that start with every
// weight positive (the proof's case), how many fail. Standardising crams the 49 near points
// into a patch 0.013 wide, so reaching 0 error is slow from any start; the collapse is what
// the initialisation decides. The runs of each μ are one computation: a job of the runner,
// resumable and shardable like a grid.
import Foundation

struct CounterexamplesProp4: Study {
    let about = StudyAbout(.counterexamples, "prop4", "blind-spot initialisation: runs that never reach 0 training error vs μ",
                           title: "Proposition 4: runs that never reach 0 training error vs the weights' mean μ (blind-spot set)",
                           claim: "\"There exists a normalized (whitened) dataset satisfying: Given an arbitrary feed forward rectifier network "
                           + "with weights initialized from a normal distribution and biases initialized to 0 and an arbitrary ε ∈ [0, 1), with "
                           + "probability at least 1 − ε, gradient based techniques using log loss never achieve 0 training error nor they ever "
                           + "converge. Furthermore, this dataset can have full rank covariance matrix and be linearly separable.\" (App. B.1: "
                           + "P ≥ Φ(μ/σ)^(dh + h).)")

    /// Named settings the paper leaves out.
    static let hidden = 10
    static let sigma = 1.0
    static func means(_ s: StudyScale) -> [Double] { s == .paper ? stride(from: 0.0, through: 4, by: 0.5).map { $0 } : [0, 2, 4] }
    static func inits(_ s: StudyScale) -> Int { s == .paper ? 200 : 12 }
    /// Full-batch gradient descent steps (the counterexamples preset: learning rate 0.1).
    static func steps(_ s: StudyScale) -> Int { s == .paper ? 2000 : 300 }

    func grid(_ s: StudyScale) -> [TrainingPoint] { [] }

    struct Row {
        var mean: Double
        var runs: Int
        var failures: Int
        /// Runs whose near points all end with one output.
        var collapsed: Int
        /// Runs whose every weight starts positive, and how many of those fail.
        var blindStarts: Int
        var blindFailures: Int
        var bound: Double

        var fraction: Double { Double(failures) / Double(max(1, runs)) }
        var standardError: Double { (fraction * (1 - fraction) / Double(max(1, runs))).squareRoot() }
        var collapsedFraction: Double { Double(collapsed) / Double(max(1, runs)) }
        var collapsedError: Double { (collapsedFraction * (1 - collapsedFraction) / Double(max(1, runs))).squareRoot() }
    }

    /// The recipe of one run: the preset's gradient descent, N(μ, σ²) weights, zero biases.
    static func recipe(mean: Double, initialization i: Int, _ s: StudyScale) -> Recipe {
        var r = Recipe.counterexamplesGD
        r.hidden = [hidden]
        r.initialization = .gaussian(weightMean: mean, weightStd: sigma, biasMean: 0, biasStd: 0)
        // The same seed at every μ: run i's weights are μ + σz with the same z, so the curve
        // moves only with μ.
        r.seed = derivedSeed(for: "counterexamples-prop4,init=\(i)", base: TrainingPoint.baseSeed)
        r.training.seed = r.seed &+ 1
        r.training.epochs = steps(s)
        return r
    }

    /// Whether a network labels every point right (logit > 0 for label 1).
    static func separates(_ n: Network, _ d: Dataset) -> Bool {
        zip(n.predict(d.features, rows: d.count), d.targets).allSatisfy { ($0 > 0) == ($1 == 1) }
    }

    /// Trains one run: whether it never reaches 0 training error, whether its near points (all
    /// but the last, far one) end with one output, and whether every weight started positive.
    static func fails(_ r: Recipe, on d: Dataset) -> (fails: Bool, collapsed: Bool, blind: Bool) {
        let net = r.makeNetwork(features: d.featureCount, task: d.task)
        let blind = (0..<net.layerCount).allSatisfy { l in
            (0..<net.shape.layers[l].weightCount).allSatisfy { net.weights(l)[$0] > 0 }
        }
        let trainer = Trainer(network: net, train: d, settings: r.training)
        var reached = separates(net, d)
        while !reached && trainer.epoch < r.training.epochs {
            trainer.runEpoch()
            reached = separates(net, d)
        }
        let near = net.predict(d.features, rows: d.count).dropLast()
        return (!reached, near.allSatisfy { $0 == near.first! }, blind)
    }

    /// The job of one μ: the settings its runs depend on name it.
    static func key(mean mu: Double, _ s: StudyScale) -> String {
        "mu=\(CSVTable.cell(mu)),h=\(hidden),sigma=\(CSVTable.cell(sigma)),inits=\(inits(s)),steps=\(steps(s))"
    }

    func computations(_ s: StudyScale) -> [StudyComputation] {
        let t = CounterexamplesProp4.self
        return t.means(s).map { mu in StudyComputation(t.key(mean: mu, s)) { try t.runs(mean: mu, s) } }
    }

    /// Trains every initialisation at μ; per run, in order of initialisation: whether it never
    /// reached 0 training error, whether its near points collapsed, whether every weight
    /// started positive.
    static func runs(mean mu: Double, _ s: StudyScale) throws -> ResultRecord {
        let d = try CounterexamplesData.blindSpot()
        let runs = (0..<inits(s)).map { fails(recipe(mean: mu, initialization: $0, s), on: d) }
        return ["never_zero_error": .array(runs.map { .bool($0.fails) }), "collapsed": .array(runs.map { .bool($0.collapsed) }),
                "all_weights_positive": .array(runs.map { .bool($0.blind) })]
    }

    func rows(_ results: [StudyResult], computed: ComputedRecords, scale: StudyScale) throws -> [Row] {
        let d = try CounterexamplesData.blindSpot()
        let t = CounterexamplesProp4.self
        return try t.means(scale).map { mu in
            let r = try computed.record(t.key(mean: mu, scale))
            let runs = t.inits(scale)
            let fails = try r.bools("never_zero_error", count: runs), collapsed = try r.bools("collapsed", count: runs)
            let blind = try r.bools("all_weights_positive", count: runs)
            return Row(mean: mu, runs: fails.count, failures: fails.filter { $0 }.count, collapsed: collapsed.filter { $0 }.count,
                       blindStarts: blind.filter { $0 }.count, blindFailures: zip(blind, fails).filter { $0 && $1 }.count,
                       bound: BlindSpotBound.probability(mean: mu, sigma: t.sigma, inputs: d.featureCount, width: t.hidden, hidden: 1))
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [.number("mu", decimals: 1) { $0.mean }, .int("runs") { $0.runs }, .int("never_zero_error") { $0.failures },
         .number("fraction") { $0.fraction }, .number("standard_error") { $0.standardError },
         .int("collapsed") { $0.collapsed }, .number("collapsed_fraction") { $0.collapsedFraction },
         .number("bound_Phi(mu/sigma)^(dh+h)") { $0.bound }, .int("all_weights_positive_at_start") { $0.blindStarts },
         .int("of_those_never_zero_error") { $0.blindFailures }]
    }

    func plot(_ rows: [Row], scale: StudyScale) -> String? {
        var p = SVGPlot(title: "2-\(CounterexamplesProp4.hidden)-1, N(μ, \(CSVTable.cell(CounterexamplesProp4.sigma))²) weights, biases 0",
                        xLabel: "weights' mean μ", yLabel: "fraction of runs never at 0 training error")
        p.yRange = 0...1
        let x = rows.map(\.mean)
        p.addBand(x: x, lower: rows.map { max(0, $0.fraction - 2 * $0.standardError) }, upper: rows.map { min(1, $0.fraction + 2 * $0.standardError) })
        p.addLine(name: "never at 0 error (± 2 s.e.)", x: x, y: rows.map(\.fraction), markers: true)
        p.addBand(x: x, lower: rows.map { max(0, $0.collapsedFraction - 2 * $0.collapsedError) },
                  upper: rows.map { min(1, $0.collapsedFraction + 2 * $0.collapsedError) })
        p.addLine(name: "near points collapsed (± 2 s.e.)", x: x, y: rows.map(\.collapsedFraction), markers: true)
        p.addLine(name: "bound Φ(μ/σ)^(dh+h)", x: x, y: rows.map(\.bound), dashed: true)
        p.legend = .bottomRight
        return SVGPanels([p], title: "Prop. 4 on the blind-spot set (\(CounterexamplesProp4.inits(scale)) runs per μ)").render()
    }

    /// Four claims, each judged against the μ = 0 control (no run starts with every weight
    /// positive, none collapses), so that none holds by the budget alone: within the steps
    /// almost no run reaches 0 error from any start (the near points lie 0.013 apart).
    ///  - The runs that start with every weight positive never reach 0 error (all of them), and
    ///    more often than the control: where the control's 95 % Wilson interval reaches theirs,
    ///    not reaching 0 error is slowness as much as the blind spot: not comparable.
    ///  - The failing fraction is at least the bound (less 3 standard errors), counted at the μ
    ///    whose bound lies above the control's failing fraction (its upper 95 % limit); at a
    ///    lower bound slowness alone passes it. No such μ: not comparable.
    ///  - The collapsed fraction is at least the bound at every μ.
    ///  - The collapse rises from the control to the largest μ (beyond 3 standard errors).
    static func judge(_ rows: [Row]) -> Judgement {
        let s = rows.sorted { $0.mean < $1.mean }
        func f(_ x: Double) -> String { MarkdownReport.number(x, decimals: 2) }
        func atLeastBound(_ f: Double, _ se: Double, _ r: Row) -> Bool { f >= r.bound - 3 * max(se, 1 / Double(max(1, r.runs))) }
        let control = s.first { $0.mean == 0 }
        let controlFails = control.map { wilsonInterval(successes: $0.failures, trials: $0.runs) }
        let controlText = control.map { "the μ = 0 control also never reaches 0 error in \($0.failures) of \($0.runs) runs" } ?? ""

        let starts = s.reduce(0) { $0 + $1.blindStarts }, failed = s.reduce(0) { $0 + $1.blindFailures }
        var blind = Claim("runs starting with all weights positive never reach 0 error, unlike the μ = 0 control", held: failed,
                          of: starts, share: 1)
        if let c = controlFails, blind.holds, c.high >= wilsonInterval(successes: failed, trials: starts).low {
            blind = blind.notComparable(because: controlText)
        } else if control == nil {
            blind = blind.notComparable(because: "no μ = 0 control")
        }
        let informative = s.filter { r in controlFails.map { r.bound > $0.high } ?? false }
        var bound = Claim("failing fraction ≥ the bound where the bound is above the control's", held: informative.filter {
            atLeastBound($0.fraction, $0.standardError, $0)
        }.count, of: informative.count, share: 1)
        if informative.isEmpty {
            bound = bound.notComparable(because: control.map { c in "no bound lies above the μ = 0 control's failing fraction (\(c.failures) "
                + "of \(c.runs) runs, 95 % interval up to \(MarkdownReport.number(controlFails!.high, decimals: 3)))" } ?? "no μ = 0 control")
        }
        let collapsedAbove = s.filter { atLeastBound($0.collapsedFraction, $0.collapsedError, $0) }.count
        let rises = s.count > 1 && s.last!.collapsedFraction > s.first!.collapsedFraction
            + 3 * max(s.first!.collapsedError, s.last!.collapsedError) ? 1 : 0
        return VerdictRule.judge([
            blind, bound,
            Claim("collapsed fraction ≥ the bound", held: collapsedAbove, of: s.count, share: 1),
            Claim("the collapse rises from μ = 0 to the largest μ", held: rises, of: s.count > 1 ? 1 : 0, share: 1),
        ], detail: "Never at 0 error / collapsed (bound): " + s.map {
            "μ = \(MarkdownReport.number($0.mean, decimals: 1)): \(f($0.fraction)) / \(f($0.collapsedFraction)) (\(f($0.bound)))"
        }.joined(separator: ", ") + ". Runs starting with all weights positive that never reach 0 error: \(failed) of \(starts)")
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { CounterexamplesProp4.judge(rows) }

    func settings(_ s: StudyScale) -> String {
        let t = CounterexamplesProp4.self
        let means: String = t.means(s).map { CSVTable.cell($0) }.joined(separator: ", ")
        let rate: String = String(format: "%g", Double(Recipe.counterexamplesGD.training.optimizer.learningRate))
        let net: String = "Data: the built-in blindspot set (50 points in 2-D, standardised; see fig6-left). Net: 2-\(t.hidden)-1, ReLU, log loss; "
        let initText: String = "weights N(μ, σ²) with σ = \(CSVTable.cell(t.sigma)), biases 0; μ in {\(means)}; "
        return net + initText + "\(t.inits(s)) initialisations per μ (the same seeds at every μ); full-batch gradient descent, learning rate "
            + "\(rate), up to \(t.steps(s)) steps, stopped at 0 training error (checked before the first step and after each). The 49 near points lie in a patch 0.013 wide after "
            + "standardising, so almost no run reaches 0 error within the budget at any μ; what μ decides is the collapse of the near points onto one output."
    }
}
