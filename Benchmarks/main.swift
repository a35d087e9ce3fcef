// optima-bench SUITE|all [FLAGS]: one suite, or the ones `make bench` runs. Each suite reads
// its own flags (--quick, --csv FILE, --best N, --layers, ...; see its file's header).
// A new suite is a file with a `run…` function and one line in `suites`.
import Foundation

let suites: [String: () -> Void] = [
    "kernels": runKernelBench,
    "peak": runPeakBench,
    "epoch": runEpochBench,
    "prune": runPruneBench,
    "study": runStudyBench,
    "lockstep": runLockstepBench,
    "tiny": runTinyLockstepBench,
    "select": runSelectBench,
    "taskd": runTaskDBench,
    "mnist": runMNISTBench,
]

/// What `make bench` runs, in this order.
let allSuites = ["peak", "kernels", "epoch", "prune", "study", "lockstep", "tiny", "taskd"]

let suiteName = CommandLine.arguments.dropFirst().first ?? ""
if suiteName == "all" {
    for name in allSuites {
        guard let suite = suites[name] else { continue }
        print("\n### \(name)\n")
        suite()
    }
    exit(0)
}
guard let suite = suites[suiteName] else {
    let names = (suites.keys.sorted() + ["all"]).joined(separator: "|")
    FileHandle.standardError.write("usage: optima-bench \(names) [--quick] [--csv FILE]\n".data(using: .utf8)!)
    exit(2)
}
suite()
