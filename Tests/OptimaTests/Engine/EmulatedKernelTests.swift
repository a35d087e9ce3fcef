import XCTest
import CKernelsEmulated

/// The AVX-512 variant can only run on AVX-512 hardware; its loops, register blocks and
/// mask tails come from the body it shares with AVX2, which this test builds with 16
/// portable lanes and AVX-512's block sizes and checks against the scalar reference on
/// every machine. Only the one-line intrinsic wrappers stay unexercised without the hardware.
final class EmulatedKernelTests: XCTestCase {
    func testSixteenLaneBodyMatchesTheReference() {
        var report = [CChar](repeating: 0, count: 512)
        let bad = optima_emulated512_selftest(&report, Int32(report.count))
        XCTAssertEqual(bad, 0, String(cString: report))
    }
}
