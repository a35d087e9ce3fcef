// cpna Figures 1 and 2 (§2.1): 100 random initialisations sorted by their final training
// loss, repeated 10 times; the mean of the 10 sorted curves (top) and the mean train and
// test AUC of the minima in sorted order (bottom). Fig. 1: 4-D XOR; Fig. 2: 5-D XOR; three
// (n, p) each, h = 20 and h = 500.

struct CPNASortedMinima: Study {
    let figure: Int
    let k: Int
    /// The (n, p) of the left, middle and right panels.
    let cells: [(n: Int, p: Int)]
    var about: StudyAbout {
        StudyAbout(.cpna, "fig\(figure)", "\(k)-D XOR: sorted local minima, h = 20 and 500",
                   title: "sorted local minima and their AUC, \(k)-D XOR",
                   claim: "\"the local minima are not equivalent, with the lowest being much smaller than the highest. We also "
                   + "see that for small p, the 500 hidden nodes NN has the lowest loss values, but for p = 100 the 20 hidden "
                   + "nodes NN obtains the lowest loss\"; \"for p = 100 the NN cannot find the global optimum and the test "
                   + "AUCs are all close to 0.5\".")
    }

    static let fig1 = CPNASortedMinima(figure: 1, k: 4, cells: [(1000, 4), (3000, 16), (3000, 100)])
    static let fig2 = CPNASortedMinima(figure: 2, k: 5, cells: [(3000, 5), (3000, 10), (3000, 100)])

    static func hs(_ s: StudyScale) -> [Int] { s == .paper ? [20, 500] : [20, 100] }
    static func inits(_ s: StudyScale) -> Int { s == .paper ? 100 : 6 }
    static func repeats(_ s: StudyScale) -> Int { s == .paper ? 10 : 2 }
    /// n as the paper has it, capped at 1000 at quick scale.
    static func quickN(_ n: Int, _ s: StudyScale) -> Int { s == .paper ? n : min(n, 1000) }

    func grid(_ s: StudyScale) -> [TrainingPoint] {
        let t = CPNATraining(s)
        let count = CPNASortedMinima.inits(s) * CPNASortedMinima.repeats(s)
        return cells.flatMap { c in CPNASortedMinima.hs(s).flatMap { h in
            (0..<count).map { t.densePoint(k: k, p: c.p, n: CPNASortedMinima.quickN(c.n, s), hidden: h, initialization: $0) } } }
    }

    /// One rank of the mean sorted curve: initialisation r·inits + i is run i of repeat r.
    struct Row {
        var n: Int, p: Int, h: Int
        var rank: Int
        var loss: Double, trainAUC: Double, testAUC: Double
    }

