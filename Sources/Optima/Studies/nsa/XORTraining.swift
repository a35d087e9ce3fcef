// The training every network of the nsa paper's XOR study gets. The paper gives neither
// epochs nor batch size: the nsa recipe (Adam, lr 1e-3, weight decay 1e-4, batch 64) and
// enough epochs for `stepBudget` Adam steps, at least `minEpochs`: 1000 epochs at n = 1000
// (the loss still falls slowly at 300), 341 at n = 3000, 300 at n = 10000.

public struct XORTraining: Sendable {
    public let scale: StudyScale
    public let recipe = Recipe.nsa
    public var stepBudget: Int { scale == .paper ? 16_000 : 2000 }
    public var minEpochs: Int { scale == .paper ? 300 : 50 }

    public init(_ scale: StudyScale) { self.scale = scale }

    /// Adam steps per epoch (the last batch may be short).
    public func stepsPerEpoch(n: Int) -> Int { (n + recipe.training.batchSize - 1) / recipe.training.batchSize }

    /// Epochs of plain training on n rows: `stepBudget` steps, at least `minEpochs`.
    public func epochs(n: Int) -> Int {
        max(minEpochs, (stepBudget + stepsPerEpoch(n: n) - 1) / stepsPerEpoch(n: n))
    }

    /// A grid point on k-D XOR with the study's epochs for n.
    public func point(k: Int, p: Int, n: Int, hidden: Int, method: Method = .plain, initialization i: Int) -> TrainingPoint {
        TrainingPoint(data: .xor(k: k, p: p, n: n), hidden: hidden, method: method, initialization: i,
                      epochs: epochs(n: n), recipe: recipe)
    }

    /// The paper's Table 1: hidden nodes for k = 2...5 at n = 1000, p = k.
    public static let paperTable1: [Int: Int] = [2: 4, 3: 64, 4: 128, 5: 128]

    /// The sentence that states the settings the paper leaves out.
    public var sentence: String {
        let o = recipe.training.optimizer, b = recipe.training.batchSize
        return "Adam (lr \(o.learningRate), β = (\(o.beta1), \(o.beta2)), weight decay \(o.weightDecay) added to the gradient as in PyTorch), "
            + "batch \(b), PyTorch's default initialisation, BCE on the logit; "
            + "epochs = max(\(minEpochs), ⌈\(stepBudget) / ⌈n/\(b)⌉⌉) "
            + "(n = 1000: \(epochs(n: 1000)), n = 3000: \(epochs(n: 3000)), n = 10000: \(epochs(n: 10_000))). "
            + "Test set: \(XORData.masterTestRows) rows of a separate master set. Scale: \(scale.rawValue)."
    }
}

/// A number as the report prints it.
func f(_ x: Double, _ decimals: Int = 3) -> String { MarkdownReport.number(x, decimals: decimals) }
