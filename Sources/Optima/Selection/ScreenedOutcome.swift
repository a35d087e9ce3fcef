// Where the screen (`MarginalScreen`) ran, the procedure ran on the columns it kept; these
// put what it found back in terms of the columns as given: every feature index through
// `seen`, and the screened-out features in the table, after the others, in the screen's order.

extension SelectionOutcome {
    /// This outcome of the procedure on `data.columns(seen)`, in `data`'s own columns.
    func mapped(through seen: [Int], of data: Dataset, scores: [Double]) -> SelectionOutcome {
        var o = self
        o.trials = trials.map { $0.mapped(through: seen) }
        o.runs = runs.map { SelectionRun(kept: $0.kept.map { seen[$0] }, norms: $0.norms) }
        o.checkTrials = checkTrials.map { $0.mapped(through: seen) }
        o.kept = kept.map { seen[$0] }
        var table = self.table.map { f -> FeatureStability in
            var g = f
            g.feature = seen[f.feature]
            g.screenScore = scores[g.feature]
            return g
        }
        let inside = Set(seen)
        let out = (0..<data.featureCount).filter { !inside.contains($0) }
            .sorted { (scores[$0], $1) > (scores[$1], $0) }
        for (place, j) in out.enumerated() {
            var f = FeatureStability(feature: j, name: data.featureNames[j], rank: seen.count + place + 1, frequency: 0,
                                     norm: 0, selected: false, explained: nil)
            f.screenedOut = true
            f.screenScore = scores[j]
            table.append(f)
        }
        o.table = table.sorted { $0.feature < $1.feature }
        o.screened = seen
        return o
    }
}

extension TuningTrial {
    func mapped(through seen: [Int]) -> TuningTrial {
        var t = self
        t.selected = selected.map { seen[$0] }
        return t
    }
}

extension HeldOutTrial {
    func mapped(through seen: [Int]) -> HeldOutTrial {
        var t = self
        t.feature = feature.map { seen[$0] }
        return t
    }
}

extension SelectionEvent {
    /// The event of the procedure on the screened columns, in the columns as given.
    func mapped(through seen: [Int]) -> SelectionEvent {
        switch self {
        case let .tuned(trials, chosen):
            return .tuned(trials: trials.map { $0.mapped(through: seen) }, chosen: chosen.mapped(through: seen))
        case let .checked(trials, added, removed):
            return .checked(trials: trials.map { $0.mapped(through: seen) }, added: added.map { seen[$0] },
                            removed: removed.map { seen[$0] })
        case .finalChosen, .trainingFinal:
            return self
        }
    }
}
