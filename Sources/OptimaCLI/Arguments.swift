// A small command-line parser: `--flag value`, `--flag=value` and boolean `--switch`.
// Unknown flags and bad values are UsageErrors, which main turns into exit status 2.
import Optima

struct Arguments {
    private var values: [String: String] = [:]
    private var switches: Set<String> = []
    private(set) var positional: [String] = []
    private var consumed: Set<String> = []

    /// `booleans` names the flags that take no value.
    init(_ args: [String], booleans: Set<String>) throws {
        var i = 0
        while i < args.count {
            let a = args[i]
            if a.hasPrefix("--") {
                var name = String(a.dropFirst(2))
                var value: String?
                if let eq = name.firstIndex(of: "=") {
                    value = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                if booleans.contains(name) {
                    if value != nil { throw UsageError("--\(name) takes no value") }
                    switches.insert(name)
                } else {
                    if value == nil {
                        guard i + 1 < args.count else { throw UsageError("--\(name) needs a value") }
                        i += 1
                        value = args[i]
                    }
                    values[name] = value
                }
            } else {
                positional.append(a)
            }
            i += 1
        }
    }

    mutating func flag(_ name: String) -> Bool {
        consumed.insert(name)
        return switches.contains(name)
    }

    mutating func string(_ name: String) -> String? {
        consumed.insert(name)
        return values[name]
    }

    mutating func int(_ name: String, default d: Int, range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        guard let s = string(name) else { return d }
        guard let v = Int(s) else { throw UsageError("--\(name): '\(s)' is not an integer") }
        guard range.contains(v) else { throw UsageError("--\(name): \(v) is outside \(range.lowerBound)...\(range.upperBound)") }
        return v
    }

    mutating func double(_ name: String, default d: Double, range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude) throws -> Double {
        guard let s = string(name) else { return d }
        guard let v = Double(s), v.isFinite else { throw UsageError("--\(name): '\(s)' is not a finite number") }
        guard range.contains(v) else { throw UsageError("--\(name): \(s) is outside \(range.lowerBound)...\(range.upperBound)") }
        return v
    }

    mutating func choice(_ name: String, default d: String, from options: [String]) throws -> String {
        guard let s = string(name) else { return d }
        guard options.contains(s) else { throw UsageError("--\(name): '\(s)' is not one of \(options.joined(separator: ", "))") }
        return s
    }

    /// Comma-separated integers, e.g. `--hidden 64,32`.
    mutating func intList(_ name: String, default d: [Int], range: ClosedRange<Int> = 1...Int.max) throws -> [Int] {
        guard let s = string(name) else { return d }
        let parts = s.split(separator: ",", omittingEmptySubsequences: false)
        var out: [Int] = []
        for p in parts {
            guard let v = Int(p.trimmingCharacters(in: " ")) else { throw UsageError("--\(name): '\(s)' is not a comma-separated list of integers") }
            guard range.contains(v) else { throw UsageError("--\(name): \(v) is outside \(range.lowerBound)...\(range.upperBound)") }
            out.append(v)
        }
        return out
    }

    /// Call after reading every flag: any flag left over is a typo or does not belong here.
    func finish(command: String) throws {
        let unknown = Set(values.keys).union(switches).subtracting(consumed).sorted()
        if let u = unknown.first {
            throw UsageError("unknown flag --\(u) (see 'optima \(command) --help')")
        }
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> Substring {
        var s = self
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return s
    }
}
