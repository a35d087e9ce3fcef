// cpna Table 3 (§4.2): NN(best), NN(equivalent) and NN+CPNA on the UCI sets, by the protocol
// nsa Table 2 uses (RealDataProtocol). The paper prints the same numbers as nsa Table 2, cell
// for cell, for CPNA as for FSA+NSA; our CPNA numbers are our own.

struct CPNATable3: Study {
    let about = StudyAbout(.cpna, "table3", "NN(best), NN(equivalent) and NN+CPNA on real data, test accuracy",
                           title: "Table 3: NN(best), NN(equivalent) and NN+CPNA on the UCI data sets",
                           claim: "\"using CPNA to guide the search for a local optimum leads to NNs with good generalization "
                           + "on all these datasets, easily outperforming a NN of an equivalent size (with a similar number of "
                           + "connections) and in most cases even the standard NN with the best generalization to unseen "
                           + "data.\" The paper's Table 3 prints exactly the numbers of the nsa paper's Table 2 (FSA+NSA), "
                           + "connection counts included (Car 100.0 / 98.23 / 100.0 … ISOLET 96.73 / 94.31 / 96.91), so they "
                           + "are quoted here as the paper's, though they cannot all be CPNA's own.")

    /// The dense grid search is nsa Table 2's, point for point: its results file is shared.
    var resultsFrom: StudyID? { NSATable2().id }
    func grid(_ s: StudyScale) -> [TrainingPoint] { RealDataProtocol(.cpna, s).grid() }
    func followUp(_ results: [StudyResult], scale s: StudyScale) -> [TrainingPoint] { RealDataProtocol(.cpna, s).followUp(results) }
    func rows(_ results: [StudyResult], scale s: StudyScale) -> [RealDataRow] { RealDataTable.rows(results, RealDataProtocol(.cpna, s)) }
    func columns(_ s: StudyScale) -> [Column<RealDataRow>] { RealDataTable.columns() }
    func reportTable(_ rows: [RealDataRow], scale: StudyScale) -> (header: [String], rows: [[String]]) { RealDataTable.reportTable(rows) }
    func verdict(_ rows: [RealDataRow], scale: StudyScale) -> Judgement { RealDataTable.judge(rows, sparse: .cpna) }
    func settings(_ s: StudyScale) -> String { RealDataTable.settings(RealDataProtocol(.cpna, s)) }
}
