// A study reproduces one figure or table of a paper. It declares, and does nothing else:
//   - its id and a one-line summary;
//   - the paper's claim, quoted;
//   - its grid per scale: one TrainingPoint (method on a data spec) per training;
//   - its computations per scale: keyed work that is not a point of the grid (hand-built
//     networks trained and counted, a grid point trained again to keep its network);
//   - its rows, from the grid's results and the computations' records;
//   - its columns (header and cell together), which make the CSV and the report table;
//   - its plot, and its verdict, computed from the rows by a rule that has tests.
// `StudyDriver` runs any study: the grid and the computations through the resumable
// runner, then the CSV, the SVG and the study's section of the paper's REPORT.md. Every
// training is a job of the runner (resumable, shardable, parallel): `rows` and `plot` only
// read records back and measure what they hold, so nothing trains in them.

public protocol Study: Sendable {
    associatedtype Row
    /// Its id, summary, title and the paper's claim.
    var about: StudyAbout { get }
    /// The trainings, in a fixed order; empty for a study that trains nothing or only
    /// computes.
    func grid(_ scale: StudyScale) -> [TrainingPoint]
    /// Work that is not a point of the grid, run beside it into the same results file; by
    /// default none. Each key must be unique among the study's jobs and name every setting its
    /// record depends on (StudyComputation).
    func computations(_ scale: StudyScale) -> [StudyComputation]
    /// The rows of the figure or table, grouped from the results (in grid order). A study
    /// with computations implements `rows(_:computed:scale:)` instead.
    func rows(_ results: [StudyResult], scale: StudyScale) throws -> [Row]
    /// The rows from the grid's results and the computations' records; by default the rows
    /// grouped from the results alone. This is the one the driver calls.
    func rows(_ results: [StudyResult], computed: ComputedRecords, scale: StudyScale) throws -> [Row]
    /// The CSV's columns.
    func columns(_ scale: StudyScale) -> [Column<Row>]
    /// The columns of the report's table; by default the CSV's.
    func reportColumns(_ scale: StudyScale) -> [Column<Row>]
    /// The report's table; by default the rows in the report columns. A study whose CSV
    /// holds every point of a curve may summarise it here instead.
    func reportTable(_ rows: [Row], scale: StudyScale) -> (header: [String], rows: [[String]])
    /// The figure as an SVG document, or nil for a table.
    func plot(_ rows: [Row], scale: StudyScale) throws -> String?
    /// The verdict on the claim, with a reason that quotes our numbers beside the paper's.
    func verdict(_ rows: [Row], scale: StudyScale) -> Judgement
    /// The settings the paper leaves out and the ones we chose, for the report.
    func settings(_ scale: StudyScale) -> String
    /// What the independent PyTorch reference found on this item, run alone at our settings
    /// (docs/reference.md), for the report; empty where it did not run (the default).
    func reference(_ scale: StudyScale) -> String
    /// Another study whose results file this one reads (a table drawn from a figure's runs).
    var resultsFrom: StudyID? { get }
    /// Trainings that depend on the grid's results (a grid search, then the chosen setting
    /// retrained): given every result so far, every later point the study needs. The driver
    /// runs the new ones and asks again until nothing new comes; by default there are none.
    func followUp(_ results: [StudyResult], scale: StudyScale) -> [TrainingPoint]
    /// Raised when a change to the study changes what its trainings compute while their keys
    /// and recipes stay the same; part of its results' grid identity (GridIdentity).
    var version: Int { get }
    /// Whether `paper` is a reduced budget and `full` the paper's whole one (default: no;
    /// `full` then runs `paper`).
    var hasFullScale: Bool { get }
}

extension Study {
    public var id: StudyID { about.id }
    public var summary: String { about.summary }
    public var title: String { about.title }
    public var claim: String { about.claim }
    public func reportColumns(_ scale: StudyScale) -> [Column<Row>] { columns(scale) }
    public func reportTable(_ rows: [Row], scale: StudyScale) -> (header: [String], rows: [[String]]) {
        let shown = reportColumns(scale)
        return (shown.map(\.header), rows.map { row in shown.map { ($0.reportCell ?? $0.cell)(row) } })
    }
    public func settings(_ scale: StudyScale) -> String { "" }
    public func reference(_ scale: StudyScale) -> String { "" }
    public func computations(_ scale: StudyScale) -> [StudyComputation] { [] }
    public func rows(_ results: [StudyResult], computed: ComputedRecords, scale: StudyScale) throws -> [Row] {
        try rows(results, scale: scale)
    }
    /// Only a study that makes its rows from its computations leaves this out; one that
    /// implements neither `rows` fails here, with its id, rather than drawing nothing.
    public func rows(_ results: [StudyResult], scale: StudyScale) throws -> [Row] {
        throw SettingsError("\(id): the study makes its rows from its computations' records (rows(_:computed:scale:))")
    }
    public func plot(_ rows: [Row], scale: StudyScale) -> String? { nil }
    public var resultsFrom: StudyID? { nil }
    public func followUp(_ results: [StudyResult], scale: StudyScale) -> [TrainingPoint] { [] }
    public var version: Int { 1 }
    public var hasFullScale: Bool { false }
    /// The scale the study runs for the one asked: `full` is `paper` unless it has one.
    public func scale(_ asked: StudyScale) -> StudyScale { asked == .full && !hasFullScale ? .paper : asked }
}

/// What a study is: its id, one line on what it shows (`optima study list`), the heading of
/// its report section, and the paper's words for the claim its verdict judges.
public struct StudyAbout: Sendable {
    public let id: StudyID
    public let summary: String
    public let title: String
    public let claim: String

    public init(_ paper: Paper, _ item: String, _ summary: String, title: String, claim: String) {
        id = StudyID(paper, item)
        self.summary = summary
        self.title = title
        self.claim = claim
    }
}

/// One column of a study's table: its header and how a row fills it, defined together.
public struct Column<Row> {
    public let header: String
    public let cell: (Row) -> String

    public init(_ header: String, _ cell: @escaping (Row) -> String) {
        self.header = header
        self.cell = cell
    }

    /// An integer column.
    public static func int(_ header: String, _ value: @escaping (Row) -> Int) -> Column {
        Column(header) { String(value($0)) }
    }

    /// A number column: full precision in the CSV, `decimals` in the report.
    public static func number(_ header: String, decimals: Int = 3, _ value: @escaping (Row) -> Double) -> Column {
        Column(header) { CSVTable.cell(value($0)) }.rounded(decimals, value)
    }

    /// The same column rounded for the report.
    fileprivate func rounded(_ decimals: Int, _ value: @escaping (Row) -> Double) -> Column {
        var c = self
        c.reportCell = { MarkdownReport.number(value($0), decimals: decimals) }
        return c
    }

    /// How the report shows the cell (default: as in the CSV).
    public var reportCell: ((Row) -> String)?
}

/// A verdict and its one-line reason.
public struct Judgement: Equatable, Sendable {
    public let verdict: Verdict
    public let reason: String

    public init(_ verdict: Verdict, _ reason: String) {
        self.verdict = verdict
        self.reason = reason
    }
}
