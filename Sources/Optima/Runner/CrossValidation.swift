// Cross-validated grid search: every setting of a grid trained on the folds of a repeated,
// stratified k-fold split, scored on the held-out fold, and summarised as the mean and the
// standard deviation of the validation scores. The scaling is fitted on each training fold
// only, so the held-out fold is as unseen as a test set.
//
// Every training is one job of the experiment runner: parallel, resumable and shardable.
// A fold's rows come from the repeat's seed and a training's seed from the repeat and the
// fold, so every setting meets the same folds and the same initialisation seeds, and a
// resumed or sharded run gives the numbers of an uninterrupted one.

/// One axis of a grid: a flag and the values it takes, in the order given.
public struct GridAxis: Sendable, Equatable {
    public let name: String
    public let values: [String]

    public init(name: String, values: [String]) {
        self.name = name
        self.values = values
    }
}

/// One point of a grid: a value for every axis, in the axes' order.
public struct GridSetting: Sendable, Equatable {
    public let values: [(name: String, value: String)]

    public init(_ values: [(name: String, value: String)]) { self.values = values }

    public static func == (a: GridSetting, b: GridSetting) -> Bool {
        a.values.map { "\($0.name)=\($0.value)" } == b.values.map { "\($0.name)=\($0.value)" }
    }

    /// "hidden=16 wd=1e-4"; "default" for the grid of no axes.
    public var label: String {
        values.isEmpty ? "default" : values.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
    }

    public subscript(name: String) -> String? { values.first { $0.name == name }?.value }
}

public enum CrossValidation {
    /// Every combination of the axes' values, the first axis varying slowest. No axes: one
    /// setting (the command's flags as given).
    public static func expand(_ axes: [GridAxis]) -> [GridSetting] {
        axes.reduce([GridSetting([])]) { settings, axis in
            settings.flatMap { s in axis.values.map { GridSetting(s.values + [(axis.name, $0)]) } }
        }
    }

    /// What a fold is scored by: AUC for binary data, accuracy for several classes, the
    /// loss (lower is better) for regression.
    public enum Metric: String, Sendable {
        case auc, accuracy, loss

        public init(_ task: Task) {
            switch task {
            case .binary: self = .auc
            case .multiclass: self = .accuracy
            case .regression: self = .loss
            }
        }

        public var higherIsBetter: Bool { self != .loss }

        func score(_ e: Evaluation) -> Double? {
            switch self {
            case .auc: return e.auc
            case .accuracy: return e.accuracy
            case .loss: return e.loss
            }
        }
    }

    /// The seed of the training on `split` of a setting whose flags give seed `base`.
    public static func trainingSeed(_ split: FoldSplit, base: UInt64) -> UInt64 {
        derivedSeed(for: "cv-repeat-\(split.repeatIndex)/fold-\(split.fold)", base: base) & 0x7FFF_FFFF_FFFF_FFFF
    }

    /// One job per setting, repeat and fold. `configuration(i)` names everything setting i's
    /// trainings depend on besides the fold (data, method, every flag); it goes into the key
    /// through a hash, so one results file never mixes two settings or two data sets.
    /// `train(i, trainingPart, validationPart, split)` trains setting i and returns its outcome,
    /// evaluated on the validation part as its test set.
    public static func jobs(settings: [GridSetting], configuration: (Int) -> String, data: Dataset, splits: [FoldSplit],
                            scaling: Scaling, inputScale: Float,
                            train: @escaping @Sendable (Int, Dataset, Dataset, FoldSplit) throws -> Outcome) -> [ExperimentJob] {
        let metric = Metric(data.task)
        var jobs: [ExperimentJob] = []
        for (i, setting) in settings.enumerated() {
            let tag = String(derivedSeed(for: configuration(i), base: 0), radix: 16)
            for split in splits {
                let key = "\(tag)/\(setting.label)/repeat=\(split.repeatIndex),fold=\(split.fold)"
                let schema = recordSchema.requiring("setting", equals: JSONValue(i))
                    .requiring("repeat", equals: JSONValue(split.repeatIndex)).requiring("fold", equals: JSONValue(split.fold))
                jobs.append(ExperimentJob(index: jobs.count, key: key, schema: schema) {
                    let (a, b) = Folds.foldData(data, split, scaling: scaling, inputScale: inputScale)
                    let outcome = try train(i, a, b, split)
                    var record = outcome.json
                    record["setting"] = JSONValue(i)
                    record["repeat"] = JSONValue(split.repeatIndex)
                    record["fold"] = JSONValue(split.fold)
                    for (name, value) in setting.values { record["flag_" + name] = .string(value) }
                    if outcome.divergedAtEpoch == nil, let t = outcome.test, let s = metric.score(t), s.isFinite {
                        record["score"] = JSONValue(s)
                    }
                    return record
                })
            }
        }
        return jobs
    }

