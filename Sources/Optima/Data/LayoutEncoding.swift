// New rows encoded with a training file's ColumnLayout (prediction with a saved model).
// Columns are matched by header name when both files have names, else by position; a
// missing, extra or renamed column, a category or class never seen in training, or a
// word in a numeric column is a DataError naming the file and line, never a silent shift.
// Matched by name, a feature column the model does not use (pruning or selection dropped all
// its features) may be left out: new data need not measure what was found not to matter.

/// New rows as features in the training encoding (unscaled), with their labels if they had any.
public struct EncodedRows: Sendable {
    /// Targets are the labels' class numbers (or values); zeros when `labelled` is false.
    public var data: Dataset
    public var labelled: Bool
}

extension ColumnLayout {
    /// Encodes `table` as the training rows were. `labels`, a one-column table, gives the
    /// labels when the file has no label column; `classNames` and `task` are the model's.
    /// `used`: the encoded features the model reads; a feature column none of whose features
    /// is among them may be missing from a file matched by name (its features are then 0).
    public func encode(_ table: TextTable, labels: TextTable? = nil, task: Task, classNames: [String],
                       used: Set<Int>? = nil) throws -> EncodedRows {
        let source = try matchColumns(table, labelsGiven: labels != nil, needed: used.map(neededColumns))
        let p = featureCount
        let n = table.rowCount
        var x = [Float](repeating: 0, count: n * p)
        var offset = 0
        for (c, column) in columns.enumerated() {
            // A column left out (the label, or one the model does not use) keeps its place: 0s.
            guard let s = source[c] else { offset += column.width; continue }
            switch column {
            case .numeric(let name):
                for r in 0..<n {
                    if missingAllowed && TableEncoding.isMissing(table, r, s) {
                        x[r * p + offset] = .nan   // the model's transform fills it
                        continue
                    }
                    switch table.kind(r, s) {
                    case .number: x[r * p + offset] = table.value(r, s)
                    case .empty: throw DataError(file: table.file, line: table.line(r), "empty value in column '\(name)'")
                    case .nonFinite, .text, .quotedText:
                        throw DataError(file: table.file, line: table.line(r),
                                        "'\(table.text(r, s))' in column '\(name)' is not a finite number, as the model's training data had there")
                    }
                }
            case .categorical(let name, let values):
                let index = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, $0) })
                for r in 0..<n {
                    let v = missingAllowed && TableEncoding.isMissing(table, r, s)
                        ? TableEncoding.missingCategory : table.text(r, s)
                    guard let i = index[v] else {
                        let known = values.prefix(8).joined(separator: ", ") + (values.count > 8 ? ", …" : "")
                        throw DataError(file: table.file, line: table.line(r),
                                        "value '\(v)' in column '\(name)' never occurred in the training data (known: \(known))")
                    }
                    x[r * p + offset + i] = 1
                }
            case .label:
                break
            }
            offset += column.width
        }

        var targets = [Float](repeating: 0, count: n * (task.isRegression ? task.outputCount : 1))
        var labelled = false
        if let labels {
            guard labels.columnCount == 1 else {
                throw DataError(file: labels.file, line: labels.line(0), "a labels file needs one label per line, found \(labels.columnCount) fields")
            }
            guard labels.rowCount == n else {
                throw DataError(file: labels.file, "\(labels.rowCount) labels for \(n) data rows in \(table.file)")
            }
            targets = try readLabels(labels, column: 0, name: "label", task: task, classNames: classNames)
            labelled = true
        } else if let l = columns.firstIndex(where: \.isLabel), let s = source[l] {
            targets = try readLabels(table, column: s, name: columns[l].name, task: task, classNames: classNames)
            labelled = true
        }
        let names = columns.flatMap { c -> [String] in
            switch c {
            case .numeric(let n): return [n]
            case .categorical(let n, let v): return v.map { "\(n)=\($0)" }
            case .label: return []
            }
        }
        let data = Dataset(name: table.file, features: x, targets: targets, count: n, featureCount: p, task: task,
                           featureNames: names, classNames: classNames)
        return EncodedRows(data: data, labelled: labelled)
    }

    /// The names of the feature columns any of whose encoded features is in `used`.
    func neededColumns(_ used: Set<Int>) -> Set<String> {
        var offset = 0, names: Set<String> = []
        for c in columns {
            if (offset..<(offset + c.width)).contains(where: used.contains) { names.insert(c.name) }
            offset += c.width
        }
        return names
    }

    /// For each layout column, the table column holding it (nil: not in the file, which only
    /// the label column may be, and, matched by name, a feature column not in `needed`).
    func matchColumns(_ table: TextTable, labelsGiven: Bool, needed: Set<String>? = nil) throws -> [Int?] {
        let features = featureColumns
        let label = labelsGiven ? nil : labelColumn
        if namedByHeader && table.hasHeader {
            var position: [String: Int] = [:]
            for (i, name) in table.columnNames.enumerated() {
                if position[name] != nil {
                    throw DataError(file: table.file, line: table.headerLine, "column '\(name)' appears twice in the header")
                }
                position[name] = i
            }
            let known = Set(columns.map(\.name))
            let required = features.filter { needed?.contains($0.name) ?? true }
            let missing = required.map(\.name).filter { position[$0] == nil }
            let extra = table.columnNames.filter { !known.contains($0) }
            let line = table.headerLine
            switch (missing.first, extra.first) {
            case let (m?, e?):
                throw DataError(file: table.file, line: line,
                                "column '\(e)' is not one the model was trained on, and its feature column '\(m)' is missing (renamed?)")
            case let (m?, nil):
                throw DataError(file: table.file, line: line,
                                "feature column '\(m)' is missing (the model's features: \(list(required.map(\.name))))")
            case let (nil, e?):
                throw DataError(file: table.file, line: line, "extra column '\(e)', which is not one the model was "
                                + "trained on (the model's features: \(list(required.map(\.name))))")
            case (nil, nil):
                if labelsGiven, let l = labelColumn, position[l.name] != nil {
                    throw DataError(file: table.file, line: line, "the file has a label column '\(l.name)' and --labels gives labels too")
                }
                return columns.map { $0.isLabel && labelsGiven ? nil : position[$0.name] }
            }
        }
        // By position: the feature columns alone, or every training column with the label in its place.
        let w = table.columnCount
        if w == features.count {
            var next = 0
            return columns.map { c in
                if c.isLabel { return nil }
                defer { next += 1 }
                return next
            }
        }
        if label != nil && w == columns.count { return Array(0..<w) }
        var expected = "\(features.count) feature column\(features.count == 1 ? "" : "s")"
        if let label { expected += " (or \(columns.count) with the label column '\(label.name)')" }
        throw DataError(file: table.file, line: table.line(0), "\(w) columns, but the model takes \(expected)")
    }

    /// Class numbers in the model's class order, or regression values; an unknown class is an error.
    private func readLabels(_ t: TextTable, column c: Int, name: String, task: Task, classNames: [String]) throws -> [Float] {
        let index = Dictionary(classNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var y = [Float](repeating: 0, count: t.rowCount)
        for r in 0..<t.rowCount {
            let kind = t.kind(r, c)
            if kind == .empty { throw DataError(file: t.file, line: t.line(r), "empty label in column '\(name)'") }
            if task.isRegression {
                guard kind == .number else {
                    throw DataError(file: t.file, line: t.line(r), "target '\(t.text(r, c))' in column '\(name)' is not a finite number")
                }
                y[r] = t.value(r, c)
                continue
            }
            // Numeric classes are keyed by value, as training keyed them (TableEncoding.encodeLabels).
            let key: String
            if numericClasses && kind == .number {
                key = TableEncoding.classKey(t.preciseValue(r, c))
            } else {
                key = t.text(r, c)
            }
            guard let i = index[key] else {
                throw DataError(file: t.file, line: t.line(r),
                                "class '\(t.text(r, c))' in column '\(name)' is not one of the model's classes (\(list(classNames)))")
            }
            y[r] = Float(i)
        }
        return y
    }
}

private func list(_ names: [String]) -> String {
    names.prefix(8).joined(separator: ", ") + (names.count > 8 ? ", … (\(names.count) in all)" : "")
}
