// Which grid a study's results belong to. Every record a study writes carries it as
// "grid", so the shards of one study run on many machines can be checked before they are
// joined: `optima merge` refuses files of another grid or another version of the study,
// and a resumed run does not take another grid's record for one of its own. A study's
// computations are not hashed: each is matched by its key, which names every setting its
// record depends on, so adding one to a study keeps the grid's records valid.

public enum GridIdentity {
    /// E.g. "nsa/fig3 scale=quick version=1 points=60 hash=5c0f...": the study that owns the
    /// results file (a table drawn from a figure's runs names the figure), the scale, the
    /// study's version, and a hash of every point's key and recipe in grid order.
    public static func of(_ study: any Study, scale: StudyScale) -> String {
        let owner = study.resultsFrom.flatMap { id in StudyRegistry.all.first { $0.id == id } } ?? study
        let grid = owner.grid(scale)
        let text = grid.map { "\($0.key)|\($0.recipe)" }.joined(separator: "\n")
        let hash = String(derivedSeed(for: text, base: 0), radix: 16)
        return "\(owner.id) scale=\(scale.rawValue) version=\(owner.version) points=\(grid.count) hash=\(hash)"
    }
}
