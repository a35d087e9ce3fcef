// cpna Figure 8 (§4.1): a CPNA run on 4-D XOR, p = 40, traced: 1200 iterations of dense
// pre-training, then pruning of the hidden→output connections (to 16), then of the input
// connections (to 32); train and test loss and AUC over the iterations, phases marked. The
// paper shows one run; we trace `runs` of them, from different initialisations, with Alg. 1's
// |w| ranking of the input connections and with the contribution ranking (see
// `cpna/targets`), and count how many look like the paper's picture: every run counts, none
// is picked.

struct CPNAFig8: Study {
    let about = StudyAbout(.cpna, "fig8", "CPNA runs traced: loss and AUC over the iterations (4-D XOR, p = 40)",
                           title: "loss and AUC over CPNA runs, 4-D XOR, p = 40",
                           claim: "\"The fully connected neural network was first trained for 1200 iterations to reach a local optimum "
                           + "with a training AUC of 1.0 but a bad test AUC. After pruning the connections to the hidden nodes, the "
                           + "training AUC went back to 1 and the test AUC improved considerably. Finally, after pruning the "
                           + "connections to the input layer ... the test AUC obtains a comparable performance to the training AUC\" "
                           + "(one run shown).")

    static let (k, p, outputTarget, inputTarget, pretrainIterations) = (4, 40, 16, 32, 1200)
    static func n(_ s: StudyScale) -> Int { s == .paper ? 3000 : 1000 }
    static func H(_ s: StudyScale) -> Int { s == .paper ? 2048 : 128 }
    /// Initialisations traced per ranking.
    static func runs(_ s: StudyScale) -> Int { s == .paper ? 10 : 2 }
    static let rankings: [ConnectionRanking] = [.layer, .contribution]
    static let phases = ["dense", "hidden pruning", "input pruning"]

    static func settings(_ s: StudyScale, ranking: ConnectionRanking) -> ConnectionPruningSettings {
        var c = CPNATraining.cpna(.all, hidden: outputTarget, input: inputTarget)
        c.inputRanking = ranking
        let epochs = CPNATraining(s).pruningEpochs, perEpoch = stepsPerEpoch(s)
        c.pretrainEpochs = min(epochs / 4, (pretrainIterations + perEpoch - 1) / perEpoch)
        return c
    }
    static func stepsPerEpoch(_ s: StudyScale) -> Int {
        (n(s) + Recipe.cpnaTable1.training.batchSize - 1) / Recipe.cpnaTable1.training.batchSize
    }

    func grid(_ s: StudyScale) -> [TrainingPoint] {
        CPNAFig8.rankings.flatMap { ranking in (0..<CPNAFig8.runs(s)).map { i in
            var point = CPNATraining(s).pruningPoint(k: CPNAFig8.k, p: CPNAFig8.p, n: CPNAFig8.n(s), hidden: CPNAFig8.H(s),
                                                     method: .cpna(CPNAFig8.settings(s, ranking: ranking)), initialization: i)
            point.traced = true
            return point
        } }
    }

    /// One epoch of one run.
    struct Row {
        var ranking: String
        var run: Int
        var epoch: Int, iteration: Int
        var phase: String
        var trace: PruningTraceRow
    }

