// Where and how a grid of jobs runs (threads, shard, results folder): the flags that sweep,
// cv, select, study and slurm share, described once.
import Foundation
import Optima

struct RunnerFlags {
    /// nil: one training per core.
    var threads: Int?
    /// 0-based shard index and count; nil runs the whole grid.
    var shard: (index: Int, count: Int)?
    /// The folder every results file lives in.
    var results = StudyOptions().resultsDir

    var threadCount: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }
}

/// The runner's flags; `results` says what the command keeps in the --results folder.
func runnerSection(results: String) -> FlagSection<RunnerFlags> {
    FlagSection(title: "Running", flags: [
        Flag("threads", value: "N", help: "trainings at once", shown: { $0.threads.map(String.init) ?? "the number of cores" }) {
            $0.threads = try parseInt("threads", $1, in: 1...4096)
        },
        Flag("shard", value: "i/N", help: "only the i-th of N disjoint parts of the grid (i from 1, e.g. a Slurm array "
             + "task: --shard $SLURM_ARRAY_TASK_ID/N); join the shards' files with 'optima merge', then run again "
             + "without --shard: it finds every training done") {
            $0.shard = try ExperimentRunner.parseShard($1)
        },
        Flag("results", value: "DIR", help: "results folder: " + results, shown: { $0.results }) { $0.results = $1 },
    ])
}

/// The default --results folder of a command run on one data set: results/COMMAND/NAME, NAME
/// the data set's or file's name without extensions, other characters replaced by '_'.
func defaultResultsFolder(_ command: String, spec: String) -> String {
    var name = URL(fileURLWithPath: spec).lastPathComponent
    while let dot = name.lastIndex(of: "."), dot != name.startIndex { name = String(name[..<dot]) }
    let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    return (StudyOptions().resultsDir as NSString).appendingPathComponent(command + "/" + (safe.isEmpty ? "data" : safe))
}
