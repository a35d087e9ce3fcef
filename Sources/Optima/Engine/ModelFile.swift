// The saved-model file: one JSON object that names its format and version, written
// atomically. Reading checks every field against the others (layer sizes against weight
// counts, kept features against the feature list, scaling against the feature count), so a
// damaged, truncated or foreign file is one DataError naming the file and the problem,
// never a crash or a network that silently computes something else.
//
// Weights are written as the Double of each Float, which reads back to the same Float.
import Foundation

public enum ModelFile {
    public static let format = "optima-model"
    /// Raised when a field changes meaning or a required one is added; older files stay
    /// readable. Version 2 holds several networks ("networks", averaged), a regression
    /// target's scaling ("target_scaling") and the fills of missing cells ("missing": "mean",
    /// each feature's in "scaling"."fill"); a model that needs none of them is written as
    /// version 1, which every optima reads.
    public static let version = 2

    public static func write(_ m: SavedModel, to path: String) throws {
        try writeFileAtomically(json(m).jsonText + "\n", to: path)
    }

    /// One network's sizes, activation, parameters, kept nodes and mask.
    static func json(_ net: Network) -> JSONValue {
        var network: [String: JSONValue] = [
            "sizes": JSONValue(net.shape.sizes),
            "activation": .string(net.hiddenActivation == .sigmoid ? "sigmoid" : "relu"),
            "parameters": .array(net.parameters.array.map { .number(Double($0)) }),
            "kept_nodes": .array(net.nodeIndices.map { JSONValue($0) }),
        ]
        if let mask = net.mask { network["mask"] = .array(mask.array.map { .number(Double($0)) }) }
        return .object(network)
    }

    public static func json(_ m: SavedModel) -> JSONValue {
        let net = m.network
        let scaler = m.transform.scaler
        var scaling: [String: JSONValue] = [
            "kind": .string(scaler.map { $0.kind == .minMax ? "minmax" : "standardize" } ?? "none"),
            "shift": JSONValue(scaler?.shift ?? []),
            "factor": JSONValue(scaler?.factor ?? []),
            "offset": .number(scaler?.offset ?? 0),
            "input_scale": .number(Double(m.transform.inputScale)),
        ]
        // Each feature's value for a missing one, before the scaling (`--missing mean`).
        if let fills = m.transform.fills { scaling["fill"] = JSONValue(fills.map(Double.init)) }
        let columns: [JSONValue] = m.layout.columns.map { c in
            switch c {
            case .numeric(let n): return ["name": .string(n), "kind": "numeric"]
            case .categorical(let n, let v): return ["name": .string(n), "kind": "categorical", "values": .array(v.map(JSONValue.string))]
            case .label(let n): return ["name": .string(n), "kind": "label"]
            }
        }
        let (task, outputs): (String, Int) = {
            switch m.task {
            case .binary: return ("binary", 1)
            case .multiclass(let c): return ("multiclass", c)
            case .regression(let o): return ("regression", o)
            }
        }()
        let ensemble = m.networks.count > 1 || m.targetScaling != nil || m.layout.missingAllowed
        var object: [String: JSONValue] = [
            "format": .string(format),
            "version": JSONValue(ensemble ? version : 1),
            "data": .string(m.data),
            "task": .string(task),
            "outputs": JSONValue(outputs),
            "classes": .array(m.classNames.map(JSONValue.string)),
            "columns": .array(columns),
            "columns_named_by_header": .bool(m.layout.namedByHeader),
            "numeric_classes": .bool(m.layout.numericClasses),
            "missing": .string(m.layout.missingAllowed ? "mean" : "error"),
            "features": .array(m.featureNames.map(JSONValue.string)),
            "kept_features": JSONValue(net.featureIndices),
            "kept_feature_names": .array(m.keptFeatureNames.map(JSONValue.string)),
            "scaling": .object(scaling),
            "settings": .object(m.settings),
            // Seeds above 2^53 do not survive a JSON number; they are written as text.
            "seed": m.seed < 1 << 53 ? JSONValue(Int(m.seed)) : .string(String(m.seed)),
        ]
        if ensemble {
            object["networks"] = .array(m.networks.map(json))
            if let t = m.targetScaling {
                object["target_scaling"] = ["mean": JSONValue(t.mean), "deviation": JSONValue(t.deviation)]
            }
        } else {
            object["network"] = json(net)
        }
        return .object(object)
    }

