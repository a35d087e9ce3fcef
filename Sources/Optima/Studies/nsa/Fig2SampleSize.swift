// Figure 2 of Guo & Barbu (2020) §2.2: mean training loss and test AUC over several
// initialisations vs the sample size n, for k = 3, 4, 5, with p = k (dashed) and p = 15
// (solid) and several h; and the FSA+NSA curve (H = 1024 nodes and p = 15 features pruned
// to h = 128 and k features over 300 epochs).
import Foundation

/// One point of a Figure 2 curve: mean and spread over the initialisations.
struct Fig2Row {
    var k: Int
    var p: Int
    var n: Int
    var h: Int
    var method: String
    var inits: Int
    var loss: Double
    var lossSD: Double
    var trainAUC: Double
    var testAUC: Double
    var testAUCSD: Double
}

@Sendable func runFig2(_ options: StudyOptions) throws {
    let c = options.config
    var points: [XORPoint] = []
    for k in c.fig2Ks {
        for n in c.fig2Ns {
            for p in [k, c.fig2WideP] {
                for h in c.fig2Hs {
                    for i in 0..<c.fig2Inits { points.append(c.plain(k: k, p: p, n: n, h: h, initialization: i)) }
                }
            }
            for i in 0..<c.fig2Inits {
                points.append(XORPoint(k: k, p: c.fig2WideP, n: n, h: c.fig2FSAEnd, method: .fsaNSA(start: c.fig2FSAStart),
                                       initialization: i, epochs: c.fig2FSAEpochs))
            }
        }
    }
    guard let results = try XORStudy.runGrid(points, figure: "fig2", options: options) else { return }

    // Curves: (p, h, plain) for both p, then FSA+NSA.
    var curves: [(p: Int, h: Int, method: String)] = []
    for p in ["k", "wide"] { for h in c.fig2Hs { curves.append((p == "k" ? 0 : c.fig2WideP, h, "plain")) } }
    curves.append((c.fig2WideP, c.fig2FSAEnd, "fsa+nsa"))

    var rows: [Fig2Row] = []
    for k in c.fig2Ks {
        for curve in curves {
            let p = curve.p == 0 ? k : curve.p
            for n in c.fig2Ns {
                let g = results.filter { $0.point.k == k && $0.point.p == p && $0.point.n == n && $0.point.h == curve.h
                    && $0.point.method.name == curve.method }
                guard !g.isEmpty else { continue }
                rows.append(Fig2Row(k: k, p: p, n: n, h: curve.h, method: curve.method, inits: g.count,
                                    loss: xorMean(g.map(\.trainLoss)), lossSD: xorSD(g.map(\.trainLoss)),
                                    trainAUC: xorMean(g.map(\.trainAUC)), testAUC: xorMean(g.map(\.testAUC)),
                                    testAUCSD: xorSD(g.map(\.testAUC))))
            }
        }
    }

    var table = CSVTable(header: ["k", "p", "n", "h", "method", "inits", "mean_train_loss", "sd_train_loss",
                                  "mean_train_auc", "mean_test_auc", "sd_test_auc"])
    for r in rows {
        table.addRow([String(r.k), String(r.p), String(r.n), String(r.h), r.method, String(r.inits), csv(r.loss),
                      csv(r.lossSD), csv(r.trainAUC), csv(r.testAUC), csv(r.testAUCSD)])
    }
    try table.write(to: options.path("fig2.csv"))

    var top: [SVGPlot] = [], bottom: [SVGPlot] = []
    for k in c.fig2Ks {
        var loss = SVGPlot(title: "k = \(k): training loss", xLabel: "training rows n", yLabel: "mean training loss", xLog: true)
        var auc = SVGPlot(title: "k = \(k): test AUC", xLabel: "training rows n", yLabel: "mean test AUC", xLog: true)
        loss.legend = k == c.fig2Ks.first ? .auto : .none   // one legend serves all panels
        auc.legend = .none
        for curve in curves {
            let p = curve.p == 0 ? k : curve.p
            let rs = rows.filter { $0.k == k && $0.p == p && $0.h == curve.h && $0.method == curve.method }
            guard !rs.isEmpty else { continue }
            let fsa = curve.method == "fsa+nsa"
            let color = fsa ? "#000000" : SVGPlot.palette[c.fig2Hs.firstIndex(of: curve.h)! % SVGPlot.palette.count]
            let name = fsa ? "FSA+NSA \(c.fig2FSAStart)→\(c.fig2FSAEnd), p=\(p)" : "h=\(curve.h), p=\(curve.p == 0 ? "k" : String(p))"
            let dashed = !fsa && curve.p == 0
            loss.addLine(name: name, x: rs.map { Double($0.n) }, y: rs.map(\.loss), dashed: dashed, color: color, markers: fsa)
            auc.addLine(name: name, x: rs.map { Double($0.n) }, y: rs.map(\.testAUC), dashed: dashed, color: color, markers: fsa)
        }
        top.append(loss)
        bottom.append(auc)
    }
    try SVGPanels(top + bottom, columns: c.fig2Ks.count,
                  title: "Fig. 2: mean of \(c.fig2Inits) initialisations; dashed p = k, solid p = \(c.fig2WideP)")
        .write(to: options.path("fig2.svg"))

    try XORStudy.report("fig2", XORStudyReport.fig2(rows: rows, config: c), options: options)
}
