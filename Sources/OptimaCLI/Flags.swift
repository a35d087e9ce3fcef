// Every flag is one table entry: its name, its value's name, its help, its default as
// rendered from the settings it writes, and how it writes them. The help text is made
// from the tables and the values are read through them, so the default the help shows
// is the default the command uses; the defaults themselves live in the library's
// settings (Recipe, NodeSelectionSettings, ...), not here.
import Optima

struct Flag<Settings> {
    let name: String
    /// Old spellings that still read as this flag; not shown in the help.
    let aliases: [String]
    /// Said on stderr when an old spelling is used (a flag that was renamed); nil: silent.
    var renamedNote: String? = nil
    /// The value's name in the help, e.g. "N"; nil for a switch.
    let value: String?
    let help: String
    /// The default the help shows, read from the settings the flags start from; nil: none.
    let shown: (Settings) -> String?
    /// Writes the flag's value into the settings; a switch is given "".
    let set: (inout Settings, String) throws -> Void
    /// The value itself is a comma-separated list (--hidden 64,32). Where commas separate
    /// grid values ('optima cv'), such a value writes its commas as 'x' (--hidden 64x32,128).
    let isList: Bool

    init(_ name: String, value: String?, aliases: [String] = [], help: String, isList: Bool = false,
         shown: @escaping (Settings) -> String? = { _ in nil },
         set: @escaping (inout Settings, String) throws -> Void) {
        self.name = name
        self.aliases = aliases
        self.value = value
        self.help = help
        self.isList = isList
        self.shown = shown
        self.set = set
    }
}

extension Flag {
    /// The same flag, with a note said when one of its old spellings is used.
    func renamed(_ note: String) -> Flag {
        var f = self
        f.renamedNote = note
        return f
    }

    static func int(_ name: String, _ value: String, _ help: String, _ key: WritableKeyPath<Settings, Int>,
                    in range: ClosedRange<Int>, aliases: [String] = []) -> Flag {
        Flag(name, value: value, aliases: aliases, help: help, shown: { String($0[keyPath: key]) }) {
            $0[keyPath: key] = try parseInt(name, $1, in: range)
        }
    }

    /// An optional count whose nil the library resolves (e.g. from the number of epochs).
    static func int(_ name: String, _ value: String, _ help: String, _ key: WritableKeyPath<Settings, Int?>,
                    in range: ClosedRange<Int>, otherwise: String) -> Flag {
        Flag(name, value: value, help: help, shown: { $0[keyPath: key].map(String.init) ?? otherwise }) {
            $0[keyPath: key] = try parseInt(name, $1, in: range)
        }
    }

    /// Seeds: any non-negative integer that fits an Int, so the value prints back as typed.
    static func seed(_ name: String, _ help: String, _ key: WritableKeyPath<Settings, UInt64>) -> Flag {
        Flag(name, value: "S", help: help, shown: { String($0[keyPath: key]) }) {
            $0[keyPath: key] = UInt64(try parseInt(name, $1, in: 0...Int.max))
        }
    }

    static func double(_ name: String, _ value: String, _ help: String, _ key: WritableKeyPath<Settings, Double>,
                       in range: ClosedRange<Double>) -> Flag {
        Flag(name, value: value, help: help, shown: { render($0[keyPath: key]) }) {
            $0[keyPath: key] = try parseDouble(name, $1, in: range)
        }
    }

    /// An optional epoch count or window whose nil the library resolves; `positive` refuses 0.
    static func double(_ name: String, _ value: String, _ help: String, _ key: WritableKeyPath<Settings, Double?>,
                       otherwise: String, positive: Bool = false, aliases: [String] = []) -> Flag {
        Flag(name, value: value, aliases: aliases, help: help, shown: { $0[keyPath: key].map(render) ?? otherwise }) {
            let v = try parseDouble(name, $1, in: 0...1e12)
            if positive && v <= 0 { throw UsageError("--\(name) must be above 0") }
            $0[keyPath: key] = v
        }
    }

    /// Read as a Double and then rounded to Float, so a typed value gives the same Float
    /// it always has.
    static func float(_ name: String, _ value: String, _ help: String, _ key: WritableKeyPath<Settings, Float>,
                      in range: ClosedRange<Double>) -> Flag {
        Flag(name, value: value, help: help, shown: { render($0[keyPath: key]) }) {
            $0[keyPath: key] = Float(try parseDouble(name, $1, in: range))
        }
    }

    static func intList(_ name: String, _ value: String, _ help: String, _ key: WritableKeyPath<Settings, [Int]>,
                        in range: ClosedRange<Int>) -> Flag {
        Flag(name, value: value, help: help, isList: true, shown: { $0[keyPath: key].map(String.init).joined(separator: ",") }) {
            $0[keyPath: key] = try parseIntList(name, $1, in: range)
        }
    }

