// Runs the peer implementations (PyTorch, numpy, JAX) of the reference workloads,
// when they are installed, so our timings and theirs come from the same run.
import Foundation
import Optima

enum Peers {
    /// The peers' folder: $OPTIMA_PEERS_DIR, else ../shared/peers beside the checkout.
    static var directory: String? {
        let env = ProcessInfo.processInfo.environment
        let candidates = [env["OPTIMA_PEERS_DIR"], "../shared/peers"].compactMap { $0 }
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/common.py") }
    }

    /// A Python with the peers' packages: $OPTIMA_PEERS_PYTHON, else the peers' own .venv.
    static var python: String? {
        let env = ProcessInfo.processInfo.environment
        if let p = env["OPTIMA_PEERS_PYTHON"], FileManager.default.isExecutableFile(atPath: p) { return p }
        guard let d = directory else { return nil }
        let venv = d + "/.venv/bin/python"
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : nil
    }

    static var available: Bool { python != nil && directory != nil }

    static func explainMissing() -> String {
        "peers not installed (set OPTIMA_PEERS_PYTHON to a Python with torch, jax and numpy, and for the "
            + "selection peers scikit-learn, boruta and lassonet; see the peers' README); comparison skipped"
    }

    /// Runs one peer script and returns its final JSON line, or nil if it failed.
    static func run(_ script: String, _ args: [String]) -> [String: JSONValue]? {
        guard let python, let directory else { return nil }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [script] + args
        p.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0, let text = String(data: data, encoding: .utf8),
              let last = text.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
              let value = try? JSONDecoder().decode(JSONValue.self, from: Data(last.utf8)) else { return nil }
        return value.object
    }
}

/// Median of a non-empty list.
func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Whether `--flag` was given to the benchmark.
func benchFlag(_ name: String) -> Bool { CommandLine.arguments.contains("--" + name) }

/// The value after `--name`, if given.
func benchOption(_ name: String) -> String? {
    let a = CommandLine.arguments
    guard let i = a.firstIndex(of: "--" + name), i + 1 < a.count else { return nil }
    return a[i + 1]
}

/// One peer configuration to time: a label, its script, extra flags and how many runs.
struct PeerRun {
    var name: String
    var script: String
    var flags: [String]
    var repeats: Int
}

/// Times each peer on a task, prints a line per peer with its ratio to our figure
/// (peer / ours, so larger is better for us), the ratio to the fastest peer against
/// `target`, and writes the CSV when `--csv FILE` was given.
/// `metric` is the key of the peers' JSON line to compare (e.g. "total_s").
/// `fileTag` names the CSV file (`--csv X` writes X-TAG.csv; default the task), so two
/// comparisons of one task (one thread, then N) do not overwrite each other.
func comparePeers(task: String, args: [String], runs: [PeerRun], metric: String, unit: String,
                  ours: Double, target: Double, fileTag: String? = nil,
                  extra: ([String: JSONValue]) -> String = { _ in "" }) {
    guard Peers.available else {
        print(Peers.explainMissing())
        return
    }
    print("\npeers, Task \(task) (\(metric), median; ratio = peer / optima \(Kernels.path.rawValue))")
    var csv = "task,implementation,\(metric),ratio_vs_optima\n\(task),optima-\(Kernels.path.rawValue),\(ours),1\n"
    var fastest = Double.infinity
    for run in runs {
        var values: [Double] = []
        var note = ""
        for _ in 0..<run.repeats {
            guard let r = Peers.run(run.script, ["--task", task] + args + run.flags),
                  let v = r[metric]?.double else { continue }
            values.append(v)
            note = extra(r)
        }
        guard !values.isEmpty else { print("\(run.name): failed to run"); continue }
        let v = median(values)
        fastest = min(fastest, v)
        print("\(run.name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(String(format: "%9.3f", v)) \(unit)   "
            + "ratio \(String(format: "%5.1f", v / ours))x   (\(values.count) run\(values.count == 1 ? "" : "s"))\(note)")
        csv += "\(task),\(run.name),\(v),\(v / ours)\n"
    }
    if fastest.isFinite {
        let ratio = fastest / ours
        print(String(format: "against the fastest peer: %.1fx (target >= %.0fx: %@)", ratio, target, ratio >= target ? "met" : "not met"))
    }
    if let path = benchOption("csv") {
        // One file per task, so the suites of `all` do not overwrite each other.
        let tag = fileTag ?? task
        let file = path.hasSuffix(".csv") ? String(path.dropLast(4)) + "-\(tag).csv" : path + "-\(tag)"
        try? writeFileAtomically(csv, to: file)
    }
}
