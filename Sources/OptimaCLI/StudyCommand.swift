// optima study list | PAPER/ITEM | PAPER | all: reproduces the papers' figures and tables
// into RESULTS/PAPER/: ITEM.jsonl (resumable), ITEM.csv, ITEM.svg and a REPORT.md section.
import Foundation
import Optima

private let studyHeader = """
Usage: optima study list
       optima study PAPER/ITEM|PAPER|all [FLAGS]

Runs one study (a figure or table of a paper), every study of a paper, or all of them.
Each study is a grid of independent trainings run in parallel; every finished training is
appended to RESULTS/PAPER/ITEM.jsonl, so a killed run resumes where it stopped when the
same command is run again. Then RESULTS/PAPER/ITEM.csv, ITEM.svg and the study's section
of RESULTS/PAPER/REPORT.md (the paper's claim, our numbers and a computed verdict) are
written.

Papers:
\(Paper.allCases.map { "  " + $0.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0) + $0.citation }.joined(separator: "\n"))

Studies:
\(StudyRegistry.all.map { "  " + idColumn($0.id) + $0.summary }.joined(separator: "\n"))

Examples:
  optima study list
  optima study nsa/fig3 --scale quick
  optima study nsa
  optima study nsa/table2 --isolet-dir ~/isolet
"""

private let studySection = FlagSection<StudyOptions>(title: "Study", flags: [
    .choice("scale", "quick: fewer initialisations and sizes and fewer epochs, the same code, seconds per study "
            + "on two cores; paper: the paper's settings (a stated reduced budget where they are out of reach, as for "
            + "counterexamples/fig1, fig2 and fig5); full: the paper's whole budget there (paper for every other study)", \.scale),
    .text("isolet-dir", "DIR", "adds ISOLET to the real-data tables (nsa/table2, nsa/fig7, cpna/table3): the folder "
          + "with the UCI files " + UCIDatasets.isoletFiles.joined(separator: " and ") + " (or .gz)", \.isoletDirectory),
])
private let studyRunnerSection = runnerSection(results: "RESULTS/PAPER/ITEM.jsonl (resumable), .csv, .svg and REPORT.md")

private func studyUsage() -> [UsageSection] {
    [studySection.usage(StudyOptions()), studyRunnerSection.usage(RunnerFlags()), outputSection.usage(OutputFlags())]
}

func studyCommand(_ args: [String]) throws {
    var a = try Arguments(args, sections: studyUsage(), command: "study")
    if a.wantsHelp {
        print(commandHelp(studyHeader, studyUsage()))
        return
    }
    var options = StudyOptions()
    try studySection.read(&a, into: &options)
    var runner = RunnerFlags()
    try studyRunnerSection.read(&a, into: &runner)
    var output = OutputFlags()
    try outputSection.read(&a, into: &output)
    try a.finish(command: "study")
    (options.threads, options.shard, options.resultsDir, options.quiet) = (runner.threadCount, runner.shard, runner.results, output.quiet)
    if let dir = options.isoletDirectory {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isFolder), isFolder.boolValue else {
            throw UsageError("--isolet-dir \(dir): no such folder")
        }
        RealDataSets.isoletDirectory = dir
    }
    let json = output.json
    let scaleName = options.scale.rawValue
    guard a.positional.count == 1, let name = a.positional.first else {
        throw UsageError("name one study, a paper, 'all' or 'list' (see 'optima study --help')")
    }
    if name == "list" {
        let list = StudyRegistry.all
        if json {
            print(JSONValue.array(list.map { s in
                var o: [String: JSONValue] = ["id": .string(s.id.description), "paper": .string(s.id.paper.rawValue),
                                              "summary": .string(s.summary)]
                var full: [String: JSONValue] = ["jobs": JSONValue(FullScaleCosts.jobs(s)),
                                                 "paper_budget": .bool(s.hasFullScale)]
                if let cost = FullScaleCosts.of(s.id) {
                    full["core_hours"] = JSONValue(cost.coreHours)
                    full["estimate"] = .string(cost.basis)
                }
                if let from = s.resultsFrom { full["results_from"] = .string(from.description) }
                o["full_scale"] = .object(full)
                return .object(o)
            }).jsonText)
        } else {
            for s in list { print(idColumn(s.id) + s.summary) }
        }
        return
    }
    var verdicts: [(String, JSONValue)] = []
    for study in try StudyRegistry.select(name) {
        let start = Date()
        let judgement = try StudyRegistry.run(study, options: options)
        let seconds = Date().timeIntervalSince(start)
        if let j = judgement {
            verdicts.append((study.id.description, .object(["verdict": .string(j.verdict.rawValue), "reason": .string(j.reason)])))
        }
        if !options.quiet {
            let what = judgement.map { "\($0.verdict.rawValue); written to \(options.folder(study.id.paper))/" } ?? "shard done"
            printError("\(study.id): \(what) in \(String(format: "%.1f", seconds)) s (scale \(scaleName))")
        }
    }
    if json { print(JSONValue.object(Dictionary(uniqueKeysWithValues: verdicts)).jsonText) }
}

/// A study's id padded to the longest id and two spaces, so the summaries line up and no id is cut.
private func idColumn(_ id: StudyID) -> String {
    let width = StudyRegistry.all.map(\.id.description.count).max()! + 2
    return id.description.padding(toLength: width, withPad: " ", startingAt: 0)
}
