// Figure 1 and Table 1 of Guo & Barbu (2020) §2.1: for each k and each h, train with p = k
// and n = 1000 from several initialisations, keep the one with the smallest loss, and plot
// its loss, train AUC and test AUC against h. Table 1 is the h picked for each k: the best
// test AUC among the h whose train AUC exceeds 0.95.
import Foundation

/// One row of Figure 1: the best-loss minimum for (k, h).
struct Fig1Row {
    var k: Int
    var h: Int
    var best: XORResult
    var meanLoss: Double
}

/// Table 1's rule: among the h with train AUC > 0.95, the smallest whose test AUC is within
/// `tolerance` of the largest (the paper: "a maximal test AUC"; the tolerance keeps noise
/// in the third decimal from picking a needlessly large h).
func table1Choice(_ rows: [Fig1Row], tolerance: Double) -> Fig1Row? {
    let eligible = rows.filter { $0.best.trainAUC > 0.95 && $0.best.testAUC.isFinite }
    guard let top = eligible.map(\.best.testAUC).max() else { return nil }
    return eligible.filter { $0.best.testAUC >= top - tolerance }.min { $0.h < $1.h }
}

@Sendable func runFig1(_ options: StudyOptions) throws {
    let c = options.config
    var points: [XORPoint] = []
    for k in c.fig1Ks {
        for h in c.fig1Hs {
            for i in 0..<c.fig1Inits { points.append(c.plain(k: k, p: k, n: c.fig1N, h: h, initialization: i)) }
        }
    }
    guard let results = try XORStudy.runGrid(points, figure: "fig1", options: options) else { return }

    var rows: [Fig1Row] = []
    for k in c.fig1Ks {
        for h in c.fig1Hs {
            let group = results.filter { $0.point.k == k && $0.point.h == h }
            guard let best = group.bestLoss else { continue }
            rows.append(Fig1Row(k: k, h: h, best: best, meanLoss: xorMean(group.map(\.trainLoss))))
        }
    }

    var table = CSVTable(header: ["k", "p", "n", "h", "inits", "best_init", "train_loss", "train_auc", "test_auc", "mean_train_loss"])
    for r in rows {
        table.addRow([String(r.k), String(r.k), String(c.fig1N), String(r.h), String(c.fig1Inits),
                      String(r.best.point.initialization), csv(r.best.trainLoss), csv(r.best.trainAUC),
                      csv(r.best.testAUC), csv(r.meanLoss)])
    }
    try table.write(to: options.path("fig1.csv"))

    var choices: [(k: Int, row: Fig1Row?)] = []
    var t1 = CSVTable(header: ["k", "n", "h_ours", "h_paper", "train_auc", "test_auc"])
    for k in c.fig1Ks {
        let choice = table1Choice(rows.filter { $0.k == k }, tolerance: c.table1Tolerance)
        choices.append((k, choice))
        t1.addRow([String(k), String(c.fig1N), choice.map { String($0.h) } ?? "",
                   XORStudyConfig.paperTable1[k].map(String.init) ?? "",
                   choice.map { csv($0.best.trainAUC) } ?? "", choice.map { csv($0.best.testAUC) } ?? ""])
    }
    try t1.write(to: options.path("table1.csv"))

    let measures: [(String, (Fig1Row) -> Double)] = [
        ("training loss", { $0.best.trainLoss }), ("train AUC", { $0.best.trainAUC }), ("test AUC", { $0.best.testAUC }),
    ]
    var plots: [SVGPlot] = []
    for (label, value) in measures {
        var plot = SVGPlot(title: label.prefix(1).uppercased() + label.dropFirst() + " of the best-loss minimum",
                           xLabel: "hidden nodes h", yLabel: label, xLog: true)
        if label != "training loss" { plot.legend = .bottomRight }
        for k in c.fig1Ks {
            let rs = rows.filter { $0.k == k }
            plot.addLine(name: "k = \(k)", x: rs.map { Double($0.h) }, y: rs.map(value), markers: true)
        }
        plots.append(plot)
    }
    try SVGPanels(plots, title: "Fig. 1: best of \(c.fig1Inits) initialisations, p = k, n = \(c.fig1N)").write(to: options.path("fig1.svg"))

    try XORStudy.report("fig1", XORStudyReport.fig1(rows: rows, choices: choices, config: c), options: options)
}
