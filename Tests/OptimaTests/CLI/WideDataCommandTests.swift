import XCTest
@testable import Optima

/// A file with more columns than rows through `optima select` and `optima predict`: the screen
/// runs, its marks and scores reach select.csv and the JSON, and the saved model reads the
/// kept columns of a new file by name, predicting as select's own test did.
final class WideDataCommandTests: CommandTestCase {
    /// n rows of p N(0, 1) columns, the label 1 where x3 + x77 > 0.
    private func csv(rows n: Int, columns p: Int, seed: UInt64) -> String {
        var g = Xoshiro256(seed: seed, stream: 7)
        var text = (0..<p).map { "x\($0)" }.joined(separator: ",") + ",y\n"
        for _ in 0..<n {
            let x = (0..<p).map { _ in Float(g.normal()) }
            text += x.map { String($0) }.joined(separator: ",") + (x[3] + x[77] > 0 ? ",1\n" : ",0\n")
        }
        return text
    }

    func testSelectScreensWideFilesAndItsModelPredictsNewRows() throws {
        try write(csv(rows: 80, columns: 150, seed: 1), "train.csv")
        try write(csv(rows: 200, columns: 150, seed: 2), "test.csv")
        let r = try run(["select", "--data", "train.csv", "--test-data", "test.csv", "--runs", "4", "--tune-runs", "2",
                         "--epochs", "20", "--tune-wide-epochs", "20", "--no-final-choice", "--final-hidden", "16",
                         "--final-epochs", "50", "--final-networks", "2", "--threads", "2", "--results", "sel",
                         "--save-model", "model.json", "--json", "--quiet"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONValue.parse(String(r.stdout.split(separator: "\n").last ?? ""))
        let screened = try XCTUnwrap(json["screened"]?.array?.compactMap(\.int))
        XCTAssertEqual(screened.count, 18)   // ⌊80 / ln 80⌋
        XCTAssertTrue(Set(screened).isSuperset(of: [3, 77]), "\(screened)")
        let kept = try XCTUnwrap(json["kept"]?.array?.compactMap(\.int))
        XCTAssertTrue(Set(screened).isSuperset(of: kept))
        XCTAssertEqual(json["features"]?.array?.count, 150)
        let table = try text("sel/select.csv").split(separator: "\n")
        XCTAssertTrue(table[0].hasSuffix(",screened_out,screen_score"), String(table[0]))
        XCTAssertEqual(table.dropFirst().filter { $0.split(separator: ",", omittingEmptySubsequences: false).dropLast().last == "1" }
            .count, 150 - 18)
        let predict = try run(["predict", "--model", "model.json", "--data", "test.csv", "--out", "p.csv", "--json"])
        XCTAssertEqual(predict.status, 0, predict.stderr)
        let p = try JSONValue.parse(String(predict.stdout.split(separator: "\n").last ?? ""))
        XCTAssertEqual(p["accuracy"]?.double, json["test_accuracy"]?.double)
    }
}
