// What one training of a study learns from: anything `DataSource` reads. Its key part names
// it in the training's key (and so fixes the seeds); the sets are built once per process
// and shared by every training that uses them.
import Foundation

public enum DataSpec: Hashable, Sendable {
    /// k-D XOR: the first n rows and p columns of the master training set; the test set is
    /// the separate 3000-row master test set.
    case xor(k: Int, p: Int, n: Int)
    /// A built-in set (tabular, tiny or MNIST) or a user's file, with the papers' stratified
    /// 4:1 split drawn with `splitSeed` and min-max scaling fitted on the training part
    /// (a set with its own test set, such as a tiny set, keeps it).
    case named(String, splitSeed: UInt64)
    /// A built-in set as `.named`, every input then multiplied by τ (the counterexamples
    /// paper's input scale, Figs. 2 and 5).
    case scaled(String, splitSeed: UInt64, inputScale: Double)
    /// One fold of a repeated stratified k-fold split of a built-in set's training part (the
    /// rows `.named(name, splitSeed)` trains on): the fold's other rows train, its own rows are
    /// the test set, and the scaling is fitted on the training rows alone. The folds are
    /// those `optima cv` draws with the same split seed.
    case fold(String, splitSeed: UInt64, folds: Int, repeatIndex: Int, fold: Int)
    /// A built-in set as `.named`, its training part cut to its first `rows` rows (nil: all)
    /// and, with a `labelSeed`, its training labels randomly permuted over those rows by that
    /// seed (Zhang et al.'s random labels: the class counts stay, the link to the inputs goes;
    /// the counterexamples paper's Fig. 1, bottom row). The test set is left as it is.
    case relabeled(String, splitSeed: UInt64, rows: Int?, labelSeed: UInt64?)

    /// Names the data in a training's key, e.g. "k=3,p=15,n=1000".
    var keyPart: String {
        switch self {
        case let .xor(k, p, n): return "k=\(k),p=\(p),n=\(n)"
        case let .named(name, seed): return "data=\(name),split=\(seed)"
        case let .scaled(name, seed, tau): return "data=\(name),split=\(seed),tau=\(tau)"
        case let .fold(name, seed, k, r, f): return "data=\(name),split=\(seed),folds=\(k),repeat=\(r),fold=\(f)"
        case let .relabeled(name, seed, rows, labels):
            return "data=\(name),split=\(seed)" + (rows.map { ",rows=\($0)" } ?? "") + (labels.map { ",labels=permuted\($0)" } ?? "")
        }
    }

    /// The spec's parameters as fields of a result record.
    var recordFields: ResultRecord {
        switch self {
        case let .xor(k, p, n): return ["k": JSONValue(k), "p": JSONValue(p), "n": JSONValue(n)]
        case let .named(name, seed): return ["data": .string(name), "split": JSONValue(Int(seed))]
        case let .scaled(name, seed, tau): return ["data": .string(name), "split": JSONValue(Int(seed)), "tau": JSONValue(tau)]
        case let .fold(name, seed, k, r, f):
            return ["data": .string(name), "split": JSONValue(Int(seed)), "folds": JSONValue(k), "repeat": JSONValue(r),
                    "fold": JSONValue(f)]
        case let .relabeled(name, seed, rows, labels):
            var r: ResultRecord = ["data": .string(name), "split": JSONValue(Int(seed))]
            if let n = rows { r["rows"] = JSONValue(n) }
            if let l = labels { r["label_seed"] = JSONValue(Int(l)) }
            return r
        }
    }

    /// The XOR interaction order, where the data has one.
    public var k: Int? {
        if case let .xor(k, _, _) = self { return k }
        return nil
    }

    /// The data set's name (XOR: "xor").
    public var name: String {
        switch self {
        case .xor: return "xor"
        case let .named(name, _), let .scaled(name, _, _), let .fold(name, _, _, _, _), let .relabeled(name, _, _, _): return name
        }
    }

    /// The training and test sets, built on first use and then shared.
    public func load() throws -> (train: Dataset, test: Dataset) {
        DataSpec.lock.lock()
        defer { DataSpec.lock.unlock() }
        if let d = DataSpec.cache[self] { return d }
        if case let .fold(set, seed, folds, r, f) = self {
            let key = "\(set)|\(seed)"
            if DataSpec.unscaled[key] == nil {
                let (whole, _, scaling) = try DataSource.loadUnscaled(set, options: DataSpec.options(seed: seed))
                DataSpec.unscaled[key] = (whole, scaling)
            }
            let (whole, scaling) = DataSpec.unscaled[key]!
            let split = try Folds.split(whole, folds: folds, repeatIndex: r, fold: f, seed: seed)
            let d = Folds.foldData(whole, split, scaling: scaling, inputScale: 1)
            DataSpec.cache[self] = (d.train, d.validation)
            return (d.train, d.validation)
        }
        if case let .relabeled(set, seed, rows, labels) = self {
            var (train, test) = try DataSource.load(set, options: DataSpec.options(seed: seed))
            if let n = rows, n < train.count { train = train.rows(Array(0..<n)) }
            if let l = labels {
                precondition(train.targetWidth == 1, "labels are permuted for classification only")
                var g = Xoshiro256(seed: l)
                g.shuffle(&train.targets)
            }
            DataSpec.cache[self] = (train, test)
            return (train, test)
        }
        // Both go through DataSource, the one place that says how `--data` builds a set.
        var options = DataSpec.options(seed: DataOptions().seed)
        let name: String
        switch self {
        case let .xor(k, p, n):
            (name, options.xorK, options.xorP, options.xorN) = ("xor", k, p, n)
        case let .named(set, seed):
            (name, options.seed) = (set, seed)
        case let .scaled(set, seed, tau):
            (name, options.seed, options.inputScale) = (set, seed, Float(tau))
        case .fold, .relabeled:
            preconditionFailure("built above")
        }
        let d = try DataSource.load(name, options: options)
        DataSpec.cache[self] = d
        return d
    }

    /// What every spec loads with: the split seed, and ISOLET's folder when one was given.
    private static func options(seed: UInt64) -> DataOptions {
        var options = DataOptions()
        options.seed = seed
        options.isoletDirectory = RealDataSets.isoletDirectory
        return options
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [DataSpec: (train: Dataset, test: Dataset)] = [:]   // guarded by lock
    /// A set's training part before scaling, which every fold of it splits (guarded by lock).
    nonisolated(unsafe) private static var unscaled: [String: (train: Dataset, scaling: Scaling)] = [:]
}
