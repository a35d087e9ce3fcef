// How well a figure or table of a paper is reproduced: the outcome of a rule over the rows.

public enum Verdict: String, Sendable {
    case reproduced = "reproduced"
    case partly = "partly reproduced"
    case notReproduced = "not reproduced"
    case notRun = "not run yet"
}
