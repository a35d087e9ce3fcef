// optima slurm STUDY: writes (and with --submit submits) a Slurm job array that runs a study
// in shards, then merges them and draws it. The script is SlurmScript's.
import Foundation
import Optima

private let slurmHeader = """
Usage: optima slurm STUDY [FLAGS]      (STUDY: PAPER/ITEM, PAPER or all, as for 'optima study')

Writes a bash script with #SBATCH lines that runs the study as a Slurm job array: task i
runs 'optima study STUDY --shard i/N --threads $SLURM_CPUS_PER_TASK' into
RESULTS/shards/i/, and a job that depends on the array (afterok) merges the shards into
RESULTS/PAPER/ITEM.jsonl and draws the figures and REPORT.md. A requeued task resumes from
its own results file. 'bash SCRIPT submit' submits the script (--submit does it at once),
and 'bash SCRIPT' runs it on this machine without Slurm, each shard in turn ('bash SCRIPT
--local-parallel': every shard at once).

Examples:
  optima slurm nsa --shards 8 --cpus-per-task 4 --partition compute --time 2:00:00
  optima slurm nsa/fig3 --scale quick --shards 4 --submit
"""

struct SlurmFlags {
    var shards = 4
    var cpusPerTask = 4
    var partition: String?
    var time: String?
    var script: String?
    var submit = false
}

private let slurmSection = FlagSection<SlurmFlags>(title: "Slurm", flags: [
    .int("shards", "N", "array tasks, each a disjoint part of the grid", \.shards, in: 1...10000),
    .int("cpus-per-task", "C", "CPUs of each task; it trains that many networks at once", \.cpusPerTask, in: 1...4096),
    .text("partition", "P", "the partition (default: the cluster's)", \.partition),
    .text("time", "T", "each task's time limit, e.g. 2:00:00 (default: the partition's)", \.time),
    .text("script", "FILE", "where the script goes (default RESULTS/slurm/STUDY.sh)", \.script),
    .toggle("submit", "also submit it: the array, then the merge job (needs sbatch)", \.submit),
])
private let studySection = FlagSection<StudyOptions>(title: "Study", flags: [
    .choice("scale", "quick: the small grids; paper: the paper's settings", \.scale),
])
private let resultsSection = runnerSection(results: "on a file system every node sees; the shards, the merged "
                                           + "results, the logs and the script go there").only(["results"])

private func slurmUsage() -> [UsageSection] {
    [slurmSection.usage(SlurmFlags()), studySection.usage(StudyOptions()), resultsSection.usage(RunnerFlags()),
     outputSection.only(["json"]).usage(OutputFlags())]
}

func slurmCommand(_ args: [String]) throws {
    var a = try Arguments(args, sections: slurmUsage(), command: "slurm")
    if a.wantsHelp {
        print(commandHelp(slurmHeader, slurmUsage()))
        return
    }
    var flags = SlurmFlags()
    try slurmSection.read(&a, into: &flags)
    var options = StudyOptions()
    try studySection.read(&a, into: &options)
    var runner = RunnerFlags()
    try resultsSection.read(&a, into: &runner)
    var output = OutputFlags()
    try outputSection.only(["json"]).read(&a, into: &output)
    try a.finish(command: "slurm")
    guard a.positional.count == 1, let name = a.positional.first else {
        throw UsageError("name one study, a paper or 'all' (see 'optima slurm --help')")
    }
    let studies = try StudyRegistry.select(name)
    let job = try SlurmScript(study: name, studies: studies, scale: options.scale, shards: flags.shards,
                              cpusPerTask: flags.cpusPerTask, partition: flags.partition, time: flags.time,
                              results: absolute(runner.results), optima: try executablePath())
    let path = flags.script ?? job.defaultPath
    try FileManager.default.createDirectory(atPath: job.logFolder, withIntermediateDirectories: true)
    try writeFileAtomically(job.text, to: path)
    guard chmod(path, 0o755) == 0 else { throw DataError(file: path, "cannot make it executable") }

    // Said once the script is written, so that an error is the only line on stderr.
    if job.shards < flags.shards {
        printError("optima slurm: --shards \(flags.shards) is more than the \(job.shards) job(s) of the largest study "
            + "in \(name), so the array has \(job.shards) task(s)")
    }

    var submitted = ""
    if flags.submit {
        guard let bash = ["/bin/bash", "/usr/bin/bash"].first(where: FileManager.default.isExecutableFile) else {
            throw UsageError("--submit: no bash on this machine")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bash)
        p.arguments = [path, "submit"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        submitted = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw SubmitError(message: "sbatch failed (exit status \(p.terminationStatus)); the script is in \(path)")
        }
    }
    if output.json {
        var o: [String: JSONValue] = ["script": .string(path), "shards": JSONValue(job.shards),
                                      "files": .array(job.files.map { .string($0) })]
        if flags.submit { o["submitted"] = .string(submitted) }
        print(JSONValue.object(o).jsonText)
    } else {
        // The commands as lines to paste: the path quoted for the shell when it needs it.
        let script = shellQuoted(path)
        print(flags.submit ? "\(submitted)\nscript: \(path)"
              : "wrote \(path)\nsubmit it with:             bash \(script) submit\nor run it without Slurm:    bash \(script)")
    }
}

/// A failure of the cluster, not of the command line: exit status 1.
private struct SubmitError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// `s` as one shell word: as it is when it has only characters no shell treats specially,
/// else in single quotes (a quote inside written '\\'').
func shellQuoted(_ s: String) -> String {
    let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+,:=@%")
    let plain = !s.isEmpty && s.unicodeScalars.allSatisfy(safe.contains)
    return plain ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

private func absolute(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
}

/// This executable's absolute path, so the script runs the same build on every node.
private func executablePath() throws -> String {
    #if os(Linux)
    if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
    #endif
    guard let p = Bundle.main.executablePath else { throw UsageError("cannot tell where the optima executable is") }
    return absolute(p)
}
