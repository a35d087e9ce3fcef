// The losses the networks train on, each beside its gradient with respect to the output
// logits: binary cross-entropy on logits, softmax cross-entropy and squared error. The
// values are computed in Double for reports; the gradient in Float inside the training step.

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

public enum Loss {
    /// Mean binary cross-entropy of logits, computed stably in Double:
    /// log(1 + e^z) - y z = max(z,0) - y z + log(1 + e^-|z|).
    public static func binaryCrossEntropy(logits: [Float], labels: [Float]) -> Double {
        var s = 0.0
        for (z32, y32) in zip(logits, labels) {
            let (z, y) = (Double(z32), Double(y32))
            s += max(z, 0) - y * z + log1p(exp(-abs(z)))
        }
        return s / Double(max(1, logits.count))
    }

    /// Mean softmax cross-entropy of row-major logits [rows x width].
    public static func softmaxCrossEntropy(logits: [Float], labels: [Float], width: Int) -> Double {
        var s = 0.0
        for r in 0..<labels.count {
            var mx = -Double.infinity
            for c in 0..<width { mx = max(mx, Double(logits[r * width + c])) }
            var sum = 0.0
            for c in 0..<width { sum += exp(Double(logits[r * width + c]) - mx) }
            s += mx + log(sum) - Double(logits[r * width + Int(labels[r])])
        }
        return s / Double(max(1, labels.count))
    }

    /// Mean over every element of (output - target)^2.
    public static func meanSquaredError(outputs: [Float], targets: [Float]) -> Double {
        var s = 0.0
        for (o, t) in zip(outputs, targets) { let d = Double(o) - Double(t); s += d * d }
        return s / Double(max(1, outputs.count))
    }

    /// The loss the network trains on, for the task (without the weight-decay term).
    public static func value(task: Task, outputs: [Float], targets: [Float]) -> Double {
        switch task {
        case .binary: return binaryCrossEntropy(logits: outputs, labels: targets)
        case .multiclass(let c): return softmaxCrossEntropy(logits: outputs, labels: targets, width: c)
        case .regression: return meanSquaredError(outputs: outputs, targets: targets)
        }
    }

    /// d(loss)/d(output) for `rows` rows of `outputs` into `d`: the mean over rows, as the
    /// value above, so a step's size does not depend on the batch size.
    @inline(__always)
    public static func gradient(task: Task, outputs z: UnsafePointer<Float>, targets y: UnsafePointer<Float>,
                                into d: UnsafeMutablePointer<Float>, rows: Int, meanOver total: Int? = nil) {
        // `total`: the batch's rows when these are one worker's share of it (`ParallelStep`).
        let total = total ?? rows
        let scale = 1 / Float(total)
        switch task {
        case .binary:
            for i in 0..<rows { d[i] = (1 / (1 + expf(-z[i])) - y[i]) * scale }
        case .multiclass(let c):
            for i in 0..<rows {
                let row = z + i * c, g = d + i * c
                var mx = row[0]
                for j in 1..<c where row[j] > mx { mx = row[j] }
                var sum: Float = 0
                for j in 0..<c { g[j] = expf(row[j] - mx); sum += g[j] }
                let inv = 1 / sum
                for j in 0..<c { g[j] = g[j] * inv * scale }
                g[Int(y[i])] -= scale
            }
        case .regression(let o):
            // d/dz mean((z - y)^2) over rows*o elements.
            let s = 2 / Float(total * o)
            for i in 0..<(rows * o) { d[i] = (z[i] - y[i]) * s }
        }
    }
}
