// The CSV files that hold the numbers behind each figure.
import Foundation

/// A CSV table (RFC 4180 quoting) for the numbers behind a figure, e.g. results/fig3.csv.
public struct CSVTable: Sendable {
    public var header: [String]
    public private(set) var rows: [[String]] = []

    public init(header: [String]) { self.header = header }

    public mutating func addRow(_ cells: [String]) {
        precondition(cells.count == header.count, "CSV row has \(cells.count) cells for \(header.count) columns")
        rows.append(cells)
    }

    /// A number as it reads back exactly; "NaN"/"Inf"/"-Inf" for non-finite values.
    public static func cell(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "Inf" : "-Inf" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    public var text: String {
        ([header] + rows).map { $0.map(CSVTable.quote).joined(separator: ",") + "\n" }.joined()
    }

    /// Quotes a field that holds a comma, quote, line break or edge spaces; doubles inner quotes.
    static func quote(_ s: String) -> String {
        let needs = s.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" } || s.hasPrefix(" ") || s.hasSuffix(" ")
        return needs ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    public func write(to path: String) throws {
        try writeFileAtomically(text, to: path)
    }
}