    func rows(_ results: [StudyResult], scale s: StudyScale) -> [Row] {
        let inits = CPNASortedMinima.inits(s)
        return results.grouped { [$0.point.n, $0.point.p, $0.point.hidden] }.flatMap { key, g in
            let repeats = g.grouped { $0.point.initialization / inits }.map { _, run in
                run.sorted { ($0.trainLoss, $0.point.initialization) < ($1.trainLoss, $1.point.initialization) }
            }
            return (0..<inits).map { rank in
                let at = repeats.filter { $0.count > rank }.map { $0[rank] }
                return Row(n: key[0], p: key[1], h: key[2], rank: rank + 1, loss: mean(at.map(\.trainLoss)),
                           trainAUC: mean(at.map(\.trainAUC)), testAUC: mean(at.map(\.testAUC)))
            }
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [.int("k") { _ in k }, .int("n") { $0.n }, .int("p") { $0.p }, .int("h") { $0.h }, .int("rank") { $0.rank },
         .number("mean_train_loss") { $0.loss }, .number("mean_train_auc") { $0.trainAUC },
         .number("mean_test_auc") { $0.testAUC }]
    }

    /// One sorted curve's summary.
    struct Curve {
        var n: Int, p: Int, h: Int
        var lowest: Double, median: Double, highest: Double
        var bestTestAUC: Double, worstTestAUC: Double, maxTestAUC: Double
    }

    static func curves(_ rows: [Row]) -> [Curve] {
        rows.grouped { [$0.n, $0.p, $0.h] }.map { key, c in
            Curve(n: key[0], p: key[1], h: key[2], lowest: c.first!.loss, median: c[c.count / 2].loss, highest: c.last!.loss,
                  bestTestAUC: c.first!.testAUC, worstTestAUC: c.last!.testAUC, maxTestAUC: c.map(\.testAUC).max()!)
        }
    }

    func reportTable(_ rows: [Row], scale: StudyScale) -> (header: [String], rows: [[String]]) {
        (["n", "p", "h", "lowest loss", "median loss", "highest loss", "test AUC at the lowest", "test AUC at the highest"],
         CPNASortedMinima.curves(rows).map { ["\($0.n)", "\($0.p)", "\($0.h)", f($0.lowest, 4), f($0.median, 4),
                                              f($0.highest, 4), f($0.bestTestAUC), f($0.worstTestAUC)] })
    }

    func plot(_ rows: [Row], scale s: StudyScale) -> String? {
        var top: [SVGPlot] = [], bottom: [SVGPlot] = []
        for (cell, rs) in rows.grouped(by: { [$0.n, $0.p] }) {
            var loss = SVGPlot(title: "n = \(cell[0]), p = \(cell[1])", xLabel: "minimum, sorted by loss", yLabel: "mean training loss")
            var auc = SVGPlot(title: "n = \(cell[0]), p = \(cell[1])", xLabel: "minimum, sorted by loss", yLabel: "mean AUC")
            for (h, c) in rs.grouped(by: \.h) {
                let x = c.map { Double($0.rank) }
                loss.addLine(name: "h = \(h)", x: x, y: c.map(\.loss))
                let color = auc.addLine(name: "test, h = \(h)", x: x, y: c.map(\.testAUC))
                auc.addLine(name: "train, h = \(h)", x: x, y: c.map(\.trainAUC), dashed: true, color: color)
            }
            loss.legend = .topLeft
            auc.legend = .bottomLeft
            top.append(loss)
            bottom.append(auc)
        }
        return SVGPanels(top + bottom, columns: max(1, top.count),
                         title: "Fig. \(figure): \(k)-D XOR, mean of \(CPNASortedMinima.repeats(s)) sorted curves of "
                         + "\(CPNASortedMinima.inits(s)) initialisations").render()
    }

    /// How far the test AUC may be from 0.5 and still be "close to 0.5".
    static let nearChance = 0.6

    /// Four claims: every curve's highest loss is more than 1.1 × its lowest; at each small p
    /// the h = 500 (largest h) curve's lowest loss is below h = 20's; at the largest p h = 20's
    /// is below; at the largest p no rank's mean test AUC reaches `nearChance`.
    static func judge(_ rows: [Row]) -> Judgement {
        let curves = CPNASortedMinima.curves(rows)
        let largestP = curves.map(\.p).max() ?? 0
        // Per (n, p): does the largest h reach a lower loss than the smallest?
        let wideWins: [(p: Int, wins: Bool)] = curves.grouped { [$0.n, $0.p] }.compactMap { key, c in
            guard let narrow = c.min(by: { $0.h < $1.h }), let wide = c.max(by: { $0.h < $1.h }), narrow.h != wide.h else { return nil }
            return (key[1], wide.lowest < narrow.lowest)
        }
        let smallP = wideWins.filter { $0.p < largestP }, bigP = wideWins.filter { $0.p == largestP }
        let atLargest = curves.filter { $0.p == largestP }
        return VerdictRule.judge([
            Claim("minima not equivalent (highest loss > 1.1 × lowest)", held: curves.filter { $0.highest > 1.1 * $0.lowest }.count,
                  of: curves.count),
            Claim("small p: the larger h has the lowest loss", held: smallP.filter(\.wins).count, of: smallP.count),
            Claim("p = \(largestP): h = 20 has the lowest loss", held: bigP.filter { !$0.wins }.count, of: bigP.count, share: 1),
            Claim("p = \(largestP): every test AUC below \(nearChance)", held: atLargest.filter { $0.maxTestAUC < nearChance }.count,
                  of: atLargest.count, share: 1),
        ], detail: curves.map { "n = \($0.n), p = \($0.p), h = \($0.h): loss \(f($0.lowest, 3))–\(f($0.highest, 3)), "
                                + "test AUC \(f($0.bestTestAUC))→\(f($0.worstTestAUC))" }.joined(separator: "; "))
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { CPNASortedMinima.judge(rows) }

    func settings(_ s: StudyScale) -> String {
        CPNATraining(s).sentence + " Each curve: the mean over \(CPNASortedMinima.repeats(s)) repeats of "
            + "\(CPNASortedMinima.inits(s)) initialisations sorted by training loss; h ∈ \(CPNASortedMinima.hs(s))."
            + (s == .paper ? "" : " Quick scale caps n at 1000.")
    }
}
