// A test with a scratch folder of its own: made before each test, removed after it.
import Foundation
import XCTest

class ScratchTestCase: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("optima-\(type(of: self))-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A file in the scratch folder.
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
}
