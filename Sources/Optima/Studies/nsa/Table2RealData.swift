// nsa Table 2 (§4.2): NN(best), NN(equivalent) and FSA+NSA on the UCI sets, by the
// cross-validated protocol of RealDataProtocol.

struct NSATable2: Study {
    let about = StudyAbout(.nsa, "table2", "NN(best), NN(equivalent) and FSA+NSA on real data, test accuracy",
                           title: "Table 2: NN(best), NN(equivalent) and FSA+NSA on the UCI data sets",
                           claim: "\"using FSA+NSA to guide the search for a local optimum leads to NNs with good "
                           + "generalization on all these datasets, easily outperforming a NN of an equivalent size (with a "
                           + "similar number of weights) and in most cases even the standard NN with the best generalization "
                           + "to unseen data.\" Paper, test accuracy %: Car 100.0 / 98.23 / 100.0; Image Segmentation "
                           + "96.87 / 96.27 / 98.40; Optdigits 98.80 / 98.25 / 99.01; Multiple Features 97.85 / 95.45 / 98.15; "
                           + "ISOLET 96.73 / 94.31 / 96.91 (NN(best) / NN(equivalent) / FSA+NSA).")

    func grid(_ s: StudyScale) -> [TrainingPoint] { RealDataProtocol(.fsa, s).grid() }
    func followUp(_ results: [StudyResult], scale s: StudyScale) -> [TrainingPoint] { RealDataProtocol(.fsa, s).followUp(results) }
    func rows(_ results: [StudyResult], scale s: StudyScale) -> [RealDataRow] { RealDataTable.rows(results, RealDataProtocol(.fsa, s)) }
    func columns(_ s: StudyScale) -> [Column<RealDataRow>] { RealDataTable.columns() }
    func reportTable(_ rows: [RealDataRow], scale: StudyScale) -> (header: [String], rows: [[String]]) { RealDataTable.reportTable(rows) }
    func verdict(_ rows: [RealDataRow], scale: StudyScale) -> Judgement { RealDataTable.judge(rows, sparse: .fsa) }
    func settings(_ s: StudyScale) -> String { RealDataTable.settings(RealDataProtocol(.fsa, s)) }
}
