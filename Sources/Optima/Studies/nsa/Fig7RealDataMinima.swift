// nsa Fig. 7 (§4.2): the sorted training losses of many initialisations on each real data
// set, for NN(best), NN(equivalent) and FSA+NSA with Table 2's chosen settings. Drawn from
// Table 2's results file: the grid search is Table 2's, and the first retrainings are shared.

struct NSAFig7: Study {
    let about = StudyAbout(.nsa, "fig7", "sorted training losses of NN(best), NN(equivalent), FSA+NSA on real data",
                           title: "Fig. 7: sorted loss values of many initialisations on the real data sets",
                           claim: "\"The sorted loss values of the models with 200 random initializations are shown in Figure 7 "
                           + "... We see from Fig. 7 that the FSA+NSA can obtain lower loss values than the other networks in "
                           + "all cases but one.\"")
    var resultsFrom: StudyID? { NSATable2().id }

    /// Initialisations per network and data set (the paper: 200).
    static func inits(_ s: StudyScale) -> Int { s == .paper ? 200 : 3 }

    func grid(_ s: StudyScale) -> [TrainingPoint] { RealDataProtocol(.fsa, s).grid() }

    /// Table 2's stages, then the further initialisations of its three chosen networks.
    func followUp(_ results: [StudyResult], scale s: StudyScale) -> [TrainingPoint] {
        let proto = RealDataProtocol(.fsa, s)
        let more = proto.retrains..<max(proto.retrains, NSAFig7.inits(s))
        return proto.followUp(results) + proto.choices(results).flatMap { c in
            RealDataModel.allCases.flatMap { proto.retrainPoints(c, $0, inits: more, traced: false) }
        }
    }

    struct Row {
        var set: RealDataSet
        var name: String
        var model: RealDataModel
        /// Final training losses, smallest first.
        var losses: [Double]
        var median: Double { losses.isEmpty ? .nan : losses[losses.count / 2] }
    }

    func rows(_ results: [StudyResult], scale s: StudyScale) -> [Row] {
        let proto = RealDataProtocol(.fsa, s)
        return proto.choices(results).flatMap { c in
            RealDataModel.allCases.compactMap { m in
                let runs = proto.retrained(results, c, m, inits: 0..<NSAFig7.inits(s))
                guard !runs.isEmpty else { return nil }
                return Row(set: c.set, name: m.name(.fsa), model: m, losses: runs.map(\.trainLoss).sorted { $0 < $1 || $1.isNaN })
            }
        }
    }

    func columns(_ s: StudyScale) -> [Column<Row>] {
        [Column("data") { $0.set.name }, Column("network") { $0.name }, .int("runs") { $0.losses.count },
         .number("min_loss", decimals: 5) { $0.losses.first ?? .nan }, .number("median_loss", decimals: 5) { $0.median },
         .number("max_loss", decimals: 5) { $0.losses.last ?? .nan },
         Column("sorted_losses") { $0.losses.map(CSVTable.cell).joined(separator: " ") }]
    }

    func reportColumns(_ s: StudyScale) -> [Column<Row>] { Array(columns(s).dropLast()) }

    /// One panel per data set: each network's losses against their rank, on a log scale.
    func plot(_ rows: [Row], scale: StudyScale) -> String? {
        let panels = rows.grouped { $0.set.name }.map { _, g -> SVGPlot in
            var p = SVGPlot(title: g[0].set.title, xLabel: "initialisation (sorted by loss)", yLabel: "training loss", yLog: true)
            for r in g where !r.losses.isEmpty {
                let ys = r.losses.map { max($0, 1e-8) }
                p.addLine(name: r.name, x: ys.indices.map { Double($0 + 1) }, y: ys)
            }
            return p
        }
        return panels.isEmpty ? nil : SVGPanels(panels, columns: 2, title: about.title).render()
    }

    /// The claim, per data set and other network: FSA+NSA's median training loss is below that
    /// network's. "All cases but one": it may fail in one comparison.
    static func judge(_ rows: [Row]) -> Judgement {
        var held = 0, cases = 0, failures: [String] = [], all: [String] = []
        for (_, g) in rows.grouped(by: { $0.set.name }) {
            guard let fsa = g.first(where: { $0.model == .sparse }) else { continue }
            for other in g where other.model != .sparse {
                cases += 1
                if fsa.median < other.median { held += 1 } else { failures.append("\(fsa.set.name) vs \(other.name)") }
            }
            all.append("\(g[0].set.name): " + g.map { "\($0.name) \(MarkdownReport.number($0.median, decimals: 4))" }
                .joined(separator: ", "))
        }
        let claim = Claim("FSA+NSA's median loss below the other network's", held: held, of: cases,
                          share: cases > 1 ? Double(cases - 1) / Double(cases) : 1)
        return VerdictRule.judge([claim], detail: "Median training loss: " + all.joined(separator: "; ")
            + (failures.isEmpty ? "" : ". Not below in: " + failures.joined(separator: ", ")))
    }

    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement { NSAFig7.judge(rows) }

    func settings(_ s: StudyScale) -> String {
        "\(NSAFig7.inits(s)) initialisations of each network Table 2 chose (its settings and epochs), trained on the whole "
            + "training part; the loss is the final training cross-entropy (no L2 term). The paper does not say whether its "
            + "losses are training or test losses, nor at which epoch; we take the final training loss. "
            + RealDataSets.isoletNote
    }
}
