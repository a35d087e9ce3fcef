// One training of a grid point, for every method. The recipe is the study's; the point
// sets the width, the epochs and the seeds (initial weights: point.seed; batch order:
// +1; a fresh initialisation for retraining: +2).

extension TrainingPoint {
    /// Trains the point's network and returns its result.
    public func train() throws -> StudyResult {
        if runs > 1 { return try trainBlock() }
        let (train, test) = try data.load()
        let r = seededRecipe
        switch method {
        case .retrain(let from, let pruning):
            let (found, network, initial, _) = try trainWith(pruning, recipe: r, train: train, test: test)
            let start: RetrainingStart = from == .fresh ? .fresh(seed: seed &+ 2) : .original
            let trace = traced ? PruningTrace(train: train, test: test, relevant: relevant) : nil
            let again = try r.retrain(network, from: start, initialWeights: initial, train: train, test: test,
                                  observe: trace.map { t in { t.record($0, $1, $2) } })
            var result = StudyResult(point: self, outcome: again, found: found)
            result.trace = trace?.rows
            return result
        default:
            let (outcome, network, _, trace) = try trainWith(method, recipe: r, train: train, test: test)
            var result = StudyResult(point: self, outcome: outcome)
            result.trace = trace
            if method.prunes, network.layerCount >= 2 {
                (result.inputsPerNode, result.relevantInputsPerNode) = network.inputSpread(relevant: relevant)
            }
            return result
        }
    }

    /// The network a plain point trains, for a study that draws what it learned (the runner
    /// keeps only numbers): the same seeds as `train()`, so the same network.
    public func trainedNetwork() throws -> Network {
        precondition(method == .plain && runs == 1, "only a single plain point is retrained for its network")
        let (train, _) = try data.load()
        let r = seededRecipe
        let network = r.makeNetwork(features: train.featureCount, task: train.task)
        _ = r.run(network: network, train: train, test: nil)
        return network
    }

    /// A block: its runs, each from the start its single point has. Plain full-batch runs of
    /// tiny networks train together in SIMD lanes (`TinyLanes`: the same steps up to float
    /// rounding); others one after another, each exactly as its single point trains. The
    /// result keeps every run's training loss and accuracy; its own are their means.
    private func trainBlock() throws -> StudyResult {
        let each = try trainRunsInLanes() ?? (0..<runs).map { try run($0).train() }
        var block = each[runs - 1]
        block.point = self
        block.runTrainLosses = each.map(\.trainLoss)
        block.runTrainAccuracies = each.map(\.trainAccuracy)
        block.trainLoss = mean(block.runTrainLosses)
        block.trainAccuracy = mean(block.runTrainAccuracies)
        block.testLoss = mean(each.map(\.testLoss))
        block.testAccuracy = mean(each.map(\.testAccuracy))
        (block.trainAUC, block.testAUC) = (.nan, .nan)
        block.seconds = each.reduce(0) { $0 + $1.seconds }
        return block
    }

    /// The block's runs trained in lanes, or nil where they do not fit (a pruning method, a
    /// trace, minibatches, a network or data set too large). Each run's training seconds are
    /// the block's divided evenly; a run whose weights became non-finite is reported as
    /// diverged at the last epoch (the Trainer would have stopped at the epoch it happened).
    private func trainRunsInLanes() throws -> [StudyResult]? {
        guard method == .plain, !traced else { return nil }
        let (train, test) = try data.load()
        let recipes = (0..<runs).map { run($0).seededRecipe }
        let networks = recipes.map { $0.makeNetwork(features: train.featureCount, task: train.task) }
        let settings = recipes[0].training
        guard TinyLanes.fits(networks, data: train, settings: settings) else { return nil }
        let start = monotonicSeconds()
        TinyLanes.train(networks, on: train, settings: settings)
        let seconds = (monotonicSeconds() - start) / Double(runs)
        return networks.enumerated().map { r, net in
            let outcome = Outcome(train: Evaluation(network: net, data: train), test: Evaluation(network: net, data: test),
                                  seconds: seconds, epochs: epochs, steps: epochs, connections: net.liveConnections,
                                  shape: net.shape, featureIndices: net.featureIndices,
                                  divergedAtEpoch: net.parametersAreFinite ? nil : epochs)
            return StudyResult(point: run(r), outcome: outcome)
        }
    }

    /// The study's recipe with this point's width, epochs and seeds.
    private var seededRecipe: Recipe {
        var r = recipe
        r.hidden = Array(repeating: hidden, count: hiddenLayers)
        r.seed = seed
        r.training.seed = seed &+ 1
        r.training.epochs = epochs
        return r
    }

    /// The features that carry the signal (the first k of k-D XOR), where known.
    var relevant: Set<Int>? { data.k.map { Set(0..<$0) } }

    /// Trains with `method` (plain or a pruning method); returns the outcome, the network it
    /// found and that network's initial weights (compacted along with it).
    private func trainWith(_ method: Method, recipe r: Recipe, train: Dataset, test: Dataset) throws
        -> (outcome: Outcome, network: Network, initial: InitialWeights, trace: [PruningTraceRow]?) {
        let network = r.makeNetwork(features: train.featureCount, task: train.task)
        let initial = InitialWeights(of: network)
        let pruner = try method.pruning(xorK: data.k, epochs: epochs).pruner(network: network, epochs: epochs, initialWeights: initial)
        let trace = traced && !isRetraining ? PruningTrace(train: train, test: test, relevant: relevant) : nil
        let outcome = try r.run(network: network, train: train, test: test, afterEpoch: pruner?.step,
                            observe: trace.map { t in { t.record($0, $1, $2) } })
        return (outcome, network, initial, trace?.rows)
    }

    private var isRetraining: Bool {
        if case .retrain = method { return true }
        return false
    }
}
