// The training every network of the cpna paper's XOR studies gets. The paper states "a
// default Adam optimizer" everywhere, L2 0.001 for the pruning experiments (§4.1, Table 1)
// and, for the §2 study, a network "without regularization" (§4.1 on Fig. 3). It gives
// neither epochs nor batch size. Ours:
//   - §2 (Figs 1–4, dense networks): Adam lr 1e-3, no weight decay, batch 64, enough epochs
//     for `denseSteps` Adam steps. Fig. 8 shows a dense network reaching train AUC 1.0 after
//     1200 iterations; we give four times that.
//   - §3–4 (Figs 6–8, Table 1, pruning): the cpna Table 1 recipe (weight decay 1e-3), 300
//     epochs, a quarter of them dense pre-training, then Eq. 2's schedule with μ = 30
//     (`ConnectionPruningSettings.mu`): the paper never states μ, so we take the nsa paper's.

public struct CPNATraining: Sendable {
    public let scale: StudyScale

    public init(_ scale: StudyScale) { self.scale = scale }

    /// The §2 recipe: the cpna Table 1 one without weight decay.
    public var denseRecipe: Recipe {
        var r = Recipe.cpnaTable1
        r.training.optimizer.weightDecay = 0
        return r
    }

    /// The §3–4 recipe.
    public var pruningRecipe: Recipe { .cpnaTable1 }

    /// Adam steps of a dense §2 training, and the fewest epochs it may take.
    public var denseSteps: Int { scale == .paper ? 4800 : 600 }
    public var minDenseEpochs: Int { scale == .paper ? 30 : 10 }
    /// Epochs of a pruning run.
    public var pruningEpochs: Int { scale == .paper ? 300 : 40 }

    /// Epochs of a dense training on n rows: `denseSteps` steps, at least `minDenseEpochs`.
    public func denseEpochs(n: Int) -> Int {
        let perEpoch = (n + denseRecipe.training.batchSize - 1) / denseRecipe.training.batchSize
        return max(minDenseEpochs, (denseSteps + perEpoch - 1) / perEpoch)
    }

    /// A dense §2 network on k-D XOR.
    public func densePoint(k: Int, p: Int, n: Int, hidden: Int, initialization i: Int) -> TrainingPoint {
        TrainingPoint(data: .xor(k: k, p: p, n: n), hidden: hidden, initialization: i, epochs: denseEpochs(n: n),
                      recipe: denseRecipe)
    }

    /// A §3–4 network (plain, pruned or retrained) on k-D XOR.
    public func pruningPoint(k: Int, p: Int, n: Int, hidden: Int, method: Method, initialization i: Int) -> TrainingPoint {
        TrainingPoint(data: .xor(k: k, p: p, n: n), hidden: hidden, method: method, initialization: i,
                      epochs: pruningEpochs, recipe: pruningRecipe)
    }

    /// CPNA settings pruning `layers` to the given targets, the rest at their defaults.
    public static func cpna(_ layers: PrunedLayers, hidden: Int, input: Int? = nil,
                            normalize: Bool = true) -> ConnectionPruningSettings {
        var s = ConnectionPruningSettings()
        s.layers = layers
        s.outputTarget = hidden
        if let input { s.inputTarget = input }
        s.normalize = normalize
        return s
    }

    /// The sentence that states the settings the paper leaves out.
    public var sentence: String {
        let b = denseRecipe.training.batchSize
        return "Dense networks (§2): Adam (lr 1e-3, β = (0.9, 0.999)), no weight decay (\"without regularization\", §4.1), "
            + "batch \(b), PyTorch's initialisation, BCE on the logit, epochs = max(\(minDenseEpochs), ⌈\(denseSteps) / ⌈n/\(b)⌉⌉) "
            + "(n = 1000: \(denseEpochs(n: 1000)), n = 3000: \(denseEpochs(n: 3000)), n = 10000: \(denseEpochs(n: 10_000))). "
            + "Pruning runs (§3–4): the same with weight decay \(pruningRecipe.training.optimizer.weightDecay) (Table 1's L2), "
            + "\(pruningEpochs) epochs, \(pruningEpochs / 4) of them dense pre-training, μ = 30 (Eq. 2's annealing rate: "
            + "the paper gives no value; 30 is the nsa paper's), hidden→output pruned over "
            + "the first half of the rest and input→hidden over the second, pruned after every Adam step (Alg. 1's iterations), "
            + "input connections ranked by contribution |w_ij|·‖v_j‖ unless a column says otherwise (see cpna/targets). "
            + "Test set: \(XORData.masterTestRows) rows of a separate master set. Scale: \(scale.rawValue)."
    }
}
