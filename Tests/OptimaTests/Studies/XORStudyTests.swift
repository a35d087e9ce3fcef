// The nsa paper's XOR study (Figures 1-6 and Table 1) at quick scale: every study runs into
// a temporary results directory and its output is checked for content; the runner's resume
// after an interruption and the shard/merge equality are checked on the real Fig. 3 grid.
import Foundation
import XCTest
@testable import Optima

final class XORStudyTests: XCTestCase {
    private func temporaryDirectory(_ name: String) throws -> String {
        let dir = NSTemporaryDirectory() + "optima-study-\(name)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    private func options(_ dir: String, shard: (Int, Int)? = nil) -> StudyOptions {
        var o = StudyOptions(scale: .quick, threads: 2, resultsDir: dir, quiet: true)
        o.shard = shard.map { (index: $0.0, count: $0.1) }
        return o
    }

    /// The rows of a CSV file written by a figure (no quoted fields in these files).
    private func csvRows(_ path: String) throws -> (header: [String], rows: [[String: String]]) {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let rows = lines.dropFirst().map { line -> [String: String] in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Dictionary(uniqueKeysWithValues: zip(header, cells))
        }
        return (header, rows)
    }

    private func assertAUC(_ s: String?, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let s, let x = Double(s) else { return XCTFail("\(what): '\(s ?? "nil")' is not a number", file: file, line: line) }
        XCTAssert((0...1).contains(x), "\(what) = \(x) is not an AUC", file: file, line: line)
    }

    private func assertSVG(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssert(text.contains("<svg") && text.contains("</svg>"), "\(path) is not an SVG", file: file, line: line)
        XCTAssert(text.contains("<polyline") || text.contains("<path"), "\(path) draws no line", file: file, line: line)
    }

