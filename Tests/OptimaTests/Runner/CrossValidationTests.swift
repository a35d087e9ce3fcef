import Foundation
import XCTest
@testable import Optima

/// Cross-validated grid search: the folds, the scaling per fold, the grid, resuming, the
/// setting it picks; and the user's own test file (--test-data).
final class CrossValidationTests: ScratchTestCase {
    private func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    /// Three classes of 50, 20 and 7 rows; feature 0 is the row number.
    private func threeClasses() -> Dataset {
        let labels = [Int](repeating: 0, count: 50) + [Int](repeating: 1, count: 20) + [Int](repeating: 2, count: 7)
        return Dataset(name: "three", features: labels.indices.map { Float($0) }, targets: labels.map(Float.init),
                       count: labels.count, featureCount: 1, task: .multiclass(classes: 3))
    }

    func testStratifiedFoldsPartitionTheRowsAndKeepClassProportions() throws {
        let d = threeClasses()
        let splits = try Folds.splits(d, folds: 5, repeats: 3, seed: 11)
        XCTAssertEqual(splits.count, 15)
        for r in 0..<3 {
            let mine = splits.filter { $0.repeatIndex == r }
            XCTAssertEqual(mine.map(\.fold), [0, 1, 2, 3, 4])
            // The validation folds partition the rows exactly, and each training part is the rest.
            XCTAssertEqual(mine.flatMap(\.validation).sorted(), Array(0..<d.count))
            for s in mine {
                XCTAssertEqual(Set(s.train).union(s.validation).count, d.count)
                XCTAssertTrue(Set(s.train).isDisjoint(with: s.validation))
                // Every class in proportion: 50/5 = 10 exactly, 20/5 = 4 exactly, 7/5 within one.
                let counts = [0, 1, 2].map { c in s.validation.filter { Int(d.targets[$0]) == c }.count }
                XCTAssertEqual(counts[0], 10)
                XCTAssertEqual(counts[1], 4)
                XCTAssertTrue((1...2).contains(counts[2]), "\(counts)")
            }
        }
        // The repeats draw different folds, and the same seed draws the same ones again.
        XCTAssertNotEqual(splits[0].validation, splits[5].validation)
        XCTAssertEqual(try Folds.splits(d, folds: 5, repeats: 3, seed: 11), splits)
    }

    func testFoldsThatCannotHoldEveryClassAreRefused() {
        let d = threeClasses()
        XCTAssertThrowsError(try Folds.splits(d, folds: 1, repeats: 1, seed: 1)) { e in
            XCTAssertTrue("\(e)".contains("at least 2"), "\(e)")
        }
        // 77 rows in 26 folds: 2 rows a fold, fewer than the 3 classes.
        XCTAssertThrowsError(try Folds.splits(d, folds: 26, repeats: 1, seed: 1)) { e in
            XCTAssertTrue("\(e)".contains("fewer than the 3 classes"), "\(e)")
        }
        XCTAssertNoThrow(try Folds.splits(d, folds: 25, repeats: 1, seed: 1))
        XCTAssertThrowsError(try Folds.splits(d, folds: 5, repeats: 0, seed: 1))
    }

    /// One far value: scaled with the training fold's range it lies beyond 1 in its validation
    /// fold. Fitted on all rows it would be exactly 1, and the training fold would not reach 1.
    func testScalingIsFittedOnTheTrainingFoldOnly() throws {
        var d = threeClasses()
        d.features[3] = 1000
        let splits = try Folds.splits(d, folds: 5, repeats: 1, seed: 3)
        let held = try XCTUnwrap(splits.first { $0.validation.contains(3) })
        let (train, validation) = Folds.foldData(d, held, scaling: .minMax, inputScale: 1)
        XCTAssertEqual(train.features.min(), -1)
        XCTAssertEqual(train.features.max(), 1)
        let far = try XCTUnwrap(held.validation.firstIndex(of: 3))
        XCTAssertGreaterThan(validation.features[far], 10)
        // Where the far row trains, it sets the top of the range.
        let other = try XCTUnwrap(splits.first { $0.train.contains(3) })
        let (t2, _) = Folds.foldData(d, other, scaling: .minMax, inputScale: 1)
        XCTAssertEqual(t2.features[try XCTUnwrap(other.train.firstIndex(of: 3))], 1)
    }

