import XCTest
@testable import Optima

/// Numbers written to results files read back to the same bits, so a resumed run sees what
/// the killed one wrote.
final class JSONNumberTests: XCTestCase {
    func testNumbersReadBackToTheSameBits() throws {
        let values: [Double] = [0, -0.0, 1, -1, 0.1, -2.5e-12, 1e15, 123456789012345, 1.5e300, .leastNonzeroMagnitude,
                                -.greatestFiniteMagnitude]
        for x in values {
            let text = JSONValue.numberText(x)
            let back = try JSONValue.parse(text).double
            XCTAssertEqual(back?.bitPattern, x.bitPattern, "\(x) written as \(text)")
        }
        XCTAssertEqual(JSONValue.numberText(3), "3", "whole numbers stay without a decimal point")
        XCTAssertEqual(JSONValue.numberText(-0.0), "-0.0")
    }
}
