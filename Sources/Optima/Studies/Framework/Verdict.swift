// How well a figure or table of a paper is reproduced: the outcome of a rule over the rows
// (see VerdictRule), never a literal.

public enum Verdict: String, Sendable {
    case reproduced = "reproduced"
    case partly = "partly reproduced"
    case notReproduced = "not reproduced"
    /// Our numbers cannot be set beside the paper's (nothing to compare with).
    case notComparable = "not comparable"
}

extension MarkdownReport {
    /// One line: the verdict in bold, then why.
    public mutating func verdict(_ v: Verdict, _ why: String) {
        paragraph("**Verdict: \(v.rawValue).** \(why)")
    }
}