    public static func read(_ path: String) throws -> SavedModel {
        let bytes = try DataFiles.read(path)
        let value: JSONValue
        do {
            value = try JSONValue.parse(String(decoding: bytes, as: UTF8.self))
        } catch {
            throw DataError(file: path, "not a model file: not valid JSON (truncated or damaged?)")
        }
        return try parse(value, file: path)
    }

    /// The model a parsed file holds; `file` names it in errors.
    public static func parse(_ value: JSONValue, file: String) throws -> SavedModel {
        let r = FieldReader(file: file, object: value.object)
        guard value.object != nil else { throw r.error("not a model file: not a JSON object") }
        guard let f = value["format"]?.string else { throw r.error("not a model file: no \"format\" field") }
        guard f == format else { throw r.error("not a model file: format '\(f)', expected '\(format)'") }
        let v = try r.int("version", in: 1...Int.max)
        guard v <= version else {
            throw r.error("model format version \(v) is newer than this optima reads (\(version)); use a newer optima")
        }

        let task: Task
        let outputs = try r.int("outputs", in: 1...1_000_000)
        let taskName = try r.string("task")
        switch taskName {
        case "binary" where outputs == 1: task = .binary
        case "multiclass" where outputs >= 2: task = .multiclass(classes: outputs)
        case "regression": task = .regression(outputs: outputs)
        case let t: throw r.error("\"task\" '\(t)' with \(outputs) output(s) is not a task")
        }
        let classes = try r.strings("classes")
        let expectedClasses = task.isRegression ? 0 : (task == .binary ? 2 : outputs)
        guard classes.count == expectedClasses else {
            throw r.error("\(classes.count) class names for a \(taskName) task with \(outputs) output(s)")
        }

        // Version 1 files have no "missing": a missing cell is an error.
        let missing = value["missing"] == nil ? "error" : try r.string("missing")
        guard missing == "error" || missing == "mean" else { throw r.error("\"missing\" '\(missing)' is not error or mean") }
        var columns: [ColumnLayout.Column] = []
        for (i, c) in try r.array("columns").enumerated() {
            let cr = FieldReader(file: file, object: c.object, prefix: "columns[\(i)].")
            let name = try cr.string("name")
            switch try cr.string("kind") {
            case "numeric": columns.append(.numeric(name: name))
            case "categorical":
                let values = try cr.strings("values")
                guard !values.isEmpty else { throw cr.error("categorical column '\(name)' has no values") }
                columns.append(.categorical(name: name, values: values))
            case "label": columns.append(.label(name: name))
            case let k: throw cr.error("column kind '\(k)' is not numeric, categorical or label")
            }
        }
        guard columns.filter(\.isLabel).count <= 1 else { throw r.error("more than one label column") }
        var layout = ColumnLayout(columns: columns, namedByHeader: try r.bool("columns_named_by_header"),
                                  numericClasses: try r.bool("numeric_classes"))
        layout.missingAllowed = missing == "mean"
        let features = try r.strings("features")
        guard layout.featureCount == features.count, !features.isEmpty else {
            throw r.error("the columns encode \(layout.featureCount) features, but \"features\" lists \(features.count)")
        }
        let kept = try r.ints("kept_features")
        guard !kept.isEmpty, kept.allSatisfy({ (0..<features.count).contains($0) }), Set(kept).count == kept.count else {
            throw r.error("\"kept_features\" must be distinct indices into the \(features.count) features")
        }

        let sr = FieldReader(file: file, object: value["scaling"]?.object, prefix: "scaling.")
        guard value["scaling"]?.object != nil else { throw r.error("missing field \"scaling\"") }
        let inputScale = Float(try sr.finite("input_scale"))
        guard inputScale.isFinite, inputScale != 0 else { throw sr.error("\"input_scale\" must be a finite number other than 0") }
        let scaler: FeatureScaler?
        switch try sr.string("kind") {
        case "none": scaler = nil
        case let k where k == "minmax" || k == "standardize":
            // Scaling maps Float data into Float inputs: a value beyond a Float's range is
            // no fitted scaling, and would turn every prediction into NaN.
            let shift = try sr.floatRange("shift"), factor = try sr.floatRange("factor")
            guard shift.count == features.count, factor.count == features.count else {
                throw sr.error("\(shift.count) shifts and \(factor.count) factors for \(features.count) features")
            }
            if let i = factor.firstIndex(where: { $0 < 0 }) {
                throw sr.error("field \"scaling.factor\"[\(i)] = \(factor[i]) is negative (a fitted scaling's factor is 0 or more)")
            }
            let offset = try sr.finite("offset")
            guard abs(offset) <= Double(Float.greatestFiniteMagnitude) else {
                throw sr.error("field \"scaling.offset\" = \(offset) is beyond a 32-bit float")
            }
            scaler = FeatureScaler(kind: k == "minmax" ? .minMax : .standardize, shift: shift, factor: factor, offset: offset)
        case let k: throw sr.error("scaling kind '\(k)' is not minmax, standardize or none")
        }
        var fills: [Float]?
        if layout.missingAllowed {
            let f = try sr.floatRange("fill")
            guard f.count == features.count else { throw sr.error("\(f.count) fills for \(features.count) features") }
            fills = f.map(Float.init)
        }

        let networks: [Network]
        var targetScaling: TargetScaling?
        if v == 1 {
            guard value["network"]?.object != nil else { throw r.error("missing field \"network\"") }
            networks = [try parseNetwork(value["network"]!, prefix: "network.", file: file, task: task, kept: kept)]
        } else {
            let list = try r.array("networks")
            guard !list.isEmpty else { throw r.error("\"networks\" is empty") }
            networks = try list.enumerated().map { i, n in
                guard n.object != nil else { throw r.error("\"networks\"[\(i)] is not an object") }
                return try parseNetwork(n, prefix: "networks[\(i)].", file: file, task: task, kept: kept)
            }
            if value["target_scaling"] != nil {
                let tr = FieldReader(file: file, object: value["target_scaling"]?.object, prefix: "target_scaling.")
                guard task.isRegression, value["target_scaling"]?.object != nil else {
                    throw r.error("\"target_scaling\" belongs to a regression model, as an object")
                }
                let mean = try tr.finites("mean"), deviation = try tr.finites("deviation")
                guard mean.count == outputs, deviation.count == outputs,
                      (mean + deviation).allSatisfy({ abs($0) < 1e30 }), deviation.allSatisfy({ $0 > 0 }) else {
                    throw tr.error("needs \(outputs) mean(s) and \(outputs) deviation(s) above 0, each below 1e30 in size")
                }
                targetScaling = TargetScaling(mean: mean, deviation: deviation)
            }
        }

        let seed: UInt64
        if let s = value["seed"]?.string, let x = UInt64(s) { seed = x } else { seed = UInt64(try r.int("seed", in: 0...Int.max)) }
        guard let settings = value["settings"]?.object else { throw r.error("missing field \"settings\" (an object)") }

        return SavedModel(networks: networks, targetScaling: targetScaling, layout: layout, featureNames: features,
                          transform: InputTransform(fills: fills, scaler: scaler, inputScale: inputScale),
                          classNames: classes,
                          data: try r.string("data"), settings: settings, seed: seed)
    }

