// Figure 4 of Guo & Barbu (2020) §2.2: the hit time, the mean number of random
// initialisations needed to reach a minimum with train AUC >= 0.95, vs p, for h = 20 and
// n = 3000. Each point trains a fixed number of initialisations (the cap), so the grid is
// known in advance and can be sharded; the hit time is estimated as inits / successes (the
// mean of the geometric distribution). A point with no success is capped: its hit time is
// above the cap, drawn at the cap with an open marker.
import Foundation

struct Fig4Row {
    var k: Int
    var p: Int
    var inits: Int
    var successes: Int
    /// inits / successes, or the cap when no initialisation succeeded.
    var hitTime: Double
    /// Mean test AUC of the successful initialisations (nil without a success). A hit with a
    /// test AUC near 0.5 memorised the training set rather than finding the interaction.
    var hitTestAUC: Double?
    var capped: Bool { successes == 0 }
    var memorised: Bool { (hitTestAUC ?? 1) < 0.6 }
}

@Sendable func runFig4(_ options: StudyOptions) throws {
    let c = options.config
    var points: [XORPoint] = []
    for k in c.fig4Ks {
        for p in c.fig4Ps where p >= k {
            for i in 0..<c.fig4Cap { points.append(c.plain(k: k, p: p, n: c.fig4N, h: c.fig4H, initialization: i)) }
        }
    }
    guard let results = try XORStudy.runGrid(points, figure: "fig4", options: options) else { return }

    var rows: [Fig4Row] = []
    for k in c.fig4Ks {
        for p in c.fig4Ps where p >= k {
            let g = results.filter { $0.point.k == k && $0.point.p == p }
            let hits = g.filter { $0.trainAUC >= c.hitAUC }
            let s = hits.count
            rows.append(Fig4Row(k: k, p: p, inits: g.count, successes: s,
                                hitTime: s > 0 ? Double(g.count) / Double(s) : Double(g.count),
                                hitTestAUC: s > 0 ? hits.map(\.testAUC).reduce(0, +) / Double(s) : nil))
        }
    }

    var table = CSVTable(header: ["k", "p", "n", "h", "inits", "successes", "hit_time", "capped", "hit_test_auc"])
    for r in rows {
        table.addRow([String(r.k), String(r.p), String(c.fig4N), String(c.fig4H), String(r.inits), String(r.successes),
                      csv(r.hitTime), r.capped ? "true" : "false", r.hitTestAUC.map(csv) ?? ""])
    }
    try table.write(to: options.path("fig4.csv"))

    var plot = SVGPlot(title: "Fig. 4: hit time vs p (h = \(c.fig4H), n = \(c.fig4N), cap \(c.fig4Cap))",
                       xLabel: "dimension p", yLabel: "initialisations until train AUC ≥ \(c.hitAUC)", yLog: true)
    plot.width = 560
    plot.yRange = 0.8...(Double(c.fig4Cap) * 1.5)
    plot.legend = .bottomRight
    for k in c.fig4Ks {
        let rs = rows.filter { $0.k == k }
        let color = plot.addLine(name: "k = \(k)", x: rs.map { Double($0.p) }, y: rs.map(\.hitTime), markers: true)
        let capped = rs.filter(\.capped)
        if !capped.isEmpty {
            plot.addPoints(name: "k = \(k): capped (> \(c.fig4Cap))", x: capped.map { Double($0.p) },
                           y: capped.map(\.hitTime), marker: .openCircle, color: color)
        }
    }
    try plot.write(to: options.path("fig4.svg"))

    try XORStudy.report("fig4", XORStudyReport.fig4(rows: rows, config: c), options: options)
}
