// The in-memory form every data source is turned into before training.

/// What a network is asked to predict.
public enum Task: Equatable, Sendable {
    /// Labels 0/1, one logit output, binary cross-entropy.
    case binary
    /// Labels 0..<classes, softmax output, cross-entropy.
    case multiclass(classes: Int)
    /// Real targets, linear outputs, squared error.
    case regression(outputs: Int)

    /// Number of output units of a network for this task.
    public var outputCount: Int {
        switch self {
        case .binary: return 1
        case .multiclass(let c): return c
        case .regression(let o): return o
        }
    }
}

/// A data matrix with its targets. Features are row-major `count x featureCount`.
/// Classification targets are class indices stored as Float (0, 1, 2, ...);
/// regression targets are `count x task.outputCount` values.
public struct Dataset: Sendable {
    public var name: String
    public var features: [Float]
    public var targets: [Float]
    public var count: Int
    public var featureCount: Int
    public var task: Task
    public var featureNames: [String]
    public var classNames: [String]
    /// How the columns of the file it was read from became these features (nil for data not
    /// read from a delimited file); a saved model keeps it to encode new rows the same way.
    /// Row selections keep it; column selections drop it.
    public var layout: ColumnLayout?

    public init(name: String, features: [Float], targets: [Float], count: Int, featureCount: Int,
                task: Task, featureNames: [String]? = nil, classNames: [String]? = nil) {
        precondition(features.count == count * featureCount, "feature matrix has the wrong size")
        precondition(targets.count == count * (task == .binary ? 1 : (task.isRegression ? task.outputCount : 1)),
                     "target vector has the wrong size")
        self.name = name
        self.features = features
        self.targets = targets
        self.count = count
        self.featureCount = featureCount
        self.task = task
        self.featureNames = featureNames ?? (0..<featureCount).map { "x\($0)" }
        switch task {
        case .binary: self.classNames = classNames ?? ["0", "1"]
        case .multiclass(let c): self.classNames = classNames ?? (0..<c).map { String($0) }
        case .regression: self.classNames = classNames ?? []
        }
    }

    /// Values per target row: 1 for classification, the output count for regression.
    public var targetWidth: Int { task.isRegression ? task.outputCount : 1 }

    /// The rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> Dataset {
        var f = [Float](repeating: 0, count: indices.count * featureCount)
        var t = [Float](repeating: 0, count: indices.count * targetWidth)
        let w = targetWidth
        features.withUnsafeBufferPointer { src in
            f.withUnsafeMutableBufferPointer { dst in
                for (r, i) in indices.enumerated() {
                    for c in 0..<featureCount { dst[r * featureCount + c] = src[i * featureCount + c] }
                }
            }
        }
        for (r, i) in indices.enumerated() {
            for c in 0..<w { t[r * w + c] = targets[i * w + c] }
        }
        var out = Dataset(name: name, features: f, targets: t, count: indices.count, featureCount: featureCount,
                          task: task, featureNames: featureNames, classNames: classNames)
        out.layout = layout
        return out
    }

    /// The first `n` rows and first `p` columns (the k-D XOR protocol of Guo & Barbu §2).
    public func prefix(rows n: Int, columns p: Int) -> Dataset {
        precondition(n <= count && p <= featureCount)
        var f = [Float](repeating: 0, count: n * p)
        for r in 0..<n {
            for c in 0..<p { f[r * p + c] = features[r * featureCount + c] }
        }
        return Dataset(name: name, features: f, targets: Array(targets[0..<(n * targetWidth)]), count: n,
                       featureCount: p, task: task, featureNames: Array(featureNames[0..<p]),
                       classNames: classNames)
    }

    /// Keeps only the given feature columns, in the given order.
    public func columns(_ keep: [Int]) -> Dataset {
        var f = [Float](repeating: 0, count: count * keep.count)
        for r in 0..<count {
            for (c, k) in keep.enumerated() { f[r * keep.count + c] = features[r * featureCount + k] }
        }
        return Dataset(name: name, features: f, targets: targets, count: count, featureCount: keep.count,
                       task: task, featureNames: keep.map { featureNames[$0] }, classNames: classNames)
    }
}

extension Task {
    public var isRegression: Bool {
        if case .regression = self { return true }
        return false
    }
}
