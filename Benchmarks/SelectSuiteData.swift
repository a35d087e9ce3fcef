// The kinds of data `optima-bench select --suite` generates, each at two sizes from fixed
// seeds, and the CSV files every method then reads.
//
// Each set is drawn as its relevant columns, the target, and the columns that do not
// matter; then the columns are put in a random order, so a column's position says nothing.
// Test sets have 2000 rows, so the test scores move little from draw to draw.
import Foundation
import Optima

/// What a generated set asks a method to predict.
enum SuiteTask: String {
    case binary, multiclass, regression
}

/// One column of a generated table: the training rows, then the test rows.
enum SuiteColumn {
    case numbers([Double])
    case words([String])
}

/// One generated set as written to its files.
struct SuiteSet {
    var kind: String
    var size: String
    var trainRows: Int
    var task: SuiteTask
    var columns: [SuiteColumn]
    /// Class numbers, or the regression target; training rows first.
    var target: [Double]
    /// The file columns (0-based) that the target depends on, in the order the kind's
    /// generator describes them.
    var relevantColumns: [Int]
    var relevant: Set<Int> { Set(relevantColumns) }

    var features: Int { columns.count }
    var testRows: Int { target.count - trainRows }
}

/// A generated table: the task, the columns in file order, the target (training rows first)
/// and the relevant columns in the generator's order.
typealias SuiteDraw = (task: SuiteTask, columns: [SuiteColumn], target: [Double], relevant: [Int])

/// A kind of data and how to draw it at a size.
struct SuiteKind {
    var name: String
    /// What the kind is, in a few words, for the table's header lines.
    var summary: String
    /// (label, training rows, columns), smallest first.
    var sizes: [(label: String, rows: Int, features: Int)]
    var make: (_ rows: Int, _ features: Int, _ seed: UInt64) throws -> SuiteDraw

    /// The set at `s`, one of `sizes` or any other (--rows and --columns).
    func draw(_ s: (label: String, rows: Int, features: Int)) throws -> SuiteSet {
        let seed = derivedSeed(for: "select-suite|\(name)|\(s.label)", base: 2026)
        let (task, columns, target, relevant) = try make(s.rows, s.features, seed)
        return SuiteSet(kind: name, size: s.label, trainRows: s.rows, task: task, columns: columns, target: target,
                        relevantColumns: relevant)
    }
}

let suiteTestRows = 2000

/// The suite, in the order the table lists it.
let suiteKinds: [SuiteKind] = [
    SuiteKind(name: "xor-hypercube", summary: "binary; MADELON's design: 5 informative on 32 vertices dealt at random, 15 copies",
              sizes: [("small", 2000, 100), ("large", 2000, 300)], make: hypercubeSet),
    SuiteKind(name: "multiclass", summary: "4 classes; 5 informative on 32 vertices dealt 8 to each class, 7 copies",
              sizes: [("small", 2000, 100), ("large", 2000, 200)], make: { try vertexClassesSet($0, $1, $2, classes: 4) }),
    SuiteKind(name: "friedman1", summary: "regression; Friedman #1, 5 relevant columns, noise sd 1",
              sizes: [("small", 1000, 100), ("large", 1000, 300)], make: friedmanOneSet),
    SuiteKind(name: "decoys", summary: "binary; 5 relevant, each with 2 noise columns correlated 0.3-0.7 with it",
              sizes: [("small", 1000, 50), ("large", 1000, 200)], make: decoySet),
    SuiteKind(name: "mixed", summary: "binary; 3 numeric and 2 word-valued relevant columns, a third of the rest words",
              sizes: [("small", 1000, 30), ("large", 1000, 100)], make: mixedSet),
    SuiteKind(name: "imbalance", summary: "binary, 1:9; 5 relevant, the top tenth of the score positive",
              sizes: [("small", 1000, 50), ("large", 2000, 200)], make: { additiveSet($0, $1, $2, positives: 0.1) }),
    SuiteKind(name: "wide", summary: "binary, p > n; 5 relevant among more columns than rows",
              sizes: [("small", 200, 500), ("large", 200, 1000)], make: { additiveSet($0, $1, $2, positives: 0.5) }),
]

// MARK: - The generators

/// MADELON's design (`HypercubeData`, vertices dealt at random), 5 informative, 15 copies.
private func hypercubeSet(_ rows: Int, _ features: Int, _ seed: UInt64) throws
    -> SuiteDraw {
    var s = HypercubeSettings()
    s.labels = .random
    s.informative = 5
    s.redundant = 15
    s.features = features
    s.rows = rows
    s.testRows = suiteTestRows
    s.seed = seed
    let (train, test, informative, redundant) = try HypercubeData.make(s)
    let columns: [SuiteColumn] = (0..<features).map { c in
        .numbers([train, test].flatMap { d in (0..<d.count).map { Double(d.features[$0 * features + c]) } })
    }
    return (.binary, columns, (train.targets + test.targets).map(Double.init), informative + redundant)
}

