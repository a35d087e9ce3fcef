// Figure 3 of Guo & Barbu (2020) §2.2: one data set (p = k, n = 1000), many random
// initialisations, the local minima they reach sorted by training loss, with the train
// and test AUC of each; h from the paper's Table 1 (64, 128, 128 for k = 3, 4, 5).
import Foundation

/// The grid: every k, its Table 1 h, `fig3Inits` initialisations.
func fig3Points(_ c: XORStudyConfig) -> [XORPoint] {
    var points: [XORPoint] = []
    for k in c.fig3Ks {
        let h = XORStudyConfig.paperTable1[k]!
        for i in 0..<c.fig3Inits { points.append(c.plain(k: k, p: k, n: c.fig3N, h: h, initialization: i)) }
    }
    return points
}

@Sendable func runFig3(_ options: StudyOptions) throws {
    let c = options.config
    guard let results = try XORStudy.runGrid(fig3Points(c), figure: "fig3", options: options) else { return }

    var sorted: [Int: [XORResult]] = [:]
    var table = CSVTable(header: ["k", "p", "n", "h", "rank", "init", "train_loss", "train_auc", "test_auc"])
    for k in c.fig3Ks {
        let s = results.filter { $0.point.k == k }.sorted {
            $0.trainLoss != $1.trainLoss ? $0.trainLoss < $1.trainLoss : $0.point.initialization < $1.point.initialization
        }
        sorted[k] = s
        for (rank, r) in s.enumerated() {
            table.addRow([String(k), String(k), String(c.fig3N), String(r.point.h), String(rank + 1),
                          String(r.point.initialization), csv(r.trainLoss), csv(r.trainAUC), csv(r.testAUC)])
        }
    }
    try table.write(to: options.path("fig3.csv"))

    var top: [SVGPlot] = [], bottom: [SVGPlot] = []
    for k in c.fig3Ks {
        let s = sorted[k]!
        let x = (1...max(1, s.count)).prefix(s.count).map(Double.init)
        var loss = SVGPlot(title: "k = \(k), h = \(XORStudyConfig.paperTable1[k]!): training loss",
                           xLabel: "initialisation, sorted by loss", yLabel: "training loss")
        loss.addLine(name: "training loss", x: x, y: s.map(\.trainLoss), markers: true)
        loss.legend = .topLeft
        var auc = SVGPlot(title: "k = \(k): AUC of each minimum", xLabel: "initialisation, sorted by loss", yLabel: "AUC")
        auc.addLine(name: "train AUC", x: x, y: s.map(\.trainAUC), markers: true)
        auc.addLine(name: "test AUC", x: x, y: s.map(\.testAUC), markers: true)
        auc.legend = .bottomLeft
        top.append(loss)
        bottom.append(auc)
    }
    try SVGPanels(top + bottom, columns: c.fig3Ks.count,
                  title: "Fig. 3: \(c.fig3Inits) initialisations sorted by training loss (p = k, n = \(c.fig3N))")
        .write(to: options.path("fig3.svg"))

    try XORStudy.report("fig3", XORStudyReport.fig3(sorted: sorted, config: c), options: options)
}
