import XCTest
@testable import Optima

/// The held-out check of `optima select`'s borderline features: which features it tries, the
/// rule that adds or removes one, its records, and the check end to end on data where a weak
/// relevant column sits below the threshold and a noise column above it.
final class HeldOutCheckTests: XCTestCase {
    /// A table as stability selection leaves it: `selected` at frequency 1 unless `frequency`
    /// says otherwise, every other feature at its given frequency or 0.
    private func table(features p: Int, selected: Set<Int>, frequency: [Int: Double]) -> [FeatureStability] {
        let runs = 20
        let freq = (0..<p).map { frequency[$0] ?? (selected.contains($0) ? 1 : 0) }
        let ranked = (0..<p).sorted { (freq[$0], -$0) > (freq[$1], -$1) }
        return (0..<p).map { f in
            FeatureStability(feature: f, name: "x\(f)", rank: ranked.firstIndex(of: f)! + 1,
                             frequency: (freq[f] * Double(runs)).rounded() / Double(runs), norm: freq[f],
                             selected: selected.contains(f), explained: nil)
        }
    }

    func testDecideAddsClearGainsAndRemovesFeaturesTheLossDoesNotMiss() {
        let check = HeldOutCheck()   // gains 0.1 (add) and 0.05 (remove)
        let trials = [
            HeldOutTrial(.base, heldOutLoss: 2),
            HeldOutTrial(.add, feature: 3, heldOutLoss: 1.7),       // 0.85 of the base: added
            HeldOutTrial(.add, feature: 4, heldOutLoss: 1.8),       // exactly 0.9: not enough
            HeldOutTrial(.add, feature: 5, heldOutLoss: 1.9),       // 0.95: noise
            HeldOutTrial(.add, feature: 6, heldOutLoss: .infinity), // diverged
            HeldOutTrial(.remove, feature: 1, heldOutLoss: 1.8),    // 0.9: removed
            HeldOutTrial(.remove, feature: 0, heldOutLoss: 1.9),    // exactly 0.95: kept
            HeldOutTrial(.remove, feature: 7, heldOutLoss: 1.98),   // 0.99: kept
            HeldOutTrial(.remove, feature: 2, heldOutLoss: 2.4),    // 1.2: kept
        ]
        let (added, removed) = check.decide(trials)
        XCTAssertEqual(added, [3])
        XCTAssertEqual(removed, [1])
        // Near a loss of zero a share is no evidence: 0.75 of 0.02 is a drop of 0.005 < 0.05.
        let nearZero = [HeldOutTrial(.base, heldOutLoss: 0.02), HeldOutTrial(.add, feature: 3, heldOutLoss: 0.015),
                        HeldOutTrial(.add, feature: 4, heldOutLoss: 0.0)]
        XCTAssertEqual(check.decide(nearZero).added, [])
        let large = [HeldOutTrial(.base, heldOutLoss: 0.4), HeldOutTrial(.add, feature: 3, heldOutLoss: 0.345),
                     HeldOutTrial(.add, feature: 4, heldOutLoss: 0.355)]
        XCTAssertEqual(check.decide(large).added, [3], "0.345: both 0.86 of the base and 0.055 below it; 0.355 only 0.045")
        // Without a finite base, nothing changes.
        XCTAssertTrue(check.decide([HeldOutTrial(.base, heldOutLoss: .infinity)] + trials.dropFirst()) == ([], []))
        XCTAssertTrue(check.decide(Array(trials.dropFirst())) == ([], []))
    }

    /// Additions: unkept features at or above the floor, best-ranked first, at most N.
    /// Removals: selected features below the ceiling that the other kept ones do not explain.
    func testTrialsTryFrequentUnkeptFeaturesAndUncertainSelectedOnes() {
        var g = Xoshiro256(seed: 3, stream: 2)
        let n = 400, p = 8
        var x = [Float](repeating: 0, count: n * p)
        for r in 0..<n {
            for c in 0..<p { x[r * p + c] = Float(g.normal()) }
            x[r * p + 2] = x[r * p + 0] - x[r * p + 1]   // 2 is a linear copy of 0 and 1
        }
        let d = Dataset(name: "t", features: x, targets: [Float](repeating: 0, count: n), count: n, featureCount: p,
                        task: .binary)
        var check = HeldOutCheck()
        check.maxAdditions = 2
        // Selected: 0 (certain), 1 and 2 (uncertain, but each the other two's copy), 3 (uncertain).
        // Unkept: 4 at 0.5, 5 at 0.45, 6 at 0.4 (a third addition, over the limit), 7 below the floor.
        let t = table(features: p, selected: [0, 1, 2, 3],
                      frequency: [1: 0.7, 2: 0.65, 3: 0.6, 4: 0.5, 5: 0.45, 6: 0.4, 7: 0.25])
        let tries = check.trials(t, data: d, copies: RedundancySettings())
        XCTAssertEqual(tries[.add], [4, 5])
        XCTAssertEqual(tries[.remove], [3])
        // Without the copies rule every uncertain selected feature is tried.
        var noCopies = RedundancySettings()
        noCopies.enabled = false
        XCTAssertEqual(check.trials(t, data: d, copies: noCopies)[.remove], [1, 2, 3])
        // What the tuning's other candidates selected is tried first, below the floor and the
        // limit too; a kept feature is never an addition.
        XCTAssertEqual(check.trials(t, data: d, copies: RedundancySettings(), alsoTried: [7, 0, 5])[.add], [5, 7, 4, 6])
        check.additionFloor = 0.42
        XCTAssertEqual(check.trials(t, data: d, copies: RedundancySettings())[.add], [4, 5])
        check.additionFloor = 0.46
        XCTAssertEqual(check.trials(t, data: d, copies: RedundancySettings())[.add], [4])
    }

