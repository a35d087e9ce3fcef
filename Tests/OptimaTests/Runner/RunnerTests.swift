import XCTest
@testable import Optima

/// The experiment runner on cheap deterministic jobs: parallel runs, resume, shards, seeds.
final class RunnerTests: ScratchTestCase {
    /// What the demo jobs' records hold.
    static let schema = RecordSchema([.required("sum", .finite), .required("i", .count)])

    /// A job whose result depends only on its key's seed.
    private func jobs(_ count: Int, failAt: Int? = nil, ran: Counter? = nil) -> [ExperimentJob] {
        (0..<count).map { i in
            let key = "job-\(i)"
            return ExperimentJob(index: i, key: key, schema: RunnerTests.schema) {
                if i == failAt { throw SettingsError("job \(i) fails on purpose") }
                ran?.add()
                var g = Xoshiro256(seed: derivedSeed(for: key, base: 7))
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
        XCTAssertEqual(derivedSeed(for: "fig3/k3/i0", base: 1), derivedSeed(for: "fig3/k3/i0", base: 1))
        XCTAssertNotEqual(derivedSeed(for: "fig3/k3/i0", base: 1), derivedSeed(for: "fig3/k3/i1", base: 1))
        XCTAssertNotEqual(derivedSeed(for: "fig3/k3/i0", base: 1), derivedSeed(for: "fig3/k3/i0", base: 2))
        XCTAssertThrowsError(try ExperimentRunner.parseShard("4/3"))
        XCTAssertThrowsError(try ExperimentRunner.parseShard("x"))
        XCTAssertEqual(try ExperimentRunner.parseShard("2/3").index, 1, "shards are counted from 1 on the command line")
    }

    func testKilledWriterLosesOnlyItsTornLineAndMergeRejectsConflicts() throws {
        _ = try ExperimentRunner.run(jobs(20), options: RunnerOptions(resultsPath: path("ref.jsonl"), threads: 2, quiet: true))
        let refLines = try String(contentsOfFile: path("ref.jsonl"), encoding: .utf8).split(separator: "\n").map(String.init)
        // Ten complete lines and half of the eleventh, as a writer killed mid-line leaves them.
        try writeFileAtomically(refLines[..<10].joined(separator: "\n") + "\n" + refLines[10].prefix(refLines[10].count / 2),
                                to: path("killed.jsonl"))
        let ran = Counter()
        _ = try ExperimentRunner.run(jobs(20, ran: ran), options: RunnerOptions(resultsPath: path("killed.jsonl"), threads: 2, quiet: true))
        XCTAssertEqual(ran.value, 10, "the ten complete lines were not run again")
        let after = try String(contentsOfFile: path("killed.jsonl"), encoding: .utf8)
        XCTAssertEqual(after.split(separator: "\n").count, 20)
        XCTAssertTrue(after.hasSuffix("\n"))

        // Merging sorts by index; identical duplicates are fine, a conflicting record is an error.
        try ExperimentRunner.merge([path("ref.jsonl")], into: path("sorted.jsonl"))
        try ExperimentRunner.merge([path("killed.jsonl"), path("ref.jsonl")], into: path("both.jsonl"))
        let sorted = try String(contentsOfFile: path("sorted.jsonl"), encoding: .utf8)
        XCTAssertEqual(try String(contentsOfFile: path("both.jsonl"), encoding: .utf8), sorted)
        XCTAssertEqual(sorted.split(separator: "\n").map { try? ResultRecord.parseLine(String($0))["index"]?.int }, (0..<20).map { $0 })
        var changed = try ResultRecord.parseLine(refLines[0])
        changed["sum"] = 0.5
        try writeFileAtomically(changed.jsonLine + "\n", to: path("conflict.jsonl"))
        XCTAssertThrowsError(try ExperimentRunner.merge([path("ref.jsonl"), path("conflict.jsonl")], into: path("bad.jsonl"))) {
            XCTAssertTrue($0 is DataError)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("bad.jsonl")))
    }

    func testMergeRefusesAnotherGridAndAResumeRunsItsOwn() throws {
        func options(_ file: String, _ identity: String?, shard: Int) -> RunnerOptions {
            var o = RunnerOptions(resultsPath: path(file), threads: 2, shard: (shard, 2), quiet: true)
            o.identity = identity
            return o
        }
        let a = "demo scale=quick version=1 points=12 hash=1", b = "demo scale=quick version=2 points=12 hash=1"
        let first = try ExperimentRunner.run(jobs(12), options: options("a1.jsonl", a, shard: 0))
        XCTAssertEqual(first.map { $0["grid"]?.string }, Array(repeating: a, count: 6), "every record names its grid")
        _ = try ExperimentRunner.run(jobs(12), options: options("a2.jsonl", a, shard: 1))
        _ = try ExperimentRunner.run(jobs(12), options: options("b2.jsonl", b, shard: 1))
        _ = try ExperimentRunner.run(jobs(12), options: options("none2.jsonl", nil, shard: 1))
        XCTAssertEqual(try ExperimentRunner.merge([path("a1.jsonl"), path("a2.jsonl")], into: path("a.jsonl")), 12)
        for other in ["b2.jsonl", "none2.jsonl"] {
            XCTAssertThrowsError(try ExperimentRunner.merge([path("a1.jsonl"), path(other)], into: path("mixed.jsonl"))) {
                let message = "\($0)"
                XCTAssertTrue($0 is DataError && message.contains("another grid or study version"), message)
                XCTAssertFalse(message.contains("\n"), "one line")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("mixed.jsonl")))
        }

        // A file of another grid's records: none counts as done, each runs again under this grid.
        let ran = Counter()
        let again = try ExperimentRunner.run(jobs(12, ran: ran), options: options("a1.jsonl", b, shard: 0))
        XCTAssertEqual(ran.value, 6)
        XCTAssertEqual(again.map { $0["grid"]?.string }, Array(repeating: b, count: 6))
    }

