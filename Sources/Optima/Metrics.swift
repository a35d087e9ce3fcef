// Loss values and quality measures: binary cross-entropy on logits, softmax
// cross-entropy, squared error, accuracy and the exact ROC AUC.

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

public enum Metrics {
    /// Exact ROC AUC (Mann–Whitney U), ties given their average rank.
    /// Returns nil when one class is absent (AUC undefined).
    public static func auc(scores: [Float], labels: [Float]) -> Double? {
        precondition(scores.count == labels.count)
        let n = scores.count
        let positives = labels.reduce(0) { $0 + ($1 > 0.5 ? 1 : 0) }
        let negatives = n - positives
        guard positives > 0, negatives > 0 else { return nil }
        let order = (0..<n).sorted { scores[$0] < scores[$1] }
        var rankSumPositive = 0.0
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            // Ranks i+1 ... j+1 share their mean.
            let meanRank = Double(i + j + 2) / 2
            for t in i...j where labels[order[t]] > 0.5 { rankSumPositive += meanRank }
            i = j + 1
        }
        let p = Double(positives)
        return (rankSumPositive - p * (p + 1) / 2) / (p * Double(negatives))
    }

    /// Fraction of rows whose predicted class equals the label. For binary outputs
    /// (one logit per row) the prediction is logit > 0.
    public static func accuracy(outputs: [Float], labels: [Float], width: Int) -> Double {
        guard !labels.isEmpty else { return 0 }
        var correct = 0
        for r in 0..<labels.count {
            let predicted: Int
            if width == 1 {
                predicted = outputs[r] > 0 ? 1 : 0
            } else {
                var best = 0
                for c in 1..<width where outputs[r * width + c] > outputs[r * width + best] { best = c }
                predicted = best
            }
            if predicted == Int(labels[r]) { correct += 1 }
        }
        return Double(correct) / Double(labels.count)
    }

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
    public static func loss(task: Task, outputs: [Float], targets: [Float]) -> Double {
        switch task {
        case .binary: return binaryCrossEntropy(logits: outputs, labels: targets)
        case .multiclass(let c): return softmaxCrossEntropy(logits: outputs, labels: targets, width: c)
        case .regression: return meanSquaredError(outputs: outputs, targets: targets)
        }
    }
}

/// Loss and quality of a network on one data set.
public struct Evaluation: Sendable, Equatable {
    public var loss: Double
    /// Binary tasks only.
    public var auc: Double?
    /// Classification only.
    public var accuracy: Double?

    public init(network: Network, data: Dataset) {
        let out = network.predict(data.features, rows: data.count)
        loss = Metrics.loss(task: data.task, outputs: out, targets: data.targets)
        switch data.task {
        case .binary:
            auc = Metrics.auc(scores: out, labels: data.targets)
            accuracy = Metrics.accuracy(outputs: out, labels: data.targets, width: 1)
        case .multiclass(let c):
            auc = nil
            accuracy = Metrics.accuracy(outputs: out, labels: data.targets, width: c)
        case .regression:
            auc = nil
            accuracy = nil
        }
    }
}
