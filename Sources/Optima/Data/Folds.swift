// Repeated, stratified k-fold splits of a data set's rows: which rows train and which
// validate in each fold of each repeat. A repeat's partition comes from the split seed and
// the repeat's number alone, so every setting of a grid, every stage of `optima select`
// and every study meets the same folds. The scaling of a fold is fitted on its training
// rows only, so the held-out fold is as unseen as a test set.

/// Which rows train and which validate in one fold of one repeat.
public struct FoldSplit: Sendable, Equatable {
    public let repeatIndex: Int
    public let fold: Int
    public let train: [Int]
    public let validation: [Int]
}

public enum Folds {
    /// The seed of repeat `r`'s folds, derived from the split seed.
    public static func repeatSeed(_ r: Int, base: UInt64) -> UInt64 {
        derivedSeed(for: "cv-repeat-\(r)", base: base)
    }

    /// Refuses a split that cannot score every fold: fewer than 2 folds, no repeat, or a fold
    /// with fewer rows than the data has classes (some class would be missing from it).
    public static func check(_ data: Dataset, folds: Int, repeats: Int) throws {
        guard folds >= 2 else { throw SettingsError("\(folds) fold(s): cross-validation needs at least 2") }
        guard repeats >= 1 else { throw SettingsError("\(repeats) repeats: at least 1 is needed") }
        let classes = data.task.isRegression ? 1 : data.classCounts.count
        let smallest = data.count / folds
        if smallest < classes {
            throw SettingsError("\(folds) folds: \(data.count) training rows give folds of \(smallest) row(s), "
                + "fewer than the \(classes) \(classes == 1 ? "row" : "classes") each fold must hold")
        }
    }

    /// The splits of `repeats` stratified `folds`-fold partitions of the rows, repeat by repeat.
    public static func splits(_ data: Dataset, folds: Int, repeats: Int, seed: UInt64) throws -> [FoldSplit] {
        try check(data, folds: folds, repeats: repeats)
        return (0..<repeats).flatMap { r in
            let parts = partition(data, folds: folds, repeatIndex: r, seed: seed)
            return (0..<folds).map { foldSplit(parts, repeatIndex: r, fold: $0) }
        }
    }

    /// Fold `fold` of repeat `repeatIndex` alone: the same rows `splits` gives it.
    public static func split(_ data: Dataset, folds: Int, repeatIndex r: Int, fold f: Int, seed: UInt64) throws -> FoldSplit {
        try check(data, folds: folds, repeats: r + 1)
        guard (0..<folds).contains(f) else { throw SettingsError("fold \(f) of a \(folds)-fold split does not exist") }
        return foldSplit(partition(data, folds: folds, repeatIndex: r, seed: seed), repeatIndex: r, fold: f)
    }

    /// Repeat `r`'s stratified partition of the rows into `folds` parts.
    private static func partition(_ data: Dataset, folds: Int, repeatIndex r: Int, seed: UInt64) -> [[Int]] {
        Splits.stratifiedFolds(labels: data.classLabels, count: data.count, k: folds, seed: repeatSeed(r, base: seed))
    }

    /// Part `f` validates; the other parts train.
    private static func foldSplit(_ parts: [[Int]], repeatIndex r: Int, fold f: Int) -> FoldSplit {
        FoldSplit(repeatIndex: r, fold: f, train: parts.indices.filter { $0 != f }.flatMap { parts[$0] }.sorted(),
                  validation: parts[f])
    }

    /// A fold's training and validation rows, scaled with the training rows' statistics only.
    public static func foldData(_ data: Dataset, _ split: FoldSplit, scaling: Scaling, inputScale: Float)
        -> (train: Dataset, validation: Dataset) {
        let (train, validation) = DataSource.prepare(train: data.rows(split.train), test: data.rows(split.validation),
                                                     scaling: scaling, inputScale: inputScale)
        return (train, validation)
    }
}
