// `optima-bench select --suite`: feature selection over kinds of data (SelectSuiteData.swift),
// each at two sizes. Every set is written to CSV files; `optima select` with every default
// (through the library, as the command runs it) and the peers of
// Benchmarks/peers/feature_select.py read the same files in the same run. Per set and method:
// recall and precision of the kept columns against the relevant ones, the test score
// (accuracy, and AUC on binary data; R² on regression) and the seconds.
//
// Flags: --kinds a,b (default all), --sizes small,large (default both), --peers
// forest,boruta,lassonet or none (default all), --threads N (every method; default 1), --trees N
// (the forest peer's; default 500), --out DIR (the files; default results/select-suite),
// --csv FILE, --rows N --columns P (each chosen kind at this one size instead, labelled
// "NxP", e.g. the 4-class 3000 x 200 set: --kinds multiclass --rows 3000 --columns 200),
// --no-check (optima without its held-out check), --trial-hidden N --trial-epochs N (the
// network that scores the tuning's candidates), --check-hidden N --check-epochs N (the
// check's).
import Foundation
import Optima

/// One method's result on one set; the kept features counted per file column.
struct SuiteResult {
    var method: String
    var keptColumns: Set<Int>
    var accuracy: Double?
    var auc: Double?
    var r2: Double?
    var seconds: Double
    /// Seconds until the features were chosen (the final model's fit and test after).
    var selectionSeconds: Double
}

extension SuiteSet {
    func recall(_ r: SuiteResult) -> Double { Double(r.keptColumns.intersection(relevant).count) / Double(relevant.count) }

    func precision(_ r: SuiteResult) -> Double {
        r.keptColumns.isEmpty ? 0 : Double(r.keptColumns.intersection(relevant).count) / Double(r.keptColumns.count)
    }

    /// The score the goal compares: R² on regression; AUC at 1:9, where accuracy mostly
    /// counts the larger class (0.9 for predicting it always); accuracy otherwise.
    var goalScore: (name: String, of: (SuiteResult) -> Double?) {
        if task == .regression { return ("R2", { $0.r2 }) }
        if kind == "imbalance" { return ("AUC", { $0.auc }) }
        return ("accuracy", { $0.accuracy })
    }

    /// Whether optima's result meets the suite's goal against the peers', and why not.
    func verdict(_ ours: SuiteResult, peers: [SuiteResult]) -> String {
        var misses: [String] = []
        if recall(ours) < 0.9 { misses.append(String(format: "recall %.2f < 0.9", recall(ours))) }
        if precision(ours) < 0.8 { misses.append(String(format: "precision %.2f < 0.8", precision(ours))) }
        let (name, score) = goalScore
        let best = peers.compactMap { p in score(p).map { (p.method, $0) } }.max { $0.1 < $1.1 }
        if let best, let mine = score(ours), mine < best.1 {
            misses.append(String(format: "%@ %.4f < %@'s %.4f", name, mine, best.0, best.1))
        }
        // Speed: at least 3x Boruta's and LassoNet's, the whole run (the final model included).
        for p in peers where p.method == "boruta" || p.method == "lassonet" {
            let times = p.seconds / ours.seconds
            if times < 3 {
                misses.append(String(format: "%.1fx %@'s speed < 3x (%.1f s against %.1f; features chosen in %.1f "
                    + "against %.1f)", times, p.method, ours.seconds, p.seconds, ours.selectionSeconds,
                    p.selectionSeconds))
            }
        }
        if peers.isEmpty {
            return (misses.isEmpty ? "recall and precision met" : "not met: " + misses.joined(separator: "; "))
                + " (score not compared: no peer ran)"
        }
        return misses.isEmpty ? "goal met" : "goal not met: " + misses.joined(separator: "; ")
    }
}

