// Helpers shared by the test suites: a float buffer with a stable pointer for calling
// the kernels, the tolerance used to compare kernel paths, and the finite-difference
// gradient check.
import XCTest
@testable import Optima

/// A heap array with a stable pointer, for calling the kernels.
final class TestBuffer {
    let p: UnsafeMutablePointer<Float>
    let count: Int
    init(_ n: Int, _ fill: Float = 0) {
        count = n
        p = .allocate(capacity: max(n, 1))
        p.initialize(repeating: fill, count: max(n, 1))
    }
    convenience init(_ n: Int, random g: inout Xoshiro256, _ lo: Float = -1, _ hi: Float = 1) {
        self.init(n)
        for i in 0..<n { p[i] = g.uniform(lo, hi) }
    }
    convenience init(copying b: TestBuffer) {
        self.init(b.count)
        p.update(from: b.p, count: b.count)
    }
    deinit { p.deallocate() }
    var array: [Float] { Array(UnsafeBufferPointer(start: p, count: count)) }
    subscript(i: Int) -> Float { get { p[i] } set { p[i] = newValue } }
}

/// |got - ref| <= (1e-5 + 1e-4 |ref|) * sqrt(terms summed): float sums drift like sqrt(n).
func assertClose(_ got: [Float], _ ref: [Float], terms: Int, _ what: @autoclosure () -> String,
                 file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(got.count, ref.count, what(), file: file, line: line)
    let scale = Float(max(terms, 1)).squareRoot()
    for i in 0..<min(got.count, ref.count) {
        let tol = (1e-5 + 1e-4 * abs(ref[i])) * scale
        if !(abs(got[i] - ref[i]) <= tol) {
            XCTFail("\(what()): [\(i)] got \(got[i]), expected \(ref[i])", file: file, line: line)
            return
        }
    }
}

func assertClose(_ got: TestBuffer, _ ref: [Float], terms: Int, _ what: @autoclosure () -> String,
                 file: StaticString = #filePath, line: UInt = #line) {
    assertClose(Array(got.array.prefix(ref.count)), ref, terms: terms, what(), file: file, line: line)
}

/// Compares every parameter's gradient with (L(θ+h) - L(θ-h)) / 2h in Double, on the
/// current kernel path. ReLU kinks make single entries unreliable when a pre-activation
/// is within h of 0, so entries whose one-sided slopes disagree are skipped, and at least
/// three quarters of the parameters must be checked.
func assertGradientMatchesFiniteDifferences(_ net: Network, data: Dataset, _ label: String,
                                            file: StaticString = #filePath, line: UInt = #line) {
    let (_, grad) = net.lossAndGradient(data)
    func lossAt(_ i: Int, _ delta: Float) -> Double {
        let saved = net.parameters[i]
        net.parameters[i] = saved + delta
        let out = net.predict(data.features, rows: data.count)
        net.parameters[i] = saved
        return Loss.value(task: net.task, outputs: out, targets: data.targets)
    }
    let h: Float = 1e-3
    var checked = 0
    for i in 0..<net.shape.parameterCount {
        let l0 = lossAt(i, 0), lp = lossAt(i, h), lm = lossAt(i, -h)
        let right = (lp - l0) / Double(h), left = (l0 - lm) / Double(h)
        if abs(right - left) > 1e-2 * max(1, abs(right)) { continue }  // a kink in between
        let numeric = (lp - lm) / Double(2 * h)
        XCTAssertEqual(Double(grad[i]), numeric, accuracy: 2e-3 * max(1, abs(numeric)),
                       "\(label) parameter \(i)", file: file, line: line)
        checked += 1
    }
    XCTAssertGreaterThan(checked, net.shape.parameterCount * 3 / 4, "\(label): too few entries checked", file: file, line: line)
}

/// MADELON's vendored training rows and validation rows, standardised on the training rows
/// as `optima select` does.
func loadMadelon() throws -> (train: Dataset, test: Dataset) {
    let dir = try DataFiles.dataDirectory().appendingPathComponent("madelon")
    var options = DataOptions()
    options.labelsFile = dir.appendingPathComponent("madelon_train.labels").path
    options.testFile = dir.appendingPathComponent("madelon_valid.data.gz").path
    options.testLabelsFile = dir.appendingPathComponent("madelon_valid.labels").path
    options.scaling = .standardize
    return try DataSource.load(dir.appendingPathComponent("madelon_train.data.gz").path, options: options)
}

/// Friedman's first regression problem (Friedman 1991): y = 10 sin(π x1 x2) + 20 (x3 - ½)²
/// + 10 x4 + 5 x5 + N(0, σ²), every x uniform on [0, 1]; columns 5… are noise.
func friedmanOne(rows: Int, features: Int, noise: Double = 1, seed: UInt64) -> Dataset {
    var g = Xoshiro256(seed: seed)
    var x = [Float](), y = [Float]()
    for _ in 0..<rows {
        let row = (0..<features).map { _ in g.unitFloat() }
        let v = row.map(Double.init)
        y.append(Float(10 * sin(Double.pi * v[0] * v[1]) + 20 * (v[2] - 0.5) * (v[2] - 0.5) + 10 * v[3] + 5 * v[4]
                       + noise * g.normal()))
        x += row
    }
    return Dataset(name: "friedman1", features: x, targets: y, count: rows, featureCount: features,
                   task: .regression(outputs: 1))
}
