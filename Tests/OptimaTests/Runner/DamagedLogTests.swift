import XCTest
@testable import Optima

/// One policy for a damaged results file, the same for the runner (study, sweep, cv, select)
/// and for merge: a record that fails its kind's schema is refused naming the file and the
/// line, and the file is left as it was; a record that differs from another of its key is
/// refused; an identical copy is dropped.
final class DamagedLogTests: ScratchTestCase {
    private static let schema = RecordSchema([.required("loss", .number), .required("seconds", .finite)])

    /// Jobs whose records are {"loss": i / 10, "seconds": 1}; `ran` counts the runs.
    private func jobs(_ count: Int, ran: RunnerTests.Counter? = nil) -> [ExperimentJob] {
        (0..<count).map { i in
            ExperimentJob(index: i, key: "job-\(i)", schema: DamagedLogTests.schema) {
                ran?.add()
                return ["loss": JSONValue(Double(i) / 10), "seconds": 1]
            }
        }
    }

    private func run(_ file: String, _ count: Int = 4, ran: RunnerTests.Counter? = nil) throws -> [ResultRecord] {
        try ExperimentRunner.run(jobs(count, ran: ran), options: RunnerOptions(resultsPath: path(file), threads: 1, quiet: true))
    }

    /// The file's lines, with line `n` (1-based) replaced by `edit` of its record.
    private func lines(_ file: String, editing n: Int, _ edit: (inout ResultRecord) -> Void) throws -> String {
        var lines = try String(contentsOfFile: path(file), encoding: .utf8).split(separator: "\n").map(String.init)
        var r = try ResultRecord.parseLine(lines[n - 1])
        edit(&r)
        lines[n - 1] = r.jsonLine
        return lines.joined(separator: "\n") + "\n"
    }

    private func assertRefused(_ body: @autoclosure () throws -> Any, file: String, line: Int, saying words: String,
                               sourceLine: UInt = #line) {
        XCTAssertThrowsError(try body(), line: sourceLine) { error in
            let text = "\(error)"
            XCTAssertTrue(error is DataError, text, line: sourceLine)
            XCTAssertTrue(text.hasPrefix("\(path(file)):\(line): "), text, line: sourceLine)
            XCTAssertTrue(text.contains(words), text, line: sourceLine)
            XCTAssertFalse(text.contains("\n"), "one line", line: sourceLine)
        }
    }

    func testARecordThatFailsItsSchemaIsRefusedAndTheFileKept() throws {
        _ = try run("a.jsonl")
        let bad: [(String, JSONValue?)] = [("is missing", nil), ("is \"abc\", not a number", "abc"),
                                           ("is null, not a number", .null), ("is [1,2], not a number", [1, 2])]
        for (words, value) in bad {
            // A torn last line too: it must not be truncated while the file is refused.
            let text = try lines("a.jsonl", editing: 2) { $0["loss"] = value } + "{\"key\":\"job-"
            try writeFileAtomically(text, to: path("b.jsonl"))
            let ran = RunnerTests.Counter()
            assertRefused(try run("b.jsonl", ran: ran), file: "b.jsonl", line: 2, saying: "record 'job-1': field \"loss\" \(words)")
            XCTAssertEqual(ran.value, 0, "nothing ran")
            XCTAssertEqual(try String(contentsOfFile: path("b.jsonl"), encoding: .utf8), text, "the file is as it was")
        }
        // A finite number where one must be; NaN where a number may be, as the writer spells it.
        try writeFileAtomically(try lines("a.jsonl", editing: 3) { $0["seconds"] = "NaN" }, to: path("c.jsonl"))
        assertRefused(try run("c.jsonl"), file: "c.jsonl", line: 3, saying: "field \"seconds\" is \"NaN\", not a finite number")
        try writeFileAtomically(try lines("a.jsonl", editing: 3) { $0["loss"] = "NaN" }, to: path("d.jsonl"))
        XCTAssertTrue(try run("d.jsonl")[2]["loss"]?.double?.isNaN ?? false)
    }

