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
    /// The members train on up to `threads` threads; the outputs are summed in member order,
    /// so any number of threads gives the same numbers.
    public func ensemble(_ count: Int, train: Dataset, test: Dataset?, targetScaling: TargetScaling? = nil,
                         threads: Int = 1) -> EnsembleOutcome {
        precondition(count >= 1)
        let fitTrain = targetScaling?.apply(train) ?? train
        let fitTest = test.map { targetScaling?.apply($0) ?? $0 }
        let trained = parallelMap(count, threads: threads) { m -> (Outcome, Network) in
            var r = self
            if m > 0 {
                r.seed = derivedSeed(for: "ensemble-\(m)", base: seed)
                r.training.seed = r.seed
            }
            let network = r.makeNetwork(features: train.featureCount, task: train.task)
            return (r.run(network: network, train: fitTrain, test: fitTest), network)
        }
        let (members, networks) = (trained.map(\.0), trained.map(\.1))
        var sumTrain = [Float](repeating: 0, count: train.count * train.task.outputCount)
        var sumTest = [Float](repeating: 0, count: (test?.count ?? 0) * train.task.outputCount)
        for network in networks {
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
