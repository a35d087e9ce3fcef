// Averaging networks trained from different seeds: on a few thousand rows one network's
// test accuracy moves by about ±1 % from seed to seed, their mean output much less.

/// Networks trained on the same data from different seeds, scored on their mean logits.
public struct EnsembleOutcome {
    public var members: [Outcome]
    /// The trained networks, in member order (what a saved model of the ensemble holds).
    public var networks: [Network]
    /// The mean outputs' evaluations, in the data's own units.
    public var train: Evaluation
    public var test: Evaluation?
}

extension Recipe {
    /// `count` networks of this recipe, member m seeded from the recipe's seed and m, and the
    /// evaluation of their averaged outputs. With `targetScaling` (regression) the members
    /// train on standardised targets and the averaged outputs are scaled back before they
    /// are scored, so the evaluations are in the data's units.
    public func ensemble(_ count: Int, train: Dataset, test: Dataset?, targetScaling: TargetScaling? = nil) -> EnsembleOutcome {
        precondition(count >= 1)
        let fitTrain = targetScaling?.apply(train) ?? train
        let fitTest = test.map { targetScaling?.apply($0) ?? $0 }
        var members: [Outcome] = [], networks: [Network] = []
        var sumTrain = [Float](repeating: 0, count: train.count * train.task.outputCount)
        var sumTest = [Float](repeating: 0, count: (test?.count ?? 0) * train.task.outputCount)
        for m in 0..<count {
            var r = self
            if m > 0 {
                r.seed = derivedSeed(for: "ensemble-\(m)", base: seed)
                r.training.seed = r.seed
            }
            let network = r.makeNetwork(features: train.featureCount, task: train.task)
            members.append(r.run(network: network, train: fitTrain, test: fitTest))
            networks.append(network)
            for (i, v) in network.predict(train.features, rows: train.count).enumerated() { sumTrain[i] += v }
            if let test {
                for (i, v) in network.predict(test.features, rows: test.count).enumerated() { sumTest[i] += v }
            }
        }
        let scale = 1 / Float(count)
        func mean(_ sums: [Float]) -> [Float] {
            let m = sums.map { $0 * scale }
            return targetScaling?.undo(m) ?? m
        }
        return EnsembleOutcome(members: members, networks: networks, train: Evaluation(outputs: mean(sumTrain), data: train),
                               test: test.map { Evaluation(outputs: mean(sumTest), data: $0) })
    }
}
