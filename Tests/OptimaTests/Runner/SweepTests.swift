import XCTest
@testable import Optima

/// Sweeps over initialisations: thread count does not change the numbers, any single
/// initialisation re-runs alone, other settings never reuse a record, the summary is sorted.
final class SweepTests: XCTestCase {
    private func path(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("optima-sweep-\(getpid())-\(name)").path
    }

    private func recipe(epochs: Int = 20) -> Recipe {
        var r = Recipe()
        r.hidden = [16]
        r.training.epochs = epochs
        r.training.optimizer.weightDecay = 1e-4
        r.seed = 5
        return r
    }

    func testSweepIsDeterministicAndEachInitRerunsAlone() throws {
        let train = try XORData.make(k: 2, p: 3, n: 200)
        let files = [path("a.jsonl"), path("b.jsonl")]
        defer { files.forEach { try? FileManager.default.removeItem(atPath: $0) } }
        let jobs = Sweep.jobs(recipe: recipe(), train: train, test: nil, initializations: 12, configuration: "xor")
        let one = try ExperimentRunner.run(jobs, options: RunnerOptions(resultsPath: files[0], threads: 1, quiet: true))
        let two = try ExperimentRunner.run(jobs, options: RunnerOptions(resultsPath: files[1], threads: 2, quiet: true))
        XCTAssertEqual(one.map { $0["train_loss"] }, two.map { $0["train_loss"] })
        XCTAssertEqual(Set(one.compactMap { $0["seed"]?.string }).count, 12, "initialisations share a seed")

        // Initialisation 7 alone, as `optima train --seed S` runs it.
        var r = recipe()
        r.seed = UInt64(one[7]["seed"]!.string!)!
        r.training.seed = r.seed
        XCTAssertEqual(r.run(train: train, test: nil).train.loss, one[7]["train_loss"]!.double!)

        let summary = Sweep.Summary(one)
        XCTAssertEqual(summary.count, 12)
        XCTAssertEqual(summary.losses, summary.losses.sorted())
        XCTAssertEqual(summary.best?["train_loss"]?.double, summary.losses.first)
    }

    func testOtherSettingsDoNotReuseRecords() throws {
        let train = try XORData.make(k: 2, p: 3, n: 100)
        let file = path("c.jsonl")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let a = Sweep.jobs(recipe: recipe(epochs: 5), train: train, test: nil, initializations: 3, configuration: "xor")
        let b = Sweep.jobs(recipe: recipe(epochs: 6), train: train, test: nil, initializations: 3, configuration: "xor")
        XCTAssertTrue(Set(a.map(\.key)).isDisjoint(with: b.map(\.key)))
        _ = try ExperimentRunner.run(a, options: RunnerOptions(resultsPath: file, threads: 2, quiet: true))
        let rb = try ExperimentRunner.run(b, options: RunnerOptions(resultsPath: file, threads: 2, quiet: true))
        XCTAssertEqual(rb.compactMap { $0["epochs"]?.int }, [6, 6, 6])
    }

    /// `optima sweep --save-model` saves the initialisation with the lowest training loss:
    /// the model's seed is that record's, and `optima predict` on the training data gives
    /// the record's training accuracy.
    func testCommandLineSavesTheBestInitialisation() throws {
        _ = try optimaExecutable()
        let dir = path("cli"), model = path("best.json")
        defer { [dir, model].forEach { try? FileManager.default.removeItem(atPath: $0) } }
        let run = try runOptima(["sweep", "--data", "xor", "--k", "2", "--p", "3", "--n", "200", "--hidden", "8",
                                 "--epochs", "30", "--inits", "6", "--results", dir, "--save-model", model, "--json",
                                 "--quiet"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let out = try JSONValue.parse(run.stdout)
        XCTAssertEqual(out["model"]?.string, model)
        let records = try String(contentsOfFile: dir + "/sweep.jsonl", encoding: .utf8).split(separator: "\n")
            .compactMap { try? JSONValue.parse(String($0)) }.compactMap(\.object)
        let best = Sweep.Summary(records).best!
        let saved = try ModelFile.read(model)
        XCTAssertEqual(String(saved.seed), best["seed"]?.string)
        XCTAssertEqual(saved.settings["command"]?.string, "sweep")
        let train = try XORData.make(k: 2, p: 3, n: 200)
        let outputs = saved.network.predict(train.features, rows: train.count)
        let accuracy = Evaluation(outputs: outputs, data: train).accuracy!
        XCTAssertEqual(accuracy, best["train_accuracy"]!.double!, accuracy: 1e-12)
    }
}
