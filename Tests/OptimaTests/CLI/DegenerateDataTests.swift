import XCTest
@testable import Optima

/// Data too small for what a command draws from it is refused before any work, in one line:
/// select on classes of one row or on a test fraction that leaves none for training, and any
/// training command on data whose every row is a class of its own (an empty test set).
final class DegenerateDataTests: CommandTestCase {
    func testSelectOnTooFewRowsIsOneLine() throws {
        try write("x,y\n0.1,0\n0.9,1\n", "two.csv")
        assertRefusal(try run(["select", "--data", "two.csv"]), "two.csv: each of its 2 rows is a class of its own")
        var rows = "x,y\n"
        for i in 0..<40 { rows += "\(i % 7).5,\(i % 2)\n" }
        try write(rows, "forty.csv")
        assertRefusal(try run(["select", "--data", "forty.csv", "--test-fraction", "0.99"]),
                      "has 1 training row(s); select needs at least")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("results").path), "nothing ran")
    }

    func testAnEmptyTestSetIsRefusedAndSaidPlainly() throws {
        var rows = "x,y\n"
        for i in 0..<6 { rows += "\(i),c\(i)\n" }
        try write(rows, "single.csv")
        for command in [["train"], ["fsa", "--keep-features", "1"], ["cv"]] {
            assertRefusal(try run(command + ["--data", "single.csv", "--epochs", "1"]), "leaves no test rows")
        }
        let describe = try run(["data", "describe", "single.csv"])
        XCTAssertEqual(describe.status, 0, describe.stderr)
        XCTAssertTrue(describe.stdout.contains("training commands refuse it: each of its 6 rows is a class of its own"),
                      describe.stdout)
        XCTAssertFalse(describe.stdout.contains("/ 0 test"))
    }

    /// Names and classes read from a file reach the terminal with their control characters
    /// escaped, in the text and in the JSON alike, and a model trained on the file still
    /// predicts it (its columns are matched under the same escaped names).
    func testControlCharactersInNamesAreEscapedWherePrinted() throws {
        var rows = "a,b\u{1B}[31m,y\n"
        for i in 0..<20 { rows += "\(i % 5),\(i % 3),\(i % 2 == 0 ? "no" : "ye\u{7}s")\n" }
        try write(rows, "bell.csv")
        let describe = try run(["data", "describe", "bell.csv"])
        XCTAssertEqual(describe.status, 0, describe.stderr)
        XCTAssertFalse(describe.stdout.contains("\u{1B}") || describe.stdout.contains("\u{7}"), describe.stdout)
        XCTAssertTrue(describe.stdout.contains("b\\u{1B}[31m"), describe.stdout)
        XCTAssertTrue(describe.stdout.contains("ye\\u{7}s"), describe.stdout)
        let train = try run(["train", "--data", "bell.csv", "--epochs", "2", "--save-model", "m.json"])
        XCTAssertEqual(train.status, 0, train.stderr)
        let predict = try run(["predict", "--model", "m.json", "--data", "bell.csv"])
        XCTAssertEqual(predict.status, 0, predict.stderr)
        XCTAssertFalse(predict.stdout.contains("\u{1B}"))
    }
}
