// The records of a study's computations, as `rows` reads them back: by the key that declared
// them, each field read with its type. A record that lacks a field (a results file written
// by another version of the study) is an error naming the file, the key and the field.

public struct ComputedRecords: Sendable {
    /// The results file the records came from, for errors.
    public let file: String
    private let byKey: [String: ResultRecord]

    public init(file: String, _ byKey: [String: ResultRecord]) {
        self.file = file
        self.byKey = byKey
    }

    /// No computations: what a study without any is given.
    public static let none = ComputedRecords(file: "", [:])

    /// The record of the computation declared with `key`.
    public func record(_ key: String) throws -> ComputedRecord {
        guard let fields = byKey[key] else { throw DataError(file: file, "no record of the computation '\(key)'") }
        return ComputedRecord(file: file, key: key, fields: fields)
    }
}

/// One computation's record.
public struct ComputedRecord: Sendable {
    public let file: String
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

    public func bools(_ name: String) throws -> [Bool] {
        guard let a = try value(name).array, case let xs = a.compactMap(\.bool), xs.count == a.count else {
            throw error("field \"\(name)\" is not a list of true and false")
        }
        return xs
    }

    public func numbers(_ name: String) throws -> [Double] {
        guard let xs = try value(name).doubles else { throw error("field \"\(name)\" is not a list of numbers") }
        return xs
    }

    func error(_ problem: String) -> DataError {
        DataError(file: file, "the record of the computation '\(key)' \(problem)")
    }
}
