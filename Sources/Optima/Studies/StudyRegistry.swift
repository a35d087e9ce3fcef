// Every study, in the order `optima study all` runs them (within a paper, cheapest first).
// A new figure is one study file plus one line here.

public enum StudyRegistry {
    public static let all: [any Study] = [
        NSAFig6(), NSAFig1(), NSATable1(), NSAFig3(), NSAFigHidden(), NSAFig2(), NSAFig4(), NSAFig5(), NSATable2(), NSAFig7(),
        CPNAFig8(), CPNATargets(), CPNATargetsTrace(), CPNAFig6(), CPNATable1(), CPNAFig7(), CPNAFig4(), CPNASortedMinima.fig1,
        CPNASortedMinima.fig2, CPNAFig3(), CPNATable3(), CPNANodes(), CPNADeep(),
        CounterexamplesProp1to3(), CounterexamplesFig4(), CounterexamplesRemark1(), CounterexamplesTheorem1(),
        CounterexamplesFig6Left(), CounterexamplesFig6Middle(), CounterexamplesProp5(), CounterexamplesProp4(),
        CounterexamplesFig3(), CounterexamplesFig5(), CounterexamplesTable1(), CounterexamplesFig2(), CounterexamplesFig1(),
    ]

    /// "all", a paper ("nsa") or one study ("nsa/fig2").
    public static func select(_ name: String) throws -> [any Study] {
        if name == "all" { return all }
        if let paper = Paper(rawValue: name) {
            let studies = all.filter { $0.id.paper == paper }
            guard !studies.isEmpty else { throw SettingsError("the \(paper.rawValue) paper has no study yet") }
            return studies
        }
        if let s = all.first(where: { $0.id.description == name }) { return [s] }
        throw SettingsError("unknown study '\(name)'; 'optima study list' lists them (or name a paper: "
            + Paper.allCases.map(\.rawValue).joined(separator: ", ") + ", or all)")
    }

    /// Runs one study (any type) through the driver.
    @discardableResult
    public static func run(_ study: any Study, options: StudyOptions) throws -> Judgement? {
        try StudyDriver.run(study, options: options)
    }
}
