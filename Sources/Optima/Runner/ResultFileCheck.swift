// The one policy for a damaged results file, the same wherever one is read back: by the
// runner for a study, a sweep, a cv grid or a select stage, and by `optima merge`.
//
// - Every line is a record of the runner: a JSON object with a "key" (text), an "index" (a
//   whole number, 0 or more) and, if it has one, a "grid" (text).
// - A record is checked against the schema of its kind (types, required fields, finite
//   numbers where they must be), which the kind declares beside the code that reads it.
// - A key (within one grid) has one record: an identical copy is dropped, a record that
//   differs is refused, since nothing tells which of the two is right.
//
// A refusal is a DataError naming the file, the line and the problem, raised before
// anything is written: the file is left as it was for the user to mend.

enum ResultFileCheck {
    /// The runner's fields of a record.
    struct Envelope {
        let key: String
        let index: Int
        let grid: String?
    }

    /// The record's key, index and grid; a DataError when the line is no record of the runner.
    static func envelope(_ r: LoggedRecord, file: String) throws -> Envelope {
        guard let key = r.record["key"]?.string, !key.isEmpty else {
            throw DataError(file: file, line: r.line, "a record without a \"key\" (text): "
                + r.record.jsonLine.quotedExcerpt())
        }
        guard let index = r.record["index"]?.int, index >= 0 else {
            throw DataError(file: file, line: r.line, "record '\(key.quotedExcerpt(60))' has no \"index\" "
                + "(a whole number, 0 or more)")
        }
        var grid: String?
        if let g = r.record["grid"] {
            guard let text = g.string else {
                throw DataError(file: file, line: r.line, "record '\(key.quotedExcerpt(60))': field \"grid\" is not text")
            }
            grid = text
        }
        return Envelope(key: key, index: index, grid: grid)
    }

    /// Checks a record against the schema of its kind.
    static func check(_ r: LoggedRecord, key: String, against schema: RecordSchema, file: String) throws {
        if let problem = schema.problem(in: r.record) {
            throw DataError(file: file, line: r.line, "record '\(key.quotedExcerpt(60))': \(problem)")
        }
    }

    /// The first record of each key, across one or more files.
    struct FirstRecords {
        private var first: [String: (text: String, file: String, line: Int)] = [:]

        /// True when `r` repeats the record first seen under `group` (the caller drops it);
        /// a DataError when it differs from it. `group` is the key, with the grid where
        /// records of several grids share a file.
        mutating func isCopy(_ r: LoggedRecord, group: String, key: String, file: String) throws -> Bool {
            let text = r.record.jsonLine
            guard let seen = first[group] else {
                first[group] = (text, file, r.line)
                return false
            }
            guard seen.text == text else {
                let place = seen.file == file ? "line \(seen.line)" : "\(seen.file):\(seen.line)"
                throw DataError(file: file, line: r.line, "record '\(key.quotedExcerpt(60))' differs from the record "
                    + "of the same key on \(place); one key has one record, so remove the wrong one")
            }
            return true
        }
    }
}
