// `optima select`'s stages as resumable parallel jobs: each stage's records go to its own
// JSON Lines file in the results folder, marked with a hash of the stage's identity, so a
// killed run resumes and a run with changed settings starts that stage anew.
import Foundation

public struct ResumableSelectionStages: SelectionStageRunner {
    public var folder: String
    public var threads: Int
    public var quiet: Bool

    public init(folder: String, threads: Int, quiet: Bool) {
        self.folder = folder
        self.threads = threads
        self.quiet = quiet
    }

    public func run(_ stage: SelectionStage) throws -> [ResultRecord] {
        var options = RunnerOptions(resultsPath: (folder as NSString).appendingPathComponent(stage.file), threads: threads,
                                    quiet: quiet, progressLabel: stage.label)
        options.identity = stage.file.replacingOccurrences(of: ".jsonl", with: "") + " hash="
            + String(derivedSeed(for: stage.identity, base: 0), radix: 16)
        let jobs = stage.jobs.enumerated().map { i, job in
            ExperimentJob(index: i, key: job.key, schema: job.schema, run: job.run)
        }
        return try ExperimentRunner.run(jobs, options: options)
    }

    /// The schema of a select stage's record, from its "grid" ("select-tune hash=..."); nil
    /// for another grid. For merge, which reads files of every kind.
    public static func schema(forGrid grid: String) -> RecordSchema? {
        guard let stage = grid.components(separatedBy: " hash=").first, grid.contains(" hash=") else { return nil }
        return SelectionStage.schemas[stage + ".jsonl"]
    }
}
