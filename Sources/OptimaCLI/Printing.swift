// What every command prints: a line on stderr, a number at a fixed number of decimals, a
// training's progress, its summary, and the error for a run that diverged.
import Foundation
import Optima

/// Writes a line to standard error.
func printError(_ s: String) {
    fputs(s + "\n", stderr)
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

/// `x` with `digits` decimals (halves rounded away from zero). Numbers too large for that
/// rounding (|x| 10^digits of 1e15 and more) are printed by printf's %f, which never fails.
func fmt(_ x: Double, _ digits: Int = 4) -> String {
    guard x.isFinite else { return String(x) }
    guard abs(x) * pow10(digits) < 1e15 else { return String(format: "%.\(digits)f", x) }
    var s = String(Double(Int((abs(x) * pow10(digits)).rounded())) / pow10(digits))
    if x < 0 && s != "0.0" { s = "-" + s }
    let parts = s.split(separator: ".")
    let frac = parts.count > 1 ? String(parts[1]) : ""
    return String(parts[0]) + "." + frac.padding(toLength: digits, withPad: "0", startingAt: 0)
}

private func pow10(_ d: Int) -> Double { (0..<d).reduce(1.0) { r, _ in r * 10 } }

/// A run whose weights became NaN or infinite is an error, never a silent NaN in the output.
func checkConverged(_ o: Outcome) throws {
    if let e = o.divergedAtEpoch {
        throw TrainingDiverged(epoch: e)
    }
}

struct TrainingDiverged: Error, CustomStringConvertible {
    let epoch: Int
    var description: String {
        "training diverged in epoch \(epoch): a weight became NaN or infinite (try a smaller --lr)"
    }
}

/// The summary of a run: human lines, or one JSON object.
func printOutcome(_ o: Outcome, json: Bool, extra: [String: JSONValue] = [:]) {
    if json {
        print(JSONValue.object(o.json.merging(extra) { _, new in new }).jsonText)
        return
    }
    var line = "train loss \(fmt(o.train.loss))"
    if let a = o.train.auc { line += "  train AUC \(fmt(a))" }
    if let a = o.train.accuracy, o.train.auc == nil { line += "  train accuracy \(fmt(a))" }
    if let r = o.train.r2 { line += "  train R2 \(fmt(r))" }
    if let t = o.test {
        if let a = t.auc { line += "  test AUC \(fmt(a))" }
        if let a = t.accuracy, t.auc == nil { line += "  test accuracy \(fmt(a))" }
        if let r = t.r2 { line += "  test loss \(fmt(t.loss))  test R2 \(fmt(r))" }
    }
    print(line)
    print("network \(o.shape), \(o.epochs) epochs in \(fmt(o.seconds, 3)) s (\(fmt(o.msPerEpoch, 3)) ms/epoch)")
}
