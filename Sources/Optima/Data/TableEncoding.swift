// Turns parsed text tables into a Dataset: picks the label column, decides which columns are
// numbers and which are categories (one-hot encoded), and refuses anything that would put a
// wrong or non-finite value into training.

/// Which column holds the labels.
public enum LabelColumn: Sendable, Equatable {
    case last, first
    /// A header name, or an index (0-based; negative counts from the end), as the user typed it.
    case named(String)
}

/// Classification or regression; `.auto` decides from the label values.
public enum TaskChoice: String, Sendable {
    case auto, classification, regression
}

public struct EncodingOptions: Sendable {
    public var label: LabelColumn = .last
    /// Columns (names or indices) to one-hot encode even when they hold numbers.
    public var categorical: [String] = []
    /// One-hot encode every feature column (Car Evaluation).
    public var allCategorical = false
    public var task: TaskChoice = .auto
    /// Integer labels with more distinct values than this are taken as a regression target under `.auto`.
    public var maxAutoClasses = 100
    /// `--missing mean`: a missing feature cell (empty, or a marker such as ? or NA) is NaN in
    /// a numeric column, which the transform fitted on the training rows fills with their
    /// mean, and a category of its own, `TableEncoding.missingCategory`, in a categorical one.
    /// Otherwise it is an error naming the file and line. A missing label is always an error.
    public var fillMissing = false
    public init() {}
}

public enum TableEncoding {
    /// A mixed column (numbers and words) is taken as categorical only when it has at most this
    /// many distinct values; otherwise a word in it is most likely a typo in a numeric column.
    static let maxMixedCategories = 32
    static let missingMarkers: Set<String> = ["?", "NA", "N/A", "na", "n/a", "null", "NULL", "None", "-"]
    /// The category a missing cell of a categorical column becomes under `fillMissing`.
    public static let missingCategory = "(missing)"

    /// An empty cell, or a word that marks a missing value.
    static func isMissing(_ t: TextTable, _ r: Int, _ c: Int) -> Bool {
        let k = t.kind(r, c)
        return k == .empty || (k.isText && missingMarkers.contains(t.text(r, c)))
    }

    /// One Dataset from one or more tables of the same layout (a data set's train and test files).
    /// `labels`, when given, is a separate one-column table of labels for the rows of `parts`,
    /// and then every column of `parts` is a feature.
    public static func dataset(_ parts: [TextTable], labels: TextTable? = nil, name: String,
                               options: EncodingOptions = EncodingOptions(), valueLimit: Int = 1 << 31) throws -> Dataset {
        try dataset(parts, labelParts: labels.map { [$0] } ?? [], name: name, options: options, valueLimit: valueLimit)
    }

