// Figure 5 of Guo & Barbu (2020) §2.2: the test AUC of the best-loss minimum out of 10
// random initialisations vs the dimension p, for a network with 500 hidden nodes,
// k = 3, 4, 5 (n is not given; we use 3000, the n of Figure 4).
import Foundation

struct Fig5Row {
    var k: Int
    var p: Int
    var best: XORResult
}

@Sendable func runFig5(_ options: StudyOptions) throws {
    let c = options.config
    var points: [XORPoint] = []
    for k in c.fig5Ks {
        for p in c.fig5Ps where p >= k {
            for i in 0..<c.fig5Inits { points.append(c.plain(k: k, p: p, n: c.fig5N, h: c.fig5H, initialization: i)) }
        }
    }
    guard let results = try XORStudy.runGrid(points, figure: "fig5", options: options) else { return }

    var rows: [Fig5Row] = []
    for k in c.fig5Ks {
        for p in c.fig5Ps where p >= k {
            if let best = results.filter({ $0.point.k == k && $0.point.p == p }).bestLoss {
                rows.append(Fig5Row(k: k, p: p, best: best))
            }
        }
    }
    var table = CSVTable(header: ["k", "p", "n", "h", "inits", "best_init", "train_loss", "train_auc", "test_auc"])
    for r in rows {
        table.addRow([String(r.k), String(r.p), String(c.fig5N), String(c.fig5H), String(c.fig5Inits),
                      String(r.best.point.initialization), csv(r.best.trainLoss), csv(r.best.trainAUC), csv(r.best.testAUC)])
    }
    try table.write(to: options.path("fig5.csv"))

    var plots: [SVGPlot] = []
    for k in c.fig5Ks {
        let rs = rows.filter { $0.k == k }
        var plot = SVGPlot(title: "k = \(k)", xLabel: "dimension p", yLabel: "AUC of the best-loss minimum", xLog: true)
        plot.addLine(name: "test AUC", x: rs.map { Double($0.p) }, y: rs.map(\.best.testAUC), markers: true)
        plot.addLine(name: "train AUC", x: rs.map { Double($0.p) }, y: rs.map(\.best.trainAUC), dashed: true, markers: true)
        plot.legend = .bottomLeft
        plots.append(plot)
    }
    try SVGPanels(plots, title: "Fig. 5: best loss of \(c.fig5Inits) initialisations, h = \(c.fig5H), n = \(c.fig5N)")
        .write(to: options.path("fig5.svg"))

    try XORStudy.report("fig5", XORStudyReport.fig5(rows: rows, config: c), options: options)
}