    /// One network of a model file (`value`, its fields named `prefix`…), checked against the
    /// model's task and kept features.
    static func parseNetwork(_ value: JSONValue, prefix: String, file: String, task: Task, kept: [Int]) throws -> Network {
        let nr = FieldReader(file: file, object: value.object, prefix: prefix)
        let sizes = try nr.ints("sizes")
        guard sizes.count >= 2, sizes.allSatisfy({ (1...100_000_000).contains($0) }) else {
            throw nr.error("\"sizes\" must list at least an input and an output size, each at least 1")
        }
        guard sizes[0] == kept.count, sizes.last == task.outputCount else {
            throw nr.error("\"sizes\" \(sizes.map(String.init).joined(separator: "-")) does not fit \(kept.count) kept features and \(task.outputCount) output(s)")
        }
        let activation: Activation
        switch try nr.string("activation") {
        case "relu": activation = .relu
        case "sigmoid": activation = .sigmoid
        case let a: throw nr.error("activation '\(a)' is not relu or sigmoid")
        }
        let shape = NetworkShape(sizes: sizes)
        let parameters = try nr.floats("parameters")
        guard parameters.count == shape.parameterCount else {
            throw nr.error("\(parameters.count) parameters, but a \(shape) network has \(shape.parameterCount)")
        }
        var mask: [Float]?
        if value["mask"] != nil {
            let m = try nr.floats("mask")
            guard m.count == shape.parameterCount, m.allSatisfy({ $0 == 0 || $0 == 1 }) else {
                throw nr.error("\"mask\" must hold \(shape.parameterCount) values, each 0 or 1")
            }
            mask = m
        }
        let nodes = try nr.array("kept_nodes").enumerated().map { l, v -> [Int] in
            guard let a = v.array?.compactMap(\.int), a.count == v.array?.count else {
                throw nr.error("\"kept_nodes\"[\(l)] is not a list of integers")
            }
            return a
        }
        guard nodes.map(\.count) == shape.hiddenSizes else {
            throw nr.error("\"kept_nodes\" does not list one index per hidden node of \(shape)")
        }
        return Network(sizes: sizes, hiddenActivation: activation, task: task, parameters: parameters, mask: mask,
                       featureIndices: kept, nodeIndices: nodes)
    }
}