    /// A fold's record: the training's, the setting's number, the repeat and the fold, and the
    /// score on the held-out fold (absent where the training diverged or had none).
    public static let recordSchema = Outcome.recordSchema.adding([
        .required("setting", .count), .required("repeat", .count), .required("fold", .count), .optional("score", .finite),
    ]) { r in
        if let flag = r.first(where: { $0.key.hasPrefix("flag_") && $0.value.string == nil }) {
            return "field \"\(flag.key)\" is not text"
        }
        // The score is the held-out fold's AUC, accuracy or loss, as the record has them.
        if let s = r["score"]?.double, !["test_auc", "test_accuracy", "test_loss"].contains(where: { r[$0]?.double == s }) {
            return "field \"score\" is none of the record's test AUC, accuracy and loss"
        }
        return nil
    }

    /// Whether `key` is the key of a fold's training ("TAG/SETTING/repeat=R,fold=F"), for merge.
    public static func isKey(_ key: String) -> Bool {
        guard let slash = key.lastIndex(of: "/") else { return false }
        let parts = key[key.index(after: slash)...].split(separator: ",")
        return parts.count == 2 && parts[0].hasPrefix("repeat=") && Int(parts[0].dropFirst(7)) != nil
            && parts[1].hasPrefix("fold=") && Int(parts[1].dropFirst(5)) != nil
    }

    /// A setting's validation scores in short.
    public struct Row: Sendable {
        public var setting: GridSetting
        /// Mean and (sample) standard deviation over every fold of every repeat.
        public var mean: Double
        public var sd: Double
        /// Folds scored, and folds whose training diverged (they have no score).
        public var scored: Int
        public var diverged: Int
        /// Binary data, which is scored by AUC: the validation accuracy's mean and sd too,
        /// the number a researcher asks for first.
        public var accuracy: (mean: Double, sd: Double)?
    }

    public struct Summary: Sendable {
        public var metric: Metric
        public var rows: [Row]
        /// The row with the best mean; on a tie, the first in grid order.
        public var best: Int?

        public var json: [String: JSONValue] {
            func row(_ r: Row) -> JSONValue {
                var o: [String: JSONValue] = ["setting": .string(r.setting.label), "mean": JSONValue(r.mean),
                                              "sd": JSONValue(r.sd), "folds": JSONValue(r.scored),
                                              "diverged": JSONValue(r.diverged)]
                o["flags"] = .object(Dictionary(uniqueKeysWithValues: r.setting.values.map { ($0.name, JSONValue.string($0.value)) }))
                if let a = r.accuracy {
                    o["mean_accuracy"] = JSONValue(a.mean)
                    o["sd_accuracy"] = JSONValue(a.sd)
                }
                return .object(o)
            }
            var o: [String: JSONValue] = ["metric": .string(metric.rawValue), "settings": .array(rows.map(row))]
            if let best { o["best"] = row(rows[best]) }
            return o
        }

        /// One row per setting: a column per axis, then mean, sd, folds, diverged (and, for
        /// binary data, the accuracy's mean and sd).
        public var csv: CSVTable {
            let names = rows.first?.setting.values.map(\.name) ?? []
            let withAccuracy = metric == .auc
            var t = CSVTable(header: names + ["mean_\(metric.rawValue)", "sd", "folds", "diverged"]
                + (withAccuracy ? ["mean_accuracy", "sd_accuracy"] : []))
            for r in rows {
                var cells = r.setting.values.map(\.value) + [CSVTable.cell(r.mean), CSVTable.cell(r.sd), String(r.scored),
                                                            String(r.diverged)]
                if withAccuracy { cells += [CSVTable.cell(r.accuracy?.mean ?? .nan), CSVTable.cell(r.accuracy?.sd ?? .nan)] }
                t.addRow(cells)
            }
            return t
        }
    }

