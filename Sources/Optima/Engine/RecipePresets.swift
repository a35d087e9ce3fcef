// One named preset per paper's training settings. The command line's defaults, the
// studies, the benchmarks and the tests start from these; none rebuilds them by hand.
// `Recipe()` is the nsa preset, so the library's defaults are the command line's.

extension Recipe {
    /// Guo & Barbu (nsa) §2-4: Adam, lr 1e-3, L2 weight decay 1e-4 added to the gradient as
    /// PyTorch does, batch 64, 300 epochs, H = 1024 hidden nodes, PyTorch's initialisation.
    public static var nsa: Recipe { Recipe() }

    /// The cpna paper's Table 1: the nsa settings with weight decay 1e-3.
    public static var cpnaTable1: Recipe {
        var r = Recipe.nsa
        r.training.optimizer.weightDecay = 1e-3
        return r
    }

    /// The counterexamples paper's full-batch gradient descent on its tiny sets (Table 1).
    /// The paper states no learning rate or step count; 0.1 and 10 000 steps are ours
    /// (every 2-h-1 run on 4 points has settled by then), no weight decay.
    public static var counterexamplesGD: Recipe {
        var r = Recipe.nsa
        r.hidden = [2]
        r.training.optimizer.kind = .gd
        r.training.optimizer.learningRate = 0.1
        r.training.optimizer.weightDecay = 0
        r.training.epochs = 10_000
        return r
    }

    /// The counterexamples paper's MNIST protocol (Appendix A, Fig. 1): Adam with lr 1e-4 and
    /// its other defaults, batch 200, no weight decay, Gaussian initialisation N(μ, σ²)
    /// (the figure's columns vary μ and σ; N(0, 0.1²) here), h hidden nodes per layer.
    public static func counterexamplesMNIST(hidden: [Int] = [400], updates: Int = 1_000_000,
                                            rows: Int = 60_000) -> Recipe {
        var r = Recipe.nsa
        r.hidden = hidden
        r.initialization = .gaussian(weightMean: 0, weightStd: 0.1, biasMean: 0, biasStd: 0.1)
        r.training.optimizer.learningRate = 1e-4
        r.training.optimizer.weightDecay = 0
        r.training.batchSize = 200
        let stepsPerEpoch = (rows + r.training.batchSize - 1) / r.training.batchSize
        r.training.epochs = max(1, (updates + stepsPerEpoch - 1) / stepsPerEpoch)
        return r
    }
}
