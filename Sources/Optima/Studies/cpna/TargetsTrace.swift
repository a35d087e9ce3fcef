// The evidence behind `cpna/targets`, epoch by epoch: one run of Table 1's 3-D row (p = 60,
// H = 1024, 12 hidden and 24 input connections) under Alg. 1's ranking of the input
// connections by |w| and under the contribution ranking, traced. While the input layer is
// pruned, each row gives, per reading, the input connections left and how they spread over
// the kept nodes: 3-way parity needs nodes that see all three relevant features.

struct CPNATargetsTrace: Study {
    let about = StudyAbout(.cpna, "targets-trace", "how 24 input connections spread over 12 nodes, epoch by epoch",
                           title: "24 input connections over 12 nodes, epoch by epoch: |w| against contribution ranking",
                           claim: "Table 1, 3-D XOR, p = 60, H = 1024, 12 hidden and 24 input connections: CPNA(all) reaches "
                           + "99.58 % test AUC.")

    static let rankings: [ConnectionRanking] = [.layer, .contribution]

    func grid(_ s: StudyScale) -> [TrainingPoint] {
        CPNATargetsTrace.rankings.map { ranking in
            var c = CPNATraining.cpna(.all, hidden: CPNATargets.outputTarget, input: 24)
            c.inputRanking = ranking
            var point = CPNATraining(s).pruningPoint(k: CPNATargets.k, p: CPNATargets.p, n: CPNATargets.n(s),
                                                     hidden: CPNATargets.width(s), method: .cpna(c), initialization: 0)
            point.traced = true
            return point
        }
    }

    /// One epoch of one run, from the start of input pruning to the end.
    struct Row {
        var ranking: ConnectionRanking
        var epoch: Int
        var trace: PruningTraceRow
        /// Input connections left, and the nodes that see all k relevant features.
        var inputs: Int { trace.inputsPerNode.reduce(0, +) }
        var complete: Int { trace.relevantInputsPerNode.filter { $0 >= CPNATargets.k }.count }
        var spread: String { zip(trace.inputsPerNode, trace.relevantInputsPerNode).map { "\($0)/\($1)" }.joined(separator: " ") }
    }

    func rows(_ results: [StudyResult], scale: StudyScale) -> [Row] {
        results.flatMap { r -> [Row] in
            guard case let .cpna(c) = r.point.method else { return [] }
            let start = Int(c.windows(epochs: r.point.epochs).input.0)
            return (r.trace ?? []).filter { $0.epoch >= start && !$0.inputsPerNode.isEmpty }
                .map { Row(ranking: c.inputRanking, epoch: $0.epoch, trace: $0) }
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [Column("input_ranking") { $0.ranking.rawValue }, .int("epoch") { $0.epoch }, .int("input_connections") { $0.inputs },
         .int("nodes") { $0.trace.inputsPerNode.count }, .int("nodes_seeing_all_relevant") { $0.complete },
         .number("test_auc") { $0.trace.testAUC ?? .nan }, Column("inputs/relevant_per_node") { $0.spread }]
    }

    /// Input connections at which the report shows the spread (the CSV has every epoch).
    static let milestones = [100, 48, 36, 30, 24]

    /// The report shows each run's first epoch, the first epoch at or below each milestone, and the last.
    func reportTable(_ rows: [Row], scale: StudyScale) -> (header: [String], rows: [[String]]) {
        let shown = rows.grouped(by: \.ranking).flatMap { _, run -> [Row] in
            var picked = [run[0]]
            for m in CPNATargetsTrace.milestones { if let r = run.first(where: { $0.inputs <= m }), r.epoch != picked.last!.epoch { picked.append(r) } }
            if run.last!.epoch != picked.last!.epoch { picked.append(run.last!) }
            return picked
        }
        return (["input ranking", "epoch", "input connections", "nodes seeing all 3 / nodes", "test AUC", "inputs/relevant per node"],
                shown.map { ["\($0.ranking.rawValue)", "\($0.epoch)", "\($0.inputs)", "\($0.complete) / \($0.trace.inputsPerNode.count)",
                             f($0.trace.testAUC ?? .nan), $0.spread] })
    }

    func plot(_ rows: [Row], scale s: StudyScale) -> String? {
        var nodes = SVGPlot(title: "nodes that see all 3 relevant features", xLabel: "epoch", yLabel: "nodes")
        var auc = SVGPlot(title: "test AUC", xLabel: "epoch", yLabel: "test AUC")
        for (ranking, run) in rows.grouped(by: \.ranking) {
            let x = run.map { Double($0.epoch) }
            nodes.addLine(name: "\(ranking.rawValue) ranking", x: x, y: run.map { Double($0.complete) })
            auc.addLine(name: "\(ranking.rawValue) ranking", x: x, y: run.map { $0.trace.testAUC ?? .nan })
        }
        nodes.legend = .bottomLeft
        auc.legend = .bottomLeft
        return SVGPanels([nodes, auc], title: "3-D XOR, p = 60: pruning the input layer to 24 connections (one run each)").render()
    }

    /// One claim per reading: its run ends with the interaction found (test AUC ≥ 0.95).
    static func judge(_ rows: [Row]) -> Judgement {
        let ends = rows.grouped(by: \.ranking).map { ($0.key, $0.items.last!) }
        return VerdictRule.judge(ends.map { ranking, end in
            Claim("\(ranking.rawValue) ranking, 24 inputs: test AUC ≥ \(CPNATargets.found)",
                  held: (end.trace.testAUC ?? 0) >= CPNATargets.found ? 1 : 0, of: 1)
        },
                                 detail: ends.map { "\($0.0.rawValue) ranking ends with \($0.1.complete) of \($0.1.trace.inputsPerNode.count) "
                                     + "nodes seeing all 3 (\($0.1.spread)), test AUC \(f($0.1.trace.testAUC ?? .nan))" }.joined(separator: "; "))
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { CPNATargetsTrace.judge(rows) }

    func settings(_ s: StudyScale) -> String {
        CPNATraining(s).sentence + " After CPNA's normalisation every node's incoming weights have norm 1, so ranking them by "
            + "|w| over the layer cuts each node's weakest input in turn: the cuts spread evenly over the nodes. The contribution "
            + "ranking weighs |w_ij| by node j's outgoing norm, so weak nodes lose all their inputs first."
    }
}
