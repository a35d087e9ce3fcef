// A sweep: many random initialisations of one network on one data set, trained in
// parallel through the experiment runner, so a killed sweep resumes and a large one
// can be sharded. The question it answers is how deep the minima that plain training
// finds are, and how often the deep ones come up.

public enum Sweep {
    /// The seed of initialisation `i`: derived from the sweep's seed, so any single
    /// initialisation can be re-run alone with `optima train --seed`.
    public static func seed(initialization i: Int, base: UInt64) -> UInt64 {
        derivedSeed(for: "init-\(i)", base: base) & 0x7FFF_FFFF_FFFF_FFFF
    }

    /// One job per initialisation. `configuration` names everything else the trainings
    /// depend on (data, flags); it is part of every key, so one results file never mixes
    /// two settings.
    public static func jobs(recipe: Recipe, train: Dataset, test: Dataset?, initializations: Int,
                            configuration: String) -> [ExperimentJob] {
        let tag = String(derivedSeed(for: configuration + "|\(recipe)", base: 0), radix: 16)
        return (0..<initializations).map { i in
            ExperimentJob(index: i, key: "\(tag)/init-\(i)", schema: recordSchema.requiring("init", equals: JSONValue(i))) {
                var r = recipe
                r.seed = seed(initialization: i, base: recipe.seed)
                r.training.seed = r.seed
                var record = r.run(train: train, test: test).json
                record["init"] = JSONValue(i)
                record["seed"] = JSONValue(String(r.seed))
                return record
            }
        }
    }

    /// An initialisation's record: the training's, its number, and its seed as text (a
    /// UInt64 does not survive a JSON number), which `--save-model` trains again from.
    public static let recordSchema = Outcome.recordSchema.adding([.required("init", .count), .required("seed", .text)]) { r in
        r["seed"]?.string.flatMap { UInt64($0) } == nil ? "field \"seed\" is not a whole number written as text" : nil
    }

    /// Whether `key` is the key of a sweep's initialisation ("TAG/init-I"), for merge.
    public static func isKey(_ key: String) -> Bool {
        guard let slash = key.lastIndex(of: "/") else { return false }
        let tail = key[key.index(after: slash)...]
        return tail.hasPrefix("init-") && Int(tail.dropFirst(5)) != nil
    }

    /// What a sweep found, from its records.
    public struct Summary: Sendable {
        public var count: Int
        public var diverged: Int
        /// Training losses, ascending.
        public var losses: [Double]
        /// The record of the initialisation with the lowest training loss.
        public var best: ResultRecord?

        public init(_ records: [ResultRecord]) {
            count = records.count
            diverged = records.filter { $0["diverged_at_epoch"] != nil }.count
            let finite = records.filter { $0["diverged_at_epoch"] == nil && ($0["train_loss"]?.double?.isFinite ?? false) }
            let sorted = finite.sorted { $0["train_loss"]!.double! < $1["train_loss"]!.double! }
            losses = sorted.map { $0["train_loss"]!.double! }
            best = sorted.first
        }

        public var json: [String: JSONValue] {
            var o: [String: JSONValue] = ["initializations": JSONValue(count), "diverged": JSONValue(diverged)]
            if let lo = losses.first, let hi = losses.last {
                o["train_loss_min"] = JSONValue(lo)
                o["train_loss_median"] = JSONValue(losses[losses.count / 2])
                o["train_loss_max"] = JSONValue(hi)
            }
            if let best { o["best"] = .object(best) }
            return o
        }
    }
}