/// MADELON's design with the 2^5 vertices dealt round the classes (`HypercubeData` deals to
/// two): each vertex's points at ±1 + 0.3 N(0, 1), copies as fixed unit combinations of the
/// informative features, noise N(0, 1).
private func vertexClassesSet(_ rows: Int, _ features: Int, _ seed: UInt64, classes: Int) throws
    -> SuiteDraw {
    let k = 5, copies = 7, n = rows + suiteTestRows
    var g = Xoshiro256(seed: seed, stream: 1)
    var order = Array(0..<(1 << k))
    g.shuffle(&order)
    var vertexClass = [Int](repeating: 0, count: 1 << k)
    for (i, v) in order.enumerated() { vertexClass[v] = i % classes }
    let mix: [[Double]] = (0..<copies).map { _ in
        let w = (0..<k).map { _ in g.normal() }
        let norm = max(w.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-6)
        return w.map { $0 / norm }
    }
    var relevant = [[Double]](repeating: [], count: k + copies), target: [Double] = []
    for _ in 0..<n {
        var vertex = 0
        let z = (0..<k).map { j -> Double in
            let up = g.unitDouble() < 0.5
            if up { vertex |= 1 << j }
            return (up ? 1 : -1) + 0.3 * g.normal()
        }
        target.append(Double(vertexClass[vertex]))
        for j in 0..<k { relevant[j].append(z[j]) }
        for (m, w) in mix.enumerated() { relevant[k + m].append(zip(w, z).reduce(0) { $0 + $1.0 * $1.1 }) }
    }
    let noise = normalColumns(features - k - copies, rows: n, &g)
    let (columns, positions) = shuffled(relevant.map(SuiteColumn.numbers) + noise, relevantCount: k + copies, &g)
    return (.multiclass, columns, target, positions)
}

/// Friedman #1: y = 10 sin(π x1 x2) + 20 (x3 − ½)² + 10 x4 + 5 x5 + N(0, 1), every column
/// U[0, 1] (as Benchmarks/peers/friedman.py writes it).
private func friedmanOneSet(_ rows: Int, _ features: Int, _ seed: UInt64) throws
    -> SuiteDraw {
    let n = rows + suiteTestRows
    var g = Xoshiro256(seed: seed, stream: 1)
    let x = (0..<features).map { _ in (0..<n).map { _ in g.unitDouble() } }
    let target = (0..<n).map { i in
        10 * sin(Double.pi * x[0][i] * x[1][i]) + 20 * (x[2][i] - 0.5) * (x[2][i] - 0.5) + 10 * x[3][i] + 5 * x[4][i]
            + g.normal()
    }
    let (columns, positions) = shuffled(x.map(SuiteColumn.numbers), relevantCount: 5, &g)
    return (.regression, columns, target, positions)
}

/// The score of the additive kinds, on five N(0, 1) columns: a linear term each way, a
/// square, a sine and an interaction, so no method sees every relevant column by its
/// correlation with the label alone.
private func additiveScore(_ x: [[Double]], _ i: Int) -> Double {
    x[0][i] - x[1][i] + 0.7 * (x[2][i] * x[2][i] - 1) + 1.4 * sin(2 * x[3][i]) + 0.8 * x[0][i] * x[4][i]
}

/// Labels 1 for the rows whose score plus N(0, 0.5²) is in the top `positives` share.
private func labels(_ score: [Double], positives: Double, _ g: inout Xoshiro256) -> [Double] {
    let noisy = score.map { $0 + 0.5 * g.normal() }
    let cut = noisy.sorted()[Int((Double(noisy.count) * (1 - positives)).rounded())]
    return noisy.map { $0 >= cut ? 1 : 0 }
}

/// The additive score's five columns among N(0, 1) noise; `positives` of the rows are class 1.
private func additiveSet(_ rows: Int, _ features: Int, _ seed: UInt64, positives: Double)
    -> SuiteDraw {
    let n = rows + suiteTestRows
    var g = Xoshiro256(seed: seed, stream: 1)
    let x = (0..<5).map { _ in (0..<n).map { _ in g.normal() } }
    let target = labels((0..<n).map { additiveScore(x, $0) }, positives: positives, &g)
    let (columns, positions) = shuffled(x.map(SuiteColumn.numbers) + normalColumns(features - 5, rows: n, &g),
                                        relevantCount: 5, &g)
    return (.binary, columns, target, positions)
}

