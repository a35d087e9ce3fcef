// Runs any study: its grid and its computations through the experiment runner
// (RESULTS/PAPER/ITEM.jsonl, parallel, resumable after a kill, shardable), then its rows, the
// CSV, the SVG and its section of RESULTS/PAPER/REPORT.md with the paper's claim, our table
// and the verdict.
import Foundation

public enum StudyDriver {
    /// Runs `study`. Sharded, only this shard's trainings are run and recorded: `optima
    /// merge` joins the shards and a run without a shard then draws the figure.
    /// Returns the verdict, or nil when sharded.
    @discardableResult
    public static func run<S: Study>(_ study: S, options asked: StudyOptions) throws -> Judgement? {
        var options = asked
        options.scale = study.scale(asked.scale)
        let grid = study.grid(options.scale), computations = study.computations(options.scale)
        let source = study.resultsFrom ?? study.id
        try FileManager.default.createDirectory(atPath: options.folder(study.id.paper), withIntermediateDirectories: true)
        var results: [StudyResult] = []
        var computed = ComputedRecords.none
        if !grid.isEmpty || !computations.isEmpty {
            let jobs = StudyDriver.jobs(grid) + StudyDriver.jobs(computations, firstIndex: grid.count)
            var runner = RunnerOptions(resultsPath: options.path(source, "jsonl"), threads: options.threads,
                                       shard: options.shard, quiet: options.quiet,
                                       progressLabel: "\(study.id) trainings")
            runner.identity = GridIdentity.of(study, scale: options.scale)
            let records = try ExperimentRunner.run(jobs, options: runner)
            if let s = options.shard {
                if !options.quiet {
                    FileHandle.standardError.write(Data(("\(study.id): shard \(s.index + 1)/\(s.count) done (\(records.count) "
                        + "trainings in \(options.path(source, "jsonl"))); merge the shards with 'optima merge' and run "
                        + "without --shard to draw it\n").utf8))
                }
                return nil
            }
            // Unsharded, the runner returns every job's record in job order: the grid's, then the computations'.
            results = zip(grid, records).map { StudyResult(point: $0, record: $1) }
            computed = ComputedRecords(file: runner.resultsPath,
                                       Dictionary(uniqueKeysWithValues: zip(computations.map(\.key), records.dropFirst(grid.count))),
                                       lines: computations.isEmpty ? [:] : try recordLines(runner.resultsPath))
            results += try runFollowUps(study, scale: options.scale, after: results, firstIndex: jobs.count, runner: runner)
        } else if options.shard != nil {
            return nil   // nothing to share out
        }

        let rows = try study.rows(results, computed: computed, scale: options.scale)
        let columns = study.columns(options.scale)
        var table = CSVTable(header: columns.map(\.header))
        for row in rows { table.addRow(columns.map { $0.cell(row) }) }
        try table.write(to: options.path(study.id, "csv"))
        let svg = try study.plot(rows, scale: options.scale)
        if let svg { try writeFileAtomically(svg, to: options.path(study.id, "svg")) }

        let judgement = study.verdict(rows, scale: options.scale)
        var m = MarkdownReport()
        m.heading("\(study.id): \(study.title)")
        m.paragraph("**Paper.** " + study.claim)
        if svg != nil { m.image(study.title, path: "\(study.id.item).svg") }
        let shown = study.reportTable(rows, scale: options.scale)
        m.table(header: shown.header, rows: shown.rows)
        m.verdict(judgement.verdict, judgement.reason)
        let reference = study.reference(options.scale)
        if !reference.isEmpty { m.paragraph("*Independent reference.* " + reference) }
        let settings = study.settings(options.scale)
        if !settings.isEmpty { m.paragraph("*Settings.* " + settings) }
        try MarkdownReport.updateSection(id: study.id.item, with: m.text, inFile: options.reportPath(study.id.paper),
                                         title: study.id.paper.reportTitle)
        return judgement
    }
}

extension StudyDriver {
    /// The runner's jobs for a grid: job i trains grid[i] and records its result.
    public static func jobs(_ grid: [TrainingPoint], firstIndex: Int = 0) -> [ExperimentJob] {
        grid.enumerated().map { i, point in
            ExperimentJob(index: firstIndex + i, key: point.key, schema: StudyResult.recordSchema(for: point)) {
                try point.train().record
            }
        }
    }

    /// The runner's jobs for a study's computations, numbered from `firstIndex` (after the grid).
    /// A computation's record has fields of its own, which `rows` reads each with its type
    /// (ComputedRecord), so the runner checks only what every record holds.
    public static func jobs(_ computations: [StudyComputation], firstIndex: Int) -> [ExperimentJob] {
        computations.enumerated().map { i, c in ExperimentJob(index: firstIndex + i, key: c.key, schema: .any, run: c.compute) }
    }

    /// The study's later stages, into the same results file: each round trains the points
    /// `followUp` asks for that no earlier round trained, until it asks for nothing new.
    /// Their jobs are numbered from `firstIndex` (after the grid's and the computations').
    /// Returns their results, in the order they were asked for.
    static func runFollowUps<S: Study>(_ study: S, scale: StudyScale, after grid: [StudyResult], firstIndex: Int,
                                       runner: RunnerOptions) throws -> [StudyResult] {
        var later: [StudyResult] = []
        var known = Set(grid.map(\.point.key))
        for round in 1...maxFollowUpRounds {
            let asked = study.followUp(grid + later, scale: scale)
            let fresh = asked.filter { !known.contains($0.key) }
            if fresh.isEmpty { return later }
            var options = runner
            options.progressLabel = "\(study.id) stage \(round + 1) trainings"
            let records = try ExperimentRunner.run(jobs(fresh, firstIndex: firstIndex + later.count), options: options)
            later += zip(fresh, records).map { StudyResult(point: $0, record: $1) }
            known.formUnion(fresh.map(\.key))
        }
        throw SettingsError("\(study.id): its later stages still asked for new trainings after \(maxFollowUpRounds) rounds")
    }

    /// The line of each key's record in a results file the runner has checked, for the
    /// errors of rows that read a computation's record (the last line of a key where a
    /// record of another grid shares it).
    static func recordLines(_ path: String) throws -> [String: Int] {
        var lines: [String: Int] = [:]
        for r in try ResultLog(path: path).existing { if let key = r.record["key"]?.string { lines[key] = r.line } }
        return lines
    }

    /// A study has at most this many stages after its grid (the real-data tables use two:
    /// the sparse levels with NN(best)'s retraining, then the other retrainings).
    static let maxFollowUpRounds = 5
}
