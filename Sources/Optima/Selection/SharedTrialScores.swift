import Foundation

// Two of the tuning's candidates often select the same features (MADELON seed 1: the two
// lightest decays; the generated 4-class set: the strongest decay and the wide candidate).
// Their trials then train the same scoring network on the same rows from the same seed, and
// score it on the same held-out rows: the same numbers, computed twice. The trials of one
// tuning share their scores through this, so each feature set is scored once.

/// The held-out evaluation of each feature set the tuning's trials score, computed once per
/// set even when trials run on several threads at once: a trial whose set is being scored
/// waits for that score rather than computing it again.
final class SharedTrialScores: @unchecked Sendable {
    private let condition = NSCondition()
    private var done: [[Int]: Evaluation] = [:]
    private var running: Set<[Int]> = []

    /// The evaluation of `features`: `compute()`'s, run by the first caller for these features.
    func evaluation(of features: [Int], compute: () -> Evaluation) -> Evaluation {
        condition.lock()
        while running.contains(features) { condition.wait() }
        if let e = done[features] {
            condition.unlock()
            return e
        }
        running.insert(features)
        condition.unlock()
        let e = compute()
        condition.lock()
        done[features] = e
        running.remove(features)
        condition.broadcast()
        condition.unlock()
        return e
    }
}
