import XCTest
@testable import Optima

/// `--differential-trace` writes what the independent reference needs (Tests/reference/run.sh
/// runs the comparison itself where the peers' Python is present): every epoch's batch order
/// is a permutation of the training rows, the kept counts follow the schedules, and the last
/// epoch's kept units are those the command reports.
final class DifferentialTraceTests: CommandTestCase {
    private func trace(_ args: [String]) throws -> (JSONValue, JSONValue) {
        let r = try run(args + ["--data", "xor", "--k", "3", "--p", "6", "--n", "100", "--hidden", "16",
                                "--epochs", "20", "--quiet", "--json", "--differential-trace", "t.json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let out = try JSONValue.parse(String(r.stdout.split(separator: "\n").last ?? ""))
        return (try JSONValue.parse(try text("t.json")), out)
    }

    func testFSATraceHoldsTheRunsStartOrderAndKeptUnits() throws {
        let (t, out) = try trace(["fsa", "--keep-nodes", "4"])
        XCTAssertEqual(t["format"]?.string, "optima differential trace 1")
        XCTAssertEqual(t["train"]?["x"]?.array?.count, 100)
        XCTAssertEqual(t["train"]?["x"]?.array?.first?.array?.count, 6)
        let initial = try XCTUnwrap(t["initial"]?.array)
        XCTAssertEqual(initial.map { $0["weights"]?.array?.count }, [16, 1])
        XCTAssertEqual(initial[0]["weights"]?.array?.first?.array?.count, 6)
        let epochs = try XCTUnwrap(t["epochs"]?.array)
        XCTAssertEqual(epochs.count, 20)
        for e in epochs {
            XCTAssertEqual(e["order"]?.doubles?.map(Int.init).sorted(), Array(0..<100))
            XCTAssertTrue(e["loss"]?.double?.isFinite ?? false)
            XCTAssertEqual(e["connections"], .null)
        }
        let nodes = try XCTUnwrap(t["pruning"]?["node_schedules"]?.array?.first)
        let schedule = AnnealingSchedule(initial: 16, target: 4, start: nodes["start"]!.double!,
                                         length: nodes["length"]!.double!, mu: nodes["mu"]!.double!)
        for (i, e) in epochs.enumerated() {
            XCTAssertEqual(e["nodes"]?.array?.first?.array?.count, schedule.count(afterEpoch: i + 1))
        }
        XCTAssertEqual(epochs.last?["features"], out["kept_features"])
        XCTAssertEqual(epochs.last?["nodes"], out["kept_nodes"])
    }

    func testCPNATraceListsTheKeptConnections() throws {
        let (t, out) = try trace(["cpna", "--layers", "all", "--keep-output-connections", "4",
                                  "--keep-input-connections", "8"])
        let last = try XCTUnwrap(t["epochs"]?.array?.last?["connections"]?.array)
        XCTAssertEqual(last.map { $0.array?.count ?? -1 }.reduce(0, +), out["connections"]?.int)
        let features = Set(try XCTUnwrap(out["kept_features"]?.doubles).map(Int.init))
        for pair in last[0].array ?? [] { XCTAssertTrue(features.contains(Int(pair.doubles![0]))) }
        XCTAssertEqual(t["pruning"]?["layer_order"], JSONValue([1, 0]))
    }
}
