// CPNA on networks with several hidden layers. The cpna paper defines Alg. 1 for L layers
// ("for l = 1 to L": normalise every hidden layer, prune every layer to its m_h^l) and draws
// the framework "with one or several hidden layer(s)" (Fig. 5), but runs every experiment on
// one hidden layer. Not a figure of the paper: its claim for the method, run at depth 1 and 2
// on one XOR setting. Each depth has the dense network of that depth (NN), CPNA pruning the
// layers after the first (CPNA(hidden)), CPNA pruning the input layer too (CPNA(all)), and
// CPNA(hidden)'s sub-network retrained from a fresh initialisation (CPNA(random)).
//
// Alg. 1 has a target m_h^l per layer; the paper gives them for one hidden layer only (12
// hidden→output connections on 3-D XOR). Between two hidden layers we run two readings: the
// same 12 (each kept node of the last hidden layer then sees about one node of the layer
// before, so the network is nearly one layer deep again), and 12 × 12 = 144 (each may see 12).

struct CPNADeep: Study {
    let about = StudyAbout(.cpna, "deep", "CPNA with one and two hidden layers: NN vs CPNA(hidden/all) vs the retrained sub-network",
                           title: "CPNA on networks with several hidden layers (Alg. 1's l = 1…L)",
                           claim: "Alg. 1 normalises and prunes every layer \"for l = 1 to L\", for \"a fully connected NN with one "
                           + "or several hidden layer(s)\" (Fig. 5); the paper's claim for the method: it \"finds deeper local "
                           + "optima than when starting from a small network with random initialization or retrain the found "
                           + "sparse sub-network from scratch\". The paper runs no network with more than one hidden layer.")

    /// Table 1's 3-D data (p = 60, n = 3000), where the dense network does not generalise
    /// (Table 1: NN 78.6 % on average); every hidden layer 256 wide, since Table 1's 1024 would
    /// put a million weights between two hidden layers.
    static func setting(_ s: StudyScale) -> (k: Int, p: Int, n: Int, H: Int) { s == .quick ? (3, 10, 1000, 32) : (3, 60, 3000, 256) }
    static let depths = [1, 2]
    /// m_h^l: the paper's 3-D targets; Alg. 1 has one per layer but the paper gives none for a
    /// deeper net, so every layer after the first keeps `outputTarget` connections.
    static let (outputTarget, inputTarget) = (12, 24)
    /// The readings of m_h^l between two hidden layers (nil: `outputTarget`, the literal one).
    static let middleTargets: [Int?] = [nil, 144]
    static func inits(_ s: StudyScale) -> Int { s == .quick ? 2 : 10 }

    enum Variant: String, CaseIterable {
        case nn = "NN", hidden = "CPNA(hidden)", all = "CPNA(all)", random = "CPNA(random)"

        /// The method, with `middle` connections between two hidden layers.
        func method(middle: Int?) -> Method {
            var hidden = CPNATraining.cpna(.output, hidden: CPNADeep.outputTarget)
            var all = CPNATraining.cpna(.all, hidden: CPNADeep.outputTarget, input: CPNADeep.inputTarget)
            (hidden.middleTarget, all.middleTarget) = (middle, middle)
            switch self {
            case .nn: return .plain
            case .hidden: return .cpna(hidden)
            case .all: return .cpna(all)
            case .random: return .retrain(from: .fresh, of: .cpna(hidden))
            }
        }

        /// The variant and the middle target of a point's method.
        static func of(_ m: Method) -> (Variant, Int?)? {
            for middle in CPNADeep.middleTargets {
                if let v = allCases.first(where: { $0.method(middle: middle) == m }) { return (v, middle) }
            }
            return nil
        }
    }

    /// The (variant, middle target) cells of a depth: the middle readings only where there is
    /// a layer between two hidden layers, and one NN.
    static func cells(depth: Int) -> [(Variant, Int?)] {
        let middles = depth > 1 ? middleTargets : [nil]
        return [(.nn, nil)] + middles.flatMap { m in Variant.allCases.dropFirst().map { ($0, m) } }
    }

    func grid(_ s: StudyScale) -> [TrainingPoint] {
        let t = CPNATraining(s), x = CPNADeep.setting(s)
        return CPNADeep.depths.flatMap { depth in CPNADeep.cells(depth: depth).flatMap { v, middle in
            (0..<CPNADeep.inits(s)).map { i in
                var point = t.pruningPoint(k: x.k, p: x.p, n: x.n, hidden: x.H, method: v.method(middle: middle),
                                           initialization: i)
                point.hiddenLayers = depth
                return point
            }
        } }
    }

