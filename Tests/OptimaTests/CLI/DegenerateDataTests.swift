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
}
