// The rows, columns and verdict that nsa Table 2 and cpna Table 3 share: one row per data
// set and network, with our weight count, setting, cross-validated accuracy and test
// accuracy beside the paper's.

public struct RealDataRow: Sendable {
    public var set: RealDataSet
    public var model: RealDataModel
    public var sparse: SparseMethod
    /// What was chosen, e.g. "h=64 wd=0.001 batch=16" or "8 nodes, 11 features".
    public var setting: String
    /// The weight count as the papers print it.
    public var weights: String
    /// Cross-validated accuracy of the chosen setting (NaN for NN(equivalent), which is not
    /// cross-validated: its width follows from the sparse network's).
    public var cvMean: Double, cvSD: Double
    /// Test accuracy of the retrainings: the best epoch's (the papers' measure) and the last one's.
    public var best: [Double]
    public var final: [Double]
    /// Training seconds of every training of this data set in the study (all stages), summed.
    public var setSeconds: Double = 0

    public var name: String { model.name(sparse) }
    /// The paper's mean and sd (%), for this data set and column.
    public var paper: (mean: Double, sd: Double) { (set.paperAccuracy[model.rawValue], set.paperSD[model.rawValue]) }
}

public enum RealDataTable {
    /// The rows of every data set whose three networks have been retrained.
    public static func rows(_ results: [StudyResult], _ proto: RealDataProtocol) -> [RealDataRow] {
        var seconds: [String: Double] = [:]
        for r in results where r.seconds.isFinite { seconds[r.point.data.name, default: 0] += r.seconds }
        return proto.choices(results).flatMap { c -> [RealDataRow] in
            RealDataModel.allCases.compactMap { model in
                let runs = proto.retrained(results, c, model, inits: 0..<proto.retrains)
                guard !runs.isEmpty else { return nil }
                let (p, k) = (c.set.p, c.set.classes)
                var row = RealDataRow(set: c.set, model: model, sparse: proto.sparse, setting: "", weights: "",
                                      cvMean: .nan, cvSD: .nan, best: runs.map(\.bestEpochTestAccuracy),
                                      final: runs.map(\.testAccuracy))
                row.setSeconds = seconds[c.set.name] ?? 0
                let training = "wd=\(c.weightDecay) batch=\(c.batch)"
                switch model {
                case .nnBest:
                    row.setting = "h=\(c.hidden) \(training)"
                    row.weights = "\(p)×\(c.hidden)+\(c.hidden)×\(k) = \((p + k) * c.hidden) (\(c.hidden))"
                    (row.cvMean, row.cvSD) = c.denseCV
                case .nnEquivalent:
                    let h = c.equivalentHidden ?? 0
                    row.setting = "h=\(h) \(training)"
                    row.weights = "\(p)×\(h)+\(h)×\(k) = \((p + k) * h) (\(h))"
                case .sparse:
                    row.setting = "\(c.level?.label ?? "") from H=\(proto.sparseStartWidth) \(training)"
                    row.weights = c.level?.text ?? ""
                    if let cv = c.sparseCV { (row.cvMean, row.cvSD) = cv }
                }
                return row
            }
        }
    }

    /// The CSV's columns: the numbers a rerun, sharded or not, gives again (the seconds, which
    /// change from run to run, are in the report only).
    public static func columns() -> [Column<RealDataRow>] {
        [Column("data") { $0.set.name }, Column("network") { $0.name }, Column("setting") { $0.setting },
         Column("weights") { $0.weights }, Column("paper_weights") { $0.set.paperWeights[$0.model.rawValue] },
         .number("cv_accuracy") { $0.cvMean }, .number("cv_sd") { $0.cvSD }, .int("runs") { $0.best.count },
         .number("test_accuracy_best_epoch") { mean($0.best) }, .number("sd_best_epoch") { standardDeviation($0.best) },
         .number("test_accuracy_final") { mean($0.final) }, .number("sd_final") { standardDeviation($0.final) },
         .number("paper_test_accuracy", decimals: 2) { $0.paper.mean }, .number("paper_sd", decimals: 2) { $0.paper.sd }]
    }

