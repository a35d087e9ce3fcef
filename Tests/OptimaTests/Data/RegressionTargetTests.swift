// A regression target standardised on the training rows and scaled back, and R², against
// hand-computed values.
import XCTest
@testable import Optima

final class RegressionTargetTests: XCTestCase {
    private func data(_ y: [Float]) -> Dataset {
        Dataset(name: "t", features: y.map { _ in 0 }, targets: y, count: y.count, featureCount: 1,
                task: .regression(outputs: 1))
    }

    /// Targets 2, 4, 6, 8: mean 5, population sd sqrt(5); standardised -3/√5 … 3/√5; undone exactly.
    func testStandardisationIsHandComputedAndUndone() {
        let d = data([2, 4, 6, 8])
        let t = TargetScaling.standardize(fittedOn: d)
        XCTAssertEqual(t.mean, [5])
        XCTAssertEqual(t.deviation[0], 5.0.squareRoot(), accuracy: 1e-12)
        let s = t.apply(d)
        XCTAssertEqual(s.targets.map(Double.init), [-3, -1, 1, 3].map { $0 / 5.0.squareRoot() }, accuracy: 1e-6)
        XCTAssertEqual(t.undo(s.targets), d.targets, accuracy: 1e-5)
        // A constant target is shifted only (deviation 1), never divided by 0.
        XCTAssertEqual(TargetScaling.standardize(fittedOn: data([3, 3, 3])).deviation, [1])
    }

    /// Outputs 1, 2, 3 against targets 1, 2, 4: SSE 1, SST 14/3, so R² = 1 - 3/14.
    func testR2IsHandComputed() {
        XCTAssertEqual(Metrics.r2(outputs: [1, 2, 3], targets: [1, 2, 4], width: 1)!, 1 - 3.0 / 14, accuracy: 1e-12)
        XCTAssertEqual(Metrics.r2(outputs: [1, 2, 4], targets: [1, 2, 4], width: 1), 1)
        XCTAssertNil(Metrics.r2(outputs: [1, 2], targets: [5, 5], width: 1), "constant targets: R² undefined")
        XCTAssertEqual(Evaluation(outputs: [1, 2, 3], data: data([1, 2, 4])).r2!, 1 - 3.0 / 14, accuracy: 1e-12)
        XCTAssertNil(Evaluation(outputs: [1, -1], data: Dataset(name: "b", features: [0, 0], targets: [1, 0], count: 2,
                                                                 featureCount: 1, task: .binary)).r2)
    }

    /// Quintile strata: 10 rows sorted by target fall 2 to a stratum, whatever their order.
    func testRegressionStrataAreQuantiles() {
        let d = data([9, 0, 8, 1, 7, 2, 6, 3, 5, 4])
        XCTAssertEqual(d.strata(regressionBins: 5), [4, 0, 4, 0, 3, 1, 3, 1, 2, 2])
    }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}

private func XCTAssertEqual(_ a: [Float], _ b: [Float], accuracy: Float, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
