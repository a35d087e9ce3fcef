// What `optima data describe` reports about a data set: size, classes, feature ranges and
// constant columns (which scale to 0 and carry no information).

public struct DataSummary: Sendable {
    public let name: String
    public let rows: Int
    public let features: Int
    /// "binary", "multiclass" or "regression".
    public let task: String
    public let classNames: [String]
    public let classCounts: [Int]
    public let featureNames: [String]
    public let minimum: [Float]
    public let maximum: [Float]
    /// Indices of the features whose every value is the same.
    public var constantColumns: [Int] { (0..<features).filter { minimum[$0] == maximum[$0] } }

    public init(_ d: Dataset) {
        name = d.name
        rows = d.count
        features = d.featureCount
        switch d.task {
        case .binary: task = "binary"
        case .multiclass: task = "multiclass"
        case .regression: task = "regression"
        }
        classNames = d.task.isRegression ? [] : d.classNames
        classCounts = d.classCounts
        featureNames = d.featureNames
        var lo = [Float](repeating: .infinity, count: d.featureCount), hi = [Float](repeating: -.infinity, count: d.featureCount)
        for r in 0..<d.count {
            for c in 0..<d.featureCount {
                let v = d.features[r * d.featureCount + c]
                lo[c] = min(lo[c], v); hi[c] = max(hi[c], v)
            }
        }
        minimum = d.count > 0 ? lo : [Float](repeating: 0, count: d.featureCount)
        maximum = d.count > 0 ? hi : [Float](repeating: 0, count: d.featureCount)
    }

    public var json: [String: JSONValue] {
        var o: [String: JSONValue] = [
            "name": .string(name), "rows": JSONValue(rows), "features": JSONValue(features), "task": .string(task),
            "feature_names": .array(featureNames.map { .string($0) }),
            "min": JSONValue(minimum.map(Double.init)), "max": JSONValue(maximum.map(Double.init)),
            "constant_columns": JSONValue(constantColumns),
        ]
        if !classNames.isEmpty {
            o["classes"] = JSONValue(classNames.count)
            o["class_names"] = .array(classNames.map { .string($0) })
            o["class_counts"] = JSONValue(classCounts)
        }
        return o
    }
}
