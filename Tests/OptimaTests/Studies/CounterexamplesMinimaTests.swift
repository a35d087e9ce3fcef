// The counterexamples paper's numerical proofs: the Double ReLU net's gradient against
// finite differences, the local-minimum certificate on the stated points and on points that
// are not minima (a slope, a zero-gradient saddle, Prop. 2 as printed), the sign search that
// corrects Prop. 2, Theorem 1's construction, and the blind-spot bounds.
import XCTest
@testable import Optima

final class CounterexamplesMinimaTests: XCTestCase {
    private let quick = CertificateSettings.at(.quick)

    /// Analytic gradient vs central differences at random points (kinks are measure zero,
    /// and a coordinate whose one-sided slopes differ is skipped).
    func testGradientMatchesFiniteDifferences() {
        var g = Xoshiro256(seed: 5)
        let d2 = StatedMinima.data("d2")
        let planar = ExactData(x: (0..<7).map { _ in [g.normal(), g.normal()] }, y: (0..<7).map { _ in g.normal() })
        for (sizes, data) in [([1, 3, 1], d2), ([2, 3, 3, 1], planar), ([1, 2, 2, 2, 1], d2)] {
            for _ in 0..<3 {
                let net = ExactNetwork(sizes: sizes, parameters: (0..<ExactNetwork.parameterCount(sizes)).map { _ in g.normal() })
                let grad = net.gradient(data)
                var checked = 0
                for i in net.parameters.indices {
                    func loss(_ h: Double) -> Double { var n = net; n.parameters[i] += h; return n.loss(data) }
                    let h = 1e-6, l0 = loss(0), right = (loss(h) - l0) / h, left = (l0 - loss(-h)) / h
                    if abs(right - left) > 1e-3 * max(1, abs(right)) { continue }
                    XCTAssertEqual(grad[i], (loss(h) - loss(-h)) / (2 * h), accuracy: 1e-4 * max(1, abs(grad[i])), "\(sizes) parameter \(i)")
                    checked += 1
                }
                XCTAssertGreaterThan(checked, net.parameters.count * 3 / 4)
            }
        }
    }

    func testTheStatedPointsAreCertifiedWithProp2Corrected() {
        for p in StatedMinima.points {
            let c = MinimumCertificate.check(p.corrected, on: StatedMinima.data(p.data), quick)
            XCTAssertTrue(c.isLocalMinimum, "\(p.proposition) \(p.role): \(c)")
            if let stated = p.paperLoss, !p.isCorrected { XCTAssertEqual(c.loss, stated, accuracy: 1e-12) }
        }
        let d1 = StatedMinima.data("d1")
        XCTAssertEqual(ExactNetwork(w: [1], b: [-3], v: [1], c: 0).loss(d1), 18)
        XCTAssertEqual(ExactNetwork(w: [-7], b: [-4], v: [1], c: 0).loss(d1), 14)
        XCTAssertEqual(StatedMinima.points[3].corrected.loss(StatedMinima.data("d2")), 0, accuracy: 1e-12)
        XCTAssertEqual(StatedMinima.points[2].corrected.loss(StatedMinima.data("d2")), 8.0 / 3, accuracy: 1e-12)
    }

    /// Prop. 2 as printed: the "perfect fit" has loss 29 and neither point is a minimum.
    func testProp2AsPrintedIsRejected() {
        let d2 = StatedMinima.data("d2")
        XCTAssertEqual(StatedMinima.d2Global.loss(d2), 29, accuracy: 1e-12)
        for n in [StatedMinima.d2Global, StatedMinima.d2Local] {
            let c = MinimumCertificate.check(n, on: d2, quick)
            XCTAssertFalse(c.isCritical)
            XCTAssertFalse(c.noPerturbationLowers)
            XCTAssertFalse(c.isLocalMinimum)
        }
    }

    /// A point on a slope (a stated minimum with c moved) and a zero-gradient saddle on D1
    /// (v = w = 0, b = 1, c = mean y: moving v and w together fits a slope) are rejected.
    func testTheCertificateRejectsASlopeAndASaddle() {
        let d1 = StatedMinima.data("d1")
        let slope = MinimumCertificate.check(ExactNetwork(w: [1], b: [-3], v: [1], c: 0.1), on: d1, quick)
        XCTAssertFalse(slope.isCritical)
        XCTAssertFalse(slope.isLocalMinimum)
        let saddle = MinimumCertificate.check(ExactNetwork(w: [0], b: [1], v: [0], c: d1.meanY), on: d1, quick)
        XCTAssertTrue(saddle.isCritical, "the saddle's gradient is zero: \(saddle.gradient)")
        XCTAssertFalse(saddle.noPerturbationLowers, "a perturbation must find the descent: \(saddle.largestDrop)")
        XCTAssertFalse(saddle.isLocalMinimum)
        // A kink with a nonzero residual: one one-sided gradient is not zero.
        let moved = d1.withY(index: 2, to: 1)   // x = 3 sits on the kink; its residual is now −1
        let net = ExactNetwork(w: [1], b: [-3], v: [1], c: 0)
        XCTAssertNotEqual(net.gradient(moved, kinkSlope: 0), net.gradient(moved, kinkSlope: 1))
        XCTAssertFalse(MinimumCertificate.check(net, on: moved, quick).isCritical)
    }

