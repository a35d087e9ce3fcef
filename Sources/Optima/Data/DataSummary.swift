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
    /// Over the values present (a missing one, NaN as encoded under `--missing mean`, is left out).
    public let minimum: [Float]
    public let maximum: [Float]
    /// Missing values per feature (`--missing mean`; all 0 otherwise).
    public let missing: [Int]
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
        var missing = [Int](repeating: 0, count: d.featureCount)
        for r in 0..<d.count {
            for c in 0..<d.featureCount {
                let v = d.features[r * d.featureCount + c]
                if v.isNaN { missing[c] += 1; continue }
                lo[c] = min(lo[c], v); hi[c] = max(hi[c], v)
            }
        }
        // A feature with no value at all shows 0 .. 0, as an empty data set does.
        minimum = (0..<d.featureCount).map { lo[$0] <= hi[$0] ? lo[$0] : 0 }
        maximum = (0..<d.featureCount).map { lo[$0] <= hi[$0] ? hi[$0] : 0 }
        self.missing = missing
    }

    public var json: [String: JSONValue] {
        var o: [String: JSONValue] = [
            "name": .string(name), "rows": JSONValue(rows), "features": JSONValue(features), "task": .string(task),
            "feature_names": .array(featureNames.map { .string($0) }),
            "min": JSONValue(minimum.map(Double.init)), "max": JSONValue(maximum.map(Double.init)),
            "constant_columns": JSONValue(constantColumns),
            "missing_values": JSONValue(missing),
        ]
        if !classNames.isEmpty {
            o["classes"] = JSONValue(classNames.count)
            o["class_names"] = .array(classNames.map { .string($0) })
            o["class_counts"] = JSONValue(classCounts)
        }
        return o
    }
}