/// `optima select` with every default on the set's files, timed from the loaded data.
private func runOptima(_ files: (train: String, test: String), folder: String, threads: Int) throws -> SuiteResult {
    var options = DataOptions()
    options.testFile = files.test
    options.scaling = .standardize
    let (train, test) = try DataSource.load(files.train, options: options)
    // The file column of each encoded feature: a word-valued column is one feature per value.
    let columnOf = train.layout.map { layout in
        layout.featureColumns.enumerated().flatMap { c, column in [Int](repeating: c, count: column.width) }
    } ?? Array(0..<train.featureCount)
    let start = monotonicSeconds()
    let outcome: SelectionOutcome
    var procedure = SelectionProcedure()
    // --no-check: what the held-out check contributes, on the same files.
    procedure.heldOutCheck.enabled = !benchFlag("no-check")
    if let h = benchOption("check-hidden").flatMap(Int.init) { procedure.heldOutCheck.network.hidden = [h] }
    if let e = benchOption("check-epochs").flatMap(Int.init) { procedure.heldOutCheck.network.epochs = e }
    if let h = benchOption("trial-hidden").flatMap(Int.init) { procedure.tuning.trialNetwork.hidden = [h] }
    if let e = benchOption("trial-epochs").flatMap(Int.init) { procedure.tuning.trialNetwork.epochs = e }
    if threads == 1 {
        outcome = try procedure.select(train, test: test)
    } else {
        // The command's parallel stages; a fresh folder, so nothing is resumed.
        try? FileManager.default.removeItem(atPath: folder)
        let stages = ResumableSelectionStages(folder: folder, threads: threads, quiet: true)
        outcome = try procedure.select(train, test: test, stages: stages, threads: threads)
    }
    let seconds = monotonicSeconds() - start
    let t = outcome.final.test
    return SuiteResult(method: "optima", keptColumns: Set(outcome.kept.map { columnOf[$0] }), accuracy: t?.accuracy,
                       auc: t?.auc, r2: t?.r2, seconds: seconds, selectionSeconds: outcome.selectionSeconds)
}

/// One peer of feature_select.py on the set's files, or nil (with the reason printed).
private func runPeer(_ method: String, _ set: SuiteSet, _ files: (train: String, test: String),
                     threads: Int, trees: Int) -> SuiteResult? {
    let script = FileManager.default.currentDirectoryPath + "/Benchmarks/peers/feature_select.py"
    // k given to the forest: the true number of relevant columns. LassoNet: any number of
    // features on its path (--k-max 0), the model with the lowest validation loss.
    let args = ["--method", method, "--train", files.train, "--test", files.test, "--task", set.task.rawValue,
                "--k", "\(set.relevant.count)", "--k-max", "0", "--trees", "\(trees)", "--threads", "\(threads)"]
    guard let r = Peers.run(script, args), let columns = r["selected_columns"]?.array?.compactMap({ $0.int }),
          let seconds = r["seconds"]?.double else {
        print("  \(method): the peer failed; left out")
        return nil
    }
    return SuiteResult(method: method, keptColumns: Set(columns), accuracy: r["test_accuracy"]?.double,
                       auc: r["test_auc"]?.double, r2: r["test_r2"]?.double, seconds: seconds,
                       selectionSeconds: r["selection_seconds"]?.double ?? seconds)
}

private func list(_ flag: String, default all: [String]) -> [String] {
    benchOption(flag).map { $0.split(separator: ",").map(String.init) } ?? all
}

/// The table's header and one line per method, and the same as CSV.
extension SuiteSet {
    static let tableHeader = "kind           size   rows  cols  rel  method    kept  recall  precision  accuracy     AUC"
        + "      R2   seconds  selecting"
    static let csvHeader = "kind,size,task,train_rows,test_rows,columns,relevant,method,kept,relevant_kept,recall,"
        + "precision,test_accuracy,test_auc,test_r2,seconds,selection_seconds,goal\n"

    func tableLine(_ r: SuiteResult) -> String {
        let scores = [r.accuracy, r.auc, r.r2].map { $0.map { String(format: "%8.4f", $0) } ?? "       -" }
        // A label such as "3000x200" widens its line rather than being cut.
        return kind.padding(toLength: 14, withPad: " ", startingAt: 0)
            + size.padding(toLength: max(6, size.count + 1), withPad: " ", startingAt: 0)
            + String(format: "%5d %5d %4d  ", trainRows, features, relevant.count)
            + r.method.padding(toLength: 9, withPad: " ", startingAt: 0)
            + String(format: "%5d  %6.2f  %9.2f  ", r.keptColumns.count, recall(r), precision(r))
            + scores.joined(separator: " ") + String(format: "  %8.1f  %9.1f", r.seconds, r.selectionSeconds)
    }

