// nsa Figure 6 (§3): the annealing schedules of the XOR example, the node schedule h_e
// (H = 1024 -> h = 128) and the feature schedule p_e (p = 15 -> k = 3), over Niter = 300
// epochs, μ = 30. No training: the numbers come from AnnealingSchedule, the same functions
// NSA and FSA+NSA use.

struct NSAFig6: Study {
    let about = StudyAbout(.nsa, "fig6", "annealing schedules h_e and p_e (p = 15, k = 3), no training",
                           title: "annealing schedules h_e and p_e (p = 15, k = 3, Niter = 300)",
                           claim: "h_e = h + [(H − h) max(0, (N1 − 2e1)/(2e1μ + N1))], N1 = 3Niter/4, e1 = max(0, e − Niter/4); "
                           + "p_e = k + [(p − k) max(0, (N2 − 2e2)/(2e2μ + N2))], N2 = 0.4Niter, e2 = max(0, e − 0.6Niter); "
                           + "H = 1024, h = 128, μ = 30 (the paper's \"N1 = 0.4 Niter\" under p_e is read as N2).")

    static let (H, h, p, k, epochs) = (1024, 128, 15, 3, 300)
    static var nodes: AnnealingSchedule { AnnealingSchedule.nodes(from: H, to: h, epochs: epochs) }
    static var features: AnnealingSchedule { AnnealingSchedule.features(from: p, to: k, epochs: epochs) }

    func grid(_ s: StudyScale) -> [TrainingPoint] { [] }

    struct Row {
        var epoch: Int
        var nodes: Int
        var features: Int
    }

    func rows(_ results: [StudyResult], scale: StudyScale) -> [Row] {
        let (h, p) = (NSAFig6.nodes, NSAFig6.features)
        return (0...NSAFig6.epochs).map { Row(epoch: $0, nodes: h.count(afterEpoch: $0), features: p.count(afterEpoch: $0)) }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [.int("epoch") { $0.epoch }, .int("h_e") { $0.nodes }, .int("p_e") { $0.features }]
    }

    func reportTable(_ rows: [Row], scale: StudyScale) -> (header: [String], rows: [[String]]) {
        let shown: Set = [0, 75, 76, 80, 100, 150, 180, 181, 190, 200, 240, 300]
        return (["epoch e", "h_e", "p_e"], rows.filter { shown.contains($0.epoch) }.map { ["\($0.epoch)", "\($0.nodes)", "\($0.features)"] })
    }

    func plot(_ rows: [Row], scale: StudyScale) -> String? {
        let x = rows.map { Double($0.epoch) }
        var h = SVGPlot(title: "Node schedule h_e (H = \(NSAFig6.H) → h = \(NSAFig6.h))", xLabel: "epoch e", yLabel: "hidden nodes h_e")
        h.addLine(name: "h_e", x: x, y: rows.map { Double($0.nodes) }, color: "#1f77b4")
        h.legend = .topRight
        var p = SVGPlot(title: "Feature schedule p_e (p = \(NSAFig6.p) → k = \(NSAFig6.k))", xLabel: "epoch e", yLabel: "features p_e")
        p.addLine(name: "p_e", x: x, y: rows.map { Double($0.features) }, color: "#d62728")
        p.legend = .topRight
        return SVGPanels([h, p], title: "Fig. 6: annealing schedules, Niter = \(NSAFig6.epochs), μ = 30").render()
    }

    /// The formulas, evaluated at hand-checked epochs: h_e = H until Niter/4 and h from
    /// Niter/4 + 3Niter/8 on; p_e = p until 0.6 Niter and k from 0.6 Niter + 0.2 Niter on;
    /// both never increase.
    static func judge(_ rows: [Row]) -> Judgement {
        func at(_ e: Int) -> Row? { rows.first { $0.epoch == e } }
        let n = Double(epochs)
        let nodeHold = at(Int(n / 4))?.nodes == H, nodeEnd = at(Int(n / 4 + 3 * n / 8) + 1)?.nodes == h
        let featHold = at(Int(0.6 * n))?.features == p, featEnd = at(Int(0.6 * n + 0.2 * n) + 1)?.features == k
        let monotone = zip(rows, rows.dropFirst()).allSatisfy { $1.nodes <= $0.nodes && $1.features <= $0.features }
        let checks = [nodeHold, nodeEnd, featHold, featEnd, monotone]
        return VerdictRule.judge([Claim("schedule checks (hold, end, monotone)", held: checks.filter { $0 }.count, of: checks.count, share: 1)],
            detail: "h_e stays at \(H) until epoch \(Int(nodes.start)) and reaches \(h) at epoch \(nodes.finalEpoch); p_e stays at "
            + "\(p) until epoch \(Int(features.start)) and reaches \(k) at epoch \(features.finalEpoch), the shapes of the paper's curves")
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { NSAFig6.judge(rows) }
}
