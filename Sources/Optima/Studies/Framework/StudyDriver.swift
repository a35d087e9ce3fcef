// Runs any study: its grid through the experiment runner (RESULTS/PAPER/ITEM.jsonl,
// parallel, resumable after a kill, shardable), then its rows, the CSV, the SVG and its
// section of RESULTS/PAPER/REPORT.md with the paper's claim, our table and the verdict.
import Foundation

public enum StudyDriver {
    /// Runs `study`. Sharded, only this shard's trainings are run and recorded: `optima
    /// merge` joins the shards and a run without a shard then draws the figure.
    /// Returns the verdict, or nil when sharded.
    @discardableResult
    public static func run<S: Study>(_ study: S, options: StudyOptions) throws -> Judgement? {
        let grid = study.grid(options.scale)
        let source = study.resultsFrom ?? study.id
        try FileManager.default.createDirectory(atPath: options.folder(study.id.paper), withIntermediateDirectories: true)
        var results: [StudyResult] = []
        if !grid.isEmpty {
            let jobs = StudyDriver.jobs(grid)
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
            results = zip(grid, records).map { StudyResult(point: $0, record: $1) }
        } else if options.shard != nil {
            return nil   // nothing to share out
        }

        let rows = study.rows(results, scale: options.scale)
        let columns = study.columns(options.scale)
        var table = CSVTable(header: columns.map(\.header))
        for row in rows { table.addRow(columns.map { $0.cell(row) }) }
        try table.write(to: options.path(study.id, "csv"))
        let svg = study.plot(rows, scale: options.scale)
        if let svg { try writeFileAtomically(svg, to: options.path(study.id, "svg")) }

        let judgement = study.verdict(rows, scale: options.scale)
        var m = MarkdownReport()
        m.heading("\(study.id): \(study.title)")
        m.paragraph("**Paper.** " + study.claim)
        if svg != nil { m.image(study.title, path: "\(study.id.item).svg") }
        let shown = study.reportTable(rows, scale: options.scale)
        m.table(header: shown.header, rows: shown.rows)
        m.verdict(judgement.verdict, judgement.reason)
        let settings = study.settings(options.scale)
        if !settings.isEmpty { m.paragraph("*Settings.* " + settings) }
        try MarkdownReport.updateSection(id: study.id.item, with: m.text, inFile: options.reportPath(study.id.paper),
                                         title: study.id.paper.reportTitle)
        return judgement
    }
}

extension StudyDriver {
    /// The runner's jobs for a grid: job i trains grid[i] and records its result.
    public static func jobs(_ grid: [TrainingPoint]) -> [ExperimentJob] {
        grid.enumerated().map { i, point in ExperimentJob(index: i, key: point.key) { try point.train().record } }
    }
}
