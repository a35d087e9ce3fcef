// The recipe, network, optimiser and output flags shared by every command that trains.
// Their defaults are the library's recipes: `Recipe()` is the nsa preset, and --recipe
// starts from another paper's preset instead.
import Optima

/// The papers' presets, under the names --recipe takes.
let recipePresets: [(name: String, recipe: Recipe)] = [
    ("nsa", .nsa),
    ("cpna-table1", .cpnaTable1),
    ("counterexamples-gd", .counterexamplesGD),
    ("counterexamples-mnist", .counterexamplesMNIST()),
]

let recipeSection = FlagSection<Recipe>(title: "Recipe", flags: [
    Flag("recipe", value: recipePresets.map(\.name).joined(separator: "|"),
         help: "start from a paper's settings; the network and training flags below override them. "
            + recipePresets.dropFirst().map { "\($0.name): \(presetDifferences($0.recipe))" }.joined(separator: "; "),
         shown: { r in recipePresets.first { $0.recipe == r }?.name }) { r, name in
        guard let p = recipePresets.first(where: { $0.name == name }) else {
            throw UsageError("--recipe: '\(name)' is not one of \(recipePresets.map(\.name).joined(separator: ", "))")
        }
        r = p.recipe
    },
])

/// The flags in which a preset differs from nsa, e.g. "--wd 0.001", read off the tables.
private func presetDifferences(_ r: Recipe) -> String {
    (networkSection.flags + trainingSection.flags).compactMap { f in
        f.shown(r).flatMap { $0 == f.shown(.nsa) ? nil : "--\(f.name) \($0)" }
    }.joined(separator: " ")
}

/// The Gaussian initialisation's parameters when --init gaussian comes without them: the
/// counterexamples paper's N(0, 0.1²), from its preset.
private let paperGaussian: Initialization = {
    let i = Recipe.counterexamplesMNIST().initialization
    precondition(i != .pytorch, "the counterexamples MNIST preset initialises with a Gaussian")
    return i
}()

private func gaussianParameter(_ name: String, _ help: String, _ index: Int, in range: ClosedRange<Double>) -> Flag<Recipe> {
    func parameters(_ i: Initialization) -> [Double]? {
        if case let .gaussian(wm, ws, bm, bs) = i { return [wm, ws, bm, bs] }
        return nil
    }
    return Flag(name, value: "X", help: help,
                shown: { render((parameters($0.initialization) ?? parameters(paperGaussian)!)[index]) }) { r, s in
        guard var p = parameters(r.initialization) else { throw UsageError("--\(name) applies to --init gaussian") }
        p[index] = try parseDouble(name, s, in: range)
        r.initialization = .gaussian(weightMean: p[0], weightStd: p[1], biasMean: p[2], biasStd: p[3])
    }
}

private let anyNumber = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude

let networkSection = FlagSection<Recipe>(title: "Network", flags: [
    .intList("hidden", "H[,H2...]", "hidden layer sizes", \.hidden, in: 1...1_000_000),
    .choice("activation", "hidden activation", \.activation, [("relu", .relu), ("sigmoid", .sigmoid)]),
    Flag("init", value: "pytorch|gaussian",
         help: "initial weights: PyTorch's uniform ±1/sqrt(fan_in), or Gaussian with the parameters below",
         shown: { $0.initialization == .pytorch ? "pytorch" : "gaussian" }) { r, s in
        switch s {
        case "pytorch": r.initialization = .pytorch
        case "gaussian": if r.initialization == .pytorch { r.initialization = paperGaussian }
        default: throw UsageError("--init: '\(s)' is not one of pytorch, gaussian")
        }
    },
    gaussianParameter("init-w-mean", "mean of the Gaussian initial weights", 0, in: anyNumber),
    gaussianParameter("init-w-std", "standard deviation of the Gaussian initial weights", 1, in: 0...1e6),
    gaussianParameter("init-b-mean", "mean of the Gaussian initial biases", 2, in: anyNumber),
    gaussianParameter("init-b-std", "standard deviation of the Gaussian initial biases", 3, in: 0...1e6),
])

