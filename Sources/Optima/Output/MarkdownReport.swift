// Building blocks of results/REPORT.md (one section per figure or table: the paper's numbers
// beside ours and a one-line verdict) and of the CSV files that hold each figure's numbers.
//
// Each experiment command writes only its own section, between marker comments, so commands
// run at different times (or on different machines) fill one report without erasing each other.
import Foundation

/// Markdown text built from blocks separated by blank lines.
public struct MarkdownReport: Sendable {
    public private(set) var text = ""

    public init() {}

    private mutating func block(_ s: String) {
        if !text.isEmpty { text += "\n" }
        text += s + "\n"
    }

    public mutating func heading(_ s: String, level: Int = 2) {
        block(String(repeating: "#", count: min(max(level, 1), 6)) + " " + s)
    }

    public mutating func paragraph(_ s: String) { block(s) }

    /// A pipe table; numbers are best formatted with `MarkdownReport.number` first.
    /// Columns whose cells are all numeric are right-aligned.
    public mutating func table(header: [String], rows: [[String]]) {
        let numeric = header.indices.map { c in
            rows.allSatisfy { c < $0.count && MarkdownReport.looksNumeric($0[c]) } && !rows.isEmpty
        }
        var lines = ["| " + header.map(MarkdownReport.cell).joined(separator: " | ") + " |"]
        lines.append("|" + numeric.map { $0 ? "---:|" : "---|" }.joined())
        for r in rows {
            let padded = header.indices.map { $0 < r.count ? r[$0] : "" }
            lines.append("| " + padded.map(MarkdownReport.cell).joined(separator: " | ") + " |")
        }
        block(lines.joined(separator: "\n"))
    }

    /// An image, with a path relative to the report (e.g. "fig3.svg").
    public mutating func image(_ alt: String, path: String) {
        block("![\(alt.replacingOccurrences(of: "]", with: "\\]"))](\(path))")
    }

    /// A number for a table; "–" for a missing or non-finite value.
    public static func number(_ x: Double?, decimals: Int = 3) -> String {
        guard let x, x.isFinite else { return "–" }
        return String(format: "%.\(decimals)f", x)
    }

    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// A number, "–", "0.95 ± 0.02" or "12%": the cells that read best right-aligned.
    static func looksNumeric(_ s: String) -> Bool {
        let t = s.trimmingCharacters(in: .whitespaces)
        if t == "–" { return true }
        let parts = t.split(separator: "±").map { $0.trimmingCharacters(in: .whitespaces) }
        return !parts.isEmpty && parts.allSatisfy { Double($0.hasSuffix("%") ? String($0.dropLast()) : $0) != nil }
    }

    /// Puts `text` into the file's section `id` (between `<!-- begin id -->` and `<!-- end id -->`),
    /// replacing that section if present and appending it otherwise; the file is written atomically.
    /// Sections are kept in the order they first appeared. Two processes updating one report at
    /// the same instant can lose one update: run them one after another, or rerun the loser.
    public static func updateSection(id: String, with text: String, inFile path: String, title: String = "# Results") throws {
        let begin = "<!-- begin \(id) -->", end = "<!-- end \(id) -->"
        let section = begin + "\n" + text.trimmingCharacters(in: .newlines) + "\n" + end
        var doc = (try? String(contentsOfFile: path, encoding: .utf8)) ?? title + "\n"
        if let b = doc.range(of: begin), let e = doc.range(of: end, range: b.upperBound..<doc.endIndex) {
            doc.replaceSubrange(b.lowerBound..<e.upperBound, with: section)
        } else {
            if !doc.hasSuffix("\n") { doc += "\n" }
            doc += "\n" + section + "\n"
        }
        try writeFileAtomically(doc, to: path)
    }

    public func write(to path: String) throws {
        try writeFileAtomically(text, to: path)
    }
}
