// The packed, cache-blocked products of wide layers (CKernels/kernels_packed_body.h) on
// every path against the scalar C reference. Block sizes are forced far below the shapes,
// so that every K, row and column block edge and every register-block edge is crossed,
// and every buffer starts one float past a cache line.
import XCTest
@testable import Optima

/// One wide layer's buffers, each offset by one float from its allocation.
private final class OffsetLayer {
    let rows, input, output: Int
    private var storage: [UnsafeMutablePointer<Float>] = []
    let x, w, b, gradA: UnsafeMutablePointer<Float>

    init(rows: Int, input: Int, output: Int, seed: UInt64) {
        self.rows = rows; self.input = input; self.output = output
        var g = Xoshiro256(seed: seed)
        x = OffsetLayer.filled(rows * input, &g, into: &storage)
        w = OffsetLayer.filled(input * output, &g, into: &storage)
        b = OffsetLayer.filled(output, &g, into: &storage)
        gradA = OffsetLayer.filled(rows * output, &g, into: &storage)
    }

    deinit { storage.forEach { $0.deallocate() } }

    private static func filled(_ n: Int, _ g: inout Xoshiro256,
                               into storage: inout [UnsafeMutablePointer<Float>]) -> UnsafeMutablePointer<Float> {
        let p = offsetBuffer(n, into: &storage)
        for i in 0..<n { p[i] = g.uniform(-1, 1) }
        return p
    }

    private static func offsetBuffer(_ n: Int, into storage: inout [UnsafeMutablePointer<Float>]) -> UnsafeMutablePointer<Float> {
        let raw = UnsafeMutablePointer<Float>.allocate(capacity: n + 1)
        raw.initialize(repeating: .nan, count: n + 1)
        storage.append(raw)
        return raw + 1
    }

    var label: String { "\(rows)x\(input)->\(output)" }

    /// A, dZ, dWt, db and dX of a ReLU layer on the current path, workspace sized now.
    func run() -> [[Float]] {
        var scratch: [UnsafeMutablePointer<Float>] = []
        defer { scratch.forEach { $0.deallocate() } }
        let ws = Self.offsetBuffer(Kernels.denseWorkspaceCount(input: input, output: output), into: &scratch)
        let a = Self.offsetBuffer(rows * output, into: &scratch), dA = Self.offsetBuffer(rows * output, into: &scratch)
        let dW = Self.offsetBuffer(input * output, into: &scratch), db = Self.offsetBuffer(output, into: &scratch)
        let dX = Self.offsetBuffer(rows * input, into: &scratch)
        dA.update(from: gradA, count: rows * output)
        Kernels.denseForward(x, rows: rows, input: input, output: output, weights: w, bias: b,
                             activation: .relu, into: a, workspace: ws)
        Kernels.denseBackward(x, rows: rows, input: input, output: output, weights: w, activations: a,
                              activation: .relu, gradOutput: dA, gradWeights: dW, gradBias: db,
                              gradInput: dX, workspace: ws)
        func copy(_ p: UnsafeMutablePointer<Float>, _ n: Int) -> [Float] { Array(UnsafeBufferPointer(start: p, count: n)) }
        return [copy(a, rows * output), copy(dA, rows * output), copy(dW, input * output), copy(db, output),
                copy(dX, rows * input)]
    }
}

/// The products of `run()`, A, dWt, db and dX, each within the rounding of its sum's terms.
/// `l` run on every path with packed products under each of `blockings` (forced block sizes,
/// reset after each path), each result handed to `check` with its path and a description.
private func forEachPackedRun(_ l: OffsetLayer, blockings: [(Int, Int, Int)],
                              _ check: (KernelPath, String, [[Float]]) -> Void) {
    for p in Kernels.supported where Kernels.blocking(p) != nil {
        Kernels.use(p)
        for (kc, mc, nc) in blockings {
            Kernels.forceBlocking(kc: kc, mc: mc, nc: nc)
            check(p, "\(p) \(l.label) blocks \(kc) \(mc) \(nc)", l.run())
        }
        Kernels.forceBlocking(kc: 0, mc: 0, nc: 0)
    }
}

private func assertProductsClose(_ got: [[Float]], _ ref: [[Float]], _ l: OffsetLayer, _ what: String,
                                 file: StaticString = #filePath, line: UInt = #line) {
    assertClose(got[0], ref[0], terms: l.input, what + " A", file: file, line: line)
    assertClose(got[2], ref[2], terms: l.rows, what + " dWt", file: file, line: line)
    assertClose(got[3], ref[3], terms: l.rows, what + " db", file: file, line: line)
    assertClose(got[4], ref[4], terms: l.output, what + " dX", file: file, line: line)
}

final class PackedKernelTests: XCTestCase {
    override func tearDown() {
        Kernels.forceBlocking(kc: 0, mc: 0, nc: 0)
        super.tearDown()
    }