    func testGridExpandsToEveryCombinationFirstAxisSlowest() {
        let grid = CrossValidation.expand([GridAxis(name: "hidden", values: ["16", "32"]),
                                           GridAxis(name: "wd", values: ["1e-4", "1e-3", "1e-2"])])
        XCTAssertEqual(grid.map(\.label), ["hidden=16 wd=1e-4", "hidden=16 wd=1e-3", "hidden=16 wd=1e-2",
                                           "hidden=32 wd=1e-4", "hidden=32 wd=1e-3", "hidden=32 wd=1e-2"])
        XCTAssertEqual(grid[4]["wd"], "1e-3")
        XCTAssertEqual(CrossValidation.expand([]).map(\.label), ["default"])
        XCTAssertEqual(CrossValidation.expand([GridAxis(name: "a", values: ["1"]), GridAxis(name: "b", values: ["2", "3"]),
                                               GridAxis(name: "c", values: ["4", "5"])]).count, 4)
    }

    /// 2-D XOR: one hidden node cannot separate it, 32 can; the search must pick 32.
    private func xorJobs(_ data: Dataset, _ splits: [FoldSplit], grid: [GridSetting]) -> [ExperimentJob] {
        CrossValidation.jobs(settings: grid, configuration: { "xor-test|\(grid[$0].label)" }, data: data, splits: splits,
                             scaling: .none, inputScale: 1) { i, train, validation, split in
            var r = Recipe.nsa
            r.hidden = [Int(grid[i]["hidden"]!)!]
            r.training.epochs = 40
            r.training.batchSize = 16
            r.training.optimizer.learningRate = 0.01
            r.seed = CrossValidation.trainingSeed(split, base: 5)
            r.training.seed = r.seed
            return r.run(train: train, test: validation)
        }
    }

    func testPicksTheSettingThatMustWinAndResumesToTheSameNumbers() throws {
        let data = try XORData.make(k: 2, p: 2, n: 240)
        let grid = CrossValidation.expand([GridAxis(name: "hidden", values: ["1", "32"])])
        let splits = try Folds.splits(data, folds: 3, repeats: 2, seed: 1)
        let full = try ExperimentRunner.run(xorJobs(data, splits, grid: grid),
                                            options: RunnerOptions(resultsPath: path("full.jsonl"), threads: 2, quiet: true))
        XCTAssertEqual(full.count, 12)
        let summary = CrossValidation.summarize(full, settings: grid, metric: .auc)
        XCTAssertEqual(summary.best, 1, "\(summary.rows.map { ($0.setting.label, $0.mean) })")
        XCTAssertGreaterThan(summary.rows[1].mean, 0.95)
        XCTAssertLessThan(summary.rows[0].mean, 0.9)
        XCTAssertEqual(summary.rows.map(\.scored), [6, 6])

        // Killed after five trainings, mid-way through writing the sixth: the rerun gives the same scores.
        let lines = try String(contentsOfFile: path("full.jsonl"), encoding: .utf8).split(separator: "\n")
        let cut = lines.prefix(5).joined(separator: "\n") + "\n" + lines[5].prefix(30)
        try cut.write(toFile: path("killed.jsonl"), atomically: true, encoding: .utf8)
        let resumed = try ExperimentRunner.run(xorJobs(data, splits, grid: grid),
                                               options: RunnerOptions(resultsPath: path("killed.jsonl"), threads: 1, quiet: true))
        XCTAssertEqual(resumed.map { $0["key"] }, full.map { $0["key"] })
        XCTAssertEqual(resumed.map { $0["score"] }, full.map { $0["score"] })
        XCTAssertEqual(resumed.map { $0["train_loss"] }, full.map { $0["train_loss"] })
        XCTAssertEqual(try ResultLog.load(path: path("killed.jsonl")).count, 12)

        // The table and the plot.
        XCTAssertEqual(summary.csv.header, ["hidden", "mean_auc", "sd", "folds", "diverged", "mean_accuracy", "sd_accuracy"])
        // Binary data: the accuracy beside the AUC, the mean of the folds' own accuracies.
        let accuracies = full.filter { $0["setting"]?.int == 1 }.compactMap { $0["test_accuracy"]?.double }
        XCTAssertEqual(accuracies.count, 6)
        XCTAssertEqual(summary.rows[1].accuracy!.mean, accuracies.reduce(0, +) / 6, accuracy: 1e-12)
        XCTAssertGreaterThan(summary.rows[1].accuracy!.mean, 0.9)
        XCTAssertNil(CrossValidation.summarize(full, settings: grid, metric: .accuracy).rows[1].accuracy)
        XCTAssertEqual(summary.csv.rows.count, 2)
        XCTAssertTrue(CrossValidation.plot(summary, title: "t").render().hasPrefix("<svg") ||
                      CrossValidation.plot(summary, title: "t").render().contains("<svg"))
    }

