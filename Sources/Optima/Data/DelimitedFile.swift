// Parses CSV, TSV and whitespace-separated text into a table of cells with their line
// numbers, in one byte-level pass (a 50 MB file must not become millions of Strings).
// Turning the cells into features and labels is TableEncoding.swift's job.
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

public enum Separator: String, Sendable {
    case comma, tab, whitespace
}

/// How a text file is read. `nil` means "detect it from the file".
public struct DelimitedOptions: Sendable {
    public var separator: Separator?
    public var header: Bool?
    /// A file with more values than this is refused (2^31: indices stay 32-bit, memory stays sane).
    public var valueLimit = 1 << 31
    public init(separator: Separator? = nil, header: Bool? = nil) {
        self.separator = separator
        self.header = header
    }
}

/// What a cell holds, decided once while parsing.
public enum CellKind: UInt8, Sendable {
    case number, text, quotedText, empty, nonFinite
    var isText: Bool { self == .text || self == .quotedText }
}

/// A parsed text table. Cells keep their byte range in the file and, for numbers, their value.
public struct TextTable: Sendable {
    public let file: String
    public let columnNames: [String]
    public let hasHeader: Bool
    /// The header's line number, when there is a header.
    public let headerLine: Int?
    public let rowCount: Int
    public let columnCount: Int
    public let separator: Separator
    let lines: [Int]
    let bytes: [UInt8]
    let starts: [Int], ends: [Int]
    let kinds: [CellKind]
    let values: [Float]
    let firstCell: Int

    @inline(__always) func cell(_ r: Int, _ c: Int) -> Int { firstCell + r * columnCount + c }
    public func line(_ r: Int) -> Int { lines[r] }
    public func kind(_ r: Int, _ c: Int) -> CellKind { kinds[cell(r, c)] }
    public func value(_ r: Int, _ c: Int) -> Float { values[cell(r, c)] }
    /// A number cell's value in full precision (read again from its text): labels are told
    /// apart by it, and 981797981.5 and 981797952 are one Float.
    public func preciseValue(_ r: Int, _ c: Int) -> Double {
        let i = cell(r, c)
        return bytes.withUnsafeBufferPointer { NumberParser.parseDouble($0, starts[i], ends[i]).value }
    }
    public func text(_ r: Int, _ c: Int) -> String { Self.text(bytes, starts[cell(r, c)], ends[cell(r, c)], kinds[cell(r, c)]) }

    /// A text cell (a column name, a class, a word), its control characters escaped: it ends
    /// up in tables printed to a terminal, where an escape sequence would recolour or hide the
    /// output. Escaped the same way on every read, so a model fitted on a file still matches it.
    static func text(_ bytes: [UInt8], _ s: Int, _ e: Int, _ kind: CellKind) -> String {
        let raw = String(decoding: bytes[s..<e], as: UTF8.self)
        return (kind == .quotedText ? raw.replacingOccurrences(of: "\"\"", with: "\"") : raw).escapingControlCharacters
    }
}

public enum DelimitedFile {
    /// Reads and parses a file (gzip is undone on the way in).
    public static func load(_ path: String, options: DelimitedOptions = DelimitedOptions()) throws -> TextTable {
        try parse(try DataFiles.read(path), file: path, options: options)
    }

    /// Parses text. Blank lines and lines starting with `#` or `;` are skipped.
    public static func parse(_ bytes: [UInt8], file: String, options: DelimitedOptions = DelimitedOptions()) throws -> TextTable {
        var cells = CellBuffer()
        var rowFirst: [Int] = [], rowLines: [Int] = []
        var separator = options.separator
        try bytes.withUnsafeBufferPointer { b in
            let n = b.count
            // A UTF-8 byte-order mark (spreadsheets write one) is not part of the first name.
            var i = n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0, line = 0
            while i < n {
                line += 1
                var j = i
                while j < n && b[j] != 10 { j += 1 }
                var e = j
                if e > i && b[e - 1] == 13 { e -= 1 }
                defer { i = j + 1 }
                var s = i
                while s < e && (b[s] == 32 || b[s] == 9) { s += 1 }
                if s == e || b[s] == 35 || b[s] == 59 { continue }  // blank, '#' or ';' comment
                if separator == nil { separator = detectSeparator(b, s, e) }
                rowFirst.append(cells.count)
                rowLines.append(line)
                switch separator! {
                case .whitespace: splitWhitespace(b, s, e, into: &cells)
                case .comma: try splitDelimited(b, s, e, delimiter: 44, line: line, file: file, into: &cells)
                case .tab: try splitDelimited(b, i, e, delimiter: 9, line: line, file: file, into: &cells)
                }
                if cells.count > options.valueLimit {
                    throw DataError(file: file, line: line, "more than 2^31 values (\(options.valueLimit) allowed); split the file")
                }
            }
        }
        return try assemble(cells, bytes: bytes, rowFirst: rowFirst, rowLines: rowLines,
                            separator: separator ?? .comma, file: file, options: options)
    }

