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
        func scored(_ d: Dataset) -> Evaluation {
            Evaluation(outputs: ensembleOutputs(networks, on: d, targetScaling: targetScaling), data: d)
        }
        return EnsembleOutcome(members: members, networks: networks, train: scored(train), test: test.map(scored))
    }
}

/// An ensemble's outputs on the rows of `x`: its networks' raw outputs summed in network
/// order and divided by their number, a regression target's standardisation undone. The
/// ensemble's scores and a saved model's predictions both come from here.
func ensembleOutputs(_ networks: [Network], on x: Dataset, targetScaling: TargetScaling?) -> [Float] {
    var sum = [Float](repeating: 0, count: x.count * (networks.first?.task.outputCount ?? 0))
    for network in networks {
        for (i, v) in network.predict(x.features, rows: x.count).enumerated() { sum[i] += v }
    }
    let scale = 1 / Float(networks.count)
    let mean = sum.map { $0 * scale }
    return targetScaling?.undo(mean) ?? mean
}
