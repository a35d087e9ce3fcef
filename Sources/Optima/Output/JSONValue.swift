// One JSON value, so that an experiment's result record can hold any mix of numbers,
// strings and lists without a Codable struct per experiment.
//
// `jsonLine` is our own serialiser rather than JSONEncoder: keys are sorted and numbers
// use Swift's shortest round-trip form, so the same record always gives the same bytes
// (merged shards can then be compared line by line), and a loss that diverged to NaN
// is kept as the string "NaN" instead of failing the whole write.
import Foundation

public enum JSONValue: Codable, Equatable, Sendable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])
    case null

    public init(_ x: Double) { self = .number(x) }
    public init(_ x: Int) { self = .number(Double(x)) }
    public init(_ s: String) { self = .string(s) }
    public init(_ xs: [Double]) { self = .array(xs.map { .number($0) }) }
    public init(_ xs: [Int]) { self = .array(xs.map { .number(Double($0)) }) }

    /// A number, or one of the strings that stand for a non-finite number ("NaN", "Infinity", "-Infinity").
    public var double: Double? {
        switch self {
        case .number(let x): return x
        case .string(let s): return JSONValue.nonFinite[s]
        default: return nil
        }
    }

    /// A number that is an exact integer.
    public var int: Int? {
        guard case .number(let x) = self, x == x.rounded(), abs(x) < 9.007_199_254_740_992e15 else { return nil }
        return Int(x)
    }

    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The elements as numbers; nil when any element is not one.
    public var doubles: [Double]? {
        guard let a = array else { return nil }
        var out: [Double] = []
        out.reserveCapacity(a.count)
        for v in a {
            guard let x = v.double else { return nil }
            out.append(x)
        }
        return out
    }

    public var object: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }

    public subscript(key: String) -> JSONValue? { object?[key] }

    static let nonFinite: [String: Double] = ["NaN": .nan, "Infinity": .infinity, "-Infinity": -.infinity]

    // MARK: Codable (for callers that embed a JSONValue in their own Codable types)

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let x = try? c.decode(Double.self) { self = .number(x) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else if let o = try? c.decode([String: JSONValue].self) { self = .object(o) }
        else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a JSON value") }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let x):
            if x.isFinite { try c.encode(x) } else { try c.encode(JSONValue.nonFiniteName(x)) }
        case .string(let s): try c.encode(s)
        case .bool(let b): try c.encode(b)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        case .null: try c.encodeNil()
        }
    }

    static func nonFiniteName(_ x: Double) -> String {
        x.isNaN ? "NaN" : (x > 0 ? "Infinity" : "-Infinity")
    }

    // MARK: Deterministic text form

    /// Compact JSON with sorted keys and no newline: the same value always gives the same text.
    public var jsonText: String {
        var out = ""
        append(to: &out)
        return out
    }

    private func append(to out: inout String) {
        switch self {
        case .number(let x): out += JSONValue.numberText(x)
        case .string(let s): JSONValue.appendQuoted(s, to: &out)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                v.append(to: &out)
            }
            out += "]"
        case .object(let o):
            out += "{"
            for (i, k) in o.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                JSONValue.appendQuoted(k, to: &out)
                out += ":"
                o[k]!.append(to: &out)
            }
            out += "}"
        }
    }

    /// Integers print without ".0"; other numbers in Swift's shortest form that reads back exactly.
    static func numberText(_ x: Double) -> String {
        guard x.isFinite else { return "\"" + nonFiniteName(x) + "\"" }
        // -0.0 keeps its sign ("-0.0"): a record read back on resume must hold the same bits.
        if x == x.rounded(), abs(x) < 1e15, !(x == 0 && x.sign == .minus) { return String(Int64(x)) }
        return "\(x)"   // e.g. 0.1, 1e-05, 1.5e+20: all valid JSON
    }

    static func appendQuoted(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        out += "\""
    }

    /// Parses one JSON text (e.g. a line of a results file).
    public static func parse(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }
}

extension JSONValue: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(floatLiteral x: Double) { self = .number(x) }
    public init(integerLiteral x: Int) { self = .number(Double(x)) }
    public init(stringLiteral s: String) { self = .string(s) }
    public init(booleanLiteral b: Bool) { self = .bool(b) }
    public init(arrayLiteral a: JSONValue...) { self = .array(a) }
    public init(dictionaryLiteral pairs: (String, JSONValue)...) {
        self = .object(Dictionary(pairs, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}

/// One finished training of an experiment grid: one line of a results file.
public typealias ResultRecord = [String: JSONValue]

extension Dictionary where Key == String, Value == JSONValue {
    /// The record as one line of JSON (no newline), keys sorted.
    public var jsonLine: String { JSONValue.object(self).jsonText }

    /// Parses one line of a results file; the line must hold a JSON object.
    public static func parseLine(_ line: String) throws -> ResultRecord {
        guard case .object(let o) = try JSONValue.parse(line) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not a JSON object"))
        }
        return o
    }
}
