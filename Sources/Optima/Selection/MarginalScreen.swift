import Foundation

// Step 0 of `optima select` when the features outnumber the training rows: sure independence
// screening (Fan & Lv, "Sure independence screening for ultrahigh dimensional feature space",
// JRSS B 2008). With more columns than rows, every selection run (a network on 80 % of the
// rows) can fit the training rows with noise columns alone, and the noise columns it keeps
// are the ones that happen to match these rows: they are kept by most runs, as the relevant
// ones are. Ranking each column by its own dependence on the target first, and running the
// procedure on the best ⌊n / ln n⌋ of them (Fan & Lv's choice), leaves the runs fewer columns
// than rows. The score is the correlation ratio over equal-count bins of the column, so a
// square or a sine counts as well as a straight line; a column that matters only through
// an interaction (z1·z5 with z5 alone unrelated to the target) scores as noise and is lost.

/// Which columns the procedure sees when they outnumber the training rows.
public struct MarginalScreen: Equatable, Sendable, CustomStringConvertible {
    /// Off: the procedure sees every column whatever their number (`--no-screen`).
    public var enabled = true
    /// Columns kept; nil: ⌊n / ln n⌋ of n training rows (`--screen-keep`).
    public var keep: Int? = nil
    /// Equal-count bins of a column's values over which its score is taken (`--screen-bins`).
    public var bins = 5

    public init() {}

    /// Whether the procedure screens `data`: more features than training rows.
    public func applies(to data: Dataset) -> Bool {
        enabled && data.featureCount > data.count
    }

    /// How many features every step sees of `data`: `keepCount` where the screen applies,
    /// else all of them.
    public func seenCount(_ data: Dataset) -> Int {
        applies(to: data) ? keepCount(data) : data.featureCount
    }

    /// How many columns the screen keeps of `data` where it applies.
    public func keepCount(_ data: Dataset) -> Int {
        let n = Double(max(data.count, 3))
        return min(data.featureCount, max(1, keep ?? Int(n / log(n))))
    }

    /// The features the procedure sees: every one, or where it screens, the `keepCount` best
    /// by `scores`, ascending.
    public func seen(_ data: Dataset) -> [Int] {
        guard applies(to: data) else { return Array(0..<data.featureCount) }
        return seen(data, scores: MarginalScreen.scores(data, bins: bins))
    }

    /// `seen` given `data`'s `scores`.
    public func seen(_ data: Dataset, scores s: [Double]) -> [Int] {
        guard applies(to: data) else { return Array(0..<data.featureCount) }
        // Highest score first; ties in column order, so the choice does not depend on the sort.
        let ranked = s.indices.sorted { (s[$0], $1) > (s[$1], $0) }
        return Array(ranked.prefix(keepCount(data))).sorted()
    }

    /// Each feature's score: n times the share of each target's variance that the means over
    /// `bins` equal-count bins of the feature explain (the correlation ratio η²), summed over
    /// the targets (a 0/1 indicator per class; one for binary data; each output for
    /// regression). Rows with equal values share a bin: bin = ⌊bins · (rows below) / n⌋, so a
    /// 0/1 column makes two groups whatever the order of its rows. About bins − 1 per target
    /// for a column unrelated to the target.
    public static func scores(_ data: Dataset, bins: Int) -> [Double] {
        let n = data.count, p = data.featureCount
        guard n > 1, bins > 1 else { return [Double](repeating: 0, count: p) }
        let targets = centredTargets(data)
        var scores = [Double](repeating: 0, count: p)
        var order = [Int](repeating: 0, count: n), bin = [Int](repeating: 0, count: n)
        var sums = [Double](repeating: 0, count: bins), counts = [Int](repeating: 0, count: bins)
        for j in 0..<p {
            for i in 0..<n { order[i] = i }
            order.sort { data.features[$0 * p + j] < data.features[$1 * p + j] }
            var below = 0
            for r in 0..<n {
                if r > 0, data.features[order[r] * p + j] > data.features[order[r - 1] * p + j] { below = r }
                bin[order[r]] = bins * below / n
            }
            for y in targets {
                for k in 0..<bins { sums[k] = 0; counts[k] = 0 }
                for i in 0..<n { sums[bin[i]] += y.values[i]; counts[bin[i]] += 1 }
                var between = 0.0
                for k in 0..<bins where counts[k] > 0 { between += sums[k] * sums[k] / Double(counts[k]) }
                scores[j] += between / y.variance
            }
        }
        return scores
    }

    /// The targets the score sums over, each centred, with its variance; constant ones left out.
    private static func centredTargets(_ data: Dataset) -> [(values: [Double], variance: Double)] {
        let n = data.count
        var columns: [[Double]]
        switch data.task {
        case .binary:
            columns = [data.targets.map { Double($0) }]
        case .multiclass(let c):
            columns = (0..<c).map { k in data.targets.map { Int($0) == k ? 1 : 0 } }
        case .regression(let outputs):
            columns = (0..<outputs).map { o in (0..<n).map { Double(data.targets[$0 * outputs + o]) } }
        }
        return columns.compactMap { y in
            let mean = y.reduce(0, +) / Double(n)
            let centred = y.map { $0 - mean }
            let variance = centred.reduce(0) { $0 + $1 * $1 } / Double(n)
            return variance > 0 ? (centred, variance) : nil
        }
    }

    public var description: String {
        enabled ? "screen(keep \(keep.map(String.init) ?? "n/ln n"), bins \(bins))" : "screen off"
    }
}
