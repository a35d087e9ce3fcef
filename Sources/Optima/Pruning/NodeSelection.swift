// Node Selection with Annealing (NSA, Guo & Barbu Alg. 1) and Feature Selection with
// Annealing on top of it (FSA+NSA, Alg. 2), as a step run after every epoch.
//
// After each epoch the hidden nodes are normalised (Eq. 3), then the h_e nodes with the
// largest outgoing weights are kept, then (FSA) the p_e features with the largest group
// norm r_i (Eq. 4, over the surviving nodes) are kept. Removed nodes and features leave
// the matrices, and the Adam moments with them, so every later epoch is cheaper.
//
// On the iteration clock (CPNA's node form counting e in Adam steps, as its Alg. 1 does) the
// same happens after every step, but a step may not change the network's shape: a dropped
// node only loses its outgoing weights through the connection mask, and leaves the matrices
// at the end of the epoch, as a node that connection pruning disconnected does.

/// Every knob of NSA and FSA+NSA. A nil start or length takes the paper's default for
/// the run's number of epochs.
public struct NodeSelectionSettings: Equatable, Sendable {
    /// Nodes kept at the end (h), one per hidden layer.
    public var nodeTargets: [Int] = [128]
    /// Node schedule start; nil: Niter/4.
    public var nodeStart: Double?
    /// Node schedule window N1; nil: 3·Niter/4.
    public var nodeLength: Double?
    /// Node schedule annealing rate μ.
    public var nodeMu: Double = 30
    /// Features kept at the end (k); nil: NSA only, every feature stays.
    public var featureTarget: Int?
    /// Feature schedule start; nil: 0.6·Niter.
    public var featureStart: Double?
    /// Feature schedule window N2; nil: 0.4·Niter.
    public var featureLength: Double?
    /// Feature schedule annealing rate μ.
    public var featureMu: Double = 30
    /// Epochs before any normalisation or pruning (the papers: 0, the schedules wait anyway).
    public var warmupEpochs = 0
    /// Surviving weights keep their Adam moments (true) or restart from zero after each
    /// removal (false). Removed weights' moments always leave with them.
    public var keepMoments = true
    /// Normalise nodes (Eq. 3) before ranking them. NSA always does; false ranks raw weights.
    public var normalize = true
    /// What ranks the features: Eq. 4's group norm r_i (the paper's), or the path norm,
    /// r_i with each node's weights scaled by its outgoing norm.
    public var featureRanking = FeatureRanking.groupNorm
    /// What e of the node schedule counts: epochs (NSA), or Adam steps (CPNA's Alg. 1
    /// iterations; nodes only, the windows stay in epochs).
    public var clock = PruningClock.epoch

    public init() {}
}

/// How FSA ranks the features.
public enum FeatureRanking: String, CaseIterable, Sendable {
    /// r_i² = Σ_j w_ji² over the surviving nodes (Eq. 4). After normalisation every node's
    /// incoming weights have unit norm, so a node that hardly reaches the output counts as
    /// much as one that carries it, and its weights on noise columns count too.
    case groupNorm = "group"
    /// s_i² = Σ_j w_ji² β_j², β_j node j's outgoing norm: the weight of every path from
    /// feature i to the output. Unchanged by the normalisation of Eq. 3.
    case pathNorm = "path"
}

public final class NodeSelection {
    public let settings: NodeSelectionSettings
    /// h_e per hidden layer, from that layer's starting size.
    public let nodeSchedules: [AnnealingSchedule]
    /// p_e, when features are selected.
    public let featureSchedule: AnnealingSchedule?
    /// Initial weights that follow the compaction (for retraining the found sub-network).
    public let initialWeights: InitialWeights?