    func rows(_ results: [StudyResult], scale s: StudyScale) -> [Row] {
        results.flatMap { r -> [Row] in
            guard case let .cpna(c) = r.point.method else { return [] }
            let w = c.windows(epochs: r.point.epochs)
            return (r.trace ?? []).map { t in
                let e = Double(t.epoch)
                let phase = e <= Double(c.pretrain(epochs: r.point.epochs)) ? "dense" : e <= w.input.0 ? "hidden pruning" : "input pruning"
                return Row(ranking: c.inputRanking.rawValue, run: r.point.initialization, epoch: t.epoch,
                           iteration: t.epoch * CPNAFig8.stepsPerEpoch(s), phase: phase, trace: t)
            }
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [Column("input_ranking") { $0.ranking }, .int("run") { $0.run }, .int("epoch") { $0.epoch }, .int("iteration") { $0.iteration },
         Column("phase") { $0.phase }, .int("connections") { $0.trace.connections }, .int("features") { $0.trace.features },
         .number("train_loss") { $0.trace.trainLoss }, .number("test_loss") { $0.trace.testLoss ?? .nan },
         .number("train_auc") { $0.trace.trainAUC ?? .nan }, .number("test_auc") { $0.trace.testAUC ?? .nan },
         Column("inputs_per_node") { $0.trace.inputsPerNode.map(String.init).joined(separator: " ") },
         Column("relevant_inputs_per_node") { $0.trace.relevantInputsPerNode.map(String.init).joined(separator: " ") }]
    }

    /// One run at the end of each phase, and which of the paper's three steps it shows.
    struct RunSummary {
        var ranking: String, run: Int
        var ends: [PruningTraceRow]   // dense, hidden pruning, input pruning
        var denseEnd: Int             // iteration

        /// Dense: train AUC ≥ 0.99 and test AUC < 0.8 (a bad local optimum).
        var badOptimum: Bool { (ends[0].trainAUC ?? 0) >= 0.99 && (ends[0].testAUC ?? 1) < 0.8 }
        /// After hidden pruning: train AUC back to ≥ 0.99, test AUC up by ≥ 0.05.
        var hiddenHelps: Bool { (ends[1].trainAUC ?? 0) >= 0.99 && (ends[1].testAUC ?? 0) >= (ends[0].testAUC ?? 1) + 0.05 }
        /// At the end: test AUC ≥ 0.95 and within 0.03 of the train AUC.
        var generalises: Bool { (ends[2].testAUC ?? 0) >= 0.95 && abs((ends[2].testAUC ?? 0) - (ends[2].trainAUC ?? 1)) <= 0.03 }
        var paperPicture: Bool { badOptimum && hiddenHelps && generalises }
    }

    static func summaries(_ rows: [Row]) -> [RunSummary] {
        rows.grouped { "\($0.ranking)|\($0.run)" }.compactMap { _, run in
            let ends = phases.compactMap { ph in run.last { $0.phase == ph } }
            guard ends.count == phases.count else { return nil }
            return RunSummary(ranking: run[0].ranking, run: run[0].run, ends: ends.map(\.trace), denseEnd: ends[0].iteration)
        }
    }

    /// One row per run: train / test AUC at the end of each phase, and whether it is the paper's picture.
    func reportTable(_ rows: [Row], scale: StudyScale) -> (header: [String], rows: [[String]]) {
        func pair(_ t: PruningTraceRow) -> String { "\(f(t.trainAUC ?? .nan)) / \(f(t.testAUC ?? .nan))" }
        return (["input ranking", "run", "dense end (iteration)", "train / test AUC: dense", "after hidden pruning", "at the end",
                 "inputs per node at the end", "the paper's picture"],
                CPNAFig8.summaries(rows).map { r in
                    let last = r.ends[2]
                    return [r.ranking, "\(r.run)", "\(r.denseEnd)", pair(r.ends[0]), pair(r.ends[1]), pair(last),
                            last.inputsPerNode.count <= 16 ? last.inputsPerNode.map(String.init).joined(separator: " ") : "–",
                            r.paperPicture ? "yes" : "no"]
                })
    }

    func plot(_ rows: [Row], scale s: StudyScale) -> String? {
        var plots: [SVGPlot] = []
        for (ranking, all) in rows.grouped(by: \.ranking) {
            var loss = SVGPlot(title: "\(ranking) ranking: loss", xLabel: "iteration", yLabel: "BCE loss", yLog: true)
            var auc = SVGPlot(title: "\(ranking) ranking: AUC", xLabel: "iteration", yLabel: "AUC")
            let (trainColor, testColor) = (SVGPlot.palette[0], SVGPlot.palette[1])
            // Every run, one thin line each; only the first names its series in the legend.
            for (i, (_, run)) in all.grouped(by: \.run).enumerated() {
                let x = run.map { Double($0.iteration) }
                loss.addLine(name: i == 0 ? "train" : "", x: x, y: run.map(\.trace.trainLoss), color: trainColor)
                loss.addLine(name: i == 0 ? "test" : "", x: x, y: run.map { $0.trace.testLoss ?? .nan }, color: testColor)
                auc.addLine(name: i == 0 ? "train" : "", x: x, y: run.map { $0.trace.trainAUC ?? .nan }, color: trainColor)
                auc.addLine(name: i == 0 ? "test" : "", x: x, y: run.map { $0.trace.testAUC ?? .nan }, color: testColor)
            }
            // The phase boundaries (the same in every run) as dashed vertical lines.
            let first = all.filter { $0.run == all[0].run }
            for end in first.grouped(by: \.phase).dropLast().map({ Double($0.items.last!.iteration) }) {
                loss.addLine(name: "", x: [end, end], y: [all.map(\.trace.trainLoss).min()!, all.map { $0.trace.testLoss ?? 0 }.max()!],
                             dashed: true, color: "#888888")
                auc.addLine(name: "", x: [end, end], y: [0.5, 1], dashed: true, color: "#888888")
            }
            plots += [loss, auc]
        }
        return SVGPanels(plots, columns: 2, title: "Fig. 8: CPNA, 4-D XOR, p = 40, H = \(CPNAFig8.H(s)), \(CPNAFig8.runs(s)) runs "
                         + "per ranking (dashed: phase ends)").render()
    }

    /// The paper's three steps, each counted over every run of both rankings (3/4 of them):
    /// a bad optimum after pre-training, hidden pruning helps, the end generalises (see
    /// RunSummary). The reason says how many runs show all three, per ranking.
    static func judge(_ rows: [Row]) -> Judgement {
        let runs = summaries(rows)
        return VerdictRule.judge([
            Claim("dense: train AUC ≥ 0.99, test AUC < 0.8", held: runs.filter(\.badOptimum).count, of: runs.count),
            Claim("after hidden pruning: train AUC ≥ 0.99, test AUC up ≥ 0.05", held: runs.filter(\.hiddenHelps).count, of: runs.count),
            Claim("at the end: test AUC ≥ 0.95, within 0.03 of train", held: runs.filter(\.generalises).count, of: runs.count),
        ], detail: "The paper's picture (all three) in " + runs.grouped(by: \.ranking).map { ranking, g in
            "\(g.filter(\.paperPicture).count) of \(g.count) runs with the \(ranking) ranking"
        }.joined(separator: ", ") + ". Train / test AUC at the end of each phase, median over runs: " + runs.grouped(by: \.ranking).map { ranking, g in
            "\(ranking): " + (0..<phases.count).map { i in
                "\(f(median(g.map { $0.ends[i].trainAUC ?? .nan }))) / \(f(median(g.map { $0.ends[i].testAUC ?? .nan })))"
            }.joined(separator: " → ")
        }.joined(separator: "; "))
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { CPNAFig8.judge(rows) }

    func settings(_ s: StudyScale) -> String {
        let c = CPNAFig8.settings(s, ranking: .layer)
        return CPNATraining(s).sentence + " Here the dense phase is \(c.pretrain(epochs: CPNATraining(s).pruningEpochs)) epochs "
            + "(\(CPNAFig8.stepsPerEpoch(s)) iterations each, the paper's \(CPNAFig8.pretrainIterations) iterations rounded up), "
            + "H = \(CPNAFig8.H(s)) (Table 1's), n = \(CPNAFig8.n(s)), targets \(CPNAFig8.outputTarget) and \(CPNAFig8.inputTarget); "
            + "\(CPNAFig8.runs(s)) initialisations per ranking, every one reported."
    }
}
