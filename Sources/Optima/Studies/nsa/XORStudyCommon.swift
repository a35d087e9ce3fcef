// The XOR local-minima study of Guo & Barbu (2020) §2 (Figures 1-6, Table 1): what every
// figure shares. The sizes of both scales live in `XORStudyConfig`, one place; one job
// builder trains one XOR network for a grid point; the data sets are built once per
// (k, p, n) and shared by every job; and `runGrid` sends a figure's grid through the
// experiment runner into results/<figure>.jsonl, so a killed run resumes.
import Foundation

/// `quick` runs every figure in well under a minute on two cores (fewer initialisations
/// and sizes, fewer epochs, the same code path); `paper` uses the paper's settings.
public enum StudyScale: String, CaseIterable, Sendable {
    case quick, paper
}

/// How one network of a grid is trained.
public enum XORMethod: Equatable, Sendable {
    /// A dense network with `h` hidden nodes, trained from a random initialisation.
    case plain
    /// FSA+NSA (Alg. 2): start with `H` nodes and all p features, end with h nodes and k features.
    case fsaNSA(start: Int)

    var keyPart: String {
        switch self {
        case .plain: return "method=plain"
        case .fsaNSA(let H): return "method=fsa+nsa,H=\(H)"
        }
    }

    var name: String {
        switch self {
        case .plain: return "plain"
        case .fsaNSA: return "fsa+nsa"
        }
    }
}

/// One training of the study: the XOR problem (k, p, n), the network, the method, the
/// initialisation number and the epochs. Its key fixes its seeds.
public struct XORPoint: Equatable, Sendable {
    public var k: Int
    public var p: Int
    public var n: Int
    public var h: Int
    public var method: XORMethod = .plain
    public var initialization: Int
    public var epochs: Int

    public init(k: Int, p: Int, n: Int, h: Int, method: XORMethod = .plain, initialization: Int, epochs: Int) {
        self.k = k
        self.p = p
        self.n = n
        self.h = h
        self.method = method
        self.initialization = initialization
        self.epochs = epochs
    }

    /// Names the point; the same point in two figures trains the same network.
    public var key: String {
        "k=\(k),p=\(p),n=\(n),h=\(h),\(method.keyPart),epochs=\(epochs),init=\(initialization)"
    }

    /// The seed of the initial weights; the batch order uses the next one.
    public var seed: UInt64 { ExperimentRunner.seed(for: key, base: XORStudy.baseSeed) }
}

/// Every size of every figure, for one scale.
public struct XORStudyConfig: Sendable {
    public let scale: StudyScale

    // Plain training (the paper gives neither epochs nor batch size): Adam, lr 1e-3,
    // weight decay 1e-4, batch 64 (the FSA+NSA settings), and enough epochs for
    // `stepBudget` Adam steps, at least `minEpochs`: 1000 epochs at n = 1000 (the loss
    // still falls slowly at 300), 341 at n = 3000, 300 at n = 10000.
    public let batchSize = 64
    public let learningRate: Float = 1e-3
    public let weightDecay: Float = 1e-4
    public let stepBudget: Int
    public let minEpochs: Int
    /// The size of the test set (the paper: 3000).
    public let testRows = 3000

    // Figure 1 and Table 1: best loss of `fig1Inits` initialisations per h, p = k.
    public let fig1Ks: [Int]
    public let fig1Hs: [Int]
    public let fig1Inits: Int
    public let fig1N = 1000
    /// Table 1 picks the smallest h whose test AUC is within this of the best h's,
    /// among those with train AUC > 0.95.
    public let table1Tolerance = 0.005

    // Figure 2: mean over initialisations vs n, p = k and p = 15, plus FSA+NSA.
    public let fig2Ks: [Int]
    public let fig2Ns: [Int]
    public let fig2Hs: [Int]
    public let fig2Inits: Int
    public let fig2WideP = 15
    public let fig2FSAStart: Int
    public let fig2FSAEnd: Int
    public let fig2FSAEpochs: Int

    // Figure 3: many initialisations sorted by loss, h from the paper's Table 1.
    public let fig3Ks: [Int]
    public let fig3Inits: Int
    public let fig3N = 1000

    // Figure 4: hit time vs p (h = 20, n = 3000), `fig4Cap` initialisations per point.
    public let fig4Ks: [Int]
    public let fig4Ps: [Int]
    public let fig4H = 20
    public let fig4N: Int
    public let fig4Cap: Int
    public let hitAUC = 0.95