    func testEveryFigureAtQuickScale() throws {
        let dir = try temporaryDirectory("all")
        let o = options(dir)
        // The real-data items (table2, fig7) have their own test (RealDataStudyTests).
        for s in try StudyRegistry.select("nsa") where s.id.item != "table2" && s.id.item != "fig7" {
            try StudyRegistry.run(s, options: o)
        }
        let q = StudyScale.quick

        // Figure 1 and Table 1.
        let fig1 = try csvRows(dir + "/nsa/fig1.csv").rows
        XCTAssertEqual(fig1.count, NSAFig1.ks(q).count * NSAFig1.hs(q).count)
        for r in fig1 {
            assertAUC(r["train_auc"], "fig1 train AUC")
            assertAUC(r["test_auc"], "fig1 test AUC")
            XCTAssertGreaterThan(Double(r["train_loss"]!)!, 0)
        }
        let t1 = try csvRows(dir + "/nsa/table1.csv").rows
        XCTAssertEqual(t1.map { $0["k"]! }, NSAFig1.ks(q).map(String.init))
        for r in t1 { XCTAssert(NSAFig1.hs(q).map(String.init).contains(r["h_ours"]!), "table1 picked no h: \(r)") }
        XCTAssertEqual(t1.first { $0["k"] == "3" }?["h_paper"], "64")

        // Figure 2: every (k, n) has plain p = k, plain p = 15 and FSA+NSA rows, and p = k rows
        // at the paper's flat epochs.
        let fig2 = try csvRows(dir + "/nsa/fig2.csv").rows
        XCTAssertEqual(fig2.count, NSAFig2.ks(q).count * NSAFig2.ns(q).count * (3 * NSAFig2.hs(q).count + 1))
        for r in fig2 where r["epoch_rule"] == "paper flat" {
            XCTAssertEqual(r["epochs"], String(NSAFig2.flatEpochs(q)))
            XCTAssertEqual(r["p"], r["k"])
        }
        for k in NSAFig2.ks(q) {
            for n in NSAFig2.ns(q) {
                let g = fig2.filter { $0["k"] == String(k) && $0["n"] == String(n) }
                XCTAssert(g.contains { $0["p"] == String(k) && $0["method"] == "plain" })
                XCTAssert(g.contains { $0["p"] == "15" && $0["method"] == "plain" })
                XCTAssert(g.contains { $0["method"] == "fsa+nsa" })
            }
        }
        for r in fig2 { assertAUC(r["mean_test_auc"], "fig2 test AUC") }
        // FSA+NSA keeps exactly k features.
        for line in try ResultLog.load(path: dir + "/nsa/fig2.jsonl") where line["method"]?.string == "fsa+nsa" {
            XCTAssertEqual(line["features"]?.array?.count, line["k"]?.int)
        }

        // Figure 3: fig3Inits minima per k, sorted by training loss.
        let fig3 = try csvRows(dir + "/nsa/fig3.csv").rows
        XCTAssertEqual(fig3.count, NSAFig3.ks.count * NSAFig3.inits(q))
        for k in NSAFig3.ks {
            let losses = fig3.filter { $0["k"] == String(k) }.map { Double($0["train_loss"]!)! }
            XCTAssertEqual(losses.count, NSAFig3.inits(q))
            XCTAssertEqual(losses, losses.sorted(), "fig3 k=\(k): losses are not sorted")
            XCTAssertEqual(Set(fig3.filter { $0["k"] == String(k) }.map { $0["init"]! }).count, NSAFig3.inits(q))
        }
        for r in fig3 { assertAUC(r["train_auc"], "fig3 train AUC"); assertAUC(r["test_auc"], "fig3 test AUC") }

        // Figure 4: hit times between 1 and the cap; capped points have no success.
        let fig4 = try csvRows(dir + "/nsa/fig4.csv").rows
        XCTAssertEqual(fig4.count, NSAFig4.ks(q).map { k in NSAFig4.ps(q).filter { $0 >= k }.count }.reduce(0, +))
        for r in fig4 {
            let hit = Double(r["hit_time"]!)!, s = Int(r["successes"]!)!, inits = Int(r["inits"]!)!
            XCTAssertEqual(inits, NSAFig4.cap(q))
            XCTAssert(hit >= 1 && hit <= Double(NSAFig4.cap(q)), "fig4 hit time \(hit)")
            XCTAssertEqual(r["capped"] == "true", s == 0)
            if s > 0 { XCTAssertEqual(hit, Double(inits) / Double(s), accuracy: 1e-12) }
        }
        // p = k is easy: some initialisation reaches train AUC 0.95.
        XCTAssert(fig4.contains { $0["p"] == $0["k"] && $0["capped"] == "false" })

        // Figure 5 and the hidden-nodes figure.
        let fig5 = try csvRows(dir + "/nsa/fig5.csv").rows
        XCTAssertEqual(fig5.count, NSAFig5.ks(q).map { k in NSAFig5.ps(q).filter { $0 >= k }.count }.reduce(0, +))
        for r in fig5 { assertAUC(r["test_auc"], "fig5 test AUC"); XCTAssertEqual(r["h"], String(NSAFig5.h(q))) }
        let hidden = try csvRows(dir + "/nsa/fig-hidden.csv").rows
        XCTAssertEqual(hidden.map { $0["h"]! }, NSAFigHidden.hs(q).map(String.init))
        for r in hidden { assertAUC(r["mean_train_auc"], "hidden train AUC"); assertAUC(r["mean_test_auc"], "hidden test AUC") }

        // Figure 6 is the schedule functions, epoch by epoch.
        let fig6 = try csvRows(dir + "/nsa/fig6.csv").rows
        XCTAssertEqual(fig6.count, NSAFig6.epochs + 1)
        let hs = AnnealingSchedule.nodes(from: 1024, to: 128, epochs: 300)
        let ps = AnnealingSchedule.features(from: 15, to: 3, epochs: 300)
        for r in fig6 {
            let e = Int(r["epoch"]!)!
            XCTAssertEqual(Int(r["h_e"]!), hs.count(afterEpoch: e), "h_e at epoch \(e)")
            XCTAssertEqual(Int(r["p_e"]!), ps.count(afterEpoch: e), "p_e at epoch \(e)")
        }
        XCTAssertEqual(fig6.first?["h_e"], "1024")
        XCTAssertEqual(fig6.last?["h_e"], "128")
        XCTAssertEqual(fig6.last?["p_e"], "3")

        // Plots and the report.
        for name in ["fig1", "fig2", "fig3", "fig4", "fig5", "fig6", "fig-hidden"] { try assertSVG(dir + "/nsa/\(name).svg") }
        let report = try String(contentsOfFile: dir + "/nsa/REPORT.md", encoding: .utf8)
        for id in ["fig1", "fig2", "fig3", "fig4", "fig5", "fig6", "fig-hidden"] {
            XCTAssert(report.contains("<!-- begin \(id) -->") && report.contains("<!-- end \(id) -->"), "no section \(id)")
        }
        XCTAssert(report.contains("## nsa/table1: "))
        XCTAssertEqual(report.components(separatedBy: "**Verdict:").count - 1, 8, "one verdict per figure and table")
    }

    /// A grid point's seed depends on the point only, so one training re-run alone gives the same numbers.
    func testOneTrainingReRunsAlone() throws {
        let grid = NSAFig3().grid(.quick)
        let point = grid[5]
        var a = try point.train().record, b = try point.train().record
        a["seconds"] = nil
        b["seconds"] = nil
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(grid[4].seed, point.seed)
    }

