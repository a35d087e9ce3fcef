// Features that the selected ones carry linearly. Data of MADELON's kind holds a few
// informative columns and many linear combinations of them; every such copy is relevant,
// but a feature-selection run needs only enough of them to span the informative
// directions, and after that the others add nothing a run can see, so their selection
// frequencies sit near a noise column's. A least-squares fit on the selected columns tells
// them apart at once: it explains most of a copy's variance (R² near 1 on MADELON) and,
// for a column with nothing in common with them, only the share a fit on s columns and n
// rows explains by chance (about s/n, 0.01 on MADELON).

/// How `optima select` adds the columns the selected ones explain.
public struct RedundancySettings: Equatable, Sendable {
    /// A column is a linear copy of the selected ones when they explain at least this share
    /// of its variance (R² of its least-squares fit on them). One half: mostly a copy, far
    /// above the chance share s/n of a fit on s columns and n rows.
    public var minimumExplained = 0.5
    /// Off: only the features stability selection keeps.
    public var enabled = true

    public init() {}
}

public enum LinearRedundancy {
    /// R² of every column's least-squares fit (with intercept) on the columns `core`, over the
    /// rows of `data`; 1 for the core columns and 0 for a constant column. The normal
    /// equations get a ridge of 1e-9 of their mean diagonal, so core columns that are
    /// themselves exact copies of each other still solve.
    public static func explained(_ data: Dataset, by core: [Int]) -> [Double] {
        explained(data, columns: Array(0..<data.featureCount), by: core)
    }

    /// `explained` for `columns` alone, in their order (the same numbers): a fit of one
    /// column reads the core columns and that one, not every column of the data.
    public static func explained(_ data: Dataset, columns: [Int], by core: [Int]) -> [Double] {
        let n = data.count, p = data.featureCount, s = core.count
        var r2 = [Double](repeating: 0, count: columns.count)
        guard n > 1, s > 0 else { return r2 }
        // The columns read: the core first (positions 0..<s), then the others asked for.
        let inCore = Set(core)
        let used = core + Set(columns).subtracting(inCore).sorted(), u = used.count
        var place = [Int: Int]()
        for (i, c) in used.enumerated() { place[c] = i }
        // Column means, then, row by row, every column's centred sum of squares and its cross
        // products with the centred core columns.
        var mean = [Double](repeating: 0, count: u)
        data.features.withUnsafeBufferPointer { x in
            for r in 0..<n { for (i, c) in used.enumerated() { mean[i] += Double(x[r * p + c]) } }
        }
        for i in 0..<u { mean[i] /= Double(n) }
        var total = [Double](repeating: 0, count: u)
        // Cross products AᵀX (s × u): the fit of every column at once.
        var cross = [Double](repeating: 0, count: s * u)
        var row = [Double](repeating: 0, count: u)
        data.features.withUnsafeBufferPointer { x in
            for r in 0..<n {
                for (i, c) in used.enumerated() {
                    row[i] = Double(x[r * p + c]) - mean[i]
                    total[i] += row[i] * row[i]
                }
                for i in 0..<s {
                    let v = row[i]
                    for c in 0..<u { cross[i * u + c] += v * row[c] }
                }
            }
        }
        // Gram matrix AᵀA is the core's rows of AᵀX.
        var gram = [Double](repeating: 0, count: s * s)
        for i in 0..<s { for j in 0..<s { gram[i * s + j] = cross[i * u + j] } }
        let ridge = 1e-9 * max((0..<s).map { gram[$0 * s + $0] }.reduce(0, +) / Double(s), 1e-300)
        for i in 0..<s { gram[i * s + i] += ridge }
        guard let chol = cholesky(gram, size: s) else { return r2 }
        for (k, column) in columns.enumerated() {
            if inCore.contains(column) { r2[k] = 1; continue }
            let c = place[column]!
            guard total[c] > 0 else { continue }
            let b = (0..<s).map { cross[$0 * u + c] }
            let beta = solve(chol, size: s, b)
            // For a least-squares fit the explained sum of squares is βᵀAᵀx.
            let explained = zip(beta, b).reduce(0) { $0 + $1.0 * $1.1 }
            r2[k] = min(max(explained / total[c], 0), 1)
        }
        return r2
    }

    /// The columns outside `core` that it explains with R² at least `minimum`, ascending.
    public static func copies(_ data: Dataset, of core: [Int], minimum: Double) -> [Int] {
        let r2 = explained(data, by: core), inCore = Set(core)
        return (0..<data.featureCount).filter { !inCore.contains($0) && r2[$0] >= minimum }
    }

    /// Lower-triangular L with L·Lᵀ = m (row-major, size × size); nil if m is not positive definite.
    static func cholesky(_ m: [Double], size s: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: s * s)
        for i in 0..<s {
            for j in 0...i {
                var sum = m[i * s + j]
                for k in 0..<j { sum -= l[i * s + k] * l[j * s + k] }
                if i == j {
                    guard sum > 0 else { return nil }
                    l[i * s + i] = sum.squareRoot()
                } else {
                    l[i * s + j] = sum / l[j * s + j]
                }
            }
        }
        return l
    }

    /// x with L·Lᵀ·x = b.
    static func solve(_ l: [Double], size s: Int, _ b: [Double]) -> [Double] {
        var y = b
        for i in 0..<s {
            for k in 0..<i { y[i] -= l[i * s + k] * y[k] }
            y[i] /= l[i * s + i]
        }
        for i in stride(from: s - 1, through: 0, by: -1) {
            for k in (i + 1)..<s { y[i] -= l[k * s + i] * y[k] }
            y[i] /= l[i * s + i]
        }
        return y
    }
}