    // Figure 5: test AUC of the best-loss minimum of `fig5Inits` vs p, h = 500.
    public let fig5Ks: [Int]
    public let fig5Ps: [Int]
    public let fig5H: Int
    public let fig5N: Int
    public let fig5Inits: Int

    // The "Figure ??" of the text: best test AUC of `hiddenInits`, repeated `hiddenRepeats` times.
    public let hiddenK = 3
    public let hiddenP = 15
    public let hiddenN = 1000
    public let hiddenHs: [Int]
    public let hiddenInits: Int
    public let hiddenRepeats: Int

    // Figure 6: the schedules of the paper's example (no training).
    public let fig6H = 1024
    public let fig6h = 128
    public let fig6P = 15
    public let fig6K = 3
    public let fig6Epochs = 300

    public init(_ scale: StudyScale) {
        self.scale = scale
        switch scale {
        case .paper:
            stepBudget = 16_000
            minEpochs = 300
            fig1Ks = [2, 3, 4, 5]
            fig1Hs = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]
            fig1Inits = 10
            fig2Ks = [3, 4, 5]
            fig2Ns = [100, 300, 1000, 3000, 10_000]
            fig2Hs = [16, 64, 256, 1024]
            fig2Inits = 10
            fig2FSAStart = 1024
            fig2FSAEnd = 128
            fig2FSAEpochs = 300
            fig3Ks = [3, 4, 5]
            fig3Inits = 100
            fig4Ks = [3, 4, 5]
            fig4Ps = [3, 4, 5, 7, 10, 15, 20, 30, 50, 100]
            fig4N = 3000
            fig4Cap = 100
            fig5Ks = [3, 4, 5]
            fig5Ps = [3, 4, 5, 10, 20, 50, 100, 200]
            fig5H = 500
            fig5N = 3000
            fig5Inits = 10
            hiddenHs = [4, 8, 16, 32, 64, 128, 256, 512, 1024]
            hiddenInits = 10
            hiddenRepeats = 10
        case .quick:
            stepBudget = 2000
            minEpochs = 50
            fig1Ks = [2, 3, 4]
            fig1Hs = [2, 8, 32, 128]
            fig1Inits = 3
            fig2Ks = [3, 4]
            fig2Ns = [300, 1000]
            fig2Hs = [16, 64]
            fig2Inits = 2
            fig2FSAStart = 256
            fig2FSAEnd = 32
            fig2FSAEpochs = 100
            fig3Ks = [3, 4, 5]
            fig3Inits = 20
            fig4Ks = [3]
            fig4Ps = [3, 5, 8, 12]
            fig4N = 1000
            fig4Cap = 8
            fig5Ks = [3]
            fig5Ps = [3, 10, 20]
            fig5H = 100
            fig5N = 1000
            fig5Inits = 3
            hiddenHs = [4, 16, 64]
            hiddenInits = 3
            hiddenRepeats = 2
        }
    }

    /// Adam steps per epoch with batches of `batchSize` (the last batch may be short).
    public func stepsPerEpoch(n: Int) -> Int { (n + batchSize - 1) / batchSize }

    /// Epochs of plain training on n rows: `stepBudget` steps, at least `minEpochs`.
    public func plainEpochs(n: Int) -> Int {
        max(minEpochs, (stepBudget + stepsPerEpoch(n: n) - 1) / stepsPerEpoch(n: n))
    }

    /// A plain-training grid point.
    public func plain(k: Int, p: Int, n: Int, h: Int, initialization i: Int) -> XORPoint {
        XORPoint(k: k, p: p, n: n, h: h, initialization: i, epochs: plainEpochs(n: n))
    }

    /// The paper's Table 1: hidden nodes for k = 2...5 at n = 1000, p = k.
    public static let paperTable1: [Int: Int] = [2: 4, 3: 64, 4: 128, 5: 128]

    /// A sentence that states the training settings the paper leaves out.
    public var trainingSentence: String {
        "Plain training: Adam (lr \(learningRate), β = (0.9, 0.999), weight decay \(weightDecay) added to the gradient as in PyTorch), "
            + "batch \(batchSize), PyTorch's default initialisation, BCE on the logit; "
            + "epochs = max(\(minEpochs), ⌈\(stepBudget) / ⌈n/\(batchSize)⌉⌉) "
            + "(n = 1000: \(plainEpochs(n: 1000)), n = 3000: \(plainEpochs(n: 3000)), n = 10000: \(plainEpochs(n: 10_000))). "
            + "Test set: \(testRows) rows of a separate master set. Scale: \(scale.rawValue)."
    }
}

