// The rule that turns claims checked on a study's rows into a verdict. A claim counts the
// cases (curves, cells, k) where it holds; it holds overall when it holds in at least
// `share` of them. All claims hold: reproduced; some: partly; none: not reproduced; a claim
// with no case to check (nothing the paper's statement can be compared with): not comparable.

/// One claim of a paper checked on our rows.
public struct Claim: Equatable, Sendable {
    /// What is claimed, in a few words ("test AUC rises with n").
    public let statement: String
    /// Cases where it holds, and cases checked.
    public let held: Int
    public let cases: Int
    /// The share of cases it must hold in (default: 3 of 4).
    public let share: Double

    public init(_ statement: String, held: Int, of cases: Int, share: Double = 0.75) {
        self.statement = statement
        self.held = held
        self.cases = cases
        self.share = share
    }

    public var holds: Bool { cases > 0 && Double(held) >= share * Double(cases) - 1e-9 }

    /// "test AUC rises with n: 5/6"
    public var summary: String { "\(statement): \(held)/\(cases)" }
}

public enum VerdictRule {
    /// The verdict of a set of claims (see the file's header).
    public static func verdict(_ claims: [Claim]) -> Verdict {
        guard !claims.isEmpty, claims.allSatisfy({ $0.cases > 0 }) else { return .notComparable }
        let holding = claims.filter(\.holds).count
        if holding == claims.count { return .reproduced }
        return holding > 0 ? .partly : .notReproduced
    }

    /// The verdict with a reason listing every claim's count, then `detail`.
    public static func judge(_ claims: [Claim], detail: String = "") -> Judgement {
        let counts = claims.map(\.summary).joined(separator: "; ")
        return Judgement(verdict(claims), counts + (detail.isEmpty ? "." : ". " + detail))
    }
}