    public init(_ settings: NodeSelectionSettings, network: Network, epochs: Int,
                initialWeights: InitialWeights? = nil) throws {
        let hidden = network.shape.hiddenSizes
        guard !hidden.isEmpty else { throw SettingsError("node selection needs at least one hidden layer") }
        var targets = settings.nodeTargets
        if targets.count == 1 && hidden.count > 1 { targets = Array(repeating: targets[0], count: hidden.count) }
        guard targets.count == hidden.count else {
            throw SettingsError("give one node target per hidden layer (\(hidden.count)), got \(targets.count)")
        }
        for (H, h) in zip(hidden, targets) where h < 1 || h > H {
            throw SettingsError("the node target must be in 1...\(H) (the hidden layer's size), got \(h)")
        }
        let n = Double(epochs)
        nodeSchedules = zip(hidden, targets).map { H, h in
            AnnealingSchedule(initial: H, target: h, start: settings.nodeStart ?? n / 4,
                              length: settings.nodeLength ?? 3 * n / 4, mu: settings.nodeMu)
        }
        if let k = settings.featureTarget {
            let p = network.shape.inputCount
            guard k >= 1 && k <= p else { throw SettingsError("the feature target must be in 1...\(p), got \(k)") }
            featureSchedule = AnnealingSchedule(initial: p, target: k, start: settings.featureStart ?? 0.6 * n,
                                                length: settings.featureLength ?? 0.4 * n, mu: settings.featureMu)
        } else {
            featureSchedule = nil
        }
        guard settings.clock == .epoch || settings.featureTarget == nil else {
            throw SettingsError("the iteration clock removes nodes only; features are selected once per epoch")
        }
        self.settings = settings
        self.initialWeights = initialWeights
    }

    /// h_e per hidden layer counted in Adam steps (the iteration clock), made on the first step
    /// that needs them, when the steps per epoch are known.
    private var stepSchedules: [AnnealingSchedule]?

    /// The `afterEpoch` step: normalise, keep the h_e best nodes, then the p_e best features.
    /// On the iteration clock the first call installs `afterStep` on the trainer and catches
    /// up to the current step; every call then removes the nodes the steps cut off.
    public func callAsFunction(_ trainer: Trainer, _ epoch: Int) {
        if settings.clock == .iteration {
            if trainer.afterStep == nil { trainer.afterStep = afterStep }
            afterStep(trainer)
            trainer.commitConnectionMask(initialWeights: initialWeights, keepMoments: settings.keepMoments)
            return
        }
        guard epoch > settings.warmupEpochs else { return }
        let network = trainer.network
        if settings.normalize { network.normalizeHiddenNodes() }

        var keepNodes: [[Int]?] = []
        for (l, schedule) in nodeSchedules.enumerated() {
            let current = network.shape.sizes[l + 1]
            let wanted = min(current, schedule.count(afterEpoch: epoch))
            keepNodes.append(wanted < current ? network.strongestNodes(layer: l, keep: wanted) : nil)
        }
        if keepNodes.contains(where: { $0 != nil }) {
            trainer.compactNetwork(keepNodes: keepNodes, initialWeights: initialWeights,
                                   keepMoments: settings.keepMoments)
        }

        // Features are ranked on the surviving nodes only, as Alg. 2 runs NSA first.
        if let schedule = featureSchedule {
            let current = network.shape.inputCount
            let wanted = min(current, schedule.count(afterEpoch: epoch))
            if wanted < current {
                trainer.compactNetwork(keepInputs: network.strongestFeatures(keep: wanted, by: settings.featureRanking),
                                       initialWeights: initialWeights, keepMoments: settings.keepMoments)
            }
        }
    }

    /// The `afterStep` step of the iteration clock, at Adam step t: past the warm-up, normalise
    /// and cut the outgoing weights of every live node beyond the h_t strongest of its layer
    /// (in the mask: the shapes must not change inside an epoch). Removed weights drop their
    /// moments.
    public func afterStep(_ trainer: Trainer) {
        let unit = Double(trainer.stepsPerEpoch), t = trainer.optimizer.step
        guard settings.clock == .iteration, Double(t) > Double(settings.warmupEpochs) * unit else { return }
        let network = trainer.network
        if settings.normalize { network.normalizeHiddenNodes() }
        let schedules = stepSchedules ?? nodeSchedules.map {
            AnnealingSchedule(initial: $0.initial, target: $0.target, start: $0.start * unit, length: $0.length * unit, mu: $0.mu)
        }
        stepSchedules = schedules
        var cut = false
        for (l, schedule) in schedules.enumerated() {
            let live = network.nodesWithOutgoingConnections(layer: l)
            let wanted = schedule.count(afterEpoch: t)
            guard wanted < live.count else { continue }
            // Nodes already cut rank below every live one, so the kept ones are all live.
            var scores = [Float](repeating: -.infinity, count: network.shape.sizes[l + 1])
            let norms = network.outgoingSquaredNorms(layer: l)
            for j in live { scores[j] = norms[j] }
            let keep = Set(positionsOfLargest(wanted, of: scores))
            for j in live where !keep.contains(j) { network.cutOutgoingConnections(layer: l, node: j) }
            cut = true
        }
        guard cut, let mask = network.mask else { return }
        trainer.optimizer.applyMask(mask)
        if !settings.keepMoments { for b in trainer.optimizer.stateBuffers { b.fill(0) } }
    }
}