    func testEveryLineMustBeARecordOfTheRunner() throws {
        _ = try run("a.jsonl")
        try writeFileAtomically(try lines("a.jsonl", editing: 1) { $0["key"] = nil }, to: path("nokey.jsonl"))
        assertRefused(try run("nokey.jsonl"), file: "nokey.jsonl", line: 1, saying: "without a \"key\"")
        try writeFileAtomically(try lines("a.jsonl", editing: 2) { $0["index"] = "1" }, to: path("noindex.jsonl"))
        assertRefused(try run("noindex.jsonl"), file: "noindex.jsonl", line: 2, saying: "has no \"index\"")
        for file in ["nokey.jsonl", "noindex.jsonl"] {
            assertRefused(try ExperimentRunner.merge([path(file)], into: path("m.jsonl")), file: file,
                          line: file == "nokey.jsonl" ? 1 : 2, saying: file == "nokey.jsonl" ? "without a \"key\"" : "has no \"index\"")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("m.jsonl")))
    }

    func testDuplicatesAreDroppedWhenIdenticalAndRefusedWhenTheyDiffer() throws {
        _ = try run("a.jsonl")
        let text = try String(contentsOfFile: path("a.jsonl"), encoding: .utf8)
        let firstLine = String(text.split(separator: "\n")[0])
        try writeFileAtomically(text + firstLine + "\n", to: path("twice.jsonl"))
        let ran = RunnerTests.Counter()
        XCTAssertEqual(try run("twice.jsonl", ran: ran).count, 4)
        XCTAssertEqual(ran.value, 0, "an identical copy is a record like the first")
        XCTAssertEqual(try ExperimentRunner.merge([path("twice.jsonl")], into: path("m.jsonl")), 4)

        var forged = try ResultRecord.parseLine(firstLine)
        forged["loss"] = 0.001   // a lower loss than any other: it must not win
        try writeFileAtomically(text + forged.jsonLine + "\n", to: path("forged.jsonl"))
        let words = "record 'job-0' differs from the record of the same key on line 1"
        assertRefused(try run("forged.jsonl"), file: "forged.jsonl", line: 5, saying: words)
        assertRefused(try ExperimentRunner.merge([path("forged.jsonl")], into: path("m2.jsonl")), file: "forged.jsonl",
                      line: 5, saying: words)
        // Across files, merge names the other file.
        try writeFileAtomically(forged.jsonLine + "\n", to: path("other.jsonl"))
        assertRefused(try ExperimentRunner.merge([path("a.jsonl"), path("other.jsonl")], into: path("m3.jsonl")),
                      file: "other.jsonl", line: 1, saying: "on \(path("a.jsonl")):1")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("m2.jsonl")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("m3.jsonl")))
    }

    func testMergeChecksEachRecordAgainstItsKind() throws {
        _ = try run("a.jsonl")
        try writeFileAtomically(try lines("a.jsonl", editing: 4) { $0["loss"] = "abc" }, to: path("b.jsonl"))
        assertRefused(try ExperimentRunner.merge([path("b.jsonl")], into: path("m.jsonl")) { _ in DamagedLogTests.schema },
                      file: "b.jsonl", line: 4, saying: "field \"loss\" is \"abc\"")
        XCTAssertEqual(try ExperimentRunner.merge([path("b.jsonl")], into: path("m.jsonl")), 4, "a kind with no schema")
    }

    /// Escape sequences in a damaged line never reach the terminal: the error escapes them.
    func testControlCharactersInAQuotedLineAreEscaped() throws {
        try writeFileAtomically("\u{1B}]0;owned\u{07}garbage\n", to: path("esc.jsonl"))
        assertRefused(try run("esc.jsonl"), file: "esc.jsonl", line: 1, saying: "not a JSON object: \\u{1B}]0;owned\\u{7}garbage")
        XCTAssertEqual("a\nb\r\u{9B}c\td".escapingControlCharacters, "a\\nb\\r\\u{9B}c\td")
    }

    /// The schemas each kind declares accept the records the kind writes (a resumed run
    /// reads them back), and refuse a forged type.
    func testEachKindsSchemaAcceptsWhatItWrites() throws {
        let train = try XORData.make(k: 2, p: 3, n: 60)
        var recipe = Recipe()
        recipe.hidden = [4]
        recipe.training.epochs = 2
        let sweep = Sweep.jobs(recipe: recipe, train: train, test: train, initializations: 2, configuration: "xor")
        let records = try ExperimentRunner.run(sweep, options: RunnerOptions(resultsPath: path("sweep.jsonl"), threads: 1, quiet: true))
        for (job, r) in zip(sweep, records) { XCTAssertNil(job.schema.problem(in: r), job.key) }
        XCTAssertTrue(Sweep.isKey(sweep[1].key))
        var kinds = ResultRecordKinds()
        XCTAssertNil(kinds.schema(of: records[0]).problem(in: records[0]))
        var forged = records[1]
        forged["init"] = 0
        XCTAssertEqual(sweep[1].schema.problem(in: forged), "field \"init\" is 0, but its key says 1")
        forged = records[1]
        forged["seed"] = "x"
        XCTAssertNotNil(kinds.schema(of: forged).problem(in: forged), "a seed that is no number")

        let point = TrainingPoint(data: .xor(k: 2, p: 3, n: 60), hidden: 4, method: .nsa(keepNodes: 2), initialization: 0, epochs: 2)
        let study = try point.train().record
        XCTAssertNil(StudyResult.recordSchema(for: point).problem(in: study))
        var noFeatures = study
        noFeatures["features"] = nil
        XCTAssertEqual(StudyResult.recordSchema(for: point).problem(in: noFeatures), "field \"features\" is missing")

        let trial = TuningTrial(weightDecay: 1e-3, threshold: 0.9, selected: [0, 2], heldOutLoss: .nan, heldOutAccuracy: nil)
        XCTAssertNil(TuningTrial.recordSchema.problem(in: trial.record), "a diverged trial's NaN loss reads back")
        XCTAssertEqual(TuningTrial(record: trial.record)?.selected, [0, 2])
        var run = SelectionRun(kept: [1, 2], norms: [0.5, 0.25]).record
        run["norms"] = [0.5]
        XCTAssertEqual(SelectionRun.recordSchema.problem(in: run), "fields \"kept\" and \"norms\" differ in length")
        XCTAssertNil(SelectionRun(record: run))

        // A cv fold's score is its own test measure, and the summary does not overflow on
        // large losses (a forged score of -1e308 made the sd infinite).
        var fold: ResultRecord = ["setting": 0, "repeat": 0, "fold": 1, "score": 0.5, "test_auc": 0.5, "test_loss": 0.7,
                                  "train_loss": 0.6, "seconds": 0.1, "ms_per_epoch": 100, "epochs": 1, "steps": 1,
                                  "connections": 1, "network": "1-1-1", "features": [0], "kernels": "scalar"]
        XCTAssertNil(CrossValidation.recordSchema.problem(in: fold))
        fold["score"] = -1e308
        XCTAssertEqual(CrossValidation.recordSchema.problem(in: fold),
                       "field \"score\" is none of the record's test AUC, accuracy and loss")
        fold["test_auc"] = 2
        XCTAssertEqual(CrossValidation.recordSchema.problem(in: fold), "field \"test_auc\" is 2, not a number from 0 to 1")
        let (mean, sd) = CrossValidation.meanAndSD([1e308, 0, 1e308])
        XCTAssertTrue(mean.isFinite && sd.isFinite, "\(mean) \(sd)")
        XCTAssertEqual(CrossValidation.meanAndSD([1, 2, 3]).sd, 1, accuracy: 1e-12)
        XCTAssertEqual(CrossValidation.meanAndSD([4]).sd, 0)

        // A select trial's record names its candidate; one that names another is refused
        // (a decay of 1e308 read back became an infinite decay in select.json).
        let candidate = NetworkCandidate(hidden: [4], epochs: 2, weightDecay: 1e-4)
        let schema = candidate.requiring(in: FinalNetworkTrial.recordSchema)
        var final = FinalNetworkTrial(candidate: candidate, loss: 0.5, accuracy: nil).record
        XCTAssertNil(schema.problem(in: final))
        final["wd"] = 1e308
        XCTAssertEqual(schema.problem(in: final), "field \"wd\" is 1e+308, but its key says \(Double(Float(1e-4)))")
    }
}
