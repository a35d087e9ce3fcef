// optima-bench SUITE [--quick] [--csv FILE]
// One line per suite below: a new suite is a file with a `run…` function and a line here.
import Foundation

let suites: [String: () -> Void] = [
    "kernels": runKernelBench,
    "peak": runPeakBench,
    "epoch": runEpochBench,
]

let suiteName = CommandLine.arguments.dropFirst().first ?? ""
guard let suite = suites[suiteName] else {
    let names = suites.keys.sorted().joined(separator: "|")
    FileHandle.standardError.write("usage: optima-bench \(names) [--quick] [--csv FILE]\n".data(using: .utf8)!)
    exit(2)
}
suite()
