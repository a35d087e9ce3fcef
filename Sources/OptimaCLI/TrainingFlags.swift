// The network and optimiser flags shared by every command that trains.
import Optima

let trainingFlagsHelp = """
  Network:
    --hidden H[,H2...]   hidden layer sizes (default 1024)
    --activation A       hidden activation: relu | sigmoid (default relu)
    --init I             pytorch (uniform ±1/sqrt(fan_in)) | gaussian (default pytorch)
    --init-w-mean M --init-w-std S --init-b-mean M --init-b-std S
                         the Gaussian initialisation's parameters (default 0, 0.1, 0, 0.1)
  Training:
    --epochs N           epochs (default 300)
    --batch B            minibatch size (default 64; gd uses the whole set)
    --optimizer O        adam | sgd | gd (default adam)
    --lr X               learning rate (default 1e-3)
    --wd X               L2 weight decay added to the gradient, as PyTorch's Adam (default 1e-4)
    --beta1 X --beta2 X --eps X   Adam's constants (default 0.9, 0.999, 1e-8)
    --seed S             seeds the initial weights and the batch order (default 1)
  Output:
    --json               print one JSON object on the last line of stdout instead of the summary
    --quiet              no progress lines on stderr
"""

struct OutputFlags {
    var json = false
    var quiet = false
}

/// The flags without a value that every training command accepts (output and data ones).
let outputSwitches: Set<String> = Set(["json", "quiet", "help"]).union(dataSwitches)

func readOutputFlags(_ a: inout Arguments) -> OutputFlags {
    OutputFlags(json: a.flag("json"), quiet: a.flag("quiet"))
}

func readTrainingFlags(_ a: inout Arguments) throws -> Recipe {
    var r = Recipe()
    r.hidden = try a.intList("hidden", default: [1024], range: 1...1_000_000)
    r.activation = try a.choice("activation", default: "relu", from: ["relu", "sigmoid"]) == "relu" ? .relu : .sigmoid
    let initName = try a.choice("init", default: "pytorch", from: ["pytorch", "gaussian"])
    let wm = try a.double("init-w-mean", default: 0), ws = try a.double("init-w-std", default: 0.1, range: 0...1e6)
    let bm = try a.double("init-b-mean", default: 0), bs = try a.double("init-b-std", default: 0.1, range: 0...1e6)
    r.initialization = initName == "pytorch" ? .pytorch : .gaussian(weightMean: wm, weightStd: ws, biasMean: bm, biasStd: bs)
    r.training.epochs = try a.int("epochs", default: 300, range: 1...1_000_000)
    r.training.batchSize = try a.int("batch", default: 64, range: 1...10_000_000)
    r.training.optimizer.kind = OptimizerKind(rawValue: try a.choice("optimizer", default: "adam", from: OptimizerKind.allCases.map(\.rawValue)))!
    r.training.optimizer.learningRate = Float(try a.double("lr", default: 1e-3, range: 0...1e3))
    r.training.optimizer.weightDecay = Float(try a.double("wd", default: 1e-4, range: 0...1e3))
    r.training.optimizer.beta1 = Float(try a.double("beta1", default: 0.9, range: 0...0.999_999))
    r.training.optimizer.beta2 = Float(try a.double("beta2", default: 0.999, range: 0...0.999_999_9))
    r.training.optimizer.epsilon = Float(try a.double("eps", default: 1e-8, range: 0...1))
    let seed = UInt64(try a.int("seed", default: 1, range: 0...Int.max))
    r.seed = seed
    r.training.seed = seed
    return r
}

/// Prints a progress line to stderr about ten times per run, and at least every few seconds.
final class ProgressPrinter {
    let test: Dataset?
    let epochs: Int
    let enabled: Bool
    private var lastPrint = monotonicSeconds()

    init(test: Dataset?, epochs: Int, enabled: Bool) {
        self.test = test
        self.epochs = epochs
        self.enabled = enabled
    }

    func observe(_ trainer: Trainer, _ epoch: Int, _ seconds: Double) {
        guard enabled else { return }
        let now = monotonicSeconds()
        let tenth = max(1, epochs / 10)
        guard epoch % tenth == 0 || epoch == epochs || now - lastPrint > 5 else { return }
        lastPrint = now
        let tr = Evaluation(network: trainer.network, data: trainer.view(of: trainer.train))
        var line = "epoch \(pad(epoch, epochs))/\(epochs)  loss \(fmt(tr.loss))"
        if let a = tr.auc { line += "  train AUC \(fmt(a))" } else if let a = tr.accuracy { line += "  train acc \(fmt(a))" }
        if let test {
            let te = Evaluation(network: trainer.network, data: trainer.view(of: test))
            if let a = te.auc { line += "  test AUC \(fmt(a))" } else if let a = te.accuracy { line += "  test acc \(fmt(a))" }
        }
        line += "  net \(trainer.network.shape)  \(fmt(seconds, 2)) s"
        printError(line)
    }

    private func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: " ", count: max(0, String(width).count - s.count)) + s
    }
}

func fmt(_ x: Double, _ digits: Int = 4) -> String {
    guard x.isFinite else { return String(x) }
    var s = String(Double(Int((abs(x) * pow10(digits)).rounded())) / pow10(digits))
    if x < 0 && s != "0.0" { s = "-" + s }
    let parts = s.split(separator: ".")
    let frac = parts.count > 1 ? String(parts[1]) : ""
    return String(parts[0]) + "." + frac.padding(toLength: digits, withPad: "0", startingAt: 0)
}

private func pow10(_ d: Int) -> Double { (0..<d).reduce(1.0) { r, _ in r * 10 } }