    func testMarksChangeWhatIsKept() {
        let t = table(features: 5, selected: [0, 1], frequency: [2: 0.5])
        let m = HeldOutCheck().marked(t, added: [2], removed: [1])
        XCTAssertEqual(StabilitySelection.kept(t), [0, 1])
        XCTAssertEqual(StabilitySelection.kept(m), [0, 2])
        XCTAssertEqual(m.map(\.heldOut), [nil, .removed, .added, nil, nil])
        XCTAssertEqual(m.map(\.selected), t.map(\.selected), "the selection itself is left as it was")
    }

    func testRecordsReadBackAndAreChecked() {
        for t in [HeldOutTrial(.base, heldOutLoss: 0.5), HeldOutTrial(.add, feature: 7, heldOutLoss: 0.25),
                  HeldOutTrial(.remove, feature: 0, heldOutLoss: 1)] {
            XCTAssertEqual(HeldOutTrial(record: t.record), t)
        }
        XCTAssertEqual(HeldOutTrial(.add, feature: 7, heldOutLoss: 0.25).key, "add=7")
        XCTAssertEqual(HeldOutTrial(.base, heldOutLoss: 0.5).key, "base")
        // A base naming a feature, a change without one, or an unknown change does not read.
        XCTAssertNil(HeldOutTrial(record: ["change": .string("base"), "feature": JSONValue(1), "held_out_loss": JSONValue(0.5)]))
        XCTAssertNil(HeldOutTrial(record: ["change": .string("add"), "held_out_loss": JSONValue(0.5)]))
        XCTAssertNil(HeldOutTrial(record: ["change": .string("swap"), "feature": JSONValue(1), "held_out_loss": JSONValue(0.5)]))
        XCTAssertNil(HeldOutTrial(record: ["change": .string("add"), "feature": JSONValue(1), "held_out_loss": JSONValue(-1)]))
    }

    /// Friedman #1 on 10 columns: the selection (given by hand) kept x1–x4 and the noise
    /// column 5 at 0.65, and left the 5·x5 term's column (4) and noise column 6 at 0.5. The
    /// check's networks, trained on the fit rows and scored on the held-out ones, add 4,
    /// remove 5 and leave 6 out.
    func testCheckAddsTheWeakRelevantColumnAndRemovesTheNoiseOne() throws {
        let raw = friedmanOne(rows: 800, features: 10, noise: 0.5, seed: 11)
        let data = TargetScaling.standardize(fittedOn: raw).apply(raw)
        let procedure = SelectionProcedure()
        let t = table(features: 10, selected: [0, 1, 2, 3, 5], frequency: [5: 0.65, 4: 0.5, 6: 0.5, 7: 0.3])
        let stage = procedure.checkStage(data, parts: procedure.tuning.parts(data, seed: procedure.run.seed), table: t,
                                         runsIdentity: "test")
        XCTAssertEqual(stage.jobs.map(\.key), ["base", "add=4", "add=6", "add=7", "remove=5"])
        let trials = try stage.read(try InMemoryStages().run(stage), as: HeldOutTrial.init(record:))
        let base = trials[0].heldOutLoss
        let ratio = Dictionary(uniqueKeysWithValues: trials.dropFirst().map { ($0.key, $0.heldOutLoss / base) })
        let (added, removed) = procedure.heldOutCheck.decide(trials)
        XCTAssertEqual(added, [4], "\(ratio)")
        XCTAssertEqual(removed, [5], "\(ratio)")
        XCTAssertLessThan(ratio["add=4"]!, 0.7, "x5 carries a clear share of the target")
        XCTAssertGreaterThan(ratio["add=6"]!, 0.95)
    }
}