    /// Tab if the line has one, else comma if it has one, else runs of blanks.
    static func detectSeparator(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Separator {
        var comma = false
        for k in s..<e {
            if b[k] == 9 { return .tab }
            if b[k] == 44 { comma = true }
        }
        return comma ? .comma : .whitespace
    }

    static func splitWhitespace(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, into cells: inout CellBuffer) {
        var k = s
        while k < e {
            while k < e && (b[k] == 32 || b[k] == 9) { k += 1 }
            if k == e { break }
            let fs = k
            while k < e && b[k] != 32 && b[k] != 9 { k += 1 }
            cells.append(b, fs, k, quoted: false)
        }
    }

    /// One delimiter between fields; spaces around a field are dropped; "quoted" fields may hold the
    /// delimiter and doubled quotes. Quotes do not span lines.
    static func splitDelimited(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, delimiter d: UInt8,
                               line: Int, file: String, into cells: inout CellBuffer) throws {
        @inline(__always) func blank(_ x: UInt8) -> Bool { x == 32 || (x == 9 && d != 9) }
        var k = s
        while true {
            var fs = k
            while fs < e && blank(b[fs]) { fs += 1 }
            if fs < e && b[fs] == 34 {
                var q = fs + 1, escaped = false
                while true {
                    guard q < e else { throw DataError(file: file, line: line, "a quoted field is not closed on its line") }
                    if b[q] == 34 {
                        if q + 1 < e && b[q + 1] == 34 { escaped = true; q += 2; continue }
                        break
                    }
                    q += 1
                }
                cells.append(b, fs + 1, q, quoted: escaped)
                k = q + 1
                while k < e && blank(b[k]) { k += 1 }
                if k < e && b[k] != d { throw DataError(file: file, line: line, "unexpected text after a closing quote") }
            } else {
                var fe = fs
                while fe < e && b[fe] != d { fe += 1 }
                var te = fe
                while te > fs && blank(b[te - 1]) { te -= 1 }
                cells.append(b, fs, te, quoted: false)
                k = fe
            }
            guard k < e else { return }
            k += 1  // past the delimiter; a delimiter at the very end leaves an empty last field
            if k == e { cells.append(b, e, e, quoted: false); return }
        }
    }

    /// Decides whether the first row is a header, checks that every row has the same width.
    static func assemble(_ cells: CellBuffer, bytes: [UInt8], rowFirst: [Int], rowLines: [Int], separator: Separator,
                         file: String, options: DelimitedOptions) throws -> TextTable {
        let rows = rowFirst.count
        guard rows > 0 else { throw DataError(file: file, "empty file: no data rows") }
        func width(_ r: Int) -> Int { (r + 1 < rows ? rowFirst[r + 1] : cells.count) - rowFirst[r] }
        let header = options.header ?? looksLikeHeader(cells, bytes: bytes, rowFirst: rowFirst, rows: rows, width: width)
        let first = header ? 1 : 0
        guard first < rows else {
            throw DataError(file: file, line: rowLines[0], "header only: no data rows below it")
        }
        let w = width(first)
        for r in first..<rows where width(r) != w {
            throw DataError(file: file, line: rowLines[r],
                            "\(width(r)) fields, expected \(w) as on line \(rowLines[first]) (ragged rows)")
        }
        var names = (0..<w).map { "x\($0)" }
        if header {
            let hw = width(0)
            // One name fewer than data fields: R's write.table layout, the first column unnamed.
            guard hw == w || hw == w - 1 else {
                throw DataError(file: file, line: rowLines[0], "the header has \(hw) names but the data rows have \(w) fields")
            }
            for c in 0..<hw {
                let k = rowFirst[0] + c
                names[c + w - hw] = TextTable.text(bytes, cells.starts[k], cells.ends[k], cells.kinds[k])
            }
        }
        return TextTable(file: file, columnNames: names, hasHeader: header, headerLine: header ? rowLines[0] : nil,
                         rowCount: rows - first, columnCount: w, separator: separator,
                         lines: Array(rowLines[first...]), bytes: bytes, starts: cells.starts, ends: cells.ends,
                         kinds: cells.kinds, values: cells.values, firstCell: rowFirst[first])
    }

    /// A first row of names only is a header when some column below it is all numbers, or when
    /// (for all-text data) none of its names recurs in its column. Rows of names that do recur
    /// (like Car Evaluation's `vhigh,vhigh,…`) are data.
    static func looksLikeHeader(_ cells: CellBuffer, bytes: [UInt8], rowFirst: [Int], rows: Int, width: (Int) -> Int) -> Bool {
        let w = width(0)
        for c in 0..<w where !cells.kinds[rowFirst[0] + c].isText && cells.kinds[rowFirst[0] + c] != .empty { return false }
        if rows == 1 { return true }
        if width(1) == w + 1 { return true }
        if width(1) != w { return false }
        for c in 0..<w {
            var allNumbers = true
            for r in 1..<rows where width(r) == w && cells.kinds[rowFirst[r] + c] != .number { allNumbers = false; break }
            if allNumbers { return true }
        }
        for c in 0..<w {
            let k0 = rowFirst[0] + c
            for r in 1..<rows where width(r) == w {
                let k = rowFirst[r] + c
                if bytes[cells.starts[k]..<cells.ends[k]].elementsEqual(bytes[cells.starts[k0]..<cells.ends[k0]]) { return false }
            }
        }
        return true
    }
}

/// Cells as parallel arrays: byte range, kind and numeric value.
struct CellBuffer {
    var starts: [Int] = [], ends: [Int] = []
    var kinds: [CellKind] = []
    var values: [Float] = []
    var count: Int { kinds.count }

