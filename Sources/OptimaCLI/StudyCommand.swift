// optima study FIGURE|all: reproduces the XOR local-minima study of Guo & Barbu (2020) §2
// (Figures 1-6, Table 1) into results/: <figure>.jsonl, .csv, .svg and a REPORT.md section.
import Foundation
import Optima

let studyHelp = """
Usage: optima study FIGURE|all [FLAGS]

Runs one figure (or table) of the XOR local-minima study of the nsa paper (Guo & Barbu 2020, §2-3),
or all of them. Each figure is a grid of independent trainings run in parallel; every finished
training is appended to RESULTS/<figure>.jsonl, so a killed run resumes where it stopped when
the same command is run again. Then RESULTS/<figure>.csv, <figure>.svg and the figure's
section of RESULTS/REPORT.md are written.

Figures:
\(XORStudy.figures.map { "  " + $0.name.padding(toLength: 12, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n"))

Flags:
  --scale S       quick | paper (default paper). quick: fewer initialisations and sizes and
                  fewer epochs, the same code; under a minute per figure on two cores
  --threads N     trainings run at once (default: the number of cores)
  --shard i/N     run only the i-th of N disjoint parts of the grid (i from 1, e.g. a Slurm
                  array task: --shard $SLURM_ARRAY_TASK_ID/N); only the jsonl is written.
                  Afterwards: optima merge --out RESULTS/<figure>.jsonl <the shards' jsonl files>
                  and run the figure again without --shard: it finds every training done and
                  draws the figure
  --results DIR   results directory (default results)
  --quiet         no progress line
  --help          this text

Example:
  optima study fig3 --scale quick
"""

func studyCommand(_ args: [String]) throws {
    var a = try Arguments(args, booleans: ["help", "quiet"])
    if a.flag("help") {
        print(studyHelp)
        return
    }
    let scaleName = try a.choice("scale", default: "paper", from: StudyScale.allCases.map(\.rawValue))
    var options = StudyOptions(scale: StudyScale(rawValue: scaleName)!)
    options.threads = try a.int("threads", default: ProcessInfo.processInfo.activeProcessorCount, range: 1...4096)
    if let s = a.string("shard") { options.shard = try ExperimentRunner.parseShard(s) }
    options.resultsDir = a.string("results") ?? "results"
    options.quiet = a.flag("quiet")
    try a.finish(command: "study")
    guard a.positional.count == 1, let name = a.positional.first else {
        throw UsageError("name one figure or 'all' (see 'optima study --help')")
    }
    let figures: [XORFigure]
    if name == "all" {
        figures = XORStudy.figures.filter { $0.name != "table1" }   // fig1 writes table1
    } else if let f = XORStudy.figure(named: name) {
        figures = [f]
    } else {
        throw UsageError("unknown figure '\(name)'; one of \(XORStudy.figures.map(\.name).joined(separator: ", ")), all")
    }
    for f in figures {
        let start = Date()
        try f.run(options)
        let seconds = Date().timeIntervalSince(start)
        if !options.quiet {
            let what = options.shard == nil ? "written to \(options.resultsDir)/" : "shard done"
            printError("\(f.name): \(what) in \(String(format: "%.1f", seconds)) s (scale \(scaleName))")
        }
    }
}