    /// Rows from 64 (the smallest batch that packs), widths from 128 (the narrowest packed
    /// layer) to odd sizes that leave a tail in every loop, K not a multiple of any vector.
    static let shapes = [(64, 128, 128), (65, 128, 128), (67, 131, 129), (100, 200, 301), (130, 257, 130), (97, 300, 517)]
    /// (kc, mc, nc): a K block of one term; blocks that are not whole register blocks (the
    /// kernels round them up); blocks smaller than every shape; one block for everything.
    static let blockings = [(1, 1, 1), (7, 13, 40), (24, 8, 128), (96, 48, 256), (4096, 4096, 65536)]

    func testPackedLayersMatchReferenceOnEveryPath() {
        let original = Kernels.path
        defer { Kernels.use(original) }
        var seed: UInt64 = 500
        for (rows, input, output) in Self.shapes {
            seed += 1
            let l = OffsetLayer(rows: rows, input: input, output: output, seed: seed)
            Kernels.use(.scalar)
            let ref = l.run()
            var first: [KernelPath: [[Float]]] = [:]
            forEachPackedRun(l, blockings: Self.blockings) { p, what, got in
                XCTAssertGreaterThan(Kernels.denseWorkspaceCount(input: input, output: output), 0,
                                     "\(l.label) gets no pack buffers: it would not pack")
                assertProductsClose(got, ref, l, what)
                assertClose(got[1], ref[1], terms: 1, what + " dZ")
                // Each element is one chain of FMAs in the order of its sum, whatever the
                // blocks: the results are the same bits under every blocking.
                if let f = first[p] { XCTAssertEqual(got, f, what + ": differs from the first blocking") }
                first[p] = first[p] ?? got
            }
        }
    }

    /// While the blocks are forced every layer packs: the packed products on the awkward
    /// shapes of KernelTests (1 row, 1 input, K not a multiple of any vector, 1023 wide).
    func testAwkwardShapesPackLikeTheReference() {
        let original = Kernels.path
        defer { Kernels.use(original) }
        var seed: UInt64 = 900
        for rows in KernelTests.rowsSet {
            for input in KernelTests.inputSet {
                for output in KernelTests.outputSet {
                    seed += 1
                    let l = OffsetLayer(rows: rows, input: input, output: output, seed: seed)
                    Kernels.use(.scalar)
                    let ref = l.run()
                    forEachPackedRun(l, blockings: [(5, 7, 20), (64, 24, 256)]) { _, what, got in
                        assertProductsClose(got, ref, l, what)
                    }
                }
            }
        }
    }

    /// With the caches' own block sizes, on a layer whose weights overflow any L2 up to
    /// 2 MiB, so that it packs on every machine.
    func testPackedLayerWithTheCachesBlocks() {
        let original = Kernels.path
        defer { Kernels.use(original) }
        let l = OffsetLayer(rows: 70, input: 1031, output: 520, seed: 77)
        Kernels.use(.scalar)
        let ref = l.run()
        for p in Kernels.supported where Kernels.blocking(p) != nil {
            Kernels.use(p)
            let got = l.run()
            assertClose(got[0], ref[0], terms: l.input, "\(p) A")
            assertClose(got[2], ref[2], terms: l.rows, "\(p) dWt")
            assertClose(got[4], ref[4], terms: l.output, "\(p) dX")
            XCTAssertGreaterThan(Kernels.denseWorkspaceCount(input: l.input, output: l.output), 0)
        }
    }

    func testBlockingComesFromTheCachesAndCanBeForced() {
        for p in Kernels.supported {
            guard let b = Kernels.blocking(p) else {
                XCTAssertTrue(p == .scalar || p == .swift, "\(p) has no packed products")
                continue
            }
            XCTAssertGreaterThanOrEqual(b.kc, 32, "\(p)")
            XCTAssertGreaterThan(b.mc, 0, "\(p)")
            XCTAssertGreaterThan(b.nc, 0, "\(p)")
            Kernels.forceBlocking(kc: 24, mc: 13, nc: 40)
            let forced = Kernels.blocking(p)!
            XCTAssertEqual(forced.kc, 24)
            XCTAssertLessThanOrEqual(forced.mc, 13)
            XCTAssertLessThanOrEqual(forced.nc, 40 + 64)
            Kernels.forceBlocking(kc: 0, mc: 0, nc: 0)
            XCTAssertEqual(Kernels.blocking(p)!.kc, b.kc)
        }
        // The papers' layers (64 rows, or narrow) get no pack buffers.
        XCTAssertEqual(Kernels.denseWorkspaceCount(input: 100, output: 64), 0)
        XCTAssertEqual(Kernels.denseWorkspaceCount(input: 15, output: 4096), 0)
    }
}
