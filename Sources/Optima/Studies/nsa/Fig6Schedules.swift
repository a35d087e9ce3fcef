// Figure 6 of Guo & Barbu (2020) §3: the annealing schedules of the XOR example, the node
// schedule h_e (H = 1024 -> h = 128) and the feature schedule p_e (p = 15 -> k = 3), over
// Niter = 300 epochs, μ = 30. No training: the numbers come from AnnealingSchedule, the
// same functions NSA and FSA+NSA use.
import Foundation

@Sendable func runFig6(_ options: StudyOptions) throws {
    guard options.shard == nil else { return }   // nothing to share out
    let c = options.config
    let nodes = AnnealingSchedule.nodes(from: c.fig6H, to: c.fig6h, epochs: c.fig6Epochs)
    let features = AnnealingSchedule.features(from: c.fig6P, to: c.fig6K, epochs: c.fig6Epochs)
    try FileManager.default.createDirectory(atPath: options.resultsDir, withIntermediateDirectories: true)

    var table = CSVTable(header: ["epoch", "h_e", "p_e"])
    let epochs = Array(0...c.fig6Epochs)
    for e in epochs {
        table.addRow([String(e), String(nodes.count(afterEpoch: e)), String(features.count(afterEpoch: e))])
    }
    try table.write(to: options.path("fig6.csv"))

    let x = epochs.map(Double.init)
    var h = SVGPlot(title: "Node schedule h_e (H = \(c.fig6H) → h = \(c.fig6h))", xLabel: "epoch e", yLabel: "hidden nodes h_e")
    h.addLine(name: "h_e", x: x, y: epochs.map { Double(nodes.count(afterEpoch: $0)) }, color: "#1f77b4")
    h.legend = .topRight
    var p = SVGPlot(title: "Feature schedule p_e (p = \(c.fig6P) → k = \(c.fig6K))", xLabel: "epoch e", yLabel: "features p_e")
    p.addLine(name: "p_e", x: x, y: epochs.map { Double(features.count(afterEpoch: $0)) }, color: "#d62728")
    p.legend = .topRight
    try SVGPanels([h, p], title: "Fig. 6: annealing schedules, Niter = \(c.fig6Epochs), μ = 30").write(to: options.path("fig6.svg"))

    try XORStudy.report("fig6", XORStudyReport.fig6(nodes: nodes, features: features, config: c), options: options)
}
