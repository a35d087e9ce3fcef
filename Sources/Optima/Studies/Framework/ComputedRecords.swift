// The records of a study's computations, as `rows` reads them back: by the key that declared
// them, each field read with its type and, where the study knows it, its size or range. A
// record that lacks a field (a results file written by another version of the study) or
// holds what its computation cannot have written (an edited or forged line) is an error
// naming the file, the line, the key and the field.

public struct ComputedRecords: Sendable {
    /// The results file the records came from, for errors.
    public let file: String
    private let byKey: [String: ResultRecord]
    /// The line of each key's record in `file`, for errors.
    private let lines: [String: Int]

    public init(file: String, _ byKey: [String: ResultRecord], lines: [String: Int] = [:]) {
        self.file = file
        self.byKey = byKey
        self.lines = lines
    }

    /// No computations: what a study without any is given.
    public static let none = ComputedRecords(file: "", [:])

    /// The record of the computation declared with `key`.
    public func record(_ key: String) throws -> ComputedRecord {
        guard let fields = byKey[key] else { throw DataError(file: file, "no record of the computation '\(key)'") }
        return ComputedRecord(file: file, line: lines[key], key: key, fields: fields)
    }
}

/// One computation's record.
public struct ComputedRecord: Sendable {
    public let file: String
    public let line: Int?
    public let key: String
    public let fields: ResultRecord

    public func value(_ name: String) throws -> JSONValue {
        guard let v = fields[name] else { throw error("has no field \"\(name)\"") }
        return v
    }

    /// A number; NaN and the infinities are read from the strings they are written as.
    public func number(_ name: String) throws -> Double {
        guard let x = try value(name).double else { throw error("field \"\(name)\" is not a number") }
        return x
    }

    public func int(_ name: String) throws -> Int {
        guard let x = try value(name).int else { throw error("field \"\(name)\" is not an integer") }
        return x
    }

    /// A count of at most `limit` (how many of the computation's draws did something).
    public func count(_ name: String, atMost limit: Int) throws -> Int {
        let x = try int(name)
        guard (0...max(0, limit)).contains(x) else { throw error("field \"\(name)\" is \(x), not a count from 0 to \(limit)") }
        return x
    }

    /// `count` values true or false, one per run of the computation.
    public func bools(_ name: String, count: Int) throws -> [Bool] {
        guard let a = try value(name).array, case let xs = a.compactMap(\.bool), xs.count == a.count else {
            throw error("field \"\(name)\" is not a list of true and false")
        }
        guard xs.count == count else { throw error("field \"\(name)\" lists \(xs.count) values, not \(count)") }
        return xs
    }

    /// `count` finite numbers within a Float's range (parameters of a trained network).
    public func parameters(_ name: String, count: Int) throws -> [Double] {
        guard let a = try value(name).array, case let xs = a.compactMap({ v -> Double? in
            guard case .number(let x) = v, abs(x) <= Double(Float.greatestFiniteMagnitude) else { return nil }
            return x
        }), xs.count == a.count else {
            throw error("field \"\(name)\" is not a list of finite numbers within a 32-bit float")
        }
        guard xs.count == count else { throw error("field \"\(name)\" lists \(xs.count) values, not \(count)") }
        return xs
    }

    public func error(_ problem: String) -> DataError {
        DataError(file: file, line: line, "the record of the computation '\(key)' \(problem)")
    }
}
