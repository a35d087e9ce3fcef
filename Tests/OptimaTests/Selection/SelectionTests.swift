import Foundation
import XCTest
@testable import Optima

/// Stability selection and its data: the generated MADELON-like set, the frequencies and
/// ranks, the q rule, the path-norm ranking, a selection that must find XOR's features,
/// and `optima select` end to end (same seed, same files; bad input, exit 2).
final class SelectionTests: ScratchTestCase {
    // MARK: the generated data

    func testHypercubeLabelsAreTheParityOfTheInformativeFeaturesAndNothingElse() throws {
        var s = HypercubeSettings()
        (s.informative, s.redundant, s.features, s.rows, s.testRows) = (3, 4, 60, 800, 100)
        let (train, test, informative, redundant) = try HypercubeData.make(s)
        XCTAssertEqual(train.featureCount, 60)
        XCTAssertEqual(test.count, 100)
        XCTAssertEqual(informative.count, 3)
        XCTAssertEqual(redundant.count, 4)
        XCTAssertTrue(Set(informative).isDisjoint(with: redundant))
        // Columns are shuffled: the relevant ones are not simply the first.
        XCTAssertNotEqual(informative + redundant, Array(0..<7))

        // Each informative column is v*scale + shift + noise; its training median splits the
        // vertices' -1 from +1, so the parity of the three signs gives the label on most rows.
        func median(_ c: Int) -> Float { (0..<train.count).map { train.features[$0 * 60 + c] }.sorted()[train.count / 2] }
        let mids = informative.map(median)
        var agree = 0
        for r in 0..<train.count {
            var positive = true
            for (c, m) in zip(informative, mids) where train.features[r * 60 + c] < m { positive.toggle() }
            // The affine map may flip a column's sign; parity then flips for the whole set.
            if (positive ? 1 : 0) == Int(train.targets[r]) { agree += 1 }
        }
        let share = Double(agree) / Double(train.count)
        XCTAssertGreaterThan(max(share, 1 - share), 0.9, "the informative features' parity is the label")

        // No single column says anything: every column's correlation with the label is small.
        for c in 0..<60 {
            let xs = (0..<train.count).map { Double(train.features[$0 * 60 + c]) }, ys = train.targets.map(Double.init)
            let mx = xs.reduce(0, +) / Double(xs.count), my = ys.reduce(0, +) / Double(ys.count)
            let cov = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
            let sx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }.squareRoot()
            let sy = ys.reduce(0) { $0 + ($1 - my) * ($1 - my) }.squareRoot()
            XCTAssertLessThan(abs(cov / (sx * sy)), 0.15, "column \(c)")
        }

