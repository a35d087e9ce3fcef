// The figure the text of Guo & Barbu (2020) §2.2 cites as "Figure ??": for each h, train
// 10 initialisations, keep the best test AUC and its train AUC; repeat 10 times and plot
// the mean (band: ± one standard deviation over the repeats) vs h. The text names neither
// k, p nor n; we use k = 3, p = 15 (irrelevant features present), n = 1000.
import Foundation

struct FigHiddenRow {
    var h: Int
    var trainAUC: Double
    var trainSD: Double
    var testAUC: Double
    var testSD: Double
}

@Sendable func runFigHidden(_ options: StudyOptions) throws {
    let c = options.config
    var points: [XORPoint] = []
    for h in c.hiddenHs {
        // Repeat r uses initialisations r*inits ..< (r+1)*inits: all distinct.
        for i in 0..<(c.hiddenInits * c.hiddenRepeats) {
            points.append(c.plain(k: c.hiddenK, p: c.hiddenP, n: c.hiddenN, h: h, initialization: i))
        }
    }
    guard let results = try XORStudy.runGrid(points, figure: "fig-hidden", options: options) else { return }

    var rows: [FigHiddenRow] = []
    for h in c.hiddenHs {
        let g = results.filter { $0.point.h == h }
        var train: [Double] = [], test: [Double] = []
        for r in 0..<c.hiddenRepeats {
            let block = g.filter { $0.point.initialization / c.hiddenInits == r }
            guard let best = block.max(by: { $0.testAUC < $1.testAUC }) else { continue }
            train.append(best.trainAUC)
            test.append(best.testAUC)
        }
        rows.append(FigHiddenRow(h: h, trainAUC: xorMean(train), trainSD: xorSD(train),
                                 testAUC: xorMean(test), testSD: xorSD(test)))
    }
    var table = CSVTable(header: ["k", "p", "n", "h", "inits", "repeats", "mean_train_auc", "sd_train_auc",
                                  "mean_test_auc", "sd_test_auc"])
    for r in rows {
        table.addRow([String(c.hiddenK), String(c.hiddenP), String(c.hiddenN), String(r.h), String(c.hiddenInits),
                      String(c.hiddenRepeats), csv(r.trainAUC), csv(r.trainSD), csv(r.testAUC), csv(r.testSD)])
    }
    try table.write(to: options.path("fig-hidden.csv"))

    var plot = SVGPlot(title: "Train and test AUC vs h (k = \(c.hiddenK), p = \(c.hiddenP), n = \(c.hiddenN))",
                       xLabel: "hidden nodes h", yLabel: "AUC (best test AUC of \(c.hiddenInits) inits)", xLog: true)
    plot.width = 560
    plot.legend = .bottomRight
    let x = rows.map { Double($0.h) }
    for (name, m, sd) in [("train AUC", rows.map(\.trainAUC), rows.map(\.trainSD)),
                          ("test AUC", rows.map(\.testAUC), rows.map(\.testSD))] {
        let color = plot.nextColor
        plot.addBand(x: x, lower: zip(m, sd).map { $0 - $1 }, upper: zip(m, sd).map { $0 + $1 }, color: color)
        plot.addLine(name: name + " (± 1 sd over \(c.hiddenRepeats) repeats)", x: x, y: m, color: color, markers: true)
    }
    try plot.write(to: options.path("fig-hidden.svg"))

    try XORStudy.report("fig-hidden", XORStudyReport.figHidden(rows: rows, config: c), options: options)
}