    func testTheSignSearchFindsW2() {
        let s = CounterexamplesProp1to3.prop2Search()
        XCTAssertEqual(s.global.first, [StatedMinima.w2])
        XCTAssertEqual(s.local.first, [StatedMinima.w2])
        XCTAssertEqual(StatedMinima.points[3].corrected.parameters[StatedMinima.w2], 1)
    }

    func testRemark1CurveKeepsTheLoss() {
        let d1 = StatedMinima.data("d1")
        for t in [0.3, 0.9, 1.7, 5] { XCTAssertEqual(CounterexamplesRemark1.onCurve(t).loss(d1), 18, accuracy: 1e-9) }
        XCTAssertEqual(ExactNetwork(w: [1], b: [-3], v: [1], c: 0.2).loss(d1), 18 + 5 * 0.04, accuracy: 1e-9)
    }

    /// Lemma 2 at the dead start, and App. B.3's construction: it beats the mean on a 1-3-1
    /// net; as printed it loses on a 1-3-3-1 net (the ReLU cuts μ = −2.8), shifted it wins.
    func testTheorem1DeadStartAndConstruction() {
        let d3 = StatedMinima.data("d3")
        let dead = CounterexamplesTheorem1.deadStart([1, 3, 3, 1], on: d3, seed: 1)
        let first = dead.offsets(1).weights
        XCTAssert(dead.gradient(d3)[..<first].allSatisfy { $0 == 0 })
        XCTAssert(Set(d3.x.map(dead.output)).count == 1, "a dead first layer gives one output")
        let mean = d3.y.reduce(0) { $0 + ($1 - d3.meanY) * ($1 - d3.meanY) }
        XCTAssertEqual(CounterexamplesTheorem1.construction([1, 3, 1], on: d3, shifted: false).loss(d3), 22.8, accuracy: 1e-9)
        XCTAssertEqual(CounterexamplesTheorem1.construction([1, 3, 3, 1], on: d3, shifted: false).loss(d3), 62, accuracy: 1e-9)
        XCTAssertEqual(CounterexamplesTheorem1.construction([1, 3, 3, 1], on: d3, shifted: true).loss(d3), 22.8, accuracy: 1e-9)
        XCTAssertEqual(CounterexamplesTheorem1.construction([1, 4, 4, 4, 1], on: d3, shifted: true).loss(d3), 22.8, accuracy: 1e-9)
        XCTAssertLessThan(22.8, mean)
    }

    func testBlindSpotBound() {
        // log Φ against the direct formula where both are accurate.
        for z in [-3.0, -0.5, 0, 0.7, 2.5] { XCTAssertEqual(BlindSpotBound.logPhi(z), log(0.5 * erfc(-z / 2.0.squareRoot())), accuracy: 1e-12) }
        XCTAssertEqual(BlindSpotBound.logPhi(8), -6.22e-16, accuracy: 1e-17)   // 1 − Φ(8) ≈ 6.22e-16
        for i in BlindSpotInit.allCases {
            let mu = BlindSpotBound.meanNeeded(inputs: 2, width: 50, hidden: 3, i)
            XCTAssertEqual(BlindSpotBound.probability(mean: mu, inputs: 2, width: 50, hidden: 3, i), 0.99, accuracy: 1e-9)
        }
        // One σ everywhere: the two forms agree; the exponent is dh + (L − 1)h² + h.
        XCTAssertEqual(BlindSpotBound.probability(mean: 0.03, sigma: 0.01, inputs: 2, width: 3, hidden: 2),
                       BlindSpotBound.probability(mean: 0.03, inputs: 2, width: 3, hidden: 2, .fixed), accuracy: 1e-15)
        XCTAssertEqual(BlindSpotBound.probability(mean: 0, sigma: 1, inputs: 2, width: 3, hidden: 2), pow(0.5, 6 + 9 + 3), accuracy: 1e-15)
        XCTAssertEqual(BlindSpotBound.meanNeeded(inputs: 2, width: 10_000, hidden: 100, .lecun), 0.0703, accuracy: 5e-4)
        XCTAssertEqual(CounterexamplesProp5.bound(width: 2, layers: 3), 1 - pow(15.0 / 16, 2), accuracy: 1e-15)
    }
}

private extension ExactData {
    func withY(index i: Int, to v: Double) -> ExactData { var d = self; d.y[i] = v; return d }
}
