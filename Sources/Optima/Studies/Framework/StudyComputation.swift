// Work a study declares besides its grid: hand-built networks trained and counted, or a grid
// point trained again to keep the network it learned (the runner keeps only numbers). Each
// computation is one keyed job of the experiment runner and lands in the study's results
// file beside the grid's trainings, so it is resumed after a kill, shared out by --shard and
// run in parallel as they are. `rows` reads its record back by key (ComputedRecords).

/// One job of a study that is not a point of its grid.
public struct StudyComputation: Sendable {
    /// Names the computation and every setting its record depends on, e.g.
    /// "blind-spot,mu=2,h=10,sigma=1,inits=12,steps=300". Unique among the study's jobs, its
    /// grid's points and later stages included: a resumed run takes a record of this key in
    /// the results file as done, so a change to what it computes needs a new key or a new
    /// study `version`.
    public let key: String
    /// Computes the record (its fields must not be the runner's "key", "index" or "grid").
    /// Its random numbers come from its key (`derivedSeed(for:base:)`) or from fixed seeds,
    /// never from the thread, shard or run it happens in, so every run gives the same record.
    public let compute: @Sendable () throws -> ResultRecord

    public init(_ key: String, compute: @escaping @Sendable () throws -> ResultRecord) {
        self.key = key
        self.compute = compute
    }
}
