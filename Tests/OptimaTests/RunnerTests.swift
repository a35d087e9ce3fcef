import XCTest
@testable import Optima

/// The experiment runner on cheap deterministic jobs: parallel runs, resume, shards, seeds.
final class RunnerTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("optima-runner-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A job whose result depends only on its key's seed.
    private func jobs(_ count: Int, failAt: Int? = nil, ran: Counter? = nil) -> [ExperimentJob] {
        (0..<count).map { i in
            let key = "job-\(i)"
            return ExperimentJob(index: i, key: key) {
                if i == failAt { throw UsageError("job \(i) fails on purpose") }
                ran?.add()
                var g = Xoshiro256(seed: ExperimentRunner.seed(for: key, base: 7))
                var s = 0.0
                for _ in 0..<2000 { s += g.unitDouble() }
                return ["sum": JSONValue(s), "i": JSONValue(i)]
            }
        }
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var value = 0
        func add() { lock.lock(); value += 1; lock.unlock() }
    }

    private func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func testParallelRunReturnsEveryRecordInGridOrder() throws {
        let records = try ExperimentRunner.run(jobs(40), options: RunnerOptions(resultsPath: path("a.jsonl"), threads: 2, quiet: true))
        XCTAssertEqual(records.map { $0["i"]?.int }, (0..<40).map { $0 })
        let again = try ExperimentRunner.run(jobs(40), options: RunnerOptions(resultsPath: path("b.jsonl"), threads: 1, quiet: true))
        XCTAssertEqual(records, again, "thread count changed the numbers")
    }

    func testResumeAfterFailureRunsOnlyWhatIsMissing() throws {
        let full = try ExperimentRunner.run(jobs(30), options: RunnerOptions(resultsPath: path("full.jsonl"), threads: 2, quiet: true))
        let opts = RunnerOptions(resultsPath: path("r.jsonl"), threads: 1, quiet: true)
        XCTAssertThrowsError(try ExperimentRunner.run(jobs(30, failAt: 17), options: opts))
        let before = try ResultLog.load(path: path("r.jsonl")).count
        XCTAssertGreaterThan(before, 0)
        // A killed writer leaves half a line: it must be dropped, not parsed.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path("r.jsonl")))
        handle.seekToEndOfFile()
        handle.write(Data("{\"key\":\"job-29\",\"sum\":12".utf8))
        handle.closeFile()
        let ran = Counter()
        let resumed = try ExperimentRunner.run(jobs(30, ran: ran), options: opts)
        XCTAssertEqual(resumed, full)
        XCTAssertEqual(ran.value, 30 - before, "a finished job ran twice")
    }

    func testShardsMergeToTheUnshardedRun() throws {
        let full = try ExperimentRunner.run(jobs(25), options: RunnerOptions(resultsPath: path("full.jsonl"), threads: 2, quiet: true))
        var shardFiles: [String] = []
        for s in 0..<3 {
            var o = RunnerOptions(resultsPath: path("shard\(s).jsonl"), threads: 2, quiet: true)
            o.shard = (s, 3)
            let part = try ExperimentRunner.run(jobs(25), options: o)
            XCTAssertEqual(part.count, (0..<25).filter { $0 % 3 == s }.count)
            shardFiles.append(o.resultsPath)
        }
        _ = try ExperimentRunner.merge(shardFiles, into: path("merged.jsonl"))
        let merged = try ExperimentRunner.run(jobs(25), options: RunnerOptions(resultsPath: path("merged.jsonl"), threads: 2, quiet: true))
        XCTAssertEqual(merged, full)
    }

    func testSeedsAreStableAndDistinct() throws {
        XCTAssertEqual(ExperimentRunner.seed(for: "fig3/k3/i0", base: 1), ExperimentRunner.seed(for: "fig3/k3/i0", base: 1))
        XCTAssertNotEqual(ExperimentRunner.seed(for: "fig3/k3/i0", base: 1), ExperimentRunner.seed(for: "fig3/k3/i1", base: 1))
        XCTAssertNotEqual(ExperimentRunner.seed(for: "fig3/k3/i0", base: 1), ExperimentRunner.seed(for: "fig3/k3/i0", base: 2))
        XCTAssertThrowsError(try ExperimentRunner.parseShard("4/3"))
        XCTAssertThrowsError(try ExperimentRunner.parseShard("x"))
        XCTAssertEqual(try ExperimentRunner.parseShard("2/3").index, 1, "shards are counted from 1 on the command line")
    }
}
