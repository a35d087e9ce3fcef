// A small command-line parser: `--flag value`, `--flag=value` and boolean `--switch`.
// The commands describe their flags in tables (Flags.swift) and hand the parser the names;
// unknown flags and bad values are UsageErrors, which main turns into exit status 2.
import Optima

/// What the parser needs to know of one flag.
struct FlagName {
    let name: String
    /// Old spellings, read as `name`.
    let aliases: [String]
    let takesValue: Bool
    /// Printed (one line on stderr) when an old spelling is used; nil: accepted silently.
    var renamedNote: String? = nil
}

struct Arguments {
    private var values: [String: String] = [:]
    private var switches: Set<String> = []
    private(set) var positional: [String] = []
    private var consumed: Set<String> = []

    /// A parser that knows every flag of `command`: an unknown flag is an error at once (not
    /// after it has swallowed the next word as its value), and an alias reads as its flag.
    /// `--help` and `-h` are known to every command.
    init(_ args: [String], flags: [FlagName], command: String) throws {
        var known: [String: FlagName] = [:]
        for f in flags {
            for n in [f.name] + f.aliases { known[n] = f }
        }
        try self.init(args) { name in
            if name == "help" { return ("help", false) }
            guard let f = known[name] else { throw UsageError("unknown flag --\(name) (see 'optima \(command) --help')") }
            if name != f.name, let note = f.renamedNote { printError("optima \(command): note: --\(name) is read as --\(f.name); \(note)") }
            return (f.name, f.takesValue)
        }
    }

    private init(_ args: [String], lookup: (String) throws -> (name: String, takesValue: Bool)) throws {
        var i = 0
        while i < args.count {
            let a = args[i]
            if a == "-h" {
                switches.insert("help")
            } else if a.hasPrefix("--") {
                var given = String(a.dropFirst(2))
                var value: String?
                if let eq = given.firstIndex(of: "=") {
                    value = String(given[given.index(after: eq)...])
                    given = String(given[..<eq])
                }
                let (name, takesValue) = try lookup(given)
                if !takesValue {
                    if value != nil { throw UsageError("--\(given) takes no value") }
                    switches.insert(name)
                } else {
                    if value == nil {
                        guard i + 1 < args.count else { throw UsageError("--\(given) needs a value") }
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

    /// Whether `--help` or `-h` was given.
    var wantsHelp: Bool { switches.contains("help") }

    /// Whether the flag was given at all (reads nothing).
    func given(_ name: String) -> Bool { values[name] != nil || switches.contains(name) }

    /// The flag's value as given, without reading it (a grid looks before it reads).
    func peek(_ name: String) -> String? { values[name] }

    /// The same arguments with `name` given as `value` instead (one point of a grid).
    func replacing(_ name: String, with value: String) -> Arguments {
        var a = self
        a.values[name] = value
        return a
    }

    mutating func flag(_ name: String) -> Bool {
        consumed.insert(name)
        return switches.contains(name)
    }

    mutating func string(_ name: String) -> String? {
        consumed.insert(name)
        return values[name]
    }

    /// Call after reading every flag: any flag left over is a typo or does not belong here.
    func finish(command: String) throws {
        let unknown = Set(values.keys).union(switches).subtracting(consumed).subtracting(["help"]).sorted()
        if let u = unknown.first {
            throw UsageError("unknown flag --\(u) (see 'optima \(command) --help')")
        }
    }

    /// Call after `finish` in a command that takes no positional argument.
    func noPositional() throws {
        if let p = positional.first { throw UsageError("unexpected argument '\(p)'") }
    }
}

// The value parsers the flag tables share.

func parseInt(_ name: String, _ s: String, in range: ClosedRange<Int>) throws -> Int {
    guard let v = Int(s) else { throw UsageError("--\(name): '\(s)' is not an integer") }
    guard range.contains(v) else { throw UsageError("--\(name): \(v) is outside \(range.lowerBound)...\(range.upperBound)") }
    return v
}

func parseDouble(_ name: String, _ s: String, in range: ClosedRange<Double>) throws -> Double {
    guard let v = Double(s), v.isFinite else { throw UsageError("--\(name): '\(s)' is not a finite number") }
    guard range.contains(v) else { throw UsageError("--\(name): \(s) is outside \(range.lowerBound)...\(range.upperBound)") }
    return v
}

func parseIntList(_ name: String, _ s: String, in range: ClosedRange<Int>) throws -> [Int] {
    var out: [Int] = []
    for p in s.split(separator: ",", omittingEmptySubsequences: false) {
        guard let v = Int(p.trimmingCharacters(in: " ")) else { throw UsageError("--\(name): '\(s)' is not a comma-separated list of integers") }
        guard range.contains(v) else { throw UsageError("--\(name): \(v) is outside \(range.lowerBound)...\(range.upperBound)") }
        out.append(v)
    }
    return out
}

/// A comma-separated list of numbers, each in `range`.
func parseDoubleList(_ name: String, _ s: String, in range: ClosedRange<Double>) throws -> [Double] {
    let parts = s.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    guard !parts.isEmpty else { throw UsageError("--\(name) needs at least one value") }
    return try parts.map { try parseDouble(name, $0, in: range) }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> Substring {
        var s = self
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return s
    }
}
