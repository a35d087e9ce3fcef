// Studies are addressed as PAPER/ITEM, e.g. nsa/fig2: the paper by its short id, the item
// by the figure or table it reproduces.

/// The papers whose figures and tables the studies reproduce.
public enum Paper: String, CaseIterable, Sendable {
    /// Guo & Barbu, "A study of local optima for learning feature interactions using neural
    /// networks": the k-D XOR local-minima study, NSA and FSA+NSA.
    case nsa
    /// "Finding deep local optima using network pruning": CPNA and CPA, retraining.
    case cpna
    /// Swirszcz, Czarnecki & Pascanu, "Local minima in training of deep networks".
    case counterexamples

    /// Authors and title, as the reports cite the paper.
    public var citation: String {
        switch self {
        case .nsa: return "Guo & Barbu, \"A study of local optima for learning feature interactions using neural networks\""
        case .cpna: return "\"Finding deep local optima using network pruning\""
        case .counterexamples: return "Swirszcz, Czarnecki & Pascanu, \"Local minima in training of deep networks\""
        }
    }

    /// The first line of RESULTS/PAPER/REPORT.md.
    var reportTitle: String { "# Results: \(citation) (\(rawValue))" }
}

public struct StudyID: Hashable, Sendable, CustomStringConvertible {
    public let paper: Paper
    public let item: String

    public init(_ paper: Paper, _ item: String) {
        self.paper = paper
        self.item = item
    }

    public var description: String { "\(paper.rawValue)/\(item)" }
}

/// `quick` runs every study in seconds on two cores (fewer initialisations and sizes, fewer
/// epochs, the same code path); `paper` uses the paper's settings, or, for a study whose
/// paper budget is out of reach (counterexamples Fig. 1: about 22 000 core-hours, FullScaleCosts), a stated
/// reduced budget; `full` is then the paper's whole budget. A study without a `full` scale
/// runs its `paper` scale for it (`Study.hasFullScale`).
public enum StudyScale: String, CaseIterable, Sendable {
    case quick, paper, full
}