    /// One of a few words, each standing for a value; `aliases` are old words still read.
    /// The help lists the words as the value's name.
    static func choice<T: Equatable>(_ name: String, _ help: String, _ key: WritableKeyPath<Settings, T>,
                                     _ words: [(String, T)], aliases: [String: T] = [:]) -> Flag {
        Flag(name, value: words.map(\.0).joined(separator: "|"), help: help,
             shown: { s in words.first { $0.1 == s[keyPath: key] }?.0 }) { s, word in
            guard let v = words.first(where: { $0.0 == word })?.1 ?? aliases[word] else {
                throw UsageError("--\(name): '\(word)' is not one of \(words.map(\.0).joined(separator: ", "))")
            }
            s[keyPath: key] = v
        }
    }

    static func choice<T: CaseIterable & RawRepresentable & Equatable>(_ name: String, _ help: String,
                                                                      _ key: WritableKeyPath<Settings, T>) -> Flag
    where T.RawValue == String {
        choice(name, help, key, T.allCases.map { ($0.rawValue, $0) })
    }

    static func text(_ name: String, _ value: String, _ help: String, _ key: WritableKeyPath<Settings, String?>) -> Flag {
        Flag(name, value: value, help: help, shown: { $0[keyPath: key] }) { $0[keyPath: key] = $1 }
    }

    static func toggle(_ name: String, _ help: String, _ key: WritableKeyPath<Settings, Bool>, to on: Bool = true) -> Flag {
        Flag(name, value: nil, help: help) { s, _ in s[keyPath: key] = on }
    }
}

/// A titled group of flags that write the same settings.
struct FlagSection<Settings> {
    let title: String
    let flags: [Flag<Settings>]

    var names: [FlagName] { flags.map { FlagName(name: $0.name, aliases: $0.aliases, takesValue: $0.value != nil, renamedNote: $0.renamedNote) } }

    /// The flags that take a value, as a grid sees them: name, and whether the value is a list.
    var gridFlags: [(name: String, isList: Bool)] { flags.filter { $0.value != nil }.map { ($0.name, $0.isList) } }

    /// Applies every flag given, in the table's order rather than the command line's, so a
    /// flag may depend on one listed above it (--p on --data).
    func read(_ a: inout Arguments, into s: inout Settings) throws {
        for f in flags {
            if f.value == nil {
                if a.flag(f.name) { try f.set(&s, "") }
            } else if let v = a.string(f.name) {
                try f.set(&s, v)
            }
        }
    }

    /// The first of these flags given on the command line, for flags that exclude each other.
    func firstGiven(in a: Arguments) -> String? { flags.first { a.given($0.name) }?.name }

    func only(_ names: Set<String>) -> FlagSection { FlagSection(title: title, flags: flags.filter { names.contains($0.name) }) }
    func excluding(_ names: Set<String>) -> FlagSection { FlagSection(title: title, flags: flags.filter { !names.contains($0.name) }) }

    /// The section's help, with the defaults read from `defaults`.
    func usage(_ defaults: Settings) -> UsageSection {
        var text = "  \(title):"
        for f in flags {
            let left = "--" + f.name + (f.value.map { " " + $0 } ?? "")
            text += "\n" + helpEntry(left, f.help + (f.shown(defaults).map { " (default \($0))" } ?? ""))
        }
        return UsageSection(flags: names, text: text)
    }
}

/// A section as the parser and the help see it, whatever settings it writes.
struct UsageSection {
    let flags: [FlagName]
    let text: String
}

extension Arguments {
    init(_ args: [String], sections: [UsageSection], command: String) throws {
        try self.init(args, flags: sections.flatMap(\.flags), command: command)
    }
}

/// A command's help: its description, then its sections and --help.
func commandHelp(_ header: String, _ sections: [UsageSection]) -> String {
    header + "\n\n" + sections.map(\.text).joined(separator: "\n") + "\n" + helpEntry("--help, -h", "this text")
}

/// `    --flag VALUE         help`, the help wrapped at 100 columns; a long flag puts its
/// help on the next line.
func helpEntry(_ left: String, _ help: String) -> String {
    let column = 25, width = 100
    var lines: [String] = []
    var line = "    " + left
    if line.count > column - 2 {
        lines.append(line)
        line = ""
    }
    line = line.padding(toLength: column, withPad: " ", startingAt: 0)
    var empty = true
    for word in help.split(separator: " ") {
        if !empty && line.count + 1 + word.count > width {
            lines.append(line)
            line = String(repeating: " ", count: column)
            empty = true
        }
        line += (empty ? "" : " ") + word
        empty = false
    }
    lines.append(line)
    return lines.joined(separator: "\n")
}

/// A default as the help shows it: 30 not 30.0, 1e-8 not 1e-08.
func render(_ x: Double) -> String { tidy(String(x)) }
func render(_ x: Float) -> String { tidy(String(x)) }

private func tidy(_ s: String) -> String {
    var s = s
    if s.hasSuffix(".0") { s.removeLast(2) }
    if let e = s.firstIndex(of: "e") {
        var exponent = s[s.index(after: e)...]
        let sign = exponent.first == "-" || exponent.first == "+" ? String(exponent.removeFirst()) : ""
        while exponent.count > 1 && exponent.first == "0" { exponent.removeFirst() }
        s = String(s[..<e]) + "e" + (sign == "-" ? "-" : "") + exponent
    }
    return s
}