    /// The summary of a grid's records (each carries its setting's number as "setting").
    public static func summarize(_ records: [ResultRecord], settings: [GridSetting], metric: Metric) -> Summary {
        var scores = [[Double]](repeating: [], count: settings.count)
        var accuracies = [[Double]](repeating: [], count: settings.count)
        var diverged = [Int](repeating: 0, count: settings.count)
        for r in records {
            guard let i = r["setting"]?.int, settings.indices.contains(i) else { continue }
            if let s = r["score"]?.double {
                scores[i].append(s)
                if let a = r["test_accuracy"]?.double, a.isFinite { accuracies[i].append(a) }
            } else {
                diverged[i] += 1
            }
        }
        var rows: [Row] = []
        var best: Int?
        for (i, s) in settings.enumerated() {
            let (mean, sd) = CrossValidation.meanAndSD(scores[i])
            rows.append(Row(setting: s, mean: mean, sd: sd, scored: scores[i].count, diverged: diverged[i],
                            accuracy: metric == .auc ? CrossValidation.meanAndSD(accuracies[i]) : nil))
            // A setting with a diverged fold is not chosen: its mean leaves out a failure.
            guard mean.isFinite, diverged[i] == 0 else { continue }
            if let b = best {
                let better = metric.higherIsBetter ? mean > rows[b].mean : mean < rows[b].mean
                if better { best = i }
            } else {
                best = i
            }
        }
        return Summary(metric: metric, rows: rows, best: best)
    }

    /// The mean and the (sample) standard deviation, NaN and 0 for no values. Summed in a way
    /// that does not overflow where the answer is a Double (losses can be large numbers).
    static func meanAndSD(_ xs: [Double]) -> (mean: Double, sd: Double) {
        guard !xs.isEmpty else { return (.nan, 0) }
        var mean = 0.0
        for (k, x) in xs.enumerated() { mean += (x - mean) / Double(k + 1) }
        guard xs.count > 1 else { return (mean, 0) }
        let scale = xs.map { abs($0 - mean) }.max() ?? 0
        guard scale > 0, scale.isFinite else { return (mean, scale.isFinite ? 0 : .nan) }
        let squares = xs.reduce(0) { $0 + (($1 - mean) / scale) * (($1 - mean) / scale) }
        return (mean, scale * (squares / Double(xs.count - 1)).squareRoot())
    }

    /// The grid as a plot: the first axis along x, one line per combination of the others,
    /// each point the mean validation score (the band: ± one sd). A numeric first axis spread
    /// over more than a factor of 20 is drawn on a log axis; a non-numeric one by position.
    public static func plot(_ summary: Summary, title: String) -> SVGPlot {
        let axisName = summary.rows.first?.setting.values.first?.name
        let xs = summary.rows.map { r in r.setting.values.first.map { Double($0.value) } ?? 0 }
        let numeric = xs.allSatisfy { $0 != nil }
        let values = xs.compactMap { $0 }
        let log = numeric && (values.min() ?? 0) > 0 && (values.max() ?? 1) / (values.min() ?? 1) > 20
        var positions: [String: Double] = [:]
        var p = SVGPlot(title: title, xLabel: axisName.map { "--" + $0 } ?? "setting",
                        yLabel: "validation \(summary.metric.rawValue) (mean ± sd)", xLog: log)
        var lines: [(name: String, x: [Double], mean: [Double], sd: [Double])] = []
        for (i, r) in summary.rows.enumerated() where r.mean.isFinite {
            let first = r.setting.values.first?.value ?? ""
            let x: Double
            if numeric {
                x = values.isEmpty ? 1 : xs[i]!
            } else {
                x = positions[first] ?? Double(positions.count + 1)
                positions[first] = x
            }
            let rest = GridSetting(Array(r.setting.values.dropFirst())).label
            if let j = lines.firstIndex(where: { $0.name == rest }) {
                lines[j].x.append(x); lines[j].mean.append(r.mean); lines[j].sd.append(r.sd)
            } else {
                lines.append((rest, [x], [r.mean], [r.sd]))
            }
        }
        for l in lines {
            let name = l.name == "default" ? (summary.rows.count == 1 ? "the one setting" : "mean") : l.name
            p.addBand(x: l.x, lower: zip(l.mean, l.sd).map { $0 - $1 }, upper: zip(l.mean, l.sd).map { $0 + $1 })
            p.addLine(name: name, x: l.x, y: l.mean, markers: true)
        }
        return p
    }
}
