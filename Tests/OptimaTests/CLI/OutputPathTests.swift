import XCTest
@testable import Optima

/// Output paths of one character (Foundation's path functions trapped on them) work like any
/// other; an empty name or a folder's name is a one-line error, and nothing is half-written.
final class OutputPathTests: CommandTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        var rows = "a,b,y\n"
        for i in 0..<40 { rows += "\(Double(i % 7) / 7),\(Double(i % 5) / 5),\(i % 2)\n" }
        try rows.write(to: dir.appendingPathComponent("rows.csv"), atomically: true, encoding: .utf8)
    }

    private func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: dir.appendingPathComponent(name).path) }

    func testOneCharacterPathsAreWritten() throws {
        let train = try run(["train", "--data", "rows.csv", "--hidden", "4", "--epochs", "3", "--quiet",
                             "--save-model", "m", "--trace", "t"])
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertTrue(exists("m") && exists("t"))
        let predict = try run(["predict", "--model", "m", "--data", "rows.csv", "--out", "p"])
        XCTAssertEqual(predict.status, 0, predict.stderr)
        XCTAssertTrue(try String(contentsOf: dir.appendingPathComponent("p"), encoding: .utf8).hasPrefix("predicted,p_0,p_1\n"))
        let unicode = try run(["predict", "--model", "m", "--data", "rows.csv", "--out", "é"])
        XCTAssertEqual(unicode.status, 0, unicode.stderr)

        let sweep = try run(["sweep", "--data", "rows.csv", "--hidden", "2", "--epochs", "2", "--inits", "2",
                             "--results", "s", "--quiet"])
        XCTAssertEqual(sweep.status, 0, sweep.stderr)
        let merge = try run(["merge", "--out", "a", "s/sweep.jsonl"])
        XCTAssertEqual(merge.status, 0, merge.stderr)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("a"), encoding: .utf8).split(separator: "\n").count, 2)
    }

    func testAnEmptyNameOrAFolderIsOneLine() throws {
        XCTAssertEqual(try run(["sweep", "--data", "rows.csv", "--hidden", "2", "--epochs", "2", "--inits", "2",
                                "--results", "s", "--quiet"]).status, 0)
        assertRefusal(try run(["merge", "--out", "", "s/sweep.jsonl"]), "an empty file name")
        XCTAssertEqual(try run(["train", "--data", "rows.csv", "--hidden", "2", "--epochs", "2", "--quiet",
                                "--save-model", "m"]).status, 0)
        assertRefusal(try run(["predict", "--model", "m", "--data", "rows.csv", "--out", "q/"]), "q/: names a folder, not a file")
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
        XCTAssertEqual(left, [], "no temporary file is left behind")
    }
}