/// The additive score's five columns; two decoys for each, ρ x + √(1 − ρ²) N(0, 1) with ρ
/// drawn from U[0.3, 0.7]; the rest N(0, 1) noise. Half the rows are class 1.
private func decoySet(_ rows: Int, _ features: Int, _ seed: UInt64) -> SuiteDraw {
    let n = rows + suiteTestRows
    var g = Xoshiro256(seed: seed, stream: 1)
    let x = (0..<5).map { _ in (0..<n).map { _ in g.normal() } }
    let target = labels((0..<n).map { additiveScore(x, $0) }, positives: 0.5, &g)
    let decoys: [SuiteColumn] = (0..<10).map { d in
        let rho = 0.3 + 0.4 * g.unitDouble()
        return .numbers(x[d % 5].map { rho * $0 + (1 - rho * rho).squareRoot() * g.normal() })
    }
    let (columns, positions) = shuffled(x.map(SuiteColumn.numbers) + decoys + normalColumns(features - 15, rows: n, &g),
                                        relevantCount: 5, &g)
    return (.binary, columns, target, positions)
}

private let suiteWords = ["amber", "beige", "coral", "denim", "ebony", "fawn", "ivory", "jade", "khaki", "lilac"]

/// Three numeric relevant columns (a linear term, a square, a sine) and two word-valued ones
/// (4 and 3 levels, each level its own effect); a third of the other columns are words of
/// 3–6 levels, the rest N(0, 1). Half the rows are class 1.
private func mixedSet(_ rows: Int, _ features: Int, _ seed: UInt64) -> SuiteDraw {
    let n = rows + suiteTestRows
    var g = Xoshiro256(seed: seed, stream: 1)
    let x = (0..<3).map { _ in (0..<n).map { _ in g.normal() } }
    func wordColumn(levels: Int) -> (words: [String], level: [Int]) {
        var vocabulary = suiteWords
        g.shuffle(&vocabulary)
        let level = (0..<n).map { _ in g.index(below: levels) }
        return (level.map { vocabulary[$0] }, level)
    }
    let shade = wordColumn(levels: 4), size = wordColumn(levels: 3)
    var shadeEffect: [Double] = [-1.5, -0.5, 0.5, 1.5], sizeEffect: [Double] = [-1.2, 0, 1.2]
    g.shuffle(&shadeEffect)
    g.shuffle(&sizeEffect)
    let score = (0..<n).map { i -> Double in
        let numeric: Double = x[0][i] + 0.7 * (x[1][i] * x[1][i] - 1) + 1.4 * sin(2 * x[2][i])
        return numeric + shadeEffect[shade.level[i]] + sizeEffect[size.level[i]]
    }
    let target = labels(score, positives: 0.5, &g)
    let others = features - 5, wordy = others / 3
    let noise = (0..<wordy).map { _ in SuiteColumn.words(wordColumn(levels: 3 + g.index(below: 4)).words) }
        + normalColumns(others - wordy, rows: n, &g)
    let relevant = x.map(SuiteColumn.numbers) + [.words(shade.words), .words(size.words)]
    let (columns, positions) = shuffled(relevant + noise, relevantCount: 5, &g)
    return (.binary, columns, target, positions)
}

private func normalColumns(_ count: Int, rows: Int, _ g: inout Xoshiro256) -> [SuiteColumn] {
    (0..<count).map { _ in .numbers((0..<rows).map { _ in g.normal() }) }
}

/// The columns in a random order, and where the first `relevantCount` of them went, in
/// their order.
private func shuffled(_ columns: [SuiteColumn], relevantCount: Int, _ g: inout Xoshiro256)
    -> ([SuiteColumn], [Int]) {
    var order = Array(columns.indices)
    g.shuffle(&order)
    var position = [Int](repeating: 0, count: order.count)
    for (i, c) in order.enumerated() { position[c] = i }
    return (order.map { columns[$0] }, Array(position.prefix(relevantCount)))
}

// MARK: - Files

extension SuiteSet {
    /// Writes `train.csv` and `test.csv` into `folder`: a header x0…x(p−1), y, then one row
    /// per line; numbers with 6 significant digits, class labels as integers. And
    /// `relevant.txt`, the relevant columns' names in the order the kind's generator describes
    /// them, for a run of `optima select` by hand.
    func write(to folder: String) throws -> (train: String, test: String) {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let header = ((0..<features).map { "x\($0)" } + ["y"]).joined(separator: ",") + "\n"
        func cell(_ c: Int, _ row: Int) -> String {
            switch columns[c] {
            case .numbers(let v): return String(format: "%.6g", v[row])
            case .words(let w): return w[row]
            }
        }
        func label(_ row: Int) -> String {
            task == .regression ? String(format: "%.6g", target[row]) : String(Int(target[row]))
        }
        func file(_ rows: Range<Int>, _ name: String) throws -> String {
            var text = header
            for r in rows { text += (0..<features).map { cell($0, r) }.joined(separator: ",") + "," + label(r) + "\n" }
            let path = (folder as NSString).appendingPathComponent(name)
            try writeFileAtomically(text, to: path)
            return path
        }
        let names = relevantColumns.map { "x\($0)" }.joined(separator: " ") + "\n"
        try writeFileAtomically(names, to: (folder as NSString).appendingPathComponent("relevant.txt"))
        return (try file(0..<trainRows, "train.csv"), try file(trainRows..<target.count, "test.csv"))
    }
}
