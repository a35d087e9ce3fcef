// Scaling fitted on the training part only, and the papers' splits: a stratified 4:1
// train/test split and stratified k-fold cross-validation, both repeatable from a seed.

/// A per-feature affine map x -> (x - shift) * factor + offset, fitted on training data and
/// applied unchanged to test data (so test values may fall outside the training range).
public struct FeatureScaler: Sendable {
    public enum Kind: String, Sendable { case minMax, standardize }
    public let kind: Kind
    /// Per feature: the value mapped to `offset`, and the multiplier (0 for a constant feature).
    public let shift: [Double]
    public let factor: [Double]
    public let offset: Double

    public init(kind: Kind, shift: [Double], factor: [Double], offset: Double) {
        precondition(shift.count == factor.count, "one shift and one factor per feature")
        self.kind = kind
        self.shift = shift
        self.factor = factor
        self.offset = offset
    }

    /// Maps each feature's training range onto [-1, 1] (cpna §3.1 assumes data in [-1,1]^p).
    /// Constant features map to 0.
    public static func minMax(fittedOn d: Dataset) -> FeatureScaler {
        var lo = [Double](repeating: .infinity, count: d.featureCount)
        var hi = [Double](repeating: -.infinity, count: d.featureCount)
        for r in 0..<d.count {
            for c in 0..<d.featureCount {
                let v = Double(d.features[r * d.featureCount + c])
                lo[c] = min(lo[c], v); hi[c] = max(hi[c], v)
            }
        }
        var shift = lo, factor = [Double](repeating: 0, count: d.featureCount)
        for c in 0..<d.featureCount {
            if d.count > 0 && hi[c] > lo[c] { factor[c] = 2 / (hi[c] - lo[c]) } else { shift[c] = d.count > 0 ? lo[c] : 0 }
        }
        return FeatureScaler(kind: .minMax, shift: shift, factor: factor, offset: -1)
    }

    /// Mean 0 and unit (population) variance per feature; constant features map to 0.
    public static func standardize(fittedOn d: Dataset) -> FeatureScaler {
        let (mean, sd) = columnMoments(d.features, rows: d.count, width: d.featureCount)
        return FeatureScaler(kind: .standardize, shift: mean, factor: sd.map { $0 > 0 ? 1 / $0 : 0 }, offset: 0)
    }

    public func apply(_ d: Dataset) -> Dataset {
        precondition(d.featureCount == shift.count, "scaler fitted on \(shift.count) features, applied to \(d.featureCount)")
        var out = d
        let p = d.featureCount
        for r in 0..<d.count {
            for c in 0..<p {
                let i = r * p + c
                // Min-max: ((x - lo) * 2/(hi - lo)) - 1 in Double, so the training maximum is exactly 1.
                out.features[i] = factor[c] == 0 ? 0 : Float((Double(d.features[i]) - shift[c]) * factor[c] + offset)
            }
        }
        return out
    }
}

/// Each column's mean and population standard deviation over `rows` rows of `width` values
/// (row-major): what standardising features and regression targets both fit.
func columnMoments(_ values: [Float], rows: Int, width: Int) -> (mean: [Double], sd: [Double]) {
    var mean = [Double](repeating: 0, count: width), sq = [Double](repeating: 0, count: width)
    for r in 0..<rows { for c in 0..<width { mean[c] += Double(values[r * width + c]) } }
    for c in 0..<width { mean[c] /= Double(max(rows, 1)) }
    for r in 0..<rows { for c in 0..<width { let z = Double(values[r * width + c]) - mean[c]; sq[c] += z * z } }
    return (mean, sq.map { ($0 / Double(max(rows, 1))).squareRoot() })
}

public enum Splits {
    /// The rows of a class of `n` that a stratified split at `fraction` holds out: the nearest
    /// whole number, and never the whole class.
    public static func heldOutCount(_ n: Int, fraction: Double) -> Int {
        max(0, min(Int((fraction * Double(n)).rounded()), n - 1))
    }

