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

    /// Names the data in a training's key, e.g. "k=3,p=15,n=1000".
    var keyPart: String {
        switch self {
        case let .xor(k, p, n): return "k=\(k),p=\(p),n=\(n)"
        case let .named(name, seed): return "data=\(name),split=\(seed)"
        case let .scaled(name, seed, tau): return "data=\(name),split=\(seed),tau=\(tau)"
        }
    }

    /// The spec's parameters as fields of a result record.
    var recordFields: ResultRecord {
        switch self {
        case let .xor(k, p, n): return ["k": JSONValue(k), "p": JSONValue(p), "n": JSONValue(n)]
        case let .named(name, seed): return ["data": .string(name), "split": JSONValue(Int(seed))]
        case let .scaled(name, seed, tau): return ["data": .string(name), "split": JSONValue(Int(seed)), "tau": JSONValue(tau)]
        }
    }

    /// The XOR interaction order, where the data has one.
    public var k: Int? {
        if case let .xor(k, _, _) = self { return k }
        return nil
    }

    /// The training and test sets, built on first use and then shared.
    public func load() throws -> (train: Dataset, test: Dataset) {
        DataSpec.lock.lock()
        defer { DataSpec.lock.unlock() }
        if let d = DataSpec.cache[self] { return d }
        // Both go through DataSource, the one place that says how `--data` builds a set.
        var options = DataOptions()
        let name: String
        switch self {
        case let .xor(k, p, n):
            (name, options.xorK, options.xorP, options.xorN) = ("xor", k, p, n)
        case let .named(set, seed):
            (name, options.seed) = (set, seed)
        case let .scaled(set, seed, tau):
            (name, options.seed, options.inputScale) = (set, seed, Float(tau))
        }
        let d = try DataSource.load(name, options: options)
        DataSpec.cache[self] = d
        return d
    }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [DataSpec: (train: Dataset, test: Dataset)] = [:]   // guarded by lock
}
