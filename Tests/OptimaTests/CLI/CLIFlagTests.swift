import Foundation
import XCTest
@testable import Optima

/// The command line against the library: the defaults its help shows are the library's
/// settings, a run with default flags is the library's `Recipe()` (and --recipe its presets),
/// every --json is one JSON object on one line, and a bad flag exits with status 2.
/// These run the built `optima` next to the test bundle; without it they are skipped.
final class CLIFlagTests: XCTestCase {
    private func run(_ args: [String]) throws -> OptimaRun { try runOptima(args) }

    /// The single JSON object a --json run prints.
    private func json(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: JSONValue] {
        let r = try run(args + ["--json"])
        XCTAssertEqual(r.status, 0, "optima \(args.joined(separator: " ")): \(r.stderr)", file: file, line: line)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "optima \(args.joined(separator: " ")) --json printed \(lines.count) lines",
                       file: file, line: line)
        guard let object = try JSONValue.parse(String(lines.last ?? "")).object else {
            XCTFail("not a JSON object: \(lines.last ?? "")", file: file, line: line)
            return [:]
        }
        return object
    }

    /// Flag name -> the "(default X)" its help shows.
    private func helpDefaults(_ command: String) throws -> [String: String] {
        let r = try run([command, "--help"])
        XCTAssertEqual(r.status, 0)
        var entries: [String] = []
        for line in r.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("    --") { entries.append(String(line)) }
            else if line.hasPrefix("      "), !entries.isEmpty { entries[entries.count - 1] += " " + line.trimmingCharacters(in: .whitespaces) }
        }
        var defaults: [String: String] = [:]
        for e in entries {
            let name = e.dropFirst(6).prefix { $0 != " " && $0 != "," }
            if let open = e.range(of: "(default ", options: .backwards), e.hasSuffix(")") {
                defaults[String(name)] = String(e[open.upperBound..<e.index(before: e.endIndex)])
            }
        }
        return defaults
    }

    /// A number as the help writes it: 30 not 30.0.
    private func shown<T: LosslessStringConvertible>(_ x: T) -> String {
        let s = x.description
        return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
    }

    func testHelpShowsTheLibraryDefaults() throws {
        let r = Recipe()
        let train = try helpDefaults("train")
        XCTAssertEqual(train["hidden"], r.hidden.map(String.init).joined(separator: ","))
        XCTAssertEqual(train["epochs"], shown(r.training.epochs))
        XCTAssertEqual(train["batch"], shown(r.training.batchSize))
        XCTAssertEqual(train["optimizer"], r.training.optimizer.kind.rawValue)
        XCTAssertEqual(train["lr"], shown(r.training.optimizer.learningRate))
        XCTAssertEqual(train["wd"], shown(r.training.optimizer.weightDecay))
        XCTAssertEqual(train["beta1"], shown(r.training.optimizer.beta1))
        XCTAssertEqual(train["seed"], shown(r.seed))
        XCTAssertEqual(train["recipe"], "nsa")
        let d = DataOptions()
        XCTAssertEqual(train["k"], "\(d.xorK), hypercube \(d.hypercube.informative)")
        XCTAssertEqual(train["split-seed"], shown(d.seed))
        XCTAssertEqual(train["test-fraction"], shown(d.testFraction))

        let n = NodeSelectionSettings()
        let fsa = try helpDefaults("fsa")
        XCTAssertEqual(fsa["keep-nodes"], n.nodeTargets.map(String.init).joined(separator: ","))
        XCTAssertEqual(fsa["mu"], shown(n.nodeMu))
        XCTAssertEqual(fsa["feature-mu"], shown(n.featureMu))
        XCTAssertEqual(fsa["warmup"], shown(n.warmupEpochs))

        let c = ConnectionPruningSettings()
        let cpna = try helpDefaults("cpna")
        XCTAssertEqual(cpna["keep-output-connections"], shown(c.outputTarget))
        XCTAssertEqual(cpna["keep-input-connections"], shown(c.inputTarget))
        XCTAssertEqual(cpna["mu"], shown(c.mu))
        XCTAssertEqual(cpna["layers"], "all")
        XCTAssertEqual(cpna["order"], "output-first")

        // --help under a preset shows that preset's values.
        let preset = try run(["train", "--recipe", "cpna-table1", "--help"])
        XCTAssertTrue(preset.stdout.contains("(default \(shown(Recipe.cpnaTable1.training.optimizer.weightDecay)))"))
    }

    func testDefaultFlagsAndPresetsTrainAsTheLibrary() throws {
        var options = DataOptions()
        (options.xorK, options.xorP, options.xorN) = (2, 4, 200)
        let (train, test) = try DataSource.load("xor", options: options)
        let data = ["--data", "xor", "--k", "2", "--p", "4", "--n", "200", "--hidden", "8", "--epochs", "6", "--quiet"]
        for (flags, base) in [([String](), Recipe()), (["--recipe", "cpna-table1"], Recipe.cpnaTable1),
                              (["--recipe", "counterexamples-mnist"], Recipe.counterexamplesMNIST())] {
            var r = base
            r.hidden = [8]
            r.training.epochs = 6
            let outcome = r.run(train: train, test: test)
            let cli = try json(["train"] + data + flags)
            XCTAssertEqual(cli["train_loss"]?.double, outcome.train.loss, "\(flags)")
            XCTAssertEqual(cli["test_auc"]?.double, outcome.test?.auc, "\(flags)")
        }
    }

    func testEveryJSONIsOneObject() throws {
        let tiny = ["--data", "xor", "--k", "2", "--p", "4", "--n", "100", "--hidden", "8", "--epochs", "4", "--quiet"]
        _ = try json(["train"] + tiny)
        XCTAssertNotNil(try json(["nsa"] + tiny + ["--keep-nodes", "2", "--retrain", "both"])["retrain_fresh"])
        XCTAssertEqual(try json(["fsa"] + tiny + ["--keep-nodes", "2"])["kept_features"]?.doubles?.count, 2)
        _ = try json(["cpna"] + tiny + ["--nodes", "--keep-nodes", "2"])
        XCTAssertEqual(try json(["cpna"] + tiny + ["--nodes", "--keep-nodes", "2", "--clock", "iteration"])["network"]?.string,
                       "4-2-1")

        // The old spellings of the connection targets still read as the new ones.
        let new = try json(["cpna"] + tiny + ["--layers", "output", "--keep-output-connections", "3"])
        let old = try json(["cpna"] + tiny + ["--layers", "hidden", "--target-hidden", "3"])
        XCTAssertEqual(new["connections"], old["connections"])
        XCTAssertEqual(new["train_loss"], old["train_loss"])

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("optima-cli-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sweep = try json(["sweep"] + tiny + ["--inits", "2", "--threads", "1", "--results", folder])
        XCTAssertEqual(sweep["initializations"]?.double, 2)
        let file = (folder as NSString).appendingPathComponent("sweep.jsonl")
        XCTAssertTrue(FileManager.default.fileExists(atPath: file), "--results is a folder")
        XCTAssertEqual(try json(["merge", "--out", file + ".merged", file])["records"]?.double, 2)

        XCTAssertEqual(try json(["slurm", "nsa", "--results", folder])["files"]?.array?.count, 7)

        // A grid of two settings on three folds; the resumed run finds every training done.
        let cvArgs = ["cv"] + tiny + ["--hidden", "8,2x2", "--folds", "3", "--threads", "1", "--results", folder + "/cv"]
        let cv = try json(cvArgs)
        XCTAssertEqual(cv["settings"]?.array?.count, 2)
        XCTAssertEqual(cv["best"]?["folds"]?.double, 3)
        XCTAssertEqual(try json(cvArgs)["settings"], cv["settings"])
        for f in ["cv.jsonl", "cv.csv", "cv.json", "cv.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/cv/" + f), f)
        }
        XCTAssertEqual(try json(["cv"] + tiny + ["--method", "fsa", "--keep-nodes", "2,4", "--keep-features", "1,2",
                                                 "--folds", "2", "--results", folder + "/cv-fsa"])["settings"]?.array?.count, 4)

        XCTAssertEqual(try json(["data", "list"])["datasets"]?.array?.count, DataCatalog.entries.count)
        XCTAssertEqual(try json(["data", "describe", "xor"])["parts"]?.array?.count, 2)

        // Every study states what `--scale full` costs: its jobs and the core-hours, with how
        // they were estimated.
        let list = try run(["study", "list", "--json"])
        let studies = try JSONValue.parse(list.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).array ?? []
        XCTAssertEqual(studies.count, StudyRegistry.all.count)
        for s in studies {
            let full = s["full_scale"]?.object ?? [:]
            XCTAssertNotNil(full["jobs"]?.int, "\(s["id"]?.string ?? "?")")
            XCTAssertGreaterThanOrEqual(full["core_hours"]?.double ?? -1, 0, "\(s["id"]?.string ?? "?")")
            XCTAssertFalse((full["estimate"]?.string ?? "").isEmpty, "\(s["id"]?.string ?? "?")")
        }
        let fig1 = studies.first { $0["id"]?.string == "counterexamples/fig1" }?["full_scale"]
        XCTAssertEqual(fig1?["jobs"]?.int, 800)
        XCTAssertEqual(fig1?["paper_budget"], .bool(true))
    }

    func testBadFlagsExitWithStatusTwo() throws {
        for args in [["train", "--no-such-flag"], ["train", "--epochs", "many"], ["nsa", "--json=yes"],
                     ["train", "--init-w-std", "0.5"], ["cpna", "--nodes", "--keep-output-connections", "3"],
                     ["sweep", "--seed", "3"], ["data", "list", "--view", "fac"], ["merge", "x.jsonl"],
                     ["slurm", "nsa/nosuch"], ["slurm", "nsa", "--shards", "0"], ["slurm"], ["slurm", "nsa", "--threads", "2"],
                     ["cv", "--folds", "1"], ["cv", "--wd", "1e-3,"], ["cv", "--hidden", ","], ["cv", "--data", "xor4", "--folds", "3"],
                     ["cv", "--keep-features", "3"], ["cv", "--wd", "1e-3,1e-3"], ["cv", "--method", "fsa", "--data", "car", "--keep-features", "99"],
                     ["train", "--data", "car", "--test-data", "x.csv"], ["train", "--test-labels", "x.labels"]] {
            let r = try run(args)
            XCTAssertEqual(r.status, 2, "optima \(args.joined(separator: " "))")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "optima \(args.joined(separator: " ")): \(r.stderr)")
        }
    }

    /// optima select: its help shows the library's procedure, a seed gives the same files
    /// twice (and a resumed run the same numbers), the JSON carries every feature, and bad
    /// input is one line and exit status 2.
    func testSelectCommand() throws {
        let help = try helpDefaults("select")
        let p = SelectionProcedure()
        XCTAssertEqual(help["runs"], shown(p.stability.runs))
        XCTAssertEqual(help["threshold"], "q/p + 3 sqrt(q/p (1-q/p) / B), within 0.6...0.9")
        XCTAssertEqual(help["tune-wd"], p.tuning.weightDecays.map { shown($0) }.joined(separator: ","))
        XCTAssertEqual(help["tune-runs"], shown(p.tuning.runs))
        XCTAssertEqual(help["tune-wide-epochs"], shown(p.tuning.wideEpochs))
        XCTAssertEqual(help["sample-fraction"], shown(p.stability.sampleFraction))
        XCTAssertEqual(help["hidden"], p.run.hidden.map(String.init).joined(separator: ","))
        XCTAssertEqual(help["wd"], shown(p.run.training.optimizer.weightDecay))
        XCTAssertEqual(help["keep-nodes"], p.pruning.nodeTargets.map(String.init).joined(separator: ","))
        XCTAssertEqual(help["feature-ranking"], p.pruning.featureRanking.rawValue)
        XCTAssertEqual(help["final-hidden"], p.final.hidden.map(String.init).joined(separator: ","))
        XCTAssertEqual(help["final-networks"], shown(p.finalNetworks))
        XCTAssertEqual(help["copy-r2"], shown(p.redundancy.minimumExplained))
        XCTAssertEqual(help["final-folds"], shown(p.finalChoice.folds))

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("optima-select-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let args = ["select", "--data", "hypercube", "--p", "20", "--n", "300", "--runs", "3", "--epochs", "5", "--tune-wide-epochs", "5",
                    "--no-final-choice", "--final-hidden", "8", "--final-epochs", "3", "--final-networks", "2", "--tune-runs", "2",
                    "--threads", "2", "--quiet"]
        let a = try json(args + ["--results", folder + "/a"])
        let b = try json(args + ["--results", folder + "/b"])
        XCTAssertEqual(a["features"]?.array?.count, 20)
        XCTAssertEqual(a["features"], b["features"])
        XCTAssertEqual(a["test_accuracy"], b["test_accuracy"])
        XCTAssertEqual(a["run_features"]?.double, 8)   // ⌊2·√20⌋
        XCTAssertEqual(try json(args + ["--results", folder + "/a"])["features"], a["features"], "resumed")
        // The decay was chosen among the candidates, one held-out trial each.
        XCTAssertEqual(a["trials"]?.array?.count, p.tuning.weightDecays.count + 1)
        XCTAssertTrue((p.tuning.weightDecays + [p.tuning.wideWeightDecay]).map(Double.init).contains(a["run_wd"]?.double ?? -1))
        XCTAssertEqual(a["final_trials"]?.array?.count, 0)
        // With the final choice on, every candidate is cross-validated and the winner trained.
        let c = try json(args.filter { $0 != "--no-final-choice" } + ["--final-folds", "2", "--results", folder + "/c"])
        XCTAssertEqual(c["final_trials"]?.array?.count, p.finalChoice.candidates.count)
        let widths = p.finalChoice.candidates.map { $0.hidden.map(String.init).joined(separator: "-") }
        XCTAssertTrue(widths.contains { c["final_network"]?.string?.contains("-\($0)-") ?? false }, "\(c["final_network"] ?? .null)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/c/select-final.jsonl"))
        // The command's resumable stages and the library's one call are the same procedure.
        var q = SelectionProcedure()
        (q.stability.runs, q.run.training.epochs, q.tuning.wideEpochs, q.tuning.runs) = (3, 5, 5, 2)
        (q.final.hidden, q.final.training.epochs, q.finalNetworks, q.finalChoice.folds) = ([8], 3, 2, 2)
        var options = DataOptions()
        (options.hypercube.features, options.hypercube.rows, options.scaling) = (20, 300, .standardize)
        let (train, test) = try DataSource.load("hypercube", options: options)
        let outcome = try q.select(train, test: test)
        XCTAssertEqual(c["kept"]?.array?.compactMap(\.int), outcome.kept)
        XCTAssertEqual(c["test_accuracy"]?.double, outcome.final.test?.accuracy)
        XCTAssertEqual(c["final_trials"]?.array?.count, outcome.finalTrials.count)
        for f in ["select-tune-runs.jsonl", "select-tune.jsonl", "select.jsonl", "select.csv", "select.json", "select.svg"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/a/" + f), f)
        }
        let csv = try String(contentsOfFile: folder + "/a/select.csv", encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").count, 21)
        XCTAssertEqual(try String(contentsOfFile: folder + "/b/select.csv", encoding: .utf8), csv)

        let text = try run(Array(args.dropLast()) + ["--results", folder + "/a"])
        XCTAssertEqual(text.status, 0)
        XCTAssertTrue(text.stdout.contains("rank  feature"))
        XCTAssertTrue(text.stderr.contains("selection runs"), "progress: \(text.stderr)")

        for bad in [["--threshold", "0.3"], ["--runs", "0"], ["--keep-nodes", "100"], ["--data", "no/such.csv"],
                    ["--sample-fraction", "1"], ["--feature-ranking", "best"], ["--shard", "1/2"], ["--copy-r2", "2"],
                    ["--final-folds", "1"], ["--vertex-labels", "odd"]] {
            let r = try run(["select", "--data", "xor", "--p", "4", "--n", "100", "--runs", "1", "--results",
                             folder + "/bad"] + bad)
            XCTAssertEqual(r.status, 2, "select \(bad)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "select \(bad): \(r.stderr)")
        }
    }

    /// The job array script without Slurm, shard by shard and all shards at once, gives the
    /// results of an unsharded run; a shard of another scale is refused by the merge.
    func testSlurmScriptRunsWithoutSlurm() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("optima-slurm-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func file(_ path: String) throws -> String { try String(contentsOfFile: folder + "/" + path, encoding: .utf8) }
        func withoutTimes(_ path: String) throws -> String {
            try file(path).replacingOccurrences(of: #","seconds":[^,}]*"#, with: "", options: .regularExpression)
        }
        let local = try run(["study", "nsa/fig3", "--scale", "quick", "--results", folder + "/local", "--quiet"])
        XCTAssertEqual(local.status, 0, local.stderr)
        XCTAssertEqual(try run(["merge", "--out", folder + "/local/sorted.jsonl", folder + "/local/nsa/fig3.jsonl"]).status, 0)
        for mode in [[], ["--local-parallel"]] {
            let results = folder + "/array" + mode.joined()
            let made = try json(["slurm", "nsa/fig3", "--scale", "quick", "--shards", "3", "--results", results])
            guard let script = made["script"]?.string else { return XCTFail("no script in \(made)") }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = [script] + mode
            p.standardError = FileHandle.nullDevice
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, "bash \(script) \(mode)")
            let name = results.dropFirst(folder.count + 1)
            XCTAssertEqual(try withoutTimes("\(name)/nsa/fig3.jsonl"), try withoutTimes("local/sorted.jsonl"), "\(mode)")
            XCTAssertEqual(try file("\(name)/nsa/fig3.csv"), try file("local/nsa/fig3.csv"), "\(mode)")
        }
        // A shard written at another scale: the merge refuses it with one line and status 2.
        let shard2 = try file("array/shards/2/nsa/fig3.jsonl").replacingOccurrences(of: "scale=quick", with: "scale=paper")
        try writeFileAtomically(shard2, to: folder + "/paper-shard.jsonl")
        let mixed = try run(["merge", "--out", folder + "/mixed.jsonl", folder + "/array/shards/1/nsa/fig3.jsonl",
                             folder + "/paper-shard.jsonl"])
        XCTAssertEqual(mixed.status, 2)
        XCTAssertEqual(mixed.stderr.split(separator: "\n").count, 1, mixed.stderr)
        XCTAssertTrue(mixed.stderr.contains("another grid or study version"), mixed.stderr)
    }
}
