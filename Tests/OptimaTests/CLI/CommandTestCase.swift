// What every test of the built `optima` command starts from: the executable built, a
// scratch folder of its own (removed afterwards), and runs and files in that folder.
import XCTest
@testable import Optima

class CommandTestCase: XCTestCase {
    var dir: URL!

    /// The scratch folder's name; one per test class.
    var scratchName: String { "\(type(of: self))" }

    override func setUpWithError() throws {
        _ = try optimaExecutable()
        dir = try scratchFolder(scratchName)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func run(_ args: [String]) throws -> OptimaRun { try runOptima(args, in: dir) }

    func write(_ text: String, _ name: String) throws {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func text(_ name: String) throws -> String { try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8) }
}