    func testSeedIsAFixedFunctionOfKeyAndBase() {
        // Checked against an independent FNV-1a + SplitMix64 script: seeds must not change
        // between processes, machines or releases.
        XCTAssertEqual(derivedSeed(for: "k=3,p=15,n=1000,h=20,init=7", base: 1), 0x41C3_78A9_F457_FA24)
        let seeds = (0..<2000).map { derivedSeed(for: "init=\($0)", base: 1) }
        XCTAssertEqual(Set(seeds).count, seeds.count)
    }

    func testShardSyntaxAndDuplicateKeys() throws {
        XCTAssertTrue(try ExperimentRunner.parseShard("1/3") == (0, 3))
        XCTAssertTrue(try ExperimentRunner.parseShard("3/3") == (2, 3))
        for bad in ["0/3", "1/0", "a/b", "1/2/3", ""] {
            XCTAssertThrowsError(try ExperimentRunner.parseShard(bad), bad) { XCTAssertTrue($0 is SettingsError) }
        }
        let twins = [ExperimentJob(index: 0, key: "a", schema: .any) { [:] }, ExperimentJob(index: 1, key: "a", schema: .any) { [:] }]
        XCTAssertThrowsError(try ExperimentRunner.run(twins, options: RunnerOptions(resultsPath: path("dup.jsonl"), quiet: true))) {
            XCTAssertTrue($0 is SettingsError)
        }
    }

    func testRecordLinesRoundTrip() throws {
        let r: ResultRecord = ["loss": 0.1, "n": 3000, "diverged": .number(.nan), "ok": true, "one": 1,
                               "name": "a \"quoted\"\nline", "curve": [1.5, 1e-5, -2], "nested": ["x": nil]]
        let line = r.jsonLine
        XCTAssertFalse(line.contains("\n"))
        XCTAssertTrue(line.hasPrefix("{\"curve\":[1.5,1e-05,-2],\"diverged\":\"NaN\""), "keys sorted, short numbers: \(line)")
        let back = try ResultRecord.parseLine(line)
        XCTAssertEqual(back.jsonLine, line)
        XCTAssertEqual(back["ok"], .bool(true))
        XCTAssertEqual(back["one"]?.int, 1)
        XCTAssertTrue(back["diverged"]?.double?.isNaN ?? false)
        XCTAssertEqual(back["curve"]?.doubles, [1.5, 1e-5, -2])
    }
}
