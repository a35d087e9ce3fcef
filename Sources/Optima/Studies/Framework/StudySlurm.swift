// A study's Slurm job array: the studies' results files, which the Runner's SlurmScript
// merges from the shards, listed from their grids and computations.

extension SlurmScript {
    /// The script for `study` (an id, a paper or "all") over `studies` at `scale`: one results
    /// file per study that runs any job, a training of its grid or a computation (a table that
    /// reads a figure's file names the figure's). More shards than the largest study has jobs
    /// would leave array tasks with nothing to do: the array gets that many tasks instead
    /// (at least one), and `shards` says how many.
    public init(study: String, studies: [any Study], scale: StudyScale, shards: Int, cpusPerTask: Int,
                partition: String?, time: String?, results: String, optima: String) throws {
        var seen = Set<String>()
        let jobs = studies.map { ($0, $0.grid($0.scale(scale)).count + $0.computations($0.scale(scale)).count) }
        let files = jobs.filter { $0.1 > 0 }.map { ($0.0.resultsFrom ?? $0.0.id).description }.filter { seen.insert($0).inserted }
        let most = jobs.map(\.1).max() ?? 0
        try self.init(study: study, files: files, scale: scale.rawValue, shards: min(shards, max(1, most)),
                      cpusPerTask: cpusPerTask, partition: partition, time: time, results: results, optima: optima)
    }
}