        // The same settings give the same data; another seed other data.
        XCTAssertEqual(try HypercubeData.make(s).train.features, train.features)
        s.seed += 1
        XCTAssertNotEqual(try HypercubeData.make(s).train.features, train.features)
    }

    /// MADELON's design: each vertex's rows share one class, half the vertices are class 1,
    /// and the parity data is what it was before the option existed.
    func testHypercubeRandomVertexLabelsDealHalfTheVerticesToEachClass() throws {
        var s = HypercubeSettings()
        (s.informative, s.redundant, s.features, s.rows, s.testRows) = (4, 2, 20, 1600, 10)
        let parity = try HypercubeData.make(s)
        s.labels = .random
        let (train, _, informative, _) = try HypercubeData.make(s)
        XCTAssertEqual(train.features, parity.train.features, "only the labels change")
        XCTAssertNotEqual(train.targets, parity.train.targets)
        // A row's vertex: the side of each informative column's mean. Its two modes hold about
        // half the rows each, so the mean lies in the gap between them (the median need not:
        // with 768 rows in one mode and 832 in the other it falls inside the larger).
        func mean(_ c: Int) -> Float { (0..<train.count).map { train.features[$0 * 20 + c] }.reduce(0, +) / Float(train.count) }
        let mids = informative.map(mean)
        var ones = [Int](repeating: 0, count: 16), rows = [Int](repeating: 0, count: 16)
        for r in 0..<train.count {
            var v = 0
            for (j, (c, m)) in zip(informative, mids).enumerated() where train.features[r * 20 + c] > m { v |= 1 << j }
            rows[v] += 1
            ones[v] += Int(train.targets[r])
        }
        // Points lie 1/0.3 standard deviations from the midpoint: nearly every row is on its vertex's side.
        let pure = zip(ones, rows).filter { Double(min($0, $1 - $0)) <= 0.02 * Double($1) }.count
        XCTAssertEqual(pure, 16, "every vertex holds one class: \(ones) of \(rows)")
        XCTAssertEqual(zip(ones, rows).filter { Double($0) > 0.5 * Double($1) }.count, 8, "half the vertices are class 1")
    }

    func testHypercubeRefusesImpossibleSettings() {
        var s = HypercubeSettings()
        s.features = 5
        XCTAssertThrowsError(try HypercubeData.make(s))
        s = HypercubeSettings()
        s.informative = 0
        XCTAssertThrowsError(try HypercubeData.make(s))
    }

    // MARK: frequencies, ranks, the rule for q

    func testFrequenciesRanksAndThreshold() {
        let runs = [SelectionRun(kept: [0, 2], norms: [1.0, 0.5]),
                    SelectionRun(kept: [0, 1], norms: [3.0, 0.2]),
                    SelectionRun(kept: [0, 2], norms: [2.0, 1.5]),
                    SelectionRun(kept: [], norms: [])]
        let t = StabilitySelection.summarize(runs, names: ["a", "b", "c", "d"], threshold: 0.5)
        XCTAssertEqual(t.map(\.frequency), [0.75, 0.25, 0.5, 0])
        XCTAssertEqual(t.map(\.rank), [1, 3, 2, 4])
        XCTAssertEqual(t[0].norm, 6.0 / 4, accuracy: 1e-12)
        XCTAssertEqual(t[2].norm, 2.0 / 4, accuracy: 1e-12)
        XCTAssertEqual(t.map(\.selected), [true, false, true, false])
        XCTAssertEqual(StabilitySelection.kept(t), [0, 2])
        // Nothing reaches the threshold: the top-ranked feature stays, so the final network has an input.
        XCTAssertEqual(StabilitySelection.kept(StabilitySelection.summarize(runs, names: ["a", "b", "c", "d"],
                                                                                threshold: 0.9)), [0])
        // Equal frequencies are ranked by norm.
        let tie = StabilitySelection.summarize([SelectionRun(kept: [0, 1], norms: [0.1, 0.9])], names: ["a", "b"],
                                               threshold: 0.6)
        XCTAssertEqual(tie.map(\.rank), [2, 1])
        // A run's record reads back as the run.
        XCTAssertEqual(SelectionRun(record: runs[0].record), runs[0])
    }

    /// R² by hand: b = (1, -1, 1, -1) on a = (1, 2, 3, 4) has covariance -2, variances 5 and 4,
    /// so R² = 4 / 20 = 0.2; 2a + 3 is a copy (1); a constant column has nothing to explain (0);
    /// a core holding a column twice still solves.
    func testLinearRedundancyMatchesHandComputedR2() {
        let a: [Float] = [1, 2, 3, 4], b: [Float] = [1, -1, 1, -1]
        var x: [Float] = []
        for r in 0..<4 { x += [a[r], b[r], 2 * a[r] + 3, 7, a[r]] }
        let d = Dataset(name: "t", features: x, targets: [0, 1, 0, 1], count: 4, featureCount: 5, task: .binary)
        let r2 = LinearRedundancy.explained(d, by: [0])
        XCTAssertEqual(r2[0], 1)
        XCTAssertEqual(r2[1], 0.2, accuracy: 1e-9)
        XCTAssertEqual(r2[2], 1, accuracy: 1e-6)
        XCTAssertEqual(r2[3], 0)
        XCTAssertEqual(LinearRedundancy.explained(d, by: [0, 4])[1], 0.2, accuracy: 1e-6)
        // Two columns explain b exactly once b itself is among them.
        XCTAssertEqual(LinearRedundancy.explained(d, by: [0, 1])[1], 1)
        XCTAssertEqual(LinearRedundancy.copies(d, of: [0], minimum: 0.5), [2, 4])
        XCTAssertEqual(LinearRedundancy.copies(d, of: [0], minimum: 0.1), [1, 2, 4])
        // The fit of chosen columns alone gives the same numbers, a core column 1.
        XCTAssertEqual(LinearRedundancy.explained(d, columns: [3, 1, 0], by: [0]), [r2[3], r2[1], 1])
    }

    /// On random columns, fitting a few columns alone gives exactly the numbers of the fit of
    /// every column (the held-out check asks for one column at a time).
    func testExplainedForChosenColumnsIsTheWholeFitsNumbers() {
        var g = Xoshiro256(seed: 9, stream: 1)
        let n = 50, p = 12
        var x = (0..<(n * p)).map { _ in Float(g.normal()) }
        for r in 0..<n { x[r * p + 5] = x[r * p + 1] - 0.5 * x[r * p + 2] + 0.1 * x[r * p + 7] }
        let d = Dataset(name: "t", features: x, targets: [Float](repeating: 0, count: n), count: n, featureCount: p,
                        task: .binary)
        let core = [2, 1, 9], all = LinearRedundancy.explained(d, by: core)
        for columns in [[5], [0, 11, 5], [9, 3]] {
            XCTAssertEqual(LinearRedundancy.explained(d, columns: columns, by: core), columns.map { all[$0] })
        }
        XCTAssertGreaterThan(all[5], 0.9)
    }

    /// Copies of the selected columns are kept and marked; noise columns are not, and a
    /// table without a selected feature is left as it is.
    func testCompletionKeepsLinearCopiesOnly() {
        var g = Xoshiro256(seed: 5, stream: 1)
        let n = 500, p = 6
        var x = [Float](repeating: 0, count: n * p)
        for r in 0..<n {
            let u = Float(g.normal()), v = Float(g.normal())
            // 0, 1 informative; 2 = u - 2v, 3 = 0.5u + small noise: copies; 4, 5 noise.
            x[r * p ..< r * p + p] = [u, v, u - 2 * v, 0.5 * u + 0.05 * Float(g.normal()), Float(g.normal()), Float(g.normal())]
        }
        let d = Dataset(name: "t", features: x, targets: [Float](repeating: 0, count: n), count: n, featureCount: p,
                        task: .binary)
        let runs = [SelectionRun(kept: [0, 1, 4], norms: [1, 1, 1]), SelectionRun(kept: [0, 1, 5], norms: [1, 1, 1])]
        let t = StabilitySelection.completed(StabilitySelection.summarize(runs, names: d.featureNames, threshold: 0.6),
                                             data: d, minimum: 0.5)
        XCTAssertEqual(t.map(\.selected), [true, true, false, false, false, false])
        XCTAssertEqual(t.map(\.redundant), [false, false, true, true, false, false])
        XCTAssertEqual(StabilitySelection.kept(t), [0, 1, 2, 3])
        XCTAssertLessThan(t[4].explained!, 0.05)
        XCTAssertGreaterThan(t[3].explained!, 0.95)
        let none = StabilitySelection.summarize(runs, names: d.featureNames, threshold: 1.1)
        XCTAssertEqual(StabilitySelection.completed(none, data: d, minimum: 0.5), none)
    }

    func testRunFeaturesRule() {
        var s = StabilitySettings()
        XCTAssertEqual(s.runFeatures(features: 500), 44)   // ⌊2·√500⌋
        XCTAssertEqual(s.runFeatures(features: 15), 7)
        XCTAssertEqual(s.runFeatures(features: 1), 1)
        s.runFeatures = 30
        XCTAssertEqual(s.runFeatures(features: 500), 30)
        XCTAssertEqual(s.runFeatures(features: 10), 10)
    }

    func testSubsamplesAreStratifiedAndSeeded() {
        let labels = (0..<100).map { $0 < 70 ? 0 : 1 }
        let d = Dataset(name: "t", features: (0..<100).map(Float.init), targets: labels.map(Float.init), count: 100,
                        featureCount: 1, task: .binary)
        let a = StabilitySelection.sample(d, fraction: 0.8, seed: 3)
        XCTAssertEqual(a.count, 80)
        XCTAssertEqual(a.filter { $0 >= 70 }.count, 24)
        XCTAssertEqual(a, StabilitySelection.sample(d, fraction: 0.8, seed: 3))
        XCTAssertNotEqual(a, StabilitySelection.sample(d, fraction: 0.8, seed: 4))
    }

    // MARK: the path-norm ranking

    func testPathNormWeighsEachNodeByItsOutgoingNorm() {
        let net = Network(sizes: [2, 2, 1], hiddenActivation: .relu, task: .binary, initialization: .pytorch, seed: 1)
        // Feature 0 feeds node 0 only, feature 1 node 1 only, with equal weights; node 1 hardly reaches the output.
        let w0 = net.weights(0), w1 = net.weights(1)
        (w0[0], w0[1], w0[2], w0[3]) = (1, 0, 0, 1)
        (w1[0], w1[1]) = (2, 0.1)
        XCTAssertEqual(net.featureSquaredNorms(), [1, 1])
        let path = net.featurePathSquaredNorms()
        XCTAssertEqual(path[0], 4, accuracy: 1e-6)
        XCTAssertEqual(path[1], 0.01, accuracy: 1e-6)
        XCTAssertEqual(net.strongestFeatures(keep: 1, by: .pathNorm), [0])
        // Eq. 3's normalisation leaves the path norms as they are.
        w0[0] = 3
        let before = net.featurePathSquaredNorms()
        net.normalizeHiddenNodes()
        let after = net.featurePathSquaredNorms()
        for (b, a) in zip(before, after) { XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, b)) }
    }

    // MARK: a selection that must succeed

    /// 3-D XOR with 12 noise features: runs that can learn the interaction (the papers'
    /// light decay) keep x0, x1, x2 every time, and at π = 0.8 nothing else passes.
    func testStabilitySelectionFindsTheXORFeatures() throws {
        let data = try XORData.make(k: 3, p: 15, n: 1500)
        var settings = StabilitySettings()
        settings.runs = 8
        settings.threshold = 0.8
        var recipe = Recipe.selectionRun
        recipe.training.optimizer.weightDecay = 1e-4
        recipe.training.epochs = 100
        let runs = try (0..<settings.runs).map {
            try StabilitySelection.run($0, data: data, settings: settings, recipe: recipe,
                                       pruning: .selectionRun, seed: 1)
        }
        XCTAssertTrue(runs.allSatisfy { $0.kept.count == 7 })
        let table = StabilitySelection.summarize(runs, names: data.featureNames, threshold: 0.8)
        XCTAssertEqual(StabilitySelection.kept(table), [0, 1, 2], "\(table.map { ($0.feature, $0.frequency) })")
        XCTAssertEqual(Set(table.filter { $0.rank <= 3 }.map(\.feature)), [0, 1, 2])
    }

    /// A column constant on the training rows is never selected nor kept as a copy, even where
    /// every run keeps it (q >= p at p <= 4); the others are, as the frequencies say.
    func testConstantColumnIsNeverSelected() {
        var g = Xoshiro256(seed: 9)
        let n = 50, p = 3
        var x = [Float](repeating: 0, count: n * p)
        for r in 0..<n { x[r * p] = g.uniform(-1, 1); x[r * p + 1] = 2.5; x[r * p + 2] = g.uniform(-1, 1) }
        let data = Dataset(name: "c", features: x, targets: (0..<n).map { Float($0 % 2) }, count: n, featureCount: p,
                           task: .binary)
        let runs = (0..<4).map { _ in SelectionRun(kept: [0, 1, 2], norms: [0.5, 0.2, 0.4]) }
        for copies in [true, false] {
            var procedure = SelectionProcedure()
            procedure.redundancy.enabled = copies
            let table = procedure.table(runs, data: data, threshold: 0.9)
            XCTAssertEqual(table.first { $0.feature == 1 }?.frequency, 1)
            XCTAssertEqual(StabilitySelection.kept(table), [0, 2], "copies: \(copies)")
        }
    }

    /// The threshold rule: a noise column's chance frequency q/p plus three deviations, in [0.6, 0.9].
    func testThresholdRule() {
        var s = StabilitySettings()
        XCTAssertEqual(s.threshold(features: 500), 0.6)                      // q/p = 44/500: the floor
        let rate = 7.0 / 15, expected = rate + 3 * (rate * (1 - rate) / 20).squareRoot()
        XCTAssertEqual(s.threshold(features: 15), expected, accuracy: 1e-12)  // about 0.80
        XCTAssertEqual(s.threshold(features: 15, runs: 4), 0.9)               // few runs: the ceiling
        s.threshold = 0.7
        XCTAssertEqual(s.threshold(features: 15), 0.7)
    }

    /// The choice among trials: lowest held-out loss, unless a trial within the tolerance
    /// keeps fewer features; a diverged trial never wins.
    func testTuningPrefersFewerFeaturesAmongNearlyEqualLosses() {
        let t = SelectionTuning()
        let trials = [TuningTrial(weightDecay: 1e-4, threshold: 0.6, selected: [0, 1, 2, 6], heldOutLoss: 0.100, heldOutAccuracy: nil),
                      TuningTrial(weightDecay: 1e-3, threshold: 0.6, selected: [0, 1, 2], heldOutLoss: 0.101, heldOutAccuracy: nil),
                      TuningTrial(weightDecay: 1e-2, threshold: 0.6, selected: [0], heldOutLoss: 0.7, heldOutAccuracy: nil),
                      TuningTrial(weightDecay: 5e-2, threshold: 0.6, selected: [], heldOutLoss: .nan, heldOutAccuracy: nil)]
        XCTAssertEqual(t.choose(trials).weightDecay, 1e-3)
        XCTAssertEqual(t.choose(Array(trials[2...])).weightDecay, 1e-2)
        XCTAssertEqual(TuningTrial(record: trials[1].record), trials[1])
        // The held-out rows are a stratified quarter, disjoint from the rows the trial fits on.
        let d = try! XORData.make(k: 2, p: 4, n: 400)
        let (fit, held) = t.split(d, seed: 1)
        XCTAssertEqual(held.count, 100)
        XCTAssertTrue(Set(fit).isDisjoint(with: held))
        XCTAssertEqual(fit.count + held.count, 400)
    }

    /// With every default, the decay chosen on held-out training rows is a light one on 3-D
    /// XOR (strong decay cannot learn the parity, and its held-out loss shows it), and the
    /// selection at that decay is exactly {0, 1, 2}.
    func testDefaultsFindTheXORFeatures() throws {
        let data = try XORData.make(k: 3, p: 15, n: 1500)
        let procedure = SelectionProcedure()
        let (best, trials) = try procedure.tune(data)
        XCTAssertEqual(trials.count, procedure.tuning.weightDecays.count + 1)
        XCTAssertLessThanOrEqual(best.weightDecay, 1e-3, "\(trials)")
        let strong = trials.first { $0.weightDecay == procedure.tuning.weightDecays.max() }!
        XCTAssertGreaterThan(strong.heldOutLoss, 2 * best.heldOutLoss, "strong decay misses the parity")
        let table = try procedure.adopting(best).stabilityTable(data)
        XCTAssertEqual(StabilitySelection.kept(table), [0, 1, 2], "\(table.map { ($0.feature, $0.frequency) })")
    }

    /// Trials that select the same features share one score: scored once however many threads
    /// ask at the same time, and every caller gets that one.
    func testSharedTrialScoresComputeEachFeatureSetOnce() {
        let scores = SharedTrialScores()
        let lock = NSLock()
        var computed: [[Int]: Int] = [:]
        var got = [Double](repeating: 0, count: 16)
        DispatchQueue.concurrentPerform(iterations: 16) { i in
            let features = i % 2 == 0 ? [1, 4] : [2]
            let e = scores.evaluation(of: features) {
                lock.lock(); computed[features, default: 0] += 1; lock.unlock()
                Thread.sleep(forTimeInterval: 0.01)   // long enough for the others to ask meanwhile
                var e = Evaluation(outputs: [0], data: Dataset(name: "t", features: [0], targets: [1], count: 1,
                                                               featureCount: 1, task: .binary))
                e.loss = Double(features.reduce(0, +))
                return e
            }
            lock.lock(); got[i] = e.loss; lock.unlock()
        }
        XCTAssertEqual(computed, [[1, 4]: 1, [2]: 1])
        XCTAssertEqual(got, (0..<16).map { $0 % 2 == 0 ? 5 : 2 })
    }

    /// The tuning runs as one job per (candidate, run), the longest candidate first; read
    /// back in candidate order, each trial is the one its candidate gives alone, run by run.
    func testTuningRunsSplitIntoJobsReassembleEachCandidatesTrial() throws {
        let data = try XORData.make(k: 3, p: 10, n: 300)
        var procedure = SelectionProcedure()
        procedure.tuning.runs = 2
        procedure.tuning.wideEpochs = 6
        procedure.run.training.epochs = 4
        XCTAssertEqual(procedure.tuningRunOrder.first, procedure.tuning.candidates(run: procedure.run).count - 1,
                       "the wide candidate's runs go first")
        let (_, trials) = try procedure.tune(data)
        let alone = try procedure.tuning.candidates(run: procedure.run).indices.map {
            try procedure.tuning.trial($0, data: data, procedure: procedure, seed: procedure.run.seed)
        }
        XCTAssertEqual(trials, alone)
        XCTAssertEqual(trials.map(\.candidate), procedure.tuning.candidates(run: procedure.run))
        XCTAssertNotEqual(Set(trials.map(\.heldOutLoss)).count, 1, "the candidates differ, so a mix-up would show")
    }

    /// With every default, on the generated data at p = 50 (3-D XOR, 6 redundant, 41 noise
    /// columns, rescaled and shuffled, 2000 rows): only the wide candidate learns the parity,
    /// the held-out loss picks it, and the selection holds every relevant column. (At p = 200
    /// and 500 no candidate learns it; that is not tested because it does not work.)
    func testDefaultsFindTheHypercubeFeaturesAtP50() throws {
        var s = HypercubeSettings()
        s.features = 50
        let (raw, _, informative, redundant) = try HypercubeData.make(s)
        let data = FeatureScaler.standardize(fittedOn: raw).apply(raw)   // as `optima select` scales it
        let procedure = SelectionProcedure()
        let (best, trials) = try procedure.tune(data)
        XCTAssertEqual(best.hidden, procedure.tuning.wideHidden, "\(trials)")
        XCTAssertLessThan(best.heldOutLoss, 0.1)
        let selected = StabilitySelection.kept(try procedure.adopting(best).stabilityTable(data))
        let relevant = Set(informative + redundant)
        XCTAssertEqual(Set(selected).intersection(relevant), relevant, "selected \(selected), relevant \(relevant.sorted())")
        XCTAssertLessThanOrEqual(selected.count, relevant.count + 1, "selected \(selected), relevant \(relevant.sorted())")
    }

    /// The final network: the highest cross-validated accuracy, then the lower loss; the
    /// lowest loss for regression; a diverged candidate loses; the record reads back.
    func testFinalChoicePrefersAccuracyThenLoss() throws {
        let c = FinalNetworkChoice()
        let a = NetworkCandidate(hidden: [1024], epochs: 300, weightDecay: 1e-4)
        let b = NetworkCandidate(hidden: [128, 128], epochs: 300, weightDecay: 1e-4)
        let d = NetworkCandidate(hidden: [128, 128], epochs: 300, weightDecay: 1e-3)
        let trials = [FinalNetworkTrial(candidate: a, loss: 0.385, accuracy: 0.871),
                      FinalNetworkTrial(candidate: b, loss: 0.599, accuracy: 0.884),
                      FinalNetworkTrial(candidate: d, loss: 0.405, accuracy: 0.884),
                      FinalNetworkTrial(candidate: a, loss: .infinity, accuracy: 0.99)]
        XCTAssertEqual(c.choose(trials).candidate, d)
        XCTAssertEqual(c.choose(Array(trials[0...1])).candidate, b)
        let regression = [FinalNetworkTrial(candidate: a, loss: 0.2, accuracy: nil),
                          FinalNetworkTrial(candidate: b, loss: 0.1, accuracy: nil)]
        XCTAssertEqual(c.choose(regression).candidate, b)
        XCTAssertEqual(FinalNetworkTrial(record: trials[2].record), trials[2])
        // A trial scores every row once: on 2-D XOR a small network is near perfect, a linear one near chance.
        let data = try XORData.make(k: 2, p: 2, n: 300)
        var choice = FinalNetworkChoice()
        choice.candidates = [NetworkCandidate(hidden: [32], epochs: 150, weightDecay: 1e-4),
                             NetworkCandidate(hidden: [], epochs: 150, weightDecay: 1e-4)]
        let good = try choice.trial(0, data: data, final: .nsa), linear = try choice.trial(1, data: data, final: .nsa)
        XCTAssertGreaterThan(good.accuracy!, 0.9)
        XCTAssertLessThan(linear.accuracy!, 0.7)
        XCTAssertEqual(choice.choose([linear, good]).candidate, choice.candidates[0])
    }

    /// MADELON (vendored) in a few seconds: the selection runs' settings that the tuning
    /// chooses at seed 1 given as they are (--no-tune; 64 nodes, wd 0.05), one final 128-128
    /// network of 100 epochs instead of the chosen five. The stability selection is the one
    /// `make madelon` makes at seed 1, so at least 18 of the 20 relevant features are kept;
    /// the whole default procedure is `make acceptance`.
    func testMadelonSelectionWithFixedSettings() throws {
        let (train, test) = try loadMadelon()
        var procedure = SelectionProcedure()
        procedure.tuning.enabled = false
        procedure.finalChoice.enabled = false
        procedure.final.hidden = [128, 128]
        procedure.final.training.epochs = 100
        procedure.finalNetworks = 1
        let outcome = try procedure.select(train, test: test)
        let kept = outcome.kept
        XCTAssertLessThanOrEqual(kept.count, 25, "kept \(kept)")
        XCTAssertGreaterThanOrEqual(Set(kept).intersection(Madelon.relevantFeatures).count, 18, "kept \(kept)")
        XCTAssertGreaterThanOrEqual(outcome.final.test!.accuracy!, 0.85)
    }

    /// Regression with every default, on Friedman's first problem (5 relevant columns among
    /// 30, 600 training rows, noise σ = 1): the kept features are exactly the 5, and the
    /// final ensemble, trained on the standardised target and scaled back, explains at least
    /// 0.9 of the test rows' variance in the target's own units. Its saved model (format
    /// version 2: every network, the target's scaling) predicts the same numbers.
    func testRegressionWithDefaultsKeepsFriedmansFiveAndPredictsInTheTargetsUnits() throws {
        let rawTrain = friedmanOne(rows: 600, features: 30, seed: 5), rawTest = friedmanOne(rows: 1000, features: 30, seed: 6)
        let scaler = FeatureScaler.standardize(fittedOn: rawTrain)
        let transform = InputTransform(scaler: scaler, inputScale: 1)
        let (train, test) = (transform.apply(rawTrain), transform.apply(rawTest))
        let outcome = try SelectionProcedure().select(train, test: test)
        XCTAssertEqual(outcome.kept, [0, 1, 2, 3, 4], "\(outcome.table.filter(\.selected).map(\.feature))")
        XCTAssertNotNil(outcome.targetScaling)
        let r2 = try XCTUnwrap(outcome.final.test?.r2)
        XCTAssertGreaterThan(r2, 0.9)

        for net in outcome.final.networks { net.renumberFeatures(through: outcome.kept) }
        let model = SavedModel(networks: outcome.final.networks, targetScaling: outcome.targetScaling, train: rawTrain,
                               transform: transform, data: "friedman1", settings: [:], seed: 1)
        let file = dir.appendingPathComponent("friedman.json").path
        try ModelFile.write(model, to: file)
        let read = try ModelFile.read(file)
        XCTAssertEqual(read.networks.count, outcome.procedure.finalNetworks)
        XCTAssertEqual(read.targetScaling, outcome.targetScaling)
        let predicted = read.outputs(read.networkInputs(rawTest))
        XCTAssertEqual(Evaluation(outputs: predicted, data: rawTest).r2!, r2, accuracy: 1e-6)
    }

    /// Classes too small for the procedure's draws are one line naming the class and the size
    /// that works, never a crash: with the defaults (0.8 subsamples, a 0.25 hold-out whose
    /// fit part is subsampled again) every class needs 3 rows; without tuning, 2.
    func testTinyClassesAreRefusedNamingTheClassAndTheSizeThatWorks() throws {
        func data(_ labels: [Float]) -> Dataset {
            Dataset(name: "tiny", features: labels.indices.map { Float($0) }, targets: labels, count: labels.count,
                    featureCount: 1, task: .binary, classNames: ["no", "yes"])
        }
        let procedure = SelectionProcedure()
        XCTAssertEqual(procedure.minimumRowsPerClass, 3)
        for labels: [Float] in [[0, 1], [0, 0, 1, 1], [0, 0, 0, 0, 0, 1, 1]] {
            XCTAssertThrowsError(try procedure.select(data(labels), test: nil)) { e in
                XCTAssertTrue("\(e)".contains(labels == [0, 0, 0, 0, 0, 1, 1] ? "class 'yes' has 2" : "class '"), "\(e)")
                XCTAssertTrue("\(e)".contains("training row(s); select needs at least 3 of every class"), "\(e)")
                XCTAssertFalse("\(e)".contains("\n"))
            }
        }
        var untuned = procedure
        untuned.tuning.enabled = false
        XCTAssertEqual(untuned.minimumRowsPerClass, 2)
        // Enough rows per class, but 7 folds of 6 rows cannot each hold both classes.
        var sevenFolds = procedure
        sevenFolds.finalChoice.folds = 7
        XCTAssertNoThrow(try procedure.check(data([0, 0, 0, 1, 1, 1])))
        XCTAssertThrowsError(try sevenFolds.check(data([0, 0, 0, 1, 1, 1]))) { e in
            XCTAssertTrue("\(e)".contains("--final-folds 7"), "\(e)")
        }
        // Regression: 3 rows in each of the 5 quantile ranges.
        let flat = Dataset(name: "r", features: [Float](repeating: 0, count: 14), targets: (0..<14).map(Float.init),
                           count: 14, featureCount: 1, task: .regression(outputs: 1))
        XCTAssertThrowsError(try procedure.check(flat)) { XCTAssertTrue("\($0)".contains("needs at least 15"), "\($0)") }
    }

    /// The ensemble's first member is the recipe's own network; averaging members changes the outputs.
    func testEnsembleAveragesItsMembers() throws {
        let data = try XORData.make(k: 2, p: 2, n: 200)
        var r = Recipe.nsa
        r.hidden = [16]
        r.training.epochs = 20
        let one = r.ensemble(1, train: data, test: data)
        XCTAssertEqual(one.train.loss, r.run(train: data, test: nil).train.loss, accuracy: 1e-9)
        let three = r.ensemble(3, train: data, test: data)
        XCTAssertEqual(three.members.count, 3)
        XCTAssertNotEqual(three.members[0].train.loss, three.members[1].train.loss)
        XCTAssertNotNil(three.test?.accuracy)
    }
}
