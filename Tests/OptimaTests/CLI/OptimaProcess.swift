// Running the built `optima` from the tests: the executable next to the test bundle, started
// in the package root. Suites that check the command line from the outside share it; without
// the executable they are skipped.
import Foundation
import XCTest

/// What one run of `optima` gave back.
struct OptimaRun {
    let status: Int32
    let stdout: String
    let stderr: String
}

let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func optimaExecutable() throws -> URL {
    #if os(macOS)
    let products = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?.bundleURL.deletingLastPathComponent()
    #else
    let products: URL? = Bundle.main.bundleURL
    #endif
    guard let url = products?.appendingPathComponent("optima"),
          FileManager.default.isExecutableFile(atPath: url.path) else {
        throw XCTSkip("the optima executable is not built next to the tests")
    }
    return url
}

/// Runs `optima args` in `directory` (default: the package root).
func runOptima(_ args: [String], in directory: URL? = nil) throws -> OptimaRun {
    let p = Process()
    p.executableURL = try optimaExecutable()
    p.arguments = args
    p.currentDirectoryURL = directory ?? packageRoot
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    // Read before waiting, so a full pipe cannot stall the child.
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return OptimaRun(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                     stderr: String(decoding: e, as: UTF8.self))
}

/// A refusal as every command makes one: exit status 2 and one line on stderr that starts
/// "optima COMMAND: " and holds `words`.
func assertRefusal(_ r: OptimaRun, _ words: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(r.status, 2, r.stderr, file: file, line: line)
    let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    XCTAssertEqual(lines.count, 1, "one line on stderr: \(r.stderr)", file: file, line: line)
    XCTAssertTrue(r.stderr.hasPrefix("optima "), r.stderr, file: file, line: line)
    XCTAssertTrue(r.stderr.contains(words), "'\(words)' in: \(r.stderr)", file: file, line: line)
}

/// A fresh folder for one test's files, removed by the caller.
func scratchFolder(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("optima-\(name)-\(getpid())-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
