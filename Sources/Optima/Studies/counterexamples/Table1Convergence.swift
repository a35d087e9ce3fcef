// counterexamples Table 1 (§3.1.2): how often a 2-h-1 network from a random start learns the
// 4-point XOR and the Jellyfish set, h = 2…7, ReLU and sigmoid, Adam and full-batch gradient
// descent. "Converged" is ours (the paper puts it in quotes and does not define it): after
// `steps` full-batch updates every one of the 4 points is on the right side of 0.5. Each cell
// is `inits` initialisations, trained in blocks of `block` per runner job (a training takes
// milliseconds, so one job each would be mostly bookkeeping); initialisation i starts from
// the same weights in every cell of its set and width, so Adam and GD, ReLU and sigmoid are
// compared on paired starts.
import Foundation

struct CounterexamplesTable1: Study {
    let about = StudyAbout(.counterexamples, "table1", "\"convergence\" rates of 2-h-1 nets on XOR and Jellyfish, Adam vs GD",
                           title: "Table 1: \"convergence\" rate of 2-h-1 networks on XOR and Jellyfish, Adam vs gradient descent",
                           claim: "\"while SGD can solve the task with only 2 hidden units, full batch methods do not always succeed. "
                           + "Switching from gradient descent to more aggressive optimizers like Adam does not seem to help, but rather "
                           + "tend to make it more likely to get stuck in suboptimal solutions\"; \"Compared to the XOR problem it seems "
                           + "the jellyfish problem poses even more issues, especially for ReLU units, where with 4 hidden units one still "
                           + "only gets 2 out of 3 runs to end with 0 training error (when using GD).\"")

    /// Named settings the paper leaves out.
    static let sets = ["xor4", "jellyfish"]
    static let activations: [Activation] = [.relu, .sigmoid]
    /// The paper's two full-batch columns.
    static let optimizers: [OptimizerKind] = [.adam, .gd]
    /// The sets that also get an SGD arm (batch 1, GD's rate, the same number of updates),
    /// for the paper's remark that "SGD can solve the task with only 2 hidden units"; it
    /// prints no SGD column.
    static let sgdSets = ["xor4"]
    static func optimizers(_ set: String) -> [OptimizerKind] { optimizers + (sgdSets.contains(set) ? [.sgd] : []) }
    static let widths = Array(2...7)
    static func inits(_ s: StudyScale) -> Int { s == .paper ? 1000 : 16 }
    static func block(_ s: StudyScale) -> Int { s == .paper ? 100 : 16 }
    /// Updates per run, the same for every optimiser: full-batch steps, or for SGD one step per
    /// point (4 per epoch).
    static func steps(_ s: StudyScale) -> Int { s == .paper ? 30_000 : 4000 }
    static func epochs(_ o: OptimizerKind, _ s: StudyScale) -> Int { o == .sgd ? steps(s) / 4 : steps(s) }
    /// GD: 0.3, not the preset's 0.1: from PyTorch's small start a sigmoid net sits on the
    /// ln 2 plateau (every output near 0.5) for thousands of steps, and at 0.1 most Jellyfish
    /// sigmoid runs are still there after 10 000, which would count slowness as getting
    /// stuck. Much larger rates (1.0) change ReLU outcomes on Jellyfish: they kill units.
    /// Adam: Kingma & Ba's default 1e-3 (the paper's App. A keeps Adam's "default other
    /// arguments"), full batch like GD.
    static let gdRate: Float = 0.3
    static let adamRate: Float = 1e-3

    /// The paper's Table 1 (%): per set and activation, Adam then GD, h = 2…7.
    static let paper: [String: [OptimizerKind: [Double]]] = [
        "xor4/relu": [.adam: [28, 52, 68, 81, 91, 97], .gd: [23, 47, 70, 80, 89, 89]],
        "xor4/sigmoid": [.adam: [79, 98, 100, 100, 100, 100], .gd: [90, 100, 100, 100, 100, 100]],
        "jellyfish/relu": [.adam: [7, 34, 50, 51, 61, 69], .gd: [16, 33, 66, 68, 69, 86]],
        "jellyfish/sigmoid": [.adam: [0, 0, 2, 27, 17, 58], .gd: [62, 100, 100, 100, 100, 100]],
    ]

    static func name(_ a: Activation) -> String { a == .relu ? "relu" : "sigmoid" }