    /// The paper's layout: per data set, each network's weights and test accuracy (%), ours beside the paper's.
    public static func reportTable(_ rows: [RealDataRow]) -> (header: [String], rows: [[String]]) {
        func acc(_ xs: [Double]) -> String { "\(pct(mean(xs)))±\(pct(standardDeviation(xs)))" }
        return (["data", "network", "setting (ours)", "weights: ours (paper)", "CV accuracy",
                 "test accuracy, best epoch", "test accuracy, last epoch", "paper", "set's training s"],
                rows.map { r in
                    [r.set.title, r.name, r.setting, "\(r.weights) (\(r.set.paperWeights[r.model.rawValue]))",
                     r.cvMean.isFinite ? "\(pct(r.cvMean))±\(pct(r.cvSD))" : "–", acc(r.best), acc(r.final),
                     "\(MarkdownReport.number(r.paper.mean, decimals: 2))±\(MarkdownReport.number(r.paper.sd, decimals: 2))",
                     r.model == .nnBest ? MarkdownReport.number(r.setSeconds, decimals: 0) : ""]
                })
    }

    /// The papers' claims, on the best-epoch test accuracy (their measure): the sparse network
    /// beats NN(equivalent) on every data set, and matches or beats NN(best) "in most cases"
    /// (at least 3 of 4). Ours against the paper's numbers is in the reason, not the verdict:
    /// the split, the epochs and the starting width are ours.
    public static func judge(_ rows: [RealDataRow], sparse: SparseMethod) -> Judgement {
        let bySet = rows.grouped { $0.set.name }.map { _, g in Dictionary(g.map { ($0.model, $0) }) { a, _ in a } }
        func holds(_ a: RealDataModel, _ b: RealDataModel, _ orEqual: Bool) -> (Int, Int) {
            bySet.reduce((0, 0)) { acc, d in
                guard let x = d[a].map({ mean($0.best) }), let y = d[b].map({ mean($0.best) }) else { return acc }
                return (acc.0 + ((orEqual ? x >= y - 1e-12 : x > y) ? 1 : 0), acc.1 + 1)
            }
        }
        let eq = holds(.sparse, .nnEquivalent, false), best = holds(.sparse, .nnBest, true)
        let detail = bySet.compactMap { d -> String? in
            guard let any = d.values.first else { return nil }
            let cells = RealDataModel.allCases.compactMap { m in
                d[m].map { "\($0.name) \(pct(mean($0.best))) (paper \(MarkdownReport.number($0.paper.mean, decimals: 2)))" }
            }
            return "\(any.set.name): " + cells.joined(separator: ", ")
        }.joined(separator: "; ")
        return VerdictRule.judge([
            Claim("\(sparse.rawValue) above NN(equivalent)", held: eq.0, of: eq.1, share: 1),
            Claim("\(sparse.rawValue) ≥ NN(best)", held: best.0, of: best.1),
        ], detail: "Best-epoch test accuracy, % (ours, paper): " + detail)
    }

    /// The settings sentence of both tables.
    public static func settings(_ proto: RealDataProtocol) -> String {
        let levels = proto.datasets.first.map { proto.sparse.levels($0, scale: proto.scale).count } ?? 0
        return "Each set's rows merged and split 4:1 (stratified, seed \(RealDataProtocol.splitSeed)), min-max scaling "
            + "fitted on the training rows (each fold's own in cross-validation). Dense grid: h ∈ \(proto.hiddenGrid), "
            + "L2 ∈ \(proto.weightDecayGrid), batch ∈ \(proto.batchGrid); \(proto.folds)-fold CV × \(proto.repeats) repeats, "
            + "scored by validation accuracy; a tie goes to the smaller network. Adam, lr 1e-3, \(proto.epochs) epochs "
            + "(not stated by the papers). \(proto.sparse.rawValue) starts from H = \(proto.sparseStartWidth) (not stated) with "
            + "the dense network's chosen L2 and batch, and its \(levels) sparsity levels are cross-validated the same way "
            + "(a tie goes to the sparser). Each chosen network is retrained \(proto.retrains) times on the whole training "
            + "part; \"best epoch\" is the best test accuracy over its epochs, the papers' measure (it looks at the test "
            + "set), \"last epoch\" the honest one. NN(equivalent) has the width whose p·h + h·c weights are nearest the "
            + "chosen sparse network's (the papers: \"roughly the same number\"). " + RealDataSets.isoletNote
    }
}