    /// `verdict` goes on optima's line only.
    func csvLine(_ r: SuiteResult, verdict: String?) -> String {
        let scores = [r.accuracy, r.auc, r.r2].map { $0.map { String($0) } ?? "" }
        let cells = [kind, size, task.rawValue, "\(trainRows)", "\(testRows)", "\(features)", "\(relevant.count)", r.method,
                     "\(r.keptColumns.count)", "\(r.keptColumns.intersection(relevant).count)", "\(recall(r))",
                     "\(precision(r))"] + scores + ["\(r.seconds)", "\(r.selectionSeconds)", verdict.map { "\"\($0)\"" } ?? ""]
        return cells.joined(separator: ",") + "\n"
    }
}

private func printSuiteHeader(kinds: [String], threads: Int, trees: Int) {
    print("feature selection over kinds of data: optima select with every default against the peers, "
        + "\(threads) thread(s) each; kernels \(Kernels.path.rawValue) on \(cpuModelName()); "
        + "test sets of \(suiteTestRows) rows")
    if !Peers.available { print(Peers.explainMissing()) }
    print("forest: \(trees) trees, top k columns (k given) -> RBF-SVM/SVR; boruta: 100 trees per iteration -> "
        + "RBF-SVM/SVR; lassonet: the path's lowest validation loss")
    for kind in suiteKinds where kinds.contains(kind.name) {
        print("  \(kind.name): \(kind.summary); "
            + kind.sizes.map { "\($0.label) \($0.rows) x \($0.features)" }.joined(separator: ", "))
    }
    print(SuiteSet.tableHeader)
}

func runSelectSuite() {
    // A line at a time, so a log written to a file shows each set as it finishes.
    setvbuf(stdout, nil, _IOLBF, 0)
    let threads = Int(benchOption("threads") ?? "") ?? 1
    let trees = Int(benchOption("trees") ?? "") ?? 500
    let given = benchOption("out") ?? "results/select-suite"
    // Absolute: the peers run from their own folder.
    let out = given.hasPrefix("/") ? given : FileManager.default.currentDirectoryPath + "/" + given
    let kinds = list("kinds", default: suiteKinds.map(\.name))
    let sizes = list("sizes", default: ["small", "large"])
    let custom = Int(benchOption("rows") ?? "").flatMap { n in Int(benchOption("columns") ?? "").map { (n, $0) } }
    if (benchOption("rows") != nil || benchOption("columns") != nil) && custom == nil {
        print("select --suite: --rows and --columns go together, each a whole number")
        return
    }
    // "none": optima alone.
    let peers = Peers.available ? list("peers", default: ["forest", "boruta", "lassonet"]).filter { $0 != "none" } : []
    for k in kinds where !suiteKinds.contains(where: { $0.name == k }) {
        print("select --suite: no kind '\(k)' (kinds: \(suiteKinds.map(\.name).joined(separator: ", ")))")
        return
    }
    printSuiteHeader(kinds: kinds, threads: threads, trees: trees)
    let start = monotonicSeconds()
    var csv = SuiteSet.csvHeader, verdicts: [String] = []
    for kind in suiteKinds where kinds.contains(kind.name) {
        let chosen = custom.map { [(label: "\($0.0)x\($0.1)", rows: $0.0, features: $0.1)] }
            ?? kind.sizes.filter { sizes.contains($0.label) }
        for size in chosen {
            let folder = (out as NSString).appendingPathComponent("\(kind.name)-\(size.label)")
            let set: SuiteSet, results: [SuiteResult]
            do {
                set = try kind.draw(size)
                let files = try set.write(to: folder)
                results = [try runOptima(files, folder: folder + "/optima", threads: threads)]
                    + peers.compactMap { runPeer($0, set, files, threads: threads, trees: trees) }
            } catch {
                print("\(kind.name) \(size.label): \(error)")
                continue
            }
            let verdict = set.verdict(results[0], peers: Array(results.dropFirst()))
            verdicts.append("\(kind.name) \(size.label): \(verdict)")
            for r in results {
                print(set.tableLine(r))
                csv += set.csvLine(r, verdict: r.method == "optima" ? verdict : nil)
            }
        }
    }
    print("\ngoal (optima: recall >= 0.9, precision >= 0.8, test score at least the best peer's, at least 3x the "
        + "speed of Boruta and LassoNet; the score is R2 on regression, AUC at 1:9, accuracy otherwise):")
    for v in verdicts { print("  " + v) }
    print(String(format: "the whole suite: %.0f s, files and the peers' start-up included", monotonicSeconds() - start))
    if let path = benchOption("csv") {
        do { try writeFileAtomically(csv, to: path) } catch { print("select --suite: \(error)") }
    }
}