    /// The recipe of one cell: the counterexamples preset (PyTorch's initialisation, no weight
    /// decay) with the cell's activation and optimiser, full batch (SGD: batch 1, shuffled).
    static func recipe(_ a: Activation, _ o: OptimizerKind, _ s: StudyScale) -> Recipe {
        var r = Recipe.counterexamplesGD
        r.activation = a
        r.training.optimizer.kind = o
        r.training.optimizer.learningRate = o == .adam ? adamRate : gdRate
        r.training.batchSize = o == .sgd ? 1 : 4
        r.training.epochs = epochs(o, s)
        return r
    }

    func grid(_ s: StudyScale) -> [TrainingPoint] {
        let t = CounterexamplesTable1.self
        return t.sets.flatMap { d in t.activations.flatMap { a in t.optimizers(d).flatMap { o in t.widths.flatMap { h in
            stride(from: 0, to: t.inits(s), by: t.block(s)).map { first in
                var p = TrainingPoint(data: .named(d, splitSeed: 0), hidden: h, initialization: first, epochs: t.epochs(o, s),
                                      recipe: t.recipe(a, o, s))
                p.variant = "\(o.rawValue),\(t.name(a))"
                p.runs = min(t.block(s), t.inits(s) - first)
                return p
            }
        } } } }
    }

    /// One cell: runs and how many converged, beside the paper's rate.
    struct Row {
        var data: String
        var activation: String
        var optimizer: OptimizerKind
        var hidden: Int
        var runs: Int
        var converged: Int
        var paper: Double

        var rate: Double { Double(converged) / Double(max(1, runs)) }
        var interval: (low: Double, high: Double) { wilsonInterval(successes: converged, trials: runs) }
    }