/// Where and how a figure runs.
public struct StudyOptions: Sendable {
    public var scale: StudyScale
    public var threads: Int
    public var shard: (index: Int, count: Int)?
    /// The results directory (default "results").
    public var resultsDir: String
    public var quiet: Bool

    public init(scale: StudyScale = .paper, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                shard: (index: Int, count: Int)? = nil, resultsDir: String = "results", quiet: Bool = false) {
        self.scale = scale
        self.threads = threads
        self.shard = shard
        self.resultsDir = resultsDir
        self.quiet = quiet
    }

    public var config: XORStudyConfig { XORStudyConfig(scale) }

    /// results/<name>, e.g. path("fig3.csv").
    public func path(_ name: String) -> String { (resultsDir as NSString).appendingPathComponent(name) }

    public var reportPath: String { path("REPORT.md") }
}

/// One figure or table of the study, as `optima study NAME` runs it.
public struct XORFigure: Sendable {
    public let name: String
    public let summary: String
    /// Runs the figure's grid; writes the csv, svg and report section unless sharded.
    public let run: @Sendable (StudyOptions) throws -> Void
}

public enum XORStudy {
    /// Mixed into every grid point's seed.
    public static let baseSeed: UInt64 = 2020

    /// Every figure, in the order `optima study all` runs them (cheapest first).
    public static let figures: [XORFigure] = [
        XORFigure(name: "fig6", summary: "annealing schedules h_e and p_e (p = 15, k = 3), no training", run: runFig6),
        XORFigure(name: "fig1", summary: "loss, train and test AUC vs hidden nodes h (p = k); writes table1 too", run: runFig1),
        XORFigure(name: "table1", summary: "the h chosen for each k (runs fig1)", run: runFig1),
        XORFigure(name: "fig3", summary: "many initialisations sorted by training loss", run: runFig3),
        XORFigure(name: "fig-hidden", summary: "train/test AUC vs hidden nodes, best of 10, repeated (the text's Figure ??)", run: runFigHidden),
        XORFigure(name: "fig2", summary: "training loss and test AUC vs n, p = k and p = 15, with FSA+NSA", run: runFig2),
        XORFigure(name: "fig4", summary: "hit time (initialisations until train AUC >= 0.95) vs p", run: runFig4),
        XORFigure(name: "fig5", summary: "test AUC of the best-loss minimum vs p, h = 500", run: runFig5),
    ]

    public static func figure(named name: String) -> XORFigure? { figures.first { $0.name == name } }

    // MARK: Data

    private static let cacheLock = NSLock()
    nonisolated(unsafe) private static var cache: [String: Dataset] = [:]   // guarded by cacheLock

    /// The XOR set (first n rows, first p columns) for interaction order k, built once per
    /// process and shared by every job that needs it.
    public static func data(k: Int, p: Int, n: Int, test: Bool = false) throws -> Dataset {
        let key = "\(k),\(p),\(n),\(test)"
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if let d = cache[key] { return d }
        let d = try XORData.make(k: k, p: p, n: n, test: test)
        cache[key] = d
        return d
    }

    // MARK: One training

