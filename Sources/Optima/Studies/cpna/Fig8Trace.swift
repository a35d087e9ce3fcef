// cpna Figure 8 (§4.1): one CPNA run on 4-D XOR, p = 40, traced: 1200 iterations of dense
// pre-training, then pruning of the hidden→output connections (to 16), then of the input
// connections (to 32); train and test loss and AUC over the iterations, phases marked. We
// trace it twice: with Alg. 1's |w| ranking of the input connections and with the
// contribution ranking (see `cpna/targets`).

struct CPNAFig8: Study {
    let about = StudyAbout(.cpna, "fig8", "one CPNA run traced: loss and AUC over the iterations (4-D XOR, p = 40)",
                           title: "loss and AUC over one CPNA run, 4-D XOR, p = 40",
                           claim: "\"The fully connected neural network was first trained for 1200 iterations to reach a local optimum "
                           + "with a training AUC of 1.0 but a bad test AUC. After pruning the connections to the hidden nodes, the "
                           + "training AUC went back to 1 and the test AUC improved considerably. Finally, after pruning the "
                           + "connections to the input layer ... the test AUC obtains a comparable performance to the training AUC\".")

    static let (k, p, outputTarget, inputTarget, pretrainIterations) = (4, 40, 16, 32, 1200)
    static func n(_ s: StudyScale) -> Int { s == .paper ? 3000 : 1000 }
    static func H(_ s: StudyScale) -> Int { s == .paper ? 2048 : 128 }

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
        [ConnectionRanking.layer, .contribution].map { ranking in
            var point = CPNATraining(s).pruningPoint(k: CPNAFig8.k, p: CPNAFig8.p, n: CPNAFig8.n(s), hidden: CPNAFig8.H(s),
                                                     method: .cpna(CPNAFig8.settings(s, ranking: ranking)), initialization: 0)
            point.traced = true
            return point
        }
    }

    /// One epoch of one run.
    struct Row {
        var ranking: String
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
                return Row(ranking: c.inputRanking.rawValue, epoch: t.epoch, iteration: t.epoch * CPNAFig8.stepsPerEpoch(s),
                           phase: phase, trace: t)
            }
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [Column("input_ranking") { $0.ranking }, .int("epoch") { $0.epoch }, .int("iteration") { $0.iteration },
         Column("phase") { $0.phase }, .int("connections") { $0.trace.connections }, .int("features") { $0.trace.features },
         .number("train_loss") { $0.trace.trainLoss }, .number("test_loss") { $0.trace.testLoss ?? .nan },
         .number("train_auc") { $0.trace.trainAUC ?? .nan }, .number("test_auc") { $0.trace.testAUC ?? .nan },
         Column("inputs_per_node") { $0.trace.inputsPerNode.map(String.init).joined(separator: " ") },
         Column("relevant_inputs_per_node") { $0.trace.relevantInputsPerNode.map(String.init).joined(separator: " ") }]
    }

    /// The state at the end of each phase, per run.
    static func phaseEnds(_ rows: [Row]) -> [(ranking: String, phase: String, last: Row)] {
        rows.grouped(by: \.ranking).flatMap { ranking, run in
            run.grouped(by: \.phase).map { phase, r in (ranking, phase, r.last!) }
        }
    }

    func reportTable(_ rows: [Row], scale: StudyScale) -> (header: [String], rows: [[String]]) {
        (["input ranking", "end of phase", "iteration", "connections", "features", "train loss", "test loss", "train AUC",
          "test AUC", "inputs per node"],
         CPNAFig8.phaseEnds(rows).map { r in
            let t = r.last.trace
            return [r.ranking, r.phase, "\(r.last.iteration)", "\(t.connections)", "\(t.features)", f(t.trainLoss, 4),
                    f(t.testLoss ?? .nan, 4), f(t.trainAUC ?? .nan), f(t.testAUC ?? .nan),
                    t.inputsPerNode.count <= 16 ? t.inputsPerNode.map(String.init).joined(separator: " ") : "–"]
         })
    }

    func plot(_ rows: [Row], scale s: StudyScale) -> String? {
        var plots: [SVGPlot] = []
        for (ranking, run) in rows.grouped(by: \.ranking) {
            let x = run.map { Double($0.iteration) }
            var loss = SVGPlot(title: "\(ranking) ranking: loss", xLabel: "iteration", yLabel: "BCE loss", yLog: true)
            loss.addLine(name: "train", x: x, y: run.map(\.trace.trainLoss))
            loss.addLine(name: "test", x: x, y: run.map { $0.trace.testLoss ?? .nan })
            var auc = SVGPlot(title: "\(ranking) ranking: AUC", xLabel: "iteration", yLabel: "AUC")
            auc.addLine(name: "train", x: x, y: run.map { $0.trace.trainAUC ?? .nan })
            auc.addLine(name: "test", x: x, y: run.map { $0.trace.testAUC ?? .nan })
            // The phase boundaries as dashed vertical lines.
            for end in run.grouped(by: \.phase).dropLast().map({ Double($0.items.last!.iteration) }) {
                loss.addLine(name: "", x: [end, end], y: [run.map(\.trace.trainLoss).min()!, run.map { $0.trace.testLoss ?? 0 }.max()!],
                             dashed: true, color: "#888888")
                auc.addLine(name: "", x: [end, end], y: [0.5, 1], dashed: true, color: "#888888")
            }
            loss.legend = .bottomLeft
            auc.legend = .bottomRight
            plots += [loss, auc]
        }
        return SVGPanels(plots, columns: 2, title: "Fig. 8: CPNA on 4-D XOR, p = 40, H = \(CPNAFig8.H(s)); dashed: end of dense "
                         + "pre-training and of hidden pruning").render()
    }

    /// Three claims, each checked on both runs: after pre-training train AUC ≥ 0.99 and test
    /// AUC < 0.8; after hidden pruning train AUC ≥ 0.99 and test AUC up by ≥ 0.05; at the end
    /// test AUC ≥ 0.95 and within 0.03 of the train AUC.
    static func judge(_ rows: [Row]) -> Judgement {
        let ends = phaseEnds(rows)
        func at(_ ranking: String, _ phase: String) -> PruningTraceRow? { ends.first { $0.ranking == ranking && $0.phase == phase }?.last.trace }
        let runs = Array(Set(ends.map(\.ranking))).sorted()
        var dense = 0, hidden = 0, final = 0
        for r in runs {
            guard let a = at(r, "dense"), let b = at(r, "hidden pruning"), let c = at(r, "input pruning") else { continue }
            if (a.trainAUC ?? 0) >= 0.99 && (a.testAUC ?? 1) < 0.8 { dense += 1 }
            if (b.trainAUC ?? 0) >= 0.99 && (b.testAUC ?? 0) >= (a.testAUC ?? 1) + 0.05 { hidden += 1 }
            if (c.testAUC ?? 0) >= 0.95 && abs((c.testAUC ?? 0) - (c.trainAUC ?? 1)) <= 0.03 { final += 1 }
        }
        return VerdictRule.judge([
            Claim("dense: train AUC ≥ 0.99, test AUC < 0.8", held: dense, of: runs.count),
            Claim("after hidden pruning: train AUC ≥ 0.99, test AUC up ≥ 0.05", held: hidden, of: runs.count),
            Claim("at the end: test AUC ≥ 0.95, within 0.03 of train", held: final, of: runs.count),
        ], detail: runs.map { r in
            "\(r) ranking: test AUC " + ["dense", "hidden pruning", "input pruning"].compactMap { at(r, $0)?.testAUC }.map { f($0) }
                .joined(separator: " → ")
        }.joined(separator: "; "))
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { CPNAFig8.judge(rows) }

    func settings(_ s: StudyScale) -> String {
        let c = CPNAFig8.settings(s, ranking: .layer)
        return CPNATraining(s).sentence + " Here the dense phase is \(c.pretrain(epochs: CPNATraining(s).pruningEpochs)) epochs "
            + "(\(CPNAFig8.stepsPerEpoch(s)) iterations each, the paper's \(CPNAFig8.pretrainIterations) iterations rounded up), "
            + "H = \(CPNAFig8.H(s)) (Table 1's), n = \(CPNAFig8.n(s)), targets \(CPNAFig8.outputTarget) and \(CPNAFig8.inputTarget)."
    }
}