    mutating func append(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int, quoted: Bool) {
        starts.append(s); ends.append(e)
        if s == e { kinds.append(.empty); values.append(0); return }
        let (kind, value) = NumberParser.parse(b, s, e)
        kinds.append(quoted && kind == .text ? .quotedText : kind)
        values.append(value)
    }
}

/// Decimal text to Float. Plain decimals take an exact fast path (Clinger: an integer mantissa
/// below 2^53 times a power of ten up to 10^22 is one correctly rounded operation); anything
/// longer goes to strtod. NaN and infinities are recognised so that they can be refused.
enum NumberParser {
    static let powersOfTen: [Double] = (0...22).map { var p = 1.0; for _ in 0..<$0 { p *= 10 }; return p }

    static func parse(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> (CellKind, Float) {
        let (kind, d) = parseDouble(b, s, e)
        guard kind == .number else { return (kind, kind == .nonFinite ? .nan : 0) }
        let f = Float(d)
        return f.isFinite ? (.number, f) : (.nonFinite, f)
    }

    /// The same in Double: the kind (a number too large for a Float is still a number here).
    static func parseDouble(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> (kind: CellKind, value: Double) {
        var k = s
        var negative = false
        if b[k] == 43 || b[k] == 45 { negative = b[k] == 45; k += 1 }
        if k == e { return (.text, 0) }
        if isNonFinite(b, k, e) { return (.nonFinite, .nan) }
        var mantissa: UInt64 = 0
        var exponent = 0
        var digits = false, exact = true
        while k < e, b[k] &- 48 < 10 {
            if mantissa < 1_000_000_000_000_000 { mantissa = mantissa * 10 + UInt64(b[k] - 48) } else { exponent += 1; exact = false }
            digits = true; k += 1
        }
        if k < e && b[k] == 46 {
            k += 1
            while k < e, b[k] &- 48 < 10 {
                if mantissa < 1_000_000_000_000_000 { mantissa = mantissa * 10 + UInt64(b[k] - 48); exponent -= 1 } else { exact = false }
                digits = true; k += 1
            }
        }
        guard digits else { return (.text, 0) }
        if k < e && (b[k] == 101 || b[k] == 69) {
            k += 1
            var expNegative = false
            if k < e && (b[k] == 43 || b[k] == 45) { expNegative = b[k] == 45; k += 1 }
            guard k < e, b[k] &- 48 < 10 else { return (.text, 0) }
            var x = 0
            while k < e, b[k] &- 48 < 10 { x = min(x * 10 + Int(b[k] - 48), 100_000); k += 1 }
            exponent += expNegative ? -x : x
        }
        guard k == e else { return (.text, 0) }
        var d: Double
        if exact && mantissa <= 1 << 53 && abs(exponent) <= 22 {
            d = exponent >= 0 ? Double(mantissa) * powersOfTen[exponent] : Double(mantissa) / powersOfTen[-exponent]
            if negative { d = -d }
        } else {
            var buffer = [CChar](repeating: 0, count: e - s + 1)
            for q in s..<e { buffer[q - s] = CChar(bitPattern: b[q]) }
            d = strtod(buffer, nil)
        }
        return d.isFinite ? (.number, d) : (.nonFinite, d)
    }

    /// "nan", "inf", "infinity" in any case (after an optional sign).
    static func isNonFinite(_ b: UnsafeBufferPointer<UInt8>, _ k: Int, _ e: Int) -> Bool {
        let first = b[k] | 0x20
        guard first == 110 || first == 105, e - k == 3 || e - k == 8 else { return false }  // 'n' or 'i'
        func matches(_ word: StaticString) -> Bool {
            guard word.utf8CodeUnitCount == e - k else { return false }
            let w = word.utf8Start
            for q in 0..<(e - k) where b[k + q] | 0x20 != w[q] { return false }
            return true
        }
        return matches("nan") || matches("inf") || matches("infinity")
    }
}
