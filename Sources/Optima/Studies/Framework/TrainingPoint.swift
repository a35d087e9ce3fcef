// One training of a study's grid: the data, the starting width, the method, the
// initialisation number and the epochs, trained with the study's recipe. Its key names it
// and fixes its seeds, so threads, shards and resumed runs all give the same numbers.

public struct TrainingPoint: Sendable {
    public var data: DataSpec
    /// Hidden nodes the network starts with (per hidden layer).
    public var hidden: Int
    public var method: Method
    public var initialization: Int
    public var epochs: Int
    /// Optimiser, batch, activation and initialisation scheme. Not part of the key: a study
    /// trains every point with one recipe per scale.
    public var recipe: Recipe
    /// Record the per-epoch trace (loss, AUC, connections) in the result. Not part of the
    /// key: observing a training does not change it.
    public var traced = false
    /// Names the recipe where one grid trains with several (e.g. "adam,sigmoid"). Part of the
    /// key, not of the seed: the same initialisation number starts every recipe from the
    /// same weights, so recipes are compared on paired starts.
    public var variant: String?
    /// Networks trained by this one point, from initialisations `initialization`,
    /// `initialization + 1`, …: a block of tiny trainings that is one job of the runner (one
    /// record, one resumable unit). Run r has the seed the single point of initialisation
    /// `initialization + r` would have.
    public var runs = 1
    /// Hidden layers, each of `hidden` nodes (784-h-…-h-10 in the counterexamples paper's
    /// Fig. 1). Part of the key when it is not 1, so one-layer keys stay as they were.
    public var hiddenLayers = 1

    public init(data: DataSpec, hidden: Int, method: Method = .plain, initialization: Int, epochs: Int,
                recipe: Recipe = .nsa) {
        self.data = data
        self.hidden = hidden
        self.method = method
        self.initialization = initialization
        self.epochs = epochs
        self.recipe = recipe
    }

    /// Mixed into every point's seed.
    public static let baseSeed: UInt64 = 2020

    /// Names the point, e.g. "k=3,p=15,n=1000,h=20,method=plain,epochs=125,init=7"; the same
    /// point in two studies trains the same network.
    public var key: String {
        "\(data.keyPart),\(method.keyPart(hidden: hidden)),epochs=\(epochs),init=\(initialization)"
            + (hiddenLayers == 1 ? "" : ",layers=\(hiddenLayers)")
            + (variant.map { ",recipe=\($0)" } ?? "") + (runs == 1 ? "" : ",runs=\(runs)")
    }

    /// The seed of the initial weights; the batch order uses the next one, a fresh
    /// re-initialisation for retraining the one after. A retraining takes the seed of the
    /// pruning run it retrains, so the CPNA point and both retrainings of it share one
    /// pruned network.
    public var seed: UInt64 { derivedSeed(for: seedKey, base: TrainingPoint.baseSeed) }

    /// The key of the training whose seed this point uses.
    var seedKey: String {
        var single = self
        (single.variant, single.runs) = (nil, 1)
        guard case let .retrain(_, of) = method else { return single.key }
        single.method = of
        return single.key
    }

    /// The single training that run `r` of a block is.
    func run(_ r: Int) -> TrainingPoint {
        var p = self
        (p.initialization, p.runs) = (initialization + r, 1)
        return p
    }

    /// The XOR interaction order of the point's data (0 for other data).
    public var k: Int { data.k ?? 0 }
    public var p: Int { if case let .xor(_, p, _) = data { return p } else { return 0 } }
    public var n: Int { if case let .xor(_, _, n) = data { return n } else { return 0 } }
}
