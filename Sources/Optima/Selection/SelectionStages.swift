// The stages of `optima select` as data: each is a list of independent jobs whose records
// the procedure reads back. `SelectionProcedure.select` writes the order of the steps once
// and hands each stage to a runner it is given: `InMemoryStages` here (tests, benchmarks),
// or the Runner layer's resumable one (`optima select`: parallel jobs appended to a results
// file, so a killed run resumes).

/// One stage: its results file's name, its progress label, what its results depend on, and
/// its jobs in order.
public struct SelectionStage {
    /// "select-tune-runs.jsonl", "select-tune.jsonl", "select.jsonl", "select-check.jsonl" or
    /// "select-final.jsonl".
    public let file: String
    /// Names the work in a progress line, e.g. "selection runs".
    public let label: String
    /// Every setting the stage's records depend on; a resumable runner keeps records only
    /// while it is unchanged.
    public let identity: String
    /// What each job's record holds (its kind's `recordSchema`), checked when it is read back.
    public let schema: RecordSchema
    /// Each job's key, its record's schema (the stage's, with what the key fixes), and its work.
    public let jobs: [(key: String, schema: RecordSchema, run: @Sendable () throws -> ResultRecord)]

    /// The stages' results files and the schemas of their records.
    public static let schemas: [String: RecordSchema] = [
        "select-tune-runs.jsonl": tuningRunSchema, "select-tune.jsonl": TuningTrial.recordSchema,
        "select.jsonl": SelectionRun.recordSchema, "select-check.jsonl": HeldOutTrial.recordSchema,
        "select-final.jsonl": FinalNetworkTrial.recordSchema,
    ]

    /// A tuning candidate's selection run: what it kept, which candidate it trained, which run.
    public static let tuningRunSchema = SelectionRun.recordSchema.adding([
        .required("hidden", .counts), .required("epochs", .count), .required("wd", .finite), .required("run", .count),
    ])

    /// The stage's records read as `T`; the runner has checked each against the stage's
    /// schema, so a record that does not read is refused rather than left out.
    func read<T>(_ records: [ResultRecord], as reader: (ResultRecord) -> T?) throws -> [T] {
        try records.map { r in
            guard let value = reader(r) else {
                throw DataError(file: file, "a record does not read back: \(r.jsonLine.quotedExcerpt())")
            }
            return value
        }
    }
}

/// Runs a stage's jobs; returns one record per job, in the jobs' order.
public protocol SelectionStageRunner {
    func run(_ stage: SelectionStage) throws -> [ResultRecord]
}

/// Every job in turn, on the calling thread, nothing written.
public struct InMemoryStages: SelectionStageRunner {
    public init() {}

    public func run(_ stage: SelectionStage) throws -> [ResultRecord] {
        try stage.jobs.map { try $0.run() }
    }
}

/// What the procedure reports between its stages, for a command to print as it goes.
public enum SelectionEvent {
    case tuned(trials: [TuningTrial], chosen: TuningTrial)
    case checked(trials: [HeldOutTrial], added: [Int], removed: [Int])
    case finalChosen(trials: [FinalNetworkTrial], chosen: FinalNetworkTrial)
    case trainingFinal(networks: Int, features: Int)
}
