import XCTest
@testable import Optima

/// The reference's numbers that the reports quote are the committed docs/reference/*.csv,
/// verbatim, and the committed reports carry the paragraph the studies render from them.
final class ReferenceTableTests: XCTestCase {
    /// The checkout: this file is Tests/OptimaTests/Studies/ReferenceTableTests.swift.
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    private let tables = [NSAReference.fig2, NSAReference.table1, CPNAReference.table1]

    func testCopiesEqualTheCommittedFiles() throws {
        for table in tables {
            let url = root.appendingPathComponent("docs/reference/" + table.file)
            XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), table.text, "\(table.file): copy it into its study")
            XCTAssertFalse(table.rows.isEmpty, table.file)
        }
    }

    func testReportsCarryTheReferenceParagraph() throws {
        let items: [(String, String)] = [("nsa", NSAFig2().reference(.paper)), ("nsa", NSATable1().reference(.paper)),
                                         ("cpna", CPNATable1().reference(.paper))]
        for (paper, text) in items {
            XCTAssertFalse(text.isEmpty)
            let report = try String(contentsOf: root.appendingPathComponent("docs/\(paper)/REPORT.md"), encoding: .utf8)
            XCTAssertTrue(report.contains("*Independent reference.* " + text), "docs/\(paper)/REPORT.md lacks: \(text)")
        }
    }

    func testTheReaderSplitsRowsByTheHeader() {
        let t = ReferenceTable(file: "x.csv", text: "a,b,c\n1,,x\n2,3,y\n")
        XCTAssertEqual(t.rows.count, 2)
        XCTAssertEqual(t.rows[0]["b"], "")
        XCTAssertEqual(t.rows(where: ["c": "y"]).first?.number("b"), 3)
        XCTAssertTrue(t.rows[0].number("b").isNaN)
    }
}