    /// Trains the network of one grid point and returns its record: the point's parameters,
    /// train_loss, train_auc, test_loss, test_auc, seconds (and, for FSA+NSA, the features kept).
    public static func train(_ point: XORPoint, config: XORStudyConfig) throws -> ResultRecord {
        let train = try data(k: point.k, p: point.p, n: point.n)
        let test = try data(k: point.k, p: point.p, n: config.testRows, test: true)
        var recipe = Recipe()
        recipe.seed = point.seed
        recipe.training.seed = point.seed &+ 1
        recipe.training.epochs = point.epochs
        recipe.training.batchSize = config.batchSize
        recipe.training.optimizer.learningRate = config.learningRate
        recipe.training.optimizer.weightDecay = config.weightDecay

        let outcome: Outcome
        switch point.method {
        case .plain:
            recipe.hidden = [point.h]
            outcome = recipe.run(train: train, test: test)
        case .fsaNSA(let H):
            recipe.hidden = [H]
            let network = recipe.makeNetwork(features: point.p, task: .binary)
            var s = NodeSelectionSettings()
            s.nodeTargets = [point.h]
            s.featureTarget = point.k
            let step = try NodeSelection(s, network: network, epochs: point.epochs)
            outcome = recipe.run(network: network, train: train, test: test, afterEpoch: { t, e in step(t, e) })
        }
        var r: ResultRecord = [
            "k": JSONValue(point.k), "p": JSONValue(point.p), "n": JSONValue(point.n), "h": JSONValue(point.h),
            "method": .string(point.method.name), "init": JSONValue(point.initialization),
            "epochs": JSONValue(point.epochs),
            "train_loss": JSONValue(outcome.train.loss),
            "train_auc": JSONValue(outcome.train.auc ?? .nan),
            "test_loss": JSONValue(outcome.test?.loss ?? .nan),
            "test_auc": JSONValue(outcome.test?.auc ?? .nan),
            "seconds": JSONValue(outcome.seconds),
        ]
        if case .fsaNSA(let H) = point.method {
            r["H"] = JSONValue(H)
            r["features"] = JSONValue(outcome.featureIndices)
        }
        return r
    }

    /// The runner's jobs for a grid: job i trains points[i].
    public static func jobs(_ points: [XORPoint], config: XORStudyConfig) -> [ExperimentJob] {
        points.enumerated().map { i, point in
            ExperimentJob(index: i, key: point.key) { try train(point, config: config) }
        }
    }

    /// Runs a figure's grid through the experiment runner (results/<figure>.jsonl, resumable).
    /// Returns the records in grid order, or nil when sharded: a shard only fills its
    /// jsonl; `optima merge` joins the shards and a run without --shard then draws the figure.
    public static func runGrid(_ points: [XORPoint], figure: String, options: StudyOptions) throws -> [XORResult]? {
        let jobs = self.jobs(points, config: options.config)
        try FileManager.default.createDirectory(atPath: options.resultsDir, withIntermediateDirectories: true)
        let runner = RunnerOptions(resultsPath: options.path(figure + ".jsonl"), threads: options.threads,
                                   shard: options.shard, quiet: options.quiet,
                                   progressLabel: "\(figure) trainings")
        let records = try ExperimentRunner.run(jobs, options: runner)
        if let s = options.shard {
            if !options.quiet {
                FileHandle.standardError.write(Data(("\(figure): shard \(s.index + 1)/\(s.count) done (\(records.count) trainings in "
                    + "\(options.path(figure + ".jsonl"))); merge the shards with 'optima merge' and run without --shard "
                    + "to draw the figure\n").utf8))
            }
            return nil
        }
        return zip(points, records).map { XORResult(point: $0, record: $1) }
    }

    /// Writes a figure's report section into results/REPORT.md.
    static func report(_ id: String, _ text: String, options: StudyOptions) throws {
        try MarkdownReport.updateSection(id: id, with: text, inFile: options.reportPath,
                                         title: "# Results: the XOR local-minima study (nsa) and later reproductions")
    }
}

/// A finished training of the study: its grid point and its numbers.
public struct XORResult: Sendable {
    public var point: XORPoint
    public var trainLoss: Double
    public var trainAUC: Double
    public var testAUC: Double
    public var seconds: Double

    init(point: XORPoint, record: ResultRecord) {
        self.point = point
        trainLoss = record["train_loss"]?.double ?? .nan
        trainAUC = record["train_auc"]?.double ?? .nan
        testAUC = record["test_auc"]?.double ?? .nan
        seconds = record["seconds"]?.double ?? 0
    }
}

// MARK: - Small helpers for the figures

extension Array where Element == XORResult {
    /// The result with the smallest training loss (NaN losses last).
    var bestLoss: XORResult? {
        self.min { a, b in
            a.trainLoss.isNaN ? false : (b.trainLoss.isNaN ? true : a.trainLoss < b.trainLoss)
        }
    }
}

func xorMean(_ xs: [Double]) -> Double {
    xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count)
}

func xorSD(_ xs: [Double]) -> Double {
    guard xs.count > 1 else { return 0 }
    let m = xorMean(xs)
    return (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)).squareRoot()
}

/// A number as a CSV cell.
func csv(_ x: Double) -> String { CSVTable.cell(x) }
