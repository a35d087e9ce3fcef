// The real-data protocol of nsa Table 2, cpna Table 3 and nsa Fig. 7: the folds it trains
// on, the choices it makes from cross-validation, NN(equivalent)'s width against the papers'
// printed counts, the verdict rules on rows that must pass and rows that must fail, and the
// three studies end to end at quick scale (stages, shared results file, resume).
import Foundation
import XCTest
@testable import Optima

final class RealDataStudyTests: XCTestCase {
    private func temporaryDirectory() throws -> String {
        let dir = NSTemporaryDirectory() + "optima-realdata-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    private func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// CSV rows as dictionaries (these files quote nothing: no cell holds a comma).
    private func csvRows(_ path: String) throws -> [[String: String]] {
        let all = try lines(path)
        let header = all[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return all.dropFirst().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(cells.count, header.count, "a cell of \(path) holds a comma: \(line)")
            return Dictionary(uniqueKeysWithValues: zip(header, cells))
        }
    }

    // MARK: Folds

    func testFoldSpecsPartitionTheTrainingPartAndScaleOnTheirOwnRows() throws {
        let (whole, _, _) = try DataSource.loadUnscaled("car", options: DataOptions())
        var validationRows = 0
        for f in 0..<3 {
            let spec = DataSpec.fold("car", splitSeed: 1, folds: 3, repeatIndex: 0, fold: f)
            let (train, validation) = try spec.load()
            XCTAssertEqual(train.count + validation.count, whole.count)
            validationRows += validation.count
            // Min-max scaling fitted on the fold's training rows: each of its columns spans [-1, 1] there.
            for j in 0..<train.featureCount {
                let column = (0..<train.count).map { train.features[$0 * train.featureCount + j] }
                XCTAssertEqual(column.min()!, -1, accuracy: 1e-6)
                XCTAssertEqual(column.max()!, 1, accuracy: 1e-6)
            }
            // The same rows as the split `optima cv` draws.
            let split = try Folds.splits(whole, folds: 3, repeats: 1, seed: 1)[f]
            XCTAssertEqual(validation.count, split.validation.count)
            XCTAssertEqual(spec.keyPart, "data=car,split=1,folds=3,repeat=0,fold=\(f)")
        }
        XCTAssertEqual(validationRows, whole.count, "the folds' validation parts cover the training part once")
        // Another repeat draws other folds.
        let a = try DataSpec.fold("car", splitSeed: 1, folds: 3, repeatIndex: 0, fold: 0).load().test
        let b = try DataSpec.fold("car", splitSeed: 1, folds: 3, repeatIndex: 1, fold: 0).load().test
        XCTAssertNotEqual(a.features, b.features)
    }

    func testISOLETJoinsTheTablesWhenItsFolderIsGiven() throws {
        // A small ISOLET in the UCI layout: 617 comma-and-space separated values, then "k.".
        let dir = try temporaryDirectory()
        var g = Xoshiro256(seed: 4)
        for (name, perClass) in [("isolet1+2+3+4.data", 10), ("isolet5.data", 2)] {
            var text = ""
            for k in 1...26 {
                for _ in 0..<perClass {
                    text += (0..<617).map { _ in String(format: "%.3f", g.uniform(-1, 1)) }.joined(separator: ", ") + ", \(k).\n"
                }
            }
            try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(RealDataProtocol(.fsa, .paper).datasets.map(\.name), ["car", "segmentation", "optdigits", "mfeat"])
        XCTAssert(RealDataSets.isoletNote.contains("ISOLET was skipped") && RealDataSets.isoletNote.contains("--isolet-dir"))
        RealDataSets.isoletDirectory = dir
        defer { RealDataSets.isoletDirectory = nil }
        XCTAssertEqual(RealDataProtocol(.fsa, .paper).datasets.last, RealDataSets.isolet)
        XCTAssert(RealDataProtocol(.fsa, .paper).grid().contains { $0.data.name == "isolet" })
        let (train, validation) = try DataSpec.fold("isolet", splitSeed: 1, folds: 5, repeatIndex: 0, fold: 2).load()
        XCTAssertEqual(train.featureCount, 617)
        // 12 rows per class, 2 of them to the test part: 10 × 26 train.
        XCTAssertEqual(train.count + validation.count, 260, "the 4:1 training part of 312 rows")
        XCTAssertEqual(train.task, .multiclass(classes: 26))
    }

    // MARK: Choices

    func testEquivalentWidthMatchesThePapersPrintedCounts() {
        // nsa Table 2: the sparse network's weights, then the equivalent dense network's width.
        let cases: [(RealDataSet, Int, Int)] = [(RealDataSets.car, 152, 6), (RealDataSets.segmentation, 364, 14),
                                               (RealDataSets.mfeat, 903, 4), (RealDataSets.isolet, 5801, 9)]
        for (set, weights, h) in cases {
            XCTAssertEqual(RealDataProtocol.equivalentWidth(weights: weights, p: set.p, classes: set.classes), h, set.name)
        }
        // Optdigits: 1952 weights are 26.4 widths of 74; the paper took 27 ("roughly"), nearest is 26.
        XCTAssertEqual(RealDataProtocol.equivalentWidth(weights: 1952, p: 64, classes: 10), 26)
        XCTAssertEqual(RealDataProtocol.equivalentWidth(weights: 3, p: 64, classes: 10), 1, "never a width of 0")
    }

    func testLevelsAreSparsestFirstAndCountWeightsAsThePapers() {
        let levels = SparseMethod.fsa.levels(RealDataSets.car, scale: .paper)
        XCTAssertEqual(levels.count, 12)
        XCTAssertEqual(levels.map(\.weights), levels.map(\.weights).sorted())
        // 8 nodes × 11 features of car: 11·8 + 8·4 = 120.
        XCTAssert(levels.contains { $0.method == .fsa(keepNodes: 8, keepFeatures: 11) && $0.weights == 120 })
        let cpna = SparseMethod.cpna.levels(RealDataSets.car, scale: .paper)
        XCTAssertEqual(cpna.first?.weights, 3 * 21 + 8 * 4)
        XCTAssertEqual(cpna.map(\.weights), cpna.map(\.weights).sorted())
    }

    private func result(_ accuracy: Double, diverged: Bool = false) -> StudyResult {
        let p = TrainingPoint(data: .named("car", splitSeed: 1), hidden: 4, initialization: 0, epochs: 1)
        var r = StudyResult(point: p, record: ["test_accuracy": JSONValue(accuracy)])
        if diverged { r.divergedAtEpoch = 3 }
        return r
    }

    func testBestSettingIsTheHighestMeanFirstOnATieAndNeverAFailedOne() {
        let chosen = RealDataProtocol.best([("a", [result(0.9), result(0.8)]), ("b", [result(0.85), result(0.85)]),
                                            ("c", [result(0.95), result(0.9)])], folds: 2)
        XCTAssertEqual(chosen?.0, "c")
        XCTAssertEqual(chosen!.mean, 0.925, accuracy: 1e-12)
        // A tie goes to the first (the smaller network).
        XCTAssertEqual(RealDataProtocol.best([("small", [result(1), result(1)]), ("large", [result(1), result(1)])], folds: 2)?.0,
                       "small")
        // A diverged fold, or a missing one, rules a setting out however good its mean.
        XCTAssertEqual(RealDataProtocol.best([("a", [result(0.7), result(0.7)]), ("b", [result(1), result(1, diverged: true)]),
                                              ("c", [result(1)])], folds: 2)?.0, "a")
        XCTAssertNil(RealDataProtocol.best([("a", [result(0.7)])], folds: 2))
    }

    // MARK: Verdicts

    private func row(_ set: RealDataSet, _ model: RealDataModel, _ best: Double) -> RealDataRow {
        RealDataRow(set: set, model: model, sparse: .fsa, setting: "", weights: "", cvMean: .nan, cvSD: .nan,
                    best: [best, best], final: [best, best])
    }

    private func table(_ values: [(RealDataSet, Double, Double, Double)]) -> [RealDataRow] {
        values.flatMap { set, nn, eq, sparse in [row(set, .nnBest, nn), row(set, .nnEquivalent, eq), row(set, .sparse, sparse)] }
    }

    func testTableVerdictPassesThePapersOwnNumbers() {
        let sets = RealDataSets.vendored + [RealDataSets.isolet]
        let paper = table(sets.map { ($0, $0.paperAccuracy[0] / 100, $0.paperAccuracy[1] / 100, $0.paperAccuracy[2] / 100) })
        let j = RealDataTable.judge(paper, sparse: .fsa)
        XCTAssertEqual(j.verdict, .reproduced, j.reason)
        XCTAssert(j.reason.contains("FSA+NSA above NN(equivalent): 5/5"), j.reason)
        XCTAssert(j.reason.contains("car: NN(best) 100.00 (paper 100.00)"), j.reason)
    }

    func testTableVerdictFailsWhenTheSparseNetworkLoses() {
        let s = RealDataSets.vendored
        // Below NN(equivalent) on one set: the first claim fails (it must hold on every set).
        let oneLoss = table([(s[0], 0.99, 0.98, 0.99), (s[1], 0.96, 0.95, 0.97), (s[2], 0.98, 0.97, 0.96),
                             (s[3], 0.97, 0.95, 0.98)])
        XCTAssertEqual(RealDataTable.judge(oneLoss, sparse: .fsa).verdict, .partly)
        // Below both everywhere: not reproduced.
        let allLoss = table(s.map { ($0, 0.99, 0.98, 0.90) })
        XCTAssertEqual(RealDataTable.judge(allLoss, sparse: .cpna).verdict, .notReproduced)
        // Nothing to compare: not comparable.
        XCTAssertEqual(RealDataTable.judge([], sparse: .fsa).verdict, .notComparable)
    }

    func testFig7VerdictAllowsOneCaseButNotTwo() {
        func rows(_ medians: [(String, Double, Double, Double)]) -> [NSAFig7.Row] {
            medians.flatMap { name, nn, eq, fsa -> [NSAFig7.Row] in
                let set = RealDataSets.vendored.first { $0.name == name }!
                return [(RealDataModel.nnBest, nn), (.nnEquivalent, eq), (.sparse, fsa)].map { m, x in
                    NSAFig7.Row(set: set, name: m.name(.fsa), model: m, losses: [x / 2, x, 2 * x])
                }
            }
        }
        let oneMiss = rows([("car", 0.01, 0.2, 0.005), ("segmentation", 0.05, 0.3, 0.06), ("optdigits", 0.02, 0.1, 0.01),
                            ("mfeat", 0.03, 0.4, 0.01)])
        let j = NSAFig7.judge(oneMiss)
        XCTAssertEqual(j.verdict, .reproduced, j.reason)
        XCTAssert(j.reason.contains("7/8") && j.reason.contains("segmentation vs NN(best)"), j.reason)
        let twoMisses = rows([("car", 0.01, 0.2, 0.05), ("segmentation", 0.05, 0.3, 0.06), ("optdigits", 0.02, 0.1, 0.01),
                              ("mfeat", 0.03, 0.4, 0.01)])
        XCTAssertEqual(NSAFig7.judge(twoMisses).verdict, .notReproduced)
    }

    // MARK: The studies

    func testTable2Fig7AndTable3AtQuickScale() throws {
        let dir = try temporaryDirectory()
        let options = StudyOptions(scale: .quick, threads: 2, resultsDir: dir, quiet: true)
        let q = RealDataProtocol(.fsa, .quick)
        for id in ["nsa/table2", "nsa/fig7", "cpna/table3"] {
            for s in try StudyRegistry.select(id) { try StudyRegistry.run(s, options: options) }
        }

        // One results file for all three: the dense grid search ran once.
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/nsa/fig7.jsonl"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/cpna/table3.jsonl"))
        let records = try lines(dir + "/nsa/table2.jsonl").map { try JSONValue.parse($0).object! }
        let grid = q.hiddenGrid.count * q.weightDecayGrid.count * q.batchGrid.count * q.folds * q.repeats
        let folds = records.filter { $0["fold"] != nil }
        let levels = SparseMethod.fsa.levels(RealDataSets.car, scale: .quick).count
            + SparseMethod.cpna.levels(RealDataSets.car, scale: .quick).count
        XCTAssertEqual(folds.count, grid + levels * q.folds * q.repeats, "dense grid once, then each method's levels")
        XCTAssertEqual(Set(records.compactMap { $0["key"]?.string }).count, records.count, "no training twice")
        // The retrainings on the whole training part: traced, so their best epoch is known.
        let retrained = records.filter { $0["fold"] == nil && ($0["init"]?.int ?? 99) < q.retrains }
        XCTAssertFalse(retrained.isEmpty)
        for r in retrained { XCTAssertEqual(r["trace"]?.array?.count, q.epochs, "retrainings record every epoch") }

        // Table 2: the three networks, the best epoch never below the last, NN(equivalent) sized from the sparse one.
        for (path, sparse) in [("/nsa/table2.csv", "FSA+NSA"), ("/cpna/table3.csv", "NN+CPNA")] {
            let rows = try csvRows(dir + path)
            XCTAssertEqual(rows.map { $0["network"]! }, ["NN(best)", "NN(equivalent)", sparse])
            for r in rows {
                XCTAssertGreaterThanOrEqual(Double(r["test_accuracy_best_epoch"]!)!, Double(r["test_accuracy_final"]!)!)
                XCTAssertEqual(r["runs"], String(q.retrains))
            }
            let weights = Int(rows[2]["weights"]!.split(separator: "=").last!.trimmingCharacters(in: .whitespaces))!
            let h = RealDataProtocol.equivalentWidth(weights: weights, p: 21, classes: 4)
            XCTAssert(rows[1]["setting"]!.hasPrefix("h=\(h) "), "NN(equivalent) \(rows[1]["setting"]!) for \(weights) weights")
            XCTAssertEqual(rows[0]["paper_test_accuracy"], "100")
        }
        // Fig. 7: every network's sorted losses, first retrainings shared with Table 2.
        let fig7 = try csvRows(dir + "/nsa/fig7.csv")
        XCTAssertEqual(fig7.count, 3)
        for r in fig7 {
            XCTAssertEqual(r["runs"], String(NSAFig7.inits(.quick)))
            let losses = r["sorted_losses"]!.split(separator: " ").map { Double($0)! }
            XCTAssertEqual(losses, losses.sorted())
        }
        let svg = try String(contentsOfFile: dir + "/nsa/fig7.svg", encoding: .utf8)
        XCTAssert(svg.contains("<svg") && (svg.contains("<polyline") || svg.contains("<path")), "fig7.svg draws nothing")
        let report = try String(contentsOfFile: dir + "/nsa/REPORT.md", encoding: .utf8)
        XCTAssert(report.contains("<!-- begin table2 -->") && report.contains("98.23±0.06") && report.contains("ISOLET was skipped"), report)

        // A second run resumes everything: no line is added.
        let before = try lines(dir + "/nsa/table2.jsonl").count
        for s in try StudyRegistry.select("nsa/table2") { try StudyRegistry.run(s, options: options) }
        XCTAssertEqual(try lines(dir + "/nsa/table2.jsonl").count, before)
    }
}
