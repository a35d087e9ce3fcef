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

/// Median of `xs` (the mean of the middle two for an even count; NaN when empty).
public func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Sample standard deviation of `xs` (0 for fewer than two).
public func standardDeviation(_ xs: [Double]) -> Double {
    guard xs.count > 1 else { return 0 }
    let m = mean(xs)
    return (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)).squareRoot()
}

/// The Wilson score interval of a binomial proportion (95% for z = 1.96): unlike p ± z·se it
/// stays inside [0, 1] and does not shrink to a point when every run (or none) succeeds.
public func wilsonInterval(successes k: Int, trials n: Int, z: Double = 1.96) -> (low: Double, high: Double) {
    guard n > 0 else { return (0, 1) }
    let p = Double(k) / Double(n), z2 = z * z, nn = Double(n)
    let centre = (p + z2 / (2 * nn)) / (1 + z2 / nn)
    let half = z / (1 + z2 / nn) * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot()
    return (max(0, centre - half), min(1, centre + half))
}