    /// Interrupt the Fig. 3 grid part-way (plus a torn last line, as a kill mid-write leaves),
    /// run it again: it resumes without re-training what is done and ends with the same figure.
    func testResumeAfterInterruption() throws {
        let full = try temporaryDirectory("full"), cut = try temporaryDirectory("cut")
        try StudyRegistry.run(NSAFig3(), options: options(full))

        struct Interrupted: Error {}
        try FileManager.default.createDirectory(atPath: cut + "/nsa", withIntermediateDirectories: true)
        let jobs = StudyDriver.jobs(NSAFig3().grid(.quick)).map { job in
            job.index < 15 ? job : ExperimentJob(index: job.index, key: job.key, schema: job.schema) { throw Interrupted() }
        }
        var interrupted = RunnerOptions(resultsPath: cut + "/nsa/fig3.jsonl", threads: 2, quiet: true)
        interrupted.identity = GridIdentity.of(NSAFig3(), scale: .quick)   // as the driver runs it
        XCTAssertThrowsError(try ExperimentRunner.run(jobs, options: interrupted))
        let partial = try ResultLog.load(path: cut + "/nsa/fig3.jsonl")
        XCTAssert(!partial.isEmpty && partial.count < jobs.count, "\(partial.count) of \(jobs.count) kept")
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: cut + "/nsa/fig3.jsonl"))
        handle.seekToEndOfFile()
        handle.write(Data("{\"key\":\"k=3,p=3,n=10".utf8))
        handle.closeFile()

        try StudyRegistry.run(NSAFig3(), options: options(cut))
        let resumed = try ResultLog.load(path: cut + "/nsa/fig3.jsonl")
        XCTAssertEqual(resumed.count, jobs.count)
        // The records kept from before the interruption were not trained again.
        for r in partial { XCTAssertEqual(resumed.first { $0["key"] == r["key"] }, r) }
        XCTAssertEqual(try String(contentsOfFile: cut + "/nsa/fig3.csv", encoding: .utf8),
                       try String(contentsOfFile: full + "/nsa/fig3.csv", encoding: .utf8))
        XCTAssertEqual(withoutTimes(resumed), withoutTimes(try ResultLog.load(path: full + "/nsa/fig3.jsonl")))
    }

    /// Two shards in two directories, merged, then drawn: the same figure as an unsharded run.
    func testShardsMergeToTheUnshardedRun() throws {
        let whole = try temporaryDirectory("whole"), s1 = try temporaryDirectory("s1"), s2 = try temporaryDirectory("s2")
        let merged = try temporaryDirectory("merged")
        try StudyRegistry.run(NSAFig3(), options: options(whole))
        try StudyRegistry.run(NSAFig3(), options: options(s1, shard: (0, 2)))
        try StudyRegistry.run(NSAFig3(), options: options(s2, shard: (1, 2)))
        XCTAssertFalse(FileManager.default.fileExists(atPath: s1 + "/nsa/fig3.csv"), "a shard draws nothing")
        let a = try ResultLog.load(path: s1 + "/nsa/fig3.jsonl"), b = try ResultLog.load(path: s2 + "/nsa/fig3.jsonl")
        XCTAssert(!a.isEmpty && !b.isEmpty)
        XCTAssert(Set(a.compactMap { $0["key"]?.string }).isDisjoint(with: Set(b.compactMap { $0["key"]?.string })))

        let count = try ExperimentRunner.merge([s1 + "/nsa/fig3.jsonl", s2 + "/nsa/fig3.jsonl"], into: merged + "/nsa/fig3.jsonl")
        XCTAssertEqual(count, NSAFig3().grid(.quick).count)
        let before = try String(contentsOfFile: merged + "/nsa/fig3.jsonl", encoding: .utf8)
        try StudyRegistry.run(NSAFig3(), options: options(merged))   // finds every training done: draws only
        XCTAssertEqual(try String(contentsOfFile: merged + "/nsa/fig3.jsonl", encoding: .utf8), before, "nothing was re-trained")
        XCTAssertEqual(withoutTimes(try ResultLog.load(path: merged + "/nsa/fig3.jsonl")),
                       withoutTimes(try ResultLog.load(path: whole + "/nsa/fig3.jsonl")))
        for file in ["fig3.csv", "fig3.svg"] {
            XCTAssertEqual(try String(contentsOfFile: merged + "/nsa/" + file, encoding: .utf8),
                           try String(contentsOfFile: whole + "/nsa/" + file, encoding: .utf8), file)
        }
    }

    /// Records sorted by key with the wall-clock fields removed: what must be reproducible.
    private func withoutTimes(_ records: [ResultRecord]) -> [ResultRecord] {
        records.map { r in
            var r = r
            r["seconds"] = nil
            return r
        }.sorted { ($0["key"]?.string ?? "") < ($1["key"]?.string ?? "") }
    }
}
