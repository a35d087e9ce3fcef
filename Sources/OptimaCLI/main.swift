// optima: the command line. Each command lives in its own file; this table is
// the one place that lists them.
import Optima
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

struct Command {
    let name: String
    let summary: String
    let run: ([String]) throws -> Void
}

let commands: [Command] = [
    Command(name: "train", summary: "train one network and report loss and AUC", run: trainCommand),
    Command(name: "nsa", summary: "node selection with annealing (prune hidden nodes while training)", run: nsaCommand),
    Command(name: "fsa", summary: "feature and node selection with annealing (FSA+NSA)", run: fsaCommand),
    Command(name: "select", summary: "stability selection over FSA+NSA runs: every feature's frequency, then a final network",
            run: selectCommand),
    Command(name: "cpna", summary: "connection pruning with normalisation and annealing (--cpa: without)", run: cpnaCommand),
    Command(name: "predict", summary: "apply a model saved with --save-model to a file of new rows", run: predictCommand),
    Command(name: "data", summary: "list the built-in data sets, or describe one or a file of your own", run: dataCommand),
    Command(name: "cv", summary: "cross-validated grid search: the setting that generalises best", run: cvCommand),
    Command(name: "sweep", summary: "train many random initialisations in parallel; the spread of minima", run: sweepCommand),
    Command(name: "study", summary: "reproduce the papers' figures and tables, with verdicts (optima study list)", run: studyCommand),
    Command(name: "merge", summary: "join the results files of a sharded sweep or study", run: mergeCommand),
    Command(name: "slurm", summary: "write (and --submit) a Slurm job array that runs a study in shards", run: slurmCommand),
]

let usage = """
optima: find deep local optima of small ReLU networks, pruning them while they train.

Usage: optima COMMAND [FLAGS]   (optima COMMAND --help for its flags)

Commands:
\(commands.map { "  " + $0.name.padding(toLength: 10, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n"))

Environment:
  OPTIMA_KERNELS=avx512|avx2|scalar|swift   force a kernel path (default: the best this CPU runs)
"""

// Check the kernel path first, so a bad OPTIMA_KERNELS fails before any work starts.
do {
    try Kernels.checkEnvironment()
} catch {
    printError("optima: \(error)")
    exit(2)
}

let argv = Array(CommandLine.arguments.dropFirst())
guard let name = argv.first, name != "--help", name != "-h", name != "help" else {
    print(usage)
    exit(argv.isEmpty ? 2 : 0)
}
guard let command = commands.first(where: { $0.name == name }) else {
    printError("optima: unknown command '\(name.escapingControlCharacters)' (see 'optima --help')")
    exit(2)
}
/// Ends the command with one line on stderr: control characters in a file name or a quoted
/// value are escaped, so the error stays one line and a terminal shows it as it is.
func fail(_ message: String, status: Int32) -> Never {
    printError("optima \(command.name): " + message.escapingControlCharacters)
    exit(status)
}

do {
    try command.run(Array(argv.dropFirst()))
} catch let e as UsageError {
    fail(e.message, status: 2)
} catch let e as SettingsError {
    fail(e.message, status: 2)
} catch let e as DataError {
    fail(e.description, status: 2)
} catch {
    fail("\(error)", status: 1)
}
