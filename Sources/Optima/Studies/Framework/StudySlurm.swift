// A study's Slurm job array: the studies' results files, which the Runner's SlurmScript
// merges from the shards, listed from their grids and computations.

extension SlurmScript {
    /// The script for `study` (an id, a paper or "all") over `studies` at `scale`: one results
    /// file per study that runs any job, a training of its grid or a computation (a table that
    /// reads a figure's file names the figure's).
    public init(study: String, studies: [any Study], scale: StudyScale, shards: Int, cpusPerTask: Int,
                partition: String?, time: String?, results: String, optima: String) throws {
        var seen = Set<String>()
        let files = studies.filter { !$0.grid($0.scale(scale)).isEmpty || !$0.computations($0.scale(scale)).isEmpty }
            .map { ($0.resultsFrom ?? $0.id).description }
            .filter { seen.insert($0).inserted }
        try self.init(study: study, files: files, scale: scale.rawValue, shards: shards, cpusPerTask: cpusPerTask,
                      partition: partition, time: time, results: results, optima: optima)
    }
}
