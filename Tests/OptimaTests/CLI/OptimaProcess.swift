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

func runOptima(_ args: [String]) throws -> OptimaRun {
    let p = Process()
    p.executableURL = try optimaExecutable()
    p.arguments = args
    p.currentDirectoryURL = packageRoot
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