extension Network {
    /// The nodes of hidden layer l that still have an unpruned outgoing weight.
    public func nodesWithOutgoingConnections(layer l: Int) -> [Int] {
        let next = shape.layers[l + 1]
        guard let mask else { return Array(0..<next.input) }
        return (0..<next.input).filter { j in
            (0..<next.output).contains { mask[next.weightOffset + j * next.output + $0] != 0 }
        }
    }

    /// Removes every outgoing weight of node j of hidden layer l (row j of the next layer's
    /// input-major matrix) from the mask and sets it to 0, so the node no longer counts.
    public func cutOutgoingConnections(layer l: Int, node j: Int) {
        let next = shape.layers[l + 1]
        let m = connectionMask().pointer, w = parameters.pointer
        for i in (next.weightOffset + j * next.output)..<(next.weightOffset + (j + 1) * next.output) {
            m[i] = 0
            w[i] = 0
        }
    }

    /// Eq. 3 for every hidden layer, first to last: each node's incoming weights get unit
    /// norm and the scale moves into its outgoing weights. The output is unchanged
    /// (ReLU is positively homogeneous). Zero-norm nodes are left as they are.
    public func normalizeHiddenNodes() {
        for l in 0..<(layerCount - 1) {
            let layer = shape.layers[l]
            let norms = FloatBuffer(count: layer.output)
            Kernels.normalizeNodes(weights: weights(l), input: layer.input, output: layer.output, bias: bias(l),
                                   next: weights(l + 1), nextOutput: shape.layers[l + 1].output,
                                   norms: norms.pointer)
        }
    }

    /// Squared L2 norm of each node's outgoing weights in hidden layer l (β_j² for one
    /// output): the NSA ranking.
    public func outgoingSquaredNorms(layer l: Int) -> [Float] {
        let next = shape.layers[l + 1]
        let out = FloatBuffer(count: next.input)
        Kernels.rowSumSq(weights(l + 1), rows: next.input, cols: next.output, into: out.pointer)
        return out.array
    }

    /// r_i² of Eq. 4: squared L2 norm of each feature's weights into the first layer.
    public func featureSquaredNorms() -> [Float] {
        let first = shape.layers[0]
        let out = FloatBuffer(count: first.input)
        Kernels.rowSumSq(weights(0), rows: first.input, cols: first.output, into: out.pointer)
        return out.array
    }

    /// Positions of the `keep` nodes of hidden layer l with the largest outgoing norm.
    public func strongestNodes(layer l: Int, keep: Int) -> [Int] {
        positionsOfLargest(keep, of: outgoingSquaredNorms(layer: l))
    }

    /// s_i² = Σ_j w_ji² β_j²: each feature's first-layer weights, each node's scaled by that
    /// node's outgoing norm β_j (its L2 norm over the next layer's nodes).
    public func featurePathSquaredNorms() -> [Float] {
        let first = shape.layers[0]
        let beta = outgoingSquaredNorms(layer: 0)
        let w = weights(0)
        var out = [Float](repeating: 0, count: first.input)
        for i in 0..<first.input {
            var s: Float = 0
            for j in 0..<first.output { let v = w[i * first.output + j]; s += v * v * beta[j] }
            out[i] = s
        }
        return out
    }

    /// Each feature's squared score under `ranking`.
    public func featureScores(_ ranking: FeatureRanking) -> [Float] {
        ranking == .groupNorm ? featureSquaredNorms() : featurePathSquaredNorms()
    }

    /// Positions of the `keep` features with the largest r_i (or path norm).
    public func strongestFeatures(keep: Int, by ranking: FeatureRanking = .groupNorm) -> [Int] {
        positionsOfLargest(keep, of: featureScores(ranking))
    }
}

/// Positions of the `keep` largest scores, ascending (so the kept items stay in their
/// original order). Ties go to the lowest position; NaN ranks below everything, so a
/// diverged node is the first to go.
func positionsOfLargest(_ keep: Int, of scores: [Float]) -> [Int] {
    precondition(keep >= 0 && keep <= scores.count)
    let s = scores.map { $0.isNaN ? -Float.infinity : $0 }
    let ranked = s.indices.sorted { s[$0] > s[$1] || (s[$0] == s[$1] && $0 < $1) }
    return ranked.prefix(keep).sorted()
}
