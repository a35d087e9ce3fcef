// The rule that turns claims checked on a study's rows into a verdict. A claim counts the
// cases (curves, cells, k) where it holds; it holds overall when it holds in at least
// `share` of them. All claims hold: reproduced; some: partly; none: not reproduced; a claim
// with no case to check (nothing the paper's statement can be compared with): not comparable.
//
// A run at a reduced budget (fewer updates, fewer or smaller runs than the paper's) cannot
// decide every claim: a run that has not learnt yet may only be slow, so "it never learns"
// holding at 3000 updates says nothing about 1 000 000. Such a claim is undecided: listed as
// not comparable, with why, and judged by nothing. The verdict then rests on the decided
// claims, and is at best partly reproduced, since part of the paper's claim went untested.

/// One claim of a paper checked on our rows.
public struct Claim: Equatable, Sendable {
    /// What is claimed, in a few words ("test AUC rises with n").
    public let statement: String
    /// Cases where it holds, and cases checked.
    public let held: Int
    public let cases: Int
    /// The share of cases it must hold in (default: 3 of 4).
    public let share: Double
    /// Why the runs cannot decide this claim (nil: they can).
    public private(set) var undecided: String?

    /// The claim marked undecided: its counts stay in the reason, but it is judged by nothing
    /// (a control that fails as often shows that the count is no evidence).
    public func notComparable(because why: String) -> Claim {
        var c = self
        c.undecided = why
        return c
    }

    public init(_ statement: String, held: Int, of cases: Int, share: Double = 0.75) {
        self.statement = statement
        self.held = held
        self.cases = cases
        self.share = share
    }

    /// A claim these runs cannot test at all ("needs at least 400 units", with h ≤ 256).
    public static func untestable(_ statement: String, because why: String) -> Claim {
        Claim(statement, held: 0, of: 0).notComparable(because: why)
    }

    public var holds: Bool { cases > 0 && Double(held) >= share * Double(cases) - 1e-9 }

    /// "test AUC rises with n: 5/6"; an undecided claim says why it is not comparable.
    public var summary: String {
        guard let why = undecided else { return "\(statement): \(held)/\(cases)" }
        return statement + ": " + (cases > 0 ? "\(held)/\(cases) here, " : "") + "not comparable (\(why))"
    }

    /// The claim as runs at a reduced budget decide it (`reduced` false: the paper's budget,
    /// which decides everything; the study's reason says what the reduced budget is). What
    /// the budget can decide depends on the claim's kind: something seen within fewer updates
    /// would be seen within more, but something not seen yet might still come.
    public func at(reduced: Bool, _ kind: Kind) -> Claim {
        guard reduced else { return self }
        switch kind {
        case .happens where !holds:
            return notComparable(because: "not seen within the reduced budget; a slower run may get there with the paper's")
        case .neverHappens where holds:
            return notComparable(because: "holds within the reduced budget, which cannot show that it lasts to the paper's")
        case .sameBudget, .happens, .neverHappens:
            return self
        }
    }

    /// What a claim says about time, which decides what a reduced budget can settle.
    public enum Kind: Sendable {
        /// Something happens (a run learns): seen at a reduced budget, it holds at the paper's.
        case happens
        /// Something never happens (a run stays stuck): seen to happen, it is refuted at any budget.
        case neverHappens
        /// A comparison at equal budgets (one setting learns less than another within the same
        /// updates): decided at any budget, for that budget.
        case sameBudget
    }
}

public enum VerdictRule {
    /// The verdict of a set of claims (see the file's header).
    public static func verdict(_ claims: [Claim]) -> Verdict {
        let decided = claims.filter { $0.undecided == nil }
        guard !decided.isEmpty, decided.allSatisfy({ $0.cases > 0 }) else { return .notComparable }
        let holding = decided.filter(\.holds).count
        if holding == decided.count { return decided.count == claims.count ? .reproduced : .partly }
        return holding > 0 ? .partly : .notReproduced
    }

    /// The verdict with a reason listing every claim's count, then `detail`.
    public static func judge(_ claims: [Claim], detail: String = "") -> Judgement {
        let counts = claims.map(\.summary).joined(separator: "; ")
        return Judgement(verdict(claims), counts + (detail.isEmpty ? "." : ". " + detail))
    }
}
