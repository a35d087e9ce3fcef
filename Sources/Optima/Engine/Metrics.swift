// Quality measures the papers report: accuracy and the exact ROC AUC. (The losses are in Loss.swift.)

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

public enum Metrics {
    /// Coefficient of determination over every output: 1 - SSE / SST, each output's SST
    /// about its own mean. nil for no rows or constant targets (R² undefined).
    public static func r2(outputs: [Float], targets: [Float], width: Int) -> Double? {
        let rows = targets.count / max(1, width)
        guard rows > 0, outputs.count == targets.count else { return nil }
        var mean = [Double](repeating: 0, count: width)
        for (i, t) in targets.enumerated() { mean[i % width] += Double(t) }
        for o in 0..<width { mean[o] /= Double(rows) }
        var sse = 0.0, sst = 0.0
        for i in targets.indices {
            let t = Double(targets[i]), e = Double(outputs[i]) - t, d = t - mean[i % width]
            sse += e * e
            sst += d * d
        }
        return sst > 0 ? 1 - sse / sst : nil
    }

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
}
