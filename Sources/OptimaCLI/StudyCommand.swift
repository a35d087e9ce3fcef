// optima study list | PAPER/ITEM | PAPER | all: reproduces the papers' figures and tables
// into RESULTS/PAPER/: ITEM.jsonl (resumable), ITEM.csv, ITEM.svg and a REPORT.md section.
import Foundation
import Optima

let studyHelp = """
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
\(StudyRegistry.all.map { "  " + $0.id.description.padding(toLength: 16, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n"))

Flags:
  --scale S       quick | paper (default paper). quick: fewer initialisations and sizes and
                  fewer epochs, the same code; seconds per study on two cores
  --threads N     trainings run at once (default: the number of cores)
  --shard i/N     run only the i-th of N disjoint parts of each grid (i from 1, e.g. a Slurm
                  array task: --shard $SLURM_ARRAY_TASK_ID/N); only the jsonl is written.
                  Afterwards: optima merge --out RESULTS/PAPER/ITEM.jsonl <the shards' files>
                  and run the study again without --shard: it finds every training done and
                  draws the figure
  --results DIR   results folder (default results)
  --quiet         no progress line
  --json          after the run, one JSON object on the last line of stdout: each study's
                  verdict and reason
  --help          this text

Examples:
  optima study list
  optima study nsa/fig3 --scale quick
  optima study nsa
"""

func studyCommand(_ args: [String]) throws {
    var a = try Arguments(args, booleans: ["help", "quiet", "json"])
    if a.flag("help") {
        print(studyHelp)
        return
    }
    let scaleName = try a.choice("scale", default: StudyScale.paper.rawValue, from: StudyScale.allCases.map(\.rawValue))
    var options = StudyOptions(scale: StudyScale(rawValue: scaleName)!)
    options.threads = try a.int("threads", default: ProcessInfo.processInfo.activeProcessorCount, range: 1...4096)
    if let s = a.string("shard") { options.shard = try ExperimentRunner.parseShard(s) }
    options.resultsDir = a.string("results") ?? options.resultsDir
    options.quiet = a.flag("quiet")
    let json = a.flag("json")
    try a.finish(command: "study")
    guard a.positional.count == 1, let name = a.positional.first else {
        throw UsageError("name one study, a paper, 'all' or 'list' (see 'optima study --help')")
    }
    if name == "list" {
        let list = StudyRegistry.all
        if json {
            print(JSONValue.array(list.map { s in
                .object(["id": .string(s.id.description), "paper": .string(s.id.paper.rawValue), "summary": .string(s.summary)])
            }).jsonText)
        } else {
            for s in list { print(s.id.description.padding(toLength: 22, withPad: " ", startingAt: 0) + s.summary) }
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