    /// The same, with the labels in one file per part (a training and a test labels file).
    public static func dataset(_ parts: [TextTable], labelParts: [TextTable], name: String,
                               options: EncodingOptions = EncodingOptions(), valueLimit: Int = 1 << 31) throws -> Dataset {
        precondition(!parts.isEmpty)
        let lead = parts[0]
        let width = lead.columnCount
        for p in parts.dropFirst() where p.columnCount != width {
            throw DataError(file: p.file, line: p.line(0), "\(p.columnCount) columns, but \(lead.file) has \(width)")
        }
        let names = (parts.first { $0.hasHeader } ?? lead).columnNames
        let rows = RowList(parts)

        let labelIndex: Int?
        if let labels = labelParts.first {
            for l in labelParts where l.columnCount != 1 {
                throw DataError(file: l.file, line: l.line(0), "a labels file needs one label per line, found \(l.columnCount) fields")
            }
            let labelCount = labelParts.reduce(0) { $0 + $1.rowCount }
            guard labelCount == rows.count else {
                throw DataError(file: labels.file, "\(labels.rowCount) labels for \(rows.count) data rows in \(lead.file)")
            }
            labelIndex = nil
        } else {
            labelIndex = try resolve(options.label, names: names, table: lead, what: "label column")
        }
        guard width - (labelIndex == nil ? 0 : 1) >= 1 else {
            throw DataError(file: lead.file, "no feature columns: the only column is the label")
        }
        var forced = Set<Int>()
        for spec in options.categorical {
            forced.insert(try resolve(.named(spec), names: names, table: lead, what: "categorical column"))
        }

        // Features: numbers pass through, categories become one indicator column per value.
        var encoders: [ColumnEncoder] = []
        for c in 0..<width where c != labelIndex {
            let kind = try columnKind(c, name: names[c], rows: rows, forced: options.allCategorical || forced.contains(c),
                                      fillMissing: options.fillMissing)
            encoders.append(kind == .numeric ? .numeric(c)
                            : .categorical(c, categories(c, rows: rows, fillMissing: options.fillMissing)))
        }
        let p = encoders.reduce(0) { $0 + $1.width }
        let (values, overflow) = rows.count.multipliedReportingOverflow(by: p)
        if overflow || values > valueLimit {
            throw DataError(file: lead.file, "\(rows.count) rows × \(p) features is more than 2^31 values")
        }
        var x = [Float](repeating: 0, count: rows.count * p)
        var featureNames: [String] = []
        var offset = 0
        for enc in encoders {
            switch enc {
            case .numeric(let c):
                featureNames.append(names[c])
                // A missing value stays NaN here: the transform fitted on the training rows
                // fills it (InputTransform), so a held-out row never shapes the fill.
                for i in 0..<rows.count {
                    let (t, r) = rows[i]
                    x[i * p + offset] = options.fillMissing && isMissing(t, r, c) ? .nan : t.value(r, c)
                }
            case .categorical(let c, let values):
                let index = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, $0) })
                featureNames += values.map { "\(names[c])=\($0)" }
                for i in 0..<rows.count {
                    let (t, r) = rows[i]
                    let v = options.fillMissing && isMissing(t, r, c) ? missingCategory : t.text(r, c)
                    x[i * p + offset + index[v]!] = 1
                }
            }
            offset += enc.width
        }

        let labelRows = labelParts.isEmpty ? rows : RowList(labelParts)
        let labelName = labelIndex.map { names[$0] } ?? "label"
        let (targets, task, classNames, numericClasses) = try encodeLabels(labelIndex ?? 0, name: labelName, rows: labelRows,
                                                                           options: options)
        var d = Dataset(name: name, features: x, targets: targets, count: rows.count, featureCount: p, task: task,
                        featureNames: featureNames, classNames: classNames)
        var columns: [ColumnLayout.Column] = encoders.map { enc in
            switch enc {
            case .numeric(let c): return .numeric(name: names[c])
            case .categorical(let c, let values): return .categorical(name: names[c], values: values)
            }
        }
        if let l = labelIndex { columns.insert(.label(name: names[l]), at: l) }
        d.layout = ColumnLayout(columns: columns, namedByHeader: parts.contains { $0.hasHeader }, numericClasses: numericClasses)
        d.layout?.missingAllowed = options.fillMissing
        return d
    }

    /// A column given by header name or by index; an error names the columns that do exist.
    static func resolve(_ spec: LabelColumn, names: [String], table: TextTable, what: String) throws -> Int {
        let w = names.count
        switch spec {
        case .last: return w - 1
        case .first: return 0
        case .named(let s):
            if let i = names.firstIndex(of: s) ?? names.firstIndex(where: { $0.lowercased() == s.lowercased() }) { return i }
            if let i = Int(s), (-w..<w).contains(i) { return i < 0 ? w + i : i }
            let shown = names.prefix(8).joined(separator: ", ") + (w > 8 ? ", …" : "")
            throw DataError(file: table.file, line: table.headerLine,
                            "\(what) '\(s)' does not exist: the file has \(w) columns, indices 0...\(w - 1) (\(shown))")
        }
    }

    enum Kind { case numeric, categorical }

    enum ColumnEncoder {
        case numeric(Int)
        case categorical(Int, [String])
        var width: Int {
            switch self {
            case .numeric: return 1
            case .categorical(_, let v): return v.count
            }
        }
    }

    /// Numbers only: numeric. Words only, or forced: categorical. Mixed: categorical only when it
    /// looks like a coded attribute (integers and repeated words, few values, like Car's
    /// doors = 2,3,4,5more); otherwise the first word is reported as a bad value.
    static func columnKind(_ c: Int, name: String, rows: RowList, forced: Bool, fillMissing: Bool = false) throws -> Kind {
        var numbers = 0, words = 0, integral = true
        var firstWord: Int?
        for i in 0..<rows.count {
            let (t, r) = rows[i]
            if fillMissing && isMissing(t, r, c) { continue }
            switch t.kind(r, c) {
            case .empty:
                throw DataError(file: t.file, line: t.line(r), "empty value in column '\(name)' (--missing mean fills it)")
            case .nonFinite:
                throw DataError(file: t.file, line: t.line(r), "'\(t.text(r, c))' in column '\(name)' is not a finite number")
            case .number:
                numbers += 1
                if integral && t.value(r, c).rounded() != t.value(r, c) { integral = false }
            case .text, .quotedText:
                words += 1
                if firstWord == nil { firstWord = i }
            }
        }
        if forced || words == 0 { return words == 0 && !forced ? .numeric : .categorical }
        if numbers == 0 || numbers * 2 < rows.count { return .categorical }
        var counts: [String: Int] = [:]
        for i in 0..<rows.count {
            let (t, r) = rows[i]
            let s = t.text(r, c)
            if fillMissing && isMissing(t, r, c) { continue }
            if t.kind(r, c).isText && missingMarkers.contains(s) {
                throw DataError(file: t.file, line: t.line(r), "missing value '\(s)' in column '\(name)'; fill it in, "
                                + "drop the row, or use --missing mean")
            }
            counts[s, default: 0] += 1
        }
        var wordsRepeat = true
        for i in 0..<rows.count {
            let (t, r) = rows[i]
            if fillMissing && isMissing(t, r, c) { continue }
            if t.kind(r, c).isText && counts[t.text(r, c)]! < 2 { wordsRepeat = false; break }
        }
        if integral && wordsRepeat && counts.count <= maxMixedCategories { return .categorical }
        let (t, r) = rows[firstWord!]
        throw DataError(file: t.file, line: t.line(r),
                        "non-numeric value '\(t.text(r, c))' in numeric column '\(name)' (use --categorical \(name) if it is a category)")
    }

    /// The distinct values of a column: numbers in numeric order first, then words in byte order.
    static func categories(_ c: Int, rows: RowList, fillMissing: Bool = false) -> [String] {
        var seen: [String: Float?] = [:]
        for i in 0..<rows.count {
            let (t, r) = rows[i]
            let s = fillMissing && isMissing(t, r, c) ? missingCategory : t.text(r, c)
            if seen[s] == nil { seen[s] = t.kind(r, c) == .number ? t.value(r, c) : nil }
        }
        return seen.keys.sorted { a, b in
            switch (seen[a]!, seen[b]!) {
            case let (x?, y?): return x != y ? x < y : a < b
            case (.some, .none): return true
            case (.none, .some): return false
            case (.none, .none): return a < b
            }
        }
    }

    /// The name of a numeric class: its value, so that "1" and "1.0" are one class.
    static func classKey(_ v: Double) -> String {
        v.rounded() == v && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }

    /// Class indices (in the order of `categories`) or regression values.
    /// The last value says whether classes are keyed by numeric value (all labels numbers).
    static func encodeLabels(_ c: Int, name: String, rows: RowList, options: EncodingOptions) throws
        -> ([Float], Task, [String], Bool) {
        // In Double: labels that one Float cannot tell apart (981797981.5, 981797952) are
        // still different regression targets, not one class.
        var allNumbers = true, integral = true
        var distinct = Set<Double>()
        for i in 0..<rows.count {
            let (t, r) = rows[i]
            switch t.kind(r, c) {
            case .empty: throw DataError(file: t.file, line: t.line(r), "empty label in column '\(name)'")
            case .nonFinite: throw DataError(file: t.file, line: t.line(r), "label '\(t.text(r, c))' in column '\(name)' is not a finite number")
            case .number:
                let v = t.preciseValue(r, c)
                if v.rounded() != v { integral = false }
                if distinct.count <= options.maxAutoClasses { distinct.insert(v) }
            case .text, .quotedText:
                if options.task == .regression {
                    throw DataError(file: t.file, line: t.line(r), "regression target '\(t.text(r, c))' in column '\(name)' is not a number")
                }
                allNumbers = false
            }
        }
        let regression = options.task == .regression
            || (options.task == .auto && allNumbers && (!integral || distinct.count > options.maxAutoClasses))
        if regression {
            return ((0..<rows.count).map { let (t, r) = rows[$0]; return t.value(r, c) }, .regression(outputs: 1), [], true)
        }
        // Classes keyed by value for numeric labels (so "1" and "1.0" agree), by text otherwise.
        var names: [String] = [], keys: [String] = []
        if allNumbers {
            let sorted = distinct.count <= options.maxAutoClasses ? distinct.sorted()
                : Set((0..<rows.count).map { let (t, r) = rows[$0]; return t.preciseValue(r, c) }).sorted()
            names = sorted.map(classKey)
            keys = names
        } else {
            names = categories(c, rows: rows)
            keys = names
        }
        let index = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        guard names.count >= 2 else {
            let t = rows[0].table
            throw DataError(file: t.file, "only one class ('\(names.first ?? "")') in label column '\(name)': a classifier needs at least two")
        }
        var y = [Float](repeating: 0, count: rows.count)
        for i in 0..<rows.count {
            let (t, r) = rows[i]
            let key: String
            if allNumbers {
                key = classKey(t.preciseValue(r, c))
            } else {
                key = t.text(r, c)
            }
            y[i] = Float(index[key]!)
        }
        return (y, names.count == 2 ? .binary : .multiclass(classes: names.count), names, allNumbers)
    }
}

/// The rows of several tables as one list.
struct RowList {
    let tables: [TextTable]
    private let ends: [Int]
    init(_ tables: [TextTable]) {
        self.tables = tables
        var total = 0
        ends = tables.map { total += $0.rowCount; return total }
    }
    var count: Int { ends.last ?? 0 }
    subscript(i: Int) -> (table: TextTable, row: Int) {
        var p = 0
        while i >= ends[p] { p += 1 }
        return (tables[p], i - (p == 0 ? 0 : ends[p - 1]))
    }
}
