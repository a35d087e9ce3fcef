import XCTest
@testable import Optima

/// The damaged-log policy from the command line: a study, a sweep and merge refuse a damaged
/// record in one line naming the file and the line, leave the file as it was, and a forged
/// duplicate never wins; raw bytes of a bad line never reach the terminal.
final class DamagedLogCommandTests: CommandTestCase {
    /// Line `n` (1-based) of `text` with its record edited.
    private func editing(_ text: String, line n: Int, _ edit: (inout ResultRecord) -> Void) throws -> String {
        var lines = text.split(separator: "\n").map(String.init)
        var r = try ResultRecord.parseLine(lines[n - 1])
        edit(&r)
        lines[n - 1] = r.jsonLine
        return lines.joined(separator: "\n") + "\n"
    }

    func testAStudyRefusesARecordWithoutANumericLoss() throws {
        let study = ["study", "nsa/fig3", "--scale", "quick", "--results", "r", "--threads", "2", "--quiet"]
        XCTAssertEqual(try run(study).status, 0)
        let good = try text("r/nsa/fig3.jsonl"), csv = try text("r/nsa/fig3.csv")
        for (value, words) in [(nil, "is missing"), ("abc", "is \"abc\", not a number"), (.null, "is null, not a number"),
                               ([1, 2], "is [1,2], not a number")] as [(JSONValue?, String)] {
            let bad = try editing(good, line: 3) { $0["train_loss"] = value }
            try write(bad, "r/nsa/fig3.jsonl")
            assertRefusal(try run(study), "r/nsa/fig3.jsonl:3: record '")
            assertRefusal(try run(study), "field \"train_loss\" \(words)")
            XCTAssertEqual(try text("r/nsa/fig3.jsonl"), bad, "the results file is as it was")
            XCTAssertEqual(try text("r/nsa/fig3.csv"), csv, "the figure is not redrawn")
        }
        // A conflicting second record of one grid point, as merge refuses it.
        try write(good + (try editing(good, line: 3) { $0["train_loss"] = 1e-9 }).split(separator: "\n")[2] + "\n", "r/nsa/fig3.jsonl")
        assertRefusal(try run(study), "r/nsa/fig3.jsonl:61: record '")
        assertRefusal(try run(["merge", "--out", "m.jsonl", "r/nsa/fig3.jsonl"]), "differs from the record of the same key on line 3")
        // A record that merge checks as the study does.
        try write(try editing(good, line: 5) { $0["train_loss"] = "abc" }, "r/nsa/fig3.jsonl")
        assertRefusal(try run(["merge", "--out", "m.jsonl", "r/nsa/fig3.jsonl"]), "r/nsa/fig3.jsonl:5: record '")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("m.jsonl").path))
    }

    func testAForgedSweepRecordDoesNotWin() throws {
        var rows = "a,b,y\n"
        for i in 0..<40 { rows += "\(Double(i % 7) / 7),\(Double(i % 5) / 5),\(i % 2)\n" }
        try write(rows, "rows.csv")
        let sweep = ["sweep", "--data", "rows.csv", "--hidden", "2", "--epochs", "3", "--inits", "4", "--results", "s",
                     "--threads", "1"]
        XCTAssertEqual(try run(sweep + ["--quiet"]).status, 0)
        let good = try text("s/sweep.jsonl")
        let forged = try editing(good, line: 4) { $0["train_loss"] = 0.001 }.split(separator: "\n")[3]
        try write(good + forged + "\n", "s/sweep.jsonl")
        let r = try run(sweep)
        assertRefusal(r, "s/sweep.jsonl:5: record '")
        XCTAssertFalse(r.stdout.contains("best:"), r.stdout)
        assertRefusal(try run(["merge", "--out", "m.jsonl", "s/sweep.jsonl"]), "s/sweep.jsonl:5: record '")
        // An identical copy is dropped.
        try write(good + good.split(separator: "\n")[1] + "\n", "s/sweep.jsonl")
        XCTAssertEqual(try run(sweep + ["--quiet"]).status, 0)
        // A sweep record whose seed is no number is refused by merge too.
        try write(try editing(good, line: 2) { $0["seed"] = "x" }, "s/sweep.jsonl")
        assertRefusal(try run(["merge", "--out", "m.jsonl", "s/sweep.jsonl"]), "s/sweep.jsonl:2: record '")
    }

    func testEscapeSequencesInABadLineAreEscaped() throws {
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("s"), withIntermediateDirectories: true)
        try write("\u{1B}]0;owned\u{07}garbage\n", "s/sweep.jsonl")
        for args in [["merge", "--out", "m.jsonl", "s/sweep.jsonl"],
                     ["sweep", "--data", "xor", "--inits", "1", "--epochs", "1", "--results", "s"]] {
            let r = try run(args)
            assertRefusal(r, "s/sweep.jsonl:1: not a JSON object: \\u{1B}]0;owned\\u{7}garbage")
            XCTAssertFalse(r.stderr.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "no raw control bytes")
        }
    }
}