    /// Row indices of a train/test split with `testFraction` of every class in the test part
    /// (rounded per class, at least one row of each class kept for training, at least one test
    /// row in all). For regression
    /// (`labels == nil`) a plain random split. Both parts are returned in the original row order.
    public static func stratified(labels: [Int]?, count: Int, testFraction: Double, seed: UInt64) -> (train: [Int], test: [Int]) {
        var g = Xoshiro256(seed: seed, stream: 0x5_1A17)
        var isTest = [Bool](repeating: false, count: count)
        var largest: [Int] = []
        for var group in groups(labels: labels, count: count) {
            g.shuffle(&group)
            for i in group.prefix(heldOutCount(group.count, fraction: testFraction)) { isTest[i] = true }
            if group.count > largest.count { largest = group }
        }
        // A tiny set could round every class to 0 test rows; an empty test set would report
        // a meaningless score, so hold out one row of the largest class instead.
        if !isTest.contains(true) && largest.count >= 2 { isTest[largest[0]] = true }
        return ((0..<count).filter { !isTest[$0] }, (0..<count).filter { isTest[$0] })
    }

    /// `k` disjoint folds covering every row, each holding every class in proportion
    /// (counts within one row of exact). Rows are dealt round-robin across folds after a
    /// seeded shuffle; the deal continues across classes so fold sizes also differ by at most one.
    public static func stratifiedFolds(labels: [Int]?, count: Int, k: Int, seed: UInt64) -> [[Int]] {
        precondition(k >= 2 && k <= count, "k-fold needs 2 <= k <= number of rows")
        var g = Xoshiro256(seed: seed, stream: 0xF01D)
        var folds = [[Int]](repeating: [], count: k)
        var next = 0
        for var group in groups(labels: labels, count: count) {
            g.shuffle(&group)
            for i in group { folds[next].append(i); next = (next + 1) % k }
        }
        return folds.map { $0.sorted() }
    }

    /// Rows grouped by class, or one group for regression.
    static func groups(labels: [Int]?, count: Int) -> [[Int]] {
        guard let labels else { return [Array(0..<count)] }
        var byClass: [Int: [Int]] = [:]
        for (i, y) in labels.enumerated() { byClass[y, default: []].append(i) }
        return byClass.keys.sorted().map { byClass[$0]! }
    }
}

extension Dataset {
    /// The groups a stratified draw keeps in proportion: the class of every row; for
    /// regression, which of `bins` equal-count ranges of the (first) target the row falls in,
    /// so a subsample spans the whole range of the target rather than a chance part of it.
    public func strata(regressionBins bins: Int) -> [Int] {
        if let labels = classLabels { return labels }
        let w = targetWidth, order = (0..<count).sorted { targets[$0 * w] < targets[$1 * w] }
        var bin = [Int](repeating: 0, count: count)
        for (rank, row) in order.enumerated() { bin[row] = rank * max(1, bins) / max(1, count) }
        return bin
    }

    /// Class index of every row, or nil for regression.
    public var classLabels: [Int]? {
        task.isRegression ? nil : targets.map { Int($0) }
    }

    /// Rows per class, in class order (empty for regression).
    public var classCounts: [Int] {
        guard let labels = classLabels else { return [] }
        var counts = [Int](repeating: 0, count: task.outputCount == 1 ? 2 : task.outputCount)
        for y in labels { counts[y] += 1 }
        return counts
    }

    /// The papers' protocol: a stratified split with `testFraction` of each class held out.
    public func stratifiedSplit(testFraction: Double = 0.2, seed: UInt64) -> (train: Dataset, test: Dataset) {
        let (a, b) = Splits.stratified(labels: classLabels, count: count, testFraction: testFraction, seed: seed)
        return (rows(a), rows(b))
    }

    /// Stratified k-fold cross-validation: for each fold, (the other folds, this fold).
    public func stratifiedFolds(k: Int = 5, seed: UInt64) -> [(train: Dataset, validation: Dataset)] {
        let folds = Splits.stratifiedFolds(labels: classLabels, count: count, k: k, seed: seed)
        return folds.indices.map { f in
            (rows(folds.indices.filter { $0 != f }.flatMap { folds[$0] }.sorted()), rows(folds[f]))
        }
    }

    /// The rows of `self` followed by those of `other` (same features and task).
    public func appending(_ other: Dataset) -> Dataset {
        precondition(featureCount == other.featureCount && task == other.task, "appending data sets of different shapes")
        var out = Dataset(name: name, features: features + other.features, targets: targets + other.targets,
                          count: count + other.count, featureCount: featureCount, task: task,
                          featureNames: featureNames, classNames: classNames)
        out.layout = layout
        return out
    }

    /// Every feature multiplied by `factor` (the counterexamples paper's input scaling τ, Fig. 2 and 5).
    public func scaledInputs(by factor: Float) -> Dataset {
        var out = self
        if factor != 1 { for i in out.features.indices { out.features[i] *= factor } }
        return out
    }
}