    func rows(_ results: [StudyResult], scale: StudyScale) -> [Row] {
        results.grouped { r in "\(r.point.data.keyPart)|\(r.point.variant ?? "")|\(r.point.hidden)" }.map { _, g in
            let p = g[0].point, parts = (p.variant ?? "").split(separator: ",").map(String.init)
            let data: String = { if case let .named(n, _) = p.data { return n } else { return p.data.keyPart } }()
            let opt = OptimizerKind(rawValue: parts[0])!, act = parts[1]
            let accuracies = g.flatMap(\.runTrainAccuracies)
            let paper = CounterexamplesTable1.paper["\(data)/\(act)"]?[opt]?[p.hidden - 2] ?? .nan
            return Row(data: data, activation: act, optimizer: opt, hidden: p.hidden, runs: accuracies.count,
                       converged: accuracies.filter { $0 == 1 }.count, paper: paper / 100)
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [Column("data") { $0.data }, Column("activation") { $0.activation }, Column("optimizer") { $0.optimizer.rawValue },
         .int("h") { $0.hidden }, .int("runs") { $0.runs }, .int("converged") { $0.converged },
         .number("rate") { $0.rate }, .number("wilson_low") { $0.interval.low }, .number("wilson_high") { $0.interval.high },
         .number("paper_rate", decimals: 2) { $0.paper }]
    }

    /// The report puts Adam and GD side by side, ours with its 95% Wilson interval beside the
    /// paper's, then our SGD arm where there is one.
    func reportTable(_ rows: [Row], scale: StudyScale) -> (header: [String], rows: [[String]]) {
        func cell(_ r: Row?) -> String {
            guard let r else { return "" }
            let (lo, hi) = r.interval
            return "\(Int((100 * r.rate).rounded()))% [\(Int((100 * lo).rounded()))–\(Int((100 * hi).rounded()))]"
        }
        func paper(_ r: Row?) -> String { r.map { "\(Int((100 * $0.paper).rounded()))%" } ?? "" }
        let cells = rows.grouped { "\($0.data)|\($0.activation)|\($0.hidden)" }.map { _, g in
            (g.first { $0.optimizer == .adam }, g.first { $0.optimizer == .gd }, g.first { $0.optimizer == .sgd }, g[0])
        }
        return (["data", "activation", "h", "Adam (ours, 95% CI)", "Adam (paper)", "GD (ours, 95% CI)", "GD (paper)",
                 "SGD, batch 1 (ours, 95% CI)"],
                cells.map { a, g, sgd, r in [r.data, r.activation, String(r.hidden), cell(a), paper(a), cell(g), paper(g), cell(sgd)] })
    }

    func plot(_ rows: [Row], scale: StudyScale) -> String? {
        let panels = rows.grouped { "\($0.data) \($0.activation)" }.map { title, g -> SVGPlot in
            var p = SVGPlot(title: title, xLabel: "hidden units h", yLabel: "converged", width: 380, height: 300)
            p.yRange = 0...1
            for (k, o) in CounterexamplesTable1.optimizers(g[0].data).enumerated() {
                let s = g.filter { $0.optimizer == o }.sorted { $0.hidden < $1.hidden }, c = SVGPlot.palette[k], x = s.map { Double($0.hidden) }
                let name = o == .adam ? "Adam" : o == .gd ? "GD" : "SGD"
                p.addBand(x: x, lower: s.map(\.interval.low), upper: s.map(\.interval.high), color: c)
                p.addLine(name: "\(name), ours", x: x, y: s.map(\.rate), color: c, markers: true)
                if o != .sgd { p.addPoints(name: "\(name), paper", x: x, y: s.map(\.paper), marker: .cross, color: c) }
            }
            p.legend = .bottomRight
            return p
        }
        return SVGPanels(panels, columns: 2, title: "Table 1: share of \(CounterexamplesTable1.inits(scale)) starts with every point right "
                         + "after \(CounterexamplesTable1.steps(scale)) steps (band: 95% Wilson)").render()
    }

    /// Three claims, each counted over the pairs of rates it compares. "Below" means clearly
    /// below: the two 95% Wilson intervals do not overlap (paired starts make many ReLU cells
    /// differ by a few runs, which is no difference). A pair where both rates are 100% (or
    /// both 0%) says nothing and is left out.
    ///  - Adam gets stuck more often than GD: Adam's rate below GD's in at least half of the
    ///    (set, activation, h) pairs ("tend to").
    ///  - Jellyfish is harder than XOR: its rate below XOR's in 3/4 of the (activation,
    ///    optimiser, h) pairs.
    ///  - above all for ReLU: with GD, Jellyfish's ReLU rate below its sigmoid rate in 3/4 of h.
    ///  - "SGD can solve the task with only 2 hidden units", "full batch methods do not always
    ///    succeed": at h = 2, per activation, SGD's rate above GD's and above Adam's (3/4 of
    ///    the four pairs).
    ///  - and the numbers themselves: our rate within `closeness` of the paper's in 3/4 of the
    ///    cells (as cpna/table1 asks of its bests). The reason lists every cell further than
    ///    `farApart` from the paper's, and how many of the paper's rates fall inside our 95 %
    ///    interval (the paper gives no run count, so its own noise is unknown).
    static let closeness = 0.05, farApart = 0.10

    static func judge(_ rows: [Row]) -> Judgement {
        func find(_ d: String, _ a: String, _ o: OptimizerKind, _ h: Int) -> Row? {
            rows.first { $0.data == d && $0.activation == a && $0.optimizer == o && $0.hidden == h }
        }
        func count(_ pairs: [(lower: Row?, higher: Row?)]) -> (held: Int, cases: Int) {
            let informative = pairs.compactMap { p -> (Row, Row)? in
                guard let a = p.lower, let b = p.higher, !(a.converged == a.runs && b.converged == b.runs),
                      !(a.converged == 0 && b.converged == 0) else { return nil }
                return (a, b)
            }
            return (informative.filter { $0.interval.high < $1.interval.low }.count, informative.count)
        }
        let widths = Set(rows.map(\.hidden)).sorted()
        func adamPairs(_ acts: [String]) -> [(lower: Row?, higher: Row?)] {
            sets.flatMap { d in acts.flatMap { a in widths.map { (find(d, a, .adam, $0), find(d, a, .gd, $0)) } } }
        }
        let adam = count(adamPairs(["relu", "sigmoid"])), adamReLU = count(adamPairs(["relu"])), adamSigmoid = count(adamPairs(["sigmoid"]))
        let jelly = count(["relu", "sigmoid"].flatMap { a in optimizers.flatMap { o in
            widths.map { (find("jellyfish", a, o, $0), find("xor4", a, o, $0)) } } })
        let relu = count(widths.map { (find("jellyfish", "relu", .gd, $0), find("jellyfish", "sigmoid", .gd, $0)) })
        let sgd = count(["relu", "sigmoid"].flatMap { a in optimizers.map { (find("xor4", a, $0, 2), find("xor4", a, .sgd, 2)) } })
        func pooled(_ f: (Row) -> Bool) -> String {
            let g = rows.filter(f), c = g.reduce(0) { $0 + $1.converged }, n = g.reduce(0) { $0 + $1.runs }
            return "\(Int((100 * Double(c) / Double(max(1, n))).rounded()))%"
        }
        func pct(_ x: Double) -> String { "\(Int((100 * x).rounded()))%" }
        let h4 = find("jellyfish", "relu", .gd, 4).map { "Jellyfish ReLU GD at h = 4: \(pct($0.rate)) (paper \(pct($0.paper)))" } ?? ""
        let withPaper = rows.filter { $0.paper.isFinite }
        let inside = withPaper.filter { $0.interval.low <= $0.paper && $0.paper <= $0.interval.high }.count
        return VerdictRule.judge([
            Claim("Adam below GD", held: adam.held, of: adam.cases, share: 0.5),
            Claim("Jellyfish below XOR", held: jelly.held, of: jelly.cases),
            Claim("with GD, Jellyfish ReLU below Jellyfish sigmoid", held: relu.held, of: relu.cases),
            Claim("XOR at h = 2: SGD above both full-batch optimisers", held: sgd.held, of: sgd.cases),
            Claim("our rate within \(points(closeness)) points of the paper's", held: withPaper.filter { abs($0.rate - $0.paper) <= closeness + 1e-9 }.count,
                  of: withPaper.count),
        ], detail: "The paper's rate lies inside our 95% interval in \(inside) of \(withPaper.count) cells; "
            + disagreements(withPaper) + ". " + "Adam below GD with ReLU \(adamReLU.held)/\(adamReLU.cases), with sigmoid \(adamSigmoid.held)/\(adamSigmoid.cases). "
            + "Pooled over h: Adam \(pooled { $0.optimizer == .adam }) vs GD \(pooled { $0.optimizer == .gd }); "
            + "XOR \(pooled { $0.data == "xor4" && $0.optimizer != .sgd }) vs Jellyfish \(pooled { $0.data == "jellyfish" }); "
            + "Jellyfish GD ReLU \(pooled { $0.data == "jellyfish" && $0.optimizer == .gd && $0.activation == "relu" }) vs sigmoid "
            + "\(pooled { $0.data == "jellyfish" && $0.optimizer == .gd && $0.activation == "sigmoid" }); " + h4 + ". XOR at h = 2, "
            + "SGD / GD / Adam: " + ["relu", "sigmoid"].map { a in
                "\(a) " + [OptimizerKind.sgd, .gd, .adam].map { o in find("xor4", a, o, 2).map { pct($0.rate) } ?? "–" }.joined(separator: " / ")
            }.joined(separator: ", "))
    }

    /// The cells further than `farApart` from the paper's, grouped by set, activation and
    /// optimiser: "Jellyfish sigmoid Adam, h = 2…7: 11/61/93/100/100/100% (paper 0/0/2/27/17/58%)".
    static func disagreements(_ rows: [Row]) -> String {
        let far = rows.filter { abs($0.rate - $0.paper) > farApart }
        guard !far.isEmpty else { return "no cell differs from the paper's by more than \(points(farApart)) points" }
        return "\(far.count) cells differ from the paper's by more than \(points(farApart)) points: " + far.grouped {
            "\($0.data == "xor4" ? "XOR" : "Jellyfish") \($0.activation) \($0.optimizer == .adam ? "Adam" : "GD")"
        }.map { group, g in
            "\(group), h = " + g.map { String($0.hidden) }.joined(separator: "/") + ": " + g.map { points($0.rate) }.joined(separator: "/")
                + "% (paper " + g.map { points($0.paper) }.joined(separator: "/") + "%)"
        }.joined(separator: "; ")
    }

    /// A rate as whole percentage points: 0.93 → "93".
    static func points(_ x: Double) -> String { String(Int((100 * x).rounded())) }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { CounterexamplesTable1.judge(rows) }

    func settings(_ s: StudyScale) -> String {
        let t = CounterexamplesTable1.self
        return "Converged: after \(t.steps(s)) updates every one of the 4 points is classified right (output on the "
            + "label's side of 0.5). Networks 2-h-1, one sigmoid output, log loss, PyTorch's initialisation (weights and biases "
            + "uniform in ±1/√fan_in), no weight decay. GD: learning rate \(String(format: "%g", Double(t.gdRate))); Adam: learning rate "
            + "\(String(format: "%g", Double(t.adamRate))), β = (0.9, 0.999), ε = 1e-8, full batch. SGD (ours, on "
            + t.sgdSets.joined(separator: ", ") + " only: the paper remarks that SGD solves XOR with 2 hidden units but prints no "
            + "SGD column): GD's learning rate on one point at a time in a shuffled order, \(t.steps(s)) updates "
            + "(\(t.epochs(.sgd, s)) epochs). \(t.inits(s)) initialisations per cell, "
            + "the same \(t.inits(s)) starts in every cell of a set and width (paired), trained in blocks of \(t.block(s)) per job. "
            + "Intervals: 95% Wilson score intervals; a rate counts as below another when their intervals do not overlap."
    }
}