    // MARK: --test-data

    func testUserTestFileIsEncodedWithTheTrainingFileAndScaledByIt() throws {
        let train = try write("train.csv", "a,colour,y\n0,red,yes\n10,blue,no\n5,red,no\n2,blue,yes\n")
        let test = try write("test.csv", "a,colour,y\n20,blue,yes\n5,red,no\n")
        var o = DataOptions()
        o.testFile = test
        let (a, b) = try DataSource.load(train, options: o)
        XCTAssertEqual(a.count, 4, "every training row trains")
        XCTAssertEqual(b.count, 2)
        XCTAssertEqual(a.featureNames, b.featureNames)
        XCTAssertEqual(a.classNames, b.classNames)
        // a: min-max over the training rows 0...10, so the test's 20 lies at 3.
        XCTAssertEqual(b.features[0], 3)
        XCTAssertEqual(b.classNames[Int(b.targets[0])], "yes")
        XCTAssertEqual(b.classNames[Int(b.targets[1])], "no")
    }

    func testUserTestFileWithSeparateLabels() throws {
        let train = try write("m_train.data", "1 2 3\n4 5 6\n7 8 9\n1 1 1\n")
        let labels = try write("m_train.labels", "-1\n1\n1\n-1\n")
        let test = try write("m_valid.data", "2 2 2\n9 9 9\n")
        let testLabels = try write("m_valid.labels", "1\n-1\n")
        var o = DataOptions()
        o.labelsFile = labels
        o.testFile = test
        o.testLabelsFile = testLabels
        let (a, b) = try DataSource.load(train, options: o)
        XCTAssertEqual([a.count, a.featureCount, b.count, b.featureCount], [4, 3, 2, 3])
        XCTAssertEqual(b.targets, [1, 0])
    }

    func testUserTestFileErrors() throws {
        let train = try write("tr.csv", "a,b,y\n0,1,x\n1,0,z\n2,2,x\n")
        func error(_ edit: (inout DataOptions) throws -> Void, spec: String? = nil) throws -> String {
            var o = DataOptions()
            try edit(&o)
            do {
                _ = try DataSource.load(spec ?? train, options: o)
                return "no error"
            } catch let e as DataError { return "\(e)" } catch let e as SettingsError { return "\(e)" }
        }
        let wide = try write("wide.csv", "a,b,c,y\n0,1,2,x\n")
        // The test file is encoded with the training file's layout, as predict encodes new rows.
        let w = try error { $0.testFile = wide }
        XCTAssertTrue(w.contains("extra column 'c'") && w.contains("wide.csv:1"), w)
        let newClass = try write("new.csv", "a,b,y\n0,1,x\n1,1,w\n")
        let e = try error { $0.testFile = newClass }
        XCTAssertTrue(e.contains("class 'w' in column 'y' is not one of the model's classes") && e.contains("new.csv:3"), e)
        let unlabelled = try write("nolabel.csv", "a,b\n0,1\n")
        let u = try error { $0.testFile = unlabelled }
        XCTAssertTrue(u.contains("no label column 'y'") && u.contains("nolabel.csv"), u)
        // A category the training file never had is an error, not a new one-hot column.
        let catTrain = try write("ctr.csv", "a,c,y\n0,red,x\n1,blue,z\n2,red,x\n")
        let catTest = try write("cte.csv", "a,c,y\n0,red,x\n1,green,z\n")
        let c = try error({ $0.testFile = catTest }, spec: catTrain)
        XCTAssertTrue(c.contains("value 'green' in column 'c' never occurred in the training data") && c.contains("cte.csv:3"), c)
        XCTAssertTrue(try error { $0.testLabelsFile = newClass }.contains("needs --test-data"))
        XCTAssertTrue(try error { $0.testFile = newClass; $0.testLabelsFile = newClass }.contains("goes with --labels"))
        XCTAssertTrue(try error({ $0.testFile = newClass }, spec: "car").contains("not the built-in set 'car'"))
        XCTAssertTrue(try error { $0.testFile = self.path("missing.csv") }.contains("no such file"))
        XCTAssertEqual(try error { $0.testFile = train }, "no error")
    }
}
