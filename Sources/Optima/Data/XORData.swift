// The k-D XOR data of Guo & Barbu (2020) §2: x uniform in [-1,1]^P, y = 1 when the
// product of the first k coordinates is positive. A master training set (N x P) and a
// separate master test set (3000 x P) are drawn once from fixed seeds; an experiment
// takes the first n rows and first p columns, so every (n, p) sees nested data.

public enum XORData {
    /// Seeds of the master sets. Fixed so that every experiment sees the same points.
    public static let trainSeed: UInt64 = 20_200_601
    public static let testSeed: UInt64 = 20_200_602
    /// Size of the master sets: enough rows and columns for every figure of the paper.
    public static let masterRows = 10_000
    public static let masterTestRows = 3000
    public static let masterColumns = 200

    /// Points uniform in [-1,1]^columns, drawn row by row.
    public static func points(rows: Int, columns: Int, seed: UInt64) -> [Float] {
        var g = Xoshiro256(seed: seed)
        var x = [Float](repeating: 0, count: rows * columns)
        for i in 0..<x.count { x[i] = g.uniform(-1, 1) }
        return x
    }

    /// Label of a row: 1 if the product of its first k coordinates is > 0.
    public static func label(_ row: ArraySlice<Float>, k: Int) -> Float {
        var sign = true
        for v in row.prefix(k) where v <= 0 {
            if v == 0 { return 0 }
            sign.toggle()
        }
        return sign ? 1 : 0
    }

    /// The first n rows and p columns of a master set with labels for interaction order k.
    /// Row i of the master set does not depend on n or p (the master set is drawn at full width).
    public static func make(k: Int, p: Int, n: Int, test: Bool = false) throws -> Dataset {
        guard k >= 1 else { throw SettingsError("--k must be at least 1 (got \(k))") }
        guard p >= k else { throw SettingsError("--p must be at least --k (got p=\(p), k=\(k))") }
        guard p <= masterColumns else { throw SettingsError("--p must be at most \(masterColumns) for the XOR data (got \(p))") }
        let limit = test ? masterTestRows : masterRows
        guard n >= 1, n <= limit else { throw SettingsError("--n must be in 1...\(limit) for the XOR \(test ? "test" : "training") set (got \(n))") }
        // Draw only the rows needed; rows are generated in order so a prefix is the same.
        let all = points(rows: n, columns: masterColumns, seed: test ? testSeed : trainSeed)
        var x = [Float](repeating: 0, count: n * p)
        var y = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let row = all[(i * masterColumns)..<((i + 1) * masterColumns)]
            for c in 0..<p { x[i * p + c] = row[row.startIndex + c] }
            y[i] = label(row, k: k)
        }
        return Dataset(name: "xor", features: x, targets: y, count: n, featureCount: p, task: .binary)
    }
}
