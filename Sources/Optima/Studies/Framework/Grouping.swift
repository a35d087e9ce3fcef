// How a study turns its results into rows: grouping in one pass, and the mean and spread
// of a group.

extension Array {
    /// The elements grouped by `key`, groups in the order their first element appears:
    /// one pass, so a study's rows come from its results without a second walk over the grid.
    public func grouped<K: Hashable>(by key: (Element) -> K) -> [(key: K, items: [Element])] {
        var order: [K] = []
        var groups: [K: [Element]] = [:]
        for e in self {
            let k = key(e)
            if groups[k] == nil { order.append(k) }
            groups[k, default: []].append(e)
        }
        return order.map { ($0, groups[$0]!) }
    }
}

/// Mean of `xs` (NaN when empty).
public func mean(_ xs: [Double]) -> Double {
    xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count)
}

/// Sample standard deviation of `xs` (0 for fewer than two).
public func standardDeviation(_ xs: [Double]) -> Double {
    guard xs.count > 1 else { return 0 }
    let m = mean(xs)
    return (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)).squareRoot()
}