let trainingSection = FlagSection<Recipe>(title: "Training", flags: [
    .int("epochs", "N", "epochs", \.training.epochs, in: 1...1_000_000),
    .int("batch", "B", "minibatch size; gd uses the whole set", \.training.batchSize, in: 1...10_000_000),
    .choice("optimizer", "adam, minibatch sgd, or full-batch gradient descent", \.training.optimizer.kind),
    .float("lr", "X", "learning rate", \.training.optimizer.learningRate, in: 0...1e3),
    .float("wd", "X", "L2 weight decay added to the gradient, as PyTorch's Adam", \.training.optimizer.weightDecay, in: 0...1e3),
    .float("beta1", "X", "Adam's first-moment decay", \.training.optimizer.beta1, in: 0...0.999_999),
    .float("beta2", "X", "Adam's second-moment decay", \.training.optimizer.beta2, in: 0...0.999_999_9),
    .float("eps", "X", "Adam's epsilon", \.training.optimizer.epsilon, in: 0...1),
    // One seed for both, so `--seed S` names a run completely.
    Flag("seed", value: "S", help: "seeds the initial weights and the batch order", shown: { String($0.seed) }) { r, s in
        r.seed = UInt64(try parseInt("seed", s, in: 0...Int.max))
        r.training.seed = r.seed
    },
])

/// The recipe, network and training sections' help, with the defaults of `start`.
func trainingUsage(_ start: Recipe, without: Set<String> = []) -> [UsageSection] {
    [recipeSection.usage(start), networkSection.usage(start), trainingSection.excluding(without).usage(start)]
}

/// The recipe the other flags start from: --recipe's preset, else nsa (`Recipe()`).
func readRecipe(_ a: inout Arguments) throws -> Recipe {
    var r = Recipe.nsa
    try recipeSection.read(&a, into: &r)
    return r
}

/// The network and training flags, applied over `start`.
func readTrainingFlags(_ a: inout Arguments, from start: Recipe, without: Set<String> = []) throws -> Recipe {
    var r = start
    try networkSection.read(&a, into: &r)
    try trainingSection.excluding(without).read(&a, into: &r)
    return r
}

/// What train, nsa, fsa and cpna read alike: the data, the network and training over
/// `preset`, the trace and output flags, and --save-model.
func readTrainingCommandFlags(_ a: inout Arguments, preset: Recipe) throws
    -> (spec: String, dataOptions: DataOptions, recipe: Recipe, output: OutputFlags, model: ModelFlags) {
    let (spec, dataOptions) = try readDataFlags(&a)
    let recipe = try readTrainingFlags(&a, from: preset)
    var output = OutputFlags()
    try traceSection.read(&a, into: &output)
    try outputSection.read(&a, into: &output)
    var model = ModelFlags()
    try modelSection.read(&a, into: &model)
    return (spec, dataOptions, recipe, output, model)
}

struct OutputFlags {
    var json = false
    var quiet = false
    var trace: String?
}

let outputSection = FlagSection<OutputFlags>(title: "Output", flags: [
    .toggle("json", "print one JSON object, as the last line of stdout, instead of the summary", \.json),
    .toggle("quiet", "no progress lines on stderr", \.quiet),
])

/// Threads inside one training (train, nsa, fsa, cpna); sweeps, studies and select run
/// whole trainings side by side instead (their --threads).
struct ThreadFlags {
    var threads = 1
}

let threadSection = FlagSection<ThreadFlags>(title: "Threads", flags: [
    .int("threads", "N", "threads in this one training: each step's batch rows, then its parameters, are split "
         + "among N workers; the same seed gives the same result at a given N, and between Ns the gradient sums "
         + "change order (float rounding). Steps of fewer than \(ParallelStep.minimumWork / 1_000_000) M multiply-adds (batch rows x the "
         + "sum of in x out over the layers) stay on one thread: there the split costs more than it saves",
         \.threads, in: 1...64),
])

let traceSection = FlagSection<OutputFlags>(title: "Trace", flags: [
    .text("trace", "FILE.csv", "per-epoch trace: epoch, nodes, features, connections, train loss, train AUC, "
          + "test AUC, training seconds, train and test accuracy", \.trace),
])

