import XCTest
@testable import Optima

/// Numbers at the edges: huge regression targets print (the number formatter trapped above
/// 9.2e14); a saved model whose weights or scaling overflow a Float is refused in one line,
/// never answered with NaN and exit 0; labels are told apart in full precision.
final class NumericEdgeTests: CommandTestCase {
    func testHugeRegressionTargetsTrainAndPrint() throws {
        try write("x,y\n0,100000000\n1,200000000\n2,300000000\n3,400000000\n4,500000000\n", "r.csv")
        let r = try run(["train", "--data", "r.csv", "--task", "regression", "--hidden", "2", "--epochs", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("train loss "), r.stdout)
        XCTAssertFalse(r.stdout.lowercased().contains("nan"))
    }

    /// 40 distinct targets near 1e9 with a half in them: 40 regression values (as Floats they
    /// round to whole numbers, and were taken for 40 classes of one row each).
    func testLabelsAreReadInFullPrecision() throws {
        var rows = "x,y\n"
        for i in 0..<40 { rows += "\(Double(i) / 40),\(981_797_000 + 37 * i).5\n" }
        try write(rows, "big.csv")
        let d = try DataSource.userFile(dir.appendingPathComponent("big.csv").path, options: DataOptions())
        XCTAssertEqual(d.task, .regression(outputs: 1))
        let describe = try run(["data", "describe", "big.csv"])
        XCTAssertTrue(describe.stdout.contains("regression"), describe.stdout)
        XCTAssertTrue(describe.stdout.contains("32 train / 8 test"), describe.stdout)
        XCTAssertEqual(TableEncoding.classKey(981_797_981.5), "981797981.5")
        XCTAssertEqual(TableEncoding.classKey(3), "3")
    }

    /// A model trained on rows.csv, its JSON edited by `edit`.
    private func model(_ name: String, _ edit: (inout [String: JSONValue]) -> Void) throws {
        var rows = "a,b,y\n"
        for i in 0..<40 { rows += "\(Double(i % 7) / 7),\(Double(i % 5) / 5),\(i % 2)\n" }
        try write(rows, "rows.csv")
        if !FileManager.default.fileExists(atPath: dir.appendingPathComponent("m.json").path) {
            let r = try run(["train", "--data", "rows.csv", "--hidden", "4", "--epochs", "3", "--quiet", "--save-model", "m.json"])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        var m = try JSONValue.parse(String(contentsOf: dir.appendingPathComponent("m.json"), encoding: .utf8)).object ?? [:]
        edit(&m)
        try write(JSONValue.object(m).jsonText, name)
    }

    func testAScalingBeyondAFloatIsRefusedOnLoad() throws {
        for (factor, words) in [(1e308, "\"scaling.factor\"[0] = 1e+308 is beyond a 32-bit float"),
                                (-2.0, "\"scaling.factor\"[0] = -2.0 is negative")] {
            try model("f.json") { m in
                var s = m["scaling"]?.object ?? [:]
                s["factor"] = [.number(factor), 2]
                m["scaling"] = .object(s)
            }
            assertRefusal(try run(["predict", "--model", "f.json", "--data", "rows.csv"]), "f.json: field " + words)
        }
    }

    /// Weights of 1e30 overflow a Float on the way through the network: the first such row is
    /// named, nothing is written (the formatter's trap on the huge loss was the old crash).
    func testWeightsThatOverflowAreRefusedNamingTheRow() throws {
        try model("w.json") { m in
            var n = m["network"]?.object ?? [:]
            n["parameters"] = .array((n["parameters"]?.array ?? []).enumerated().map { .number($0.offset % 3 == 0 ? -1e30 : 1e30) })
            m["network"] = .object(n)
        }
        let r = try run(["predict", "--model", "w.json", "--data", "rows.csv", "--out", "p.csv"])
        assertRefusal(r, "rows.csv:2: the model's output for this row is not a finite number")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("p.csv").path))

        // Large but finite outputs predict, and print their loss.
        try model("w2.json") { m in
            var n = m["network"]?.object ?? [:]
            n["parameters"] = .array((n["parameters"]?.array ?? []).enumerated().map { .number($0.offset % 3 == 0 ? -1e10 : 1e10) })
            m["network"] = .object(n)
        }
        let big = try run(["predict", "--model", "w2.json", "--data", "rows.csv", "--out", "p.csv"])
        XCTAssertEqual(big.status, 0, big.stderr)
        XCTAssertFalse((big.stdout + big.stderr).lowercased().contains("nan"), big.stdout)
    }
}
