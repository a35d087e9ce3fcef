// optima-bench SUITE|all [FLAGS]: one suite, or the ones `make bench` runs. Each suite reads
// its own flags (--quick, --csv FILE, --best N, --layers, ...; see its file's header).
// A new suite is a file with a `run…` function and one line in `suites`.
import Foundation

/// Each suite: what it measures (for --help; its flags are in its file's header) and its run.
let suites: [String: (summary: String, run: () -> Void)] = [
    "peak": ("the single-core fp32 peak of each kernel path (the yardstick of the % figures)", runPeakBench),
    "kernels": ("dense forward/backward per shape and path, checked against the reference, GFLOP/s and % of peak "
        + "(--best N, --layers)", runKernelBench),
    "epoch": ("Task A: ms per epoch of 15-1024-1 on XOR, every path, against the installed peers", runEpochBench),
    "prune": ("Task B: the FSA+NSA reference run end to end against the peers", runPruneBench),
    "study": ("Task C: 100 initialisations through the experiment runner against the peers", runStudyBench),
    "lockstep": ("Task C in lockstep groups against the per-network runner and JAX vmap", runLockstepBench),
    "tiny": ("Task E: 1000 initialisations of 2-4-1 on the 4-point XOR in SIMD lanes against JAX vmap",
             runTinyLockstepBench),
    "select": ("feature selection on MADELON against LassoNet and forest+SVM; --suite: over kinds of data", runSelectBench),
    "taskd": ("Task D: optdigits 64-512-10 against PyTorch", runTaskDBench),
    "mnist": ("Task F: MNIST 784-h-h-10 against PyTorch", runMNISTBench),
]

/// What `make bench` runs, in this order.
let allSuites = ["peak", "kernels", "epoch", "prune", "study", "lockstep", "tiny", "taskd"]

let suiteName = CommandLine.arguments.dropFirst().first ?? ""
if CommandLine.arguments.dropFirst().contains(where: { $0 == "--help" || $0 == "-h" }) || suiteName == "help" {
    print("usage: optima-bench SUITE|all [FLAGS]   (all: \(allSuites.joined(separator: ", ")))")
    for name in suites.keys.sorted() {
        print("  " + name.padding(toLength: 10, withPad: " ", startingAt: 0) + suites[name]!.summary)
    }
    print("Each suite's flags are listed in the header of its file in Benchmarks/ (e.g. --quick, --csv FILE).")
    exit(0)
}
if suiteName == "all" {
    for name in allSuites {
        guard let suite = suites[name] else { continue }
        print("\n### \(name)\n")
        suite.run()
    }
    exit(0)
}
guard let suite = suites[suiteName] else {
    let names = (suites.keys.sorted() + ["all"]).joined(separator: "|")
    FileHandle.standardError.write("usage: optima-bench \(names) [--quick] [--csv FILE]\n".data(using: .utf8)!)
    exit(2)
}
suite.run()