    struct Row {
        var depth: Int
        var variant: Variant
        /// Connections kept between two hidden layers (nil: `outputTarget`, or no such layer).
        var middle: Int?
        var runs: Int
        var best: Double, mean: Double, sd: Double
        /// Mean weights left at the end (every layer).
        var connections: Double
    }

    func rows(_ results: [StudyResult], scale: StudyScale) -> [Row] {
        results.grouped { "\($0.point.hiddenLayers) \($0.point.method.keyPart(hidden: $0.point.hidden))" }.compactMap { _, g in
            guard let (v, middle) = Variant.of(g[0].point.method) else { return nil }
            let auc = g.map(\.testAUC)
            return Row(depth: g[0].point.hiddenLayers, variant: v, middle: middle, runs: g.count, best: auc.max() ?? .nan, mean: mean(auc),
                       sd: standardDeviation(auc), connections: mean(g.map { Double($0.connections) }))
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [.int("hidden_layers") { $0.depth }, Column("method") { $0.variant.rawValue },
         Column("middle_connections") { r in r.depth == 1 || r.variant == .nn ? "" : String(r.middle ?? CPNADeep.outputTarget) },
         .int("runs") { $0.runs },
         .number("best_test_auc") { $0.best }, .number("mean_test_auc") { $0.mean }, .number("sd_test_auc") { $0.sd },
         .number("mean_connections", decimals: 0) { $0.connections }]
    }

    /// Per network (a depth, and a middle reading where there are two hidden layers):
    /// CPNA(hidden) and CPNA(all) above the NN of the same depth, and the retrained sub-network
    /// below CPNA(hidden); all on the mean test AUC over the initialisations.
    static func judge(_ rows: [Row]) -> Judgement {
        struct Case { var name: String, nn: Row?, of: [Variant: Row] }
        let cases = rows.grouped(by: \.depth).flatMap { depth, c -> [Case] in
            let nn = c.first { $0.variant == .nn }
            return c.filter { $0.variant != .nn }.grouped { $0.middle ?? 0 }.map { _, m in
                let middle = depth == 1 ? "" : ", \(m[0].middle ?? outputTarget) between them"
                return Case(name: "\(depth) hidden layer\(depth == 1 ? "" : "s")" + middle, nn: nn,
                            of: Dictionary(m.map { ($0.variant, $0) }) { a, _ in a })
            }
        }
        func count(_ test: (Case) -> Bool?) -> (held: Int, cases: Int) {
            cases.reduce((0, 0)) { acc, c in test(c).map { (acc.0 + ($0 ? 1 : 0), acc.1 + 1) } ?? acc }
        }
        func above(_ a: Variant) -> (held: Int, cases: Int) {
            count { c in c.nn.flatMap { nn in c.of[a].map { $0.mean > nn.mean } } }
        }
        let hidden = above(.hidden), all = above(.all)
        let retrained = count { c in c.of[.hidden].flatMap { h in c.of[.random].map { $0.mean < h.mean } } }
        return VerdictRule.judge([
            Claim("CPNA(hidden) above the NN of its depth", held: hidden.held, of: hidden.cases, share: 1),
            Claim("CPNA(all) above the NN of its depth", held: all.held, of: all.cases, share: 1),
            Claim("CPNA(random) below CPNA(hidden)", held: retrained.held, of: retrained.cases, share: 1),
        ], detail: "Mean test AUC: " + cases.map { c in
            c.name + ": " + ((c.nn.map { ["NN \(f($0.mean))"] } ?? [])
                + Variant.allCases.dropFirst().compactMap { v in c.of[v].map { "\(v.rawValue) \(f($0.mean))" } })
                .joined(separator: ", ")
        }.joined(separator: "; "))
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { CPNADeep.judge(rows) }

    func settings(_ s: StudyScale) -> String {
        let x = CPNADeep.setting(s)
        return CPNATraining(s).sentence + " \(x.k)-D XOR, p = \(x.p), n = \(x.n), every hidden layer \(x.H) nodes wide, "
            + "\(CPNADeep.inits(s)) initialisations per cell. Settings the paper leaves out for a deeper net: the last "
            + "layer keeps \(CPNADeep.outputTarget) connections and the input layer \(CPNADeep.inputTarget) (the paper's "
            + "3-D values), the layer between two hidden layers \(CPNADeep.outputTarget) (the same m_h^l for every l) or "
            + "\(CPNADeep.middleTargets.compactMap { $0 }.map(String.init).joined(separator: ", ")) (one row each); the layers after the first are pruned as one group, on the "
            + "schedule given above for hidden→output, and every hidden layer is normalised (Eq. 3) before each pruning "
            + "step. NN is the dense network of the same depth and width; CPNA(random) retrains "
            + "CPNA(hidden)'s sub-network of the same run from a fresh initialisation."
    }
}
