// The import rule of docs/architecture.md, checked on the sources: a folder of
// Sources/Optima may name only types and functions declared in its own folder or a lower
// one (Base → Output → Data → Engine → Pruning → Selection → Runner → Studies); only Engine
// calls the C kernels; the library never exits the process.
import Foundation
import XCTest

final class LayerRuleTests: XCTestCase {
    /// Bottom to top.
    static let layers = ["Base", "Output", "Data", "Engine", "Pruning", "Selection", "Runner", "Studies"]

    func testNoFolderNamesAHigherFolder() throws {
        let files = try Self.librarySources()
        XCTAssertGreaterThan(files.count, 100, "the sources were not found")
        XCTAssertEqual(Set(files.map(\.layer)), Set(Self.layers), "a folder of Sources/Optima is not in the rule")
        let found = LayerRule.violations(files, layers: Self.layers)
        XCTAssert(found.isEmpty, "upward references:\n" + found.joined(separator: "\n"))
    }

    func testOnlyEngineCallsTheKernelsAndNothingExits() throws {
        for file in try Self.librarySources() {
            let code = LayerRule.code(file.source)
            if file.layer != "Engine" {
                XCTAssertNil(code.range(of: #"\boptima_[a-z0-9_]+\s*\("#, options: .regularExpression),
                             "\(file.path) calls a C kernel; only Engine/ does")
            }
            XCTAssertNil(code.range(of: #"(?<![\w.])exit\s*\("#, options: .regularExpression),
                         "\(file.path) exits the process; the library throws and the CLI exits")
        }
    }

    /// The checker itself finds a planted upward reference, and ignores comments, strings,
    /// member names and a nested type of the same name.
    func testTheCheckerFindsAPlantedViolation() {
        let files: [LayerRule.File] = [
            .init(path: "Studies/A.swift", layer: "Studies", source: "public struct StudyThing {}\nfunc helper() {}\n"),
            .init(path: "Engine/B.swift", layer: "Engine", source: "struct Net { var s: StudyThing }\n"),
            .init(path: "Engine/C.swift", layer: "Engine", source: "// StudyThing\nlet x = \"StudyThing\"\nlet y = a.StudyThing\nlet helper = 1\n"),
            .init(path: "Data/D.swift", layer: "Data", source: "enum Layout {\n    enum StudyThing {}\n    var c: StudyThing\n}\n"),
            .init(path: "Data/E.swift", layer: "Data", source: "let z = helper()\n"),
        ]
        let found = LayerRule.violations(files, layers: ["Data", "Engine", "Studies"])
        XCTAssertEqual(found, ["Data/E.swift names helper (Studies)", "Engine/B.swift names StudyThing (Studies)"])
    }

    static func librarySources() throws -> [LayerRule.File] {
        var root = URL(fileURLWithPath: #filePath)
        while root.lastPathComponent != "Tests" { root.deleteLastPathComponent() }
        let library = root.deletingLastPathComponent().appendingPathComponent("Sources/Optima")
        guard let walker = FileManager.default.enumerator(atPath: library.path) else { return [] }
        return try walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted().map { rel in
            LayerRule.File(path: rel, layer: String(rel.split(separator: "/")[0]),
                           source: try String(contentsOfFile: library.appendingPathComponent(rel).path, encoding: .utf8))
        }
    }
}

/// The rule's checker: which top-level names each folder declares, and where a lower folder
/// names one of a higher folder's.
enum LayerRule {
    struct File {
        let path: String
        let layer: String
        let source: String
    }

    static func violations(_ files: [File], layers: [String]) -> [String] {
        var owner: [String: String] = [:]   // top-level name → the lowest folder that declares it
        for f in files {
            guard let mine = layers.firstIndex(of: f.layer) else { continue }
            for name in declared(f.source, topLevelOnly: true) {
                if let seen = owner[name], let at = layers.firstIndex(of: seen), at <= mine { continue }
                owner[name] = f.layer
            }
        }
        var found: [String] = []
        for f in files {
            guard let mine = layers.firstIndex(of: f.layer) else { continue }
            let code = self.code(f.source), own = declared(f.source, topLevelOnly: false)
            for (name, layer) in owner.sorted(by: { $0.key < $1.key }) {
                guard let theirs = layers.firstIndex(of: layer), theirs > mine, !own.contains(name) else { continue }
                let called = name.hasSuffix("("), word = called ? String(name.dropLast()) : name
                let pattern = #"(?<![\w.])"# + word + (called ? #"\s*\("# : #"\b"#)
                if code.range(of: pattern, options: .regularExpression) != nil {
                    found.append("\(f.path) names \(word) (\(layer))")
                }
            }
        }
        return found.sorted()
    }

    /// The source without comments and string literals.
    static func code(_ source: String) -> String {
        var s = source.replacingOccurrences(of: #"(?s)/\*.*?\*/"#, with: "", options: .regularExpression)
        s = s.replacingOccurrences(of: #"(?s)""".*?""""#, with: "\"\"", options: .regularExpression)
        s = s.replacingOccurrences(of: #"//[^\n]*"#, with: "", options: .regularExpression)
        return s.replacingOccurrences(of: #""(\\.|[^"\\\n])*""#, with: "\"\"", options: .regularExpression)
    }

    /// Types and functions the source declares (a function's name ends in "("): the ones other
    /// files can name (top level, not private), or every one anywhere in it.
    static func declared(_ source: String, topLevelOnly: Bool) -> Set<String> {
        let indent = topLevelOnly ? "" : #"[ \t]*"#
        let pattern = "(?m)^" + indent + #"((?:@\w+\s+)*(?:(?:public|internal|fileprivate|private|final|indirect|static)\s+)*)"#
            + #"(struct|enum|class|protocol|typealias|actor|func)\s+(\w+)"#
        let regex = try! NSRegularExpression(pattern: pattern)
        let ns = code(source) as NSString
        return Set(regex.matches(in: ns as String, range: NSRange(location: 0, length: ns.length)).compactMap { m in
            let modifiers = ns.substring(with: m.range(at: 1))
            if topLevelOnly && modifiers.contains("private") { return nil }
            // A function is named by a call: "mean(" is the function, "mean" may be a variable.
            return ns.substring(with: m.range(at: 3)) + (ns.substring(with: m.range(at: 2)) == "func" ? "(" : "")
        })
    }
}