/// Typed fields of one JSON object; each failure is a DataError naming the file and the field.
private struct FieldReader {
    let file: String
    let object: [String: JSONValue]?
    var prefix = ""

    func error(_ message: String) -> DataError { DataError(file: file, message) }

    private func field(_ key: String) throws -> JSONValue {
        guard let v = object?[key] else { throw error("missing field \"\(prefix)\(key)\"") }
        return v
    }

    private func wrong(_ key: String, _ what: String) -> DataError { error("field \"\(prefix)\(key)\" is not \(what)") }

    func string(_ key: String) throws -> String {
        guard let s = try field(key).string else { throw wrong(key, "a string") }
        return s
    }

    func bool(_ key: String) throws -> Bool {
        guard let b = try field(key).bool else { throw wrong(key, "true or false") }
        return b
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws -> Int {
        guard let i = try field(key).int, range.contains(i) else { throw wrong(key, "an integer in \(range.lowerBound)...\(range.upperBound)") }
        return i
    }

    func array(_ key: String) throws -> [JSONValue] {
        guard let a = try field(key).array else { throw wrong(key, "a list") }
        return a
    }

    func strings(_ key: String) throws -> [String] {
        let a = try array(key)
        let s = a.compactMap(\.string)
        guard s.count == a.count else { throw wrong(key, "a list of strings") }
        return s
    }

    func ints(_ key: String) throws -> [Int] {
        let a = try array(key)
        let i = a.compactMap(\.int)
        guard i.count == a.count else { throw wrong(key, "a list of integers") }
        return i
    }

    /// A finite number ("NaN" and "Infinity", as the JSON writer spells them, are refused).
    func finite(_ key: String) throws -> Double {
        guard case .number(let x) = try field(key), x.isFinite else { throw wrong(key, "a finite number") }
        return x
    }

    func finites(_ key: String) throws -> [Double] {
        var out: [Double] = []
        for (i, v) in try array(key).enumerated() {
            guard case .number(let x) = v, x.isFinite else {
                throw error("field \"\(prefix)\(key)\"[\(i)] is not a finite number")
            }
            out.append(x)
        }
        return out
    }

    /// Finite numbers within a Float's range, kept as Doubles (the scaling's, fitted in Double on Float data).
    func floatRange(_ key: String) throws -> [Double] {
        let d = try finites(key)
        if let i = d.firstIndex(where: { abs($0) > Double(Float.greatestFiniteMagnitude) }) {
            throw error("field \"\(prefix)\(key)\"[\(i)] = \(d[i]) is beyond a 32-bit float")
        }
        return d
    }

    /// Finite numbers that are finite as Floats too (the network computes in Float).
    func floats(_ key: String) throws -> [Float] {
        let d = try finites(key)
        var out = [Float](repeating: 0, count: d.count)
        for (i, x) in d.enumerated() {
            out[i] = Float(x)
            guard out[i].isFinite else { throw error("field \"\(prefix)\(key)\"[\(i)] = \(x) is too large for a Float") }
        }
        return out
    }
}
