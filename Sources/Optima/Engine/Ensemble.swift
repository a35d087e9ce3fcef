// Averaging networks trained from different seeds: on a few thousand rows one network's
// test accuracy moves by about ±1 % from seed to seed, their mean output much less.

/// Networks trained on the same data from different seeds, scored on their mean logits.
public struct EnsembleOutcome: Sendable {
    public var members: [Outcome]
    public var train: Evaluation
    public var test: Evaluation?
}

extension Recipe {
    /// `count` networks of this recipe, member m seeded from the recipe's seed and m, and the
    /// evaluation of their averaged outputs.
    public func ensemble(_ count: Int, train: Dataset, test: Dataset?) -> EnsembleOutcome {
        precondition(count >= 1)
        var members: [Outcome] = []
        var sumTrain = [Float](repeating: 0, count: train.count * train.task.outputCount)
        var sumTest = [Float](repeating: 0, count: (test?.count ?? 0) * train.task.outputCount)
        for m in 0..<count {
            var r = self
            if m > 0 {
                r.seed = derivedSeed(for: "ensemble-\(m)", base: seed)
                r.training.seed = r.seed
            }
            let network = r.makeNetwork(features: train.featureCount, task: train.task)
            members.append(r.run(network: network, train: train, test: test))
            for (i, v) in network.predict(train.features, rows: train.count).enumerated() { sumTrain[i] += v }
            if let test {
                for (i, v) in network.predict(test.features, rows: test.count).enumerated() { sumTest[i] += v }
            }
        }
        let scale = 1 / Float(count)
        return EnsembleOutcome(members: members, train: Evaluation(outputs: sumTrain.map { $0 * scale }, data: train),
                               test: test.map { Evaluation(outputs: sumTest.map { $0 * scale }, data: $0) })
    }
}
