// Kernel microbenchmark, llm.c style: every path's result is checked against the
// scalar C reference before it is timed, and each time is reported as GFLOP/s and
// as a fraction of that path's measured single-core peak (the `peak` suite).
import Foundation
import Optima

/// One dense layer shape. Feature layers (the first layer) need no dX in training;
/// output layers (in = hidden width) do, so their backward includes it.
private struct Shape {
    var rows: Int, input: Int, output: Int, gradInput: Bool
    var label: String { "\(rows)x\(input)->\(output)" }
    var forwardFlops: Double { 2 * Double(rows * input * output) }
    var backwardFlops: Double { forwardFlops * (gradInput ? 2 : 1) }
}

/// Feature layers (p -> H) and output layers (H -> 1, 10 or 26 classes: the hidden-to-output
/// layer of binary and multi-class networks); `--layers feature|output` keeps one kind,
/// `--rows N` one batch size.
private func benchShapes(quick: Bool, layers: String?, rows only: Int?) -> [Shape] {
    if layers == "large" || layers == "fused" { return [] }
    let rows = only.map { [$0] } ?? (quick ? [64] : [16, 32, 64])
    let inputs = quick ? [15, 617] : [3, 15, 64, 617]
    let outputs = quick ? [128, 1024] : [20, 128, 512, 1024, 4096]
    let hidden = quick ? [64, 1024] : [64, 128, 256, 512, 1024, 4096]
    var shapes: [Shape] = []
    for r in rows {
        if layers != "output" {
            for i in inputs { for o in outputs { shapes.append(Shape(rows: r, input: i, output: o, gradInput: false)) } }
        }
        if layers != "feature" {
            for h in hidden { for o in [1, 10, 26] { shapes.append(Shape(rows: r, input: h, output: o, gradInput: true)) } }
        }
    }
    return shapes
}

/// ReLU layers under one identity output, whose backward is the fused kernel
/// (Kernels.reluBackwardFromOneOutput): what the papers' p-H-1 networks train with in their
/// first layer (no dX), and the last hidden layer of deeper one-output networks (with dX,
/// formed from the stored dZ as training does). `--layers fused` keeps only these.
private func fusedShapes(quick: Bool, layers: String?, rows only: Int?) -> [Shape] {
    guard layers == nil || layers == "fused" else { return [] }
    let rows = only.map { [$0] } ?? [64]
    let inputs = quick ? [15] : [3, 15, 64, 617]
    let outputs = quick ? [1024] : [128, 1024, 4096]
    let hidden = quick ? [128] : [64, 128, 256, 512]
    return rows.flatMap { r in
        inputs.flatMap { i in outputs.map { Shape(rows: r, input: i, output: $0, gradInput: false) } }
            + hidden.map { Shape(rows: r, input: $0, output: $0, gradInput: true) }
    }
}

/// MNIST-sized layers (batch 100-256 x 256-2048 -> 256-2048), where the operands overflow L1
/// and L2 and the packed, cache-blocked products take over; `--layers large` keeps only these.
private func largeShapes(quick: Bool, layers: String?, rows only: Int?) -> [Shape] {
    guard layers == nil || layers == "large" else { return [] }
    let rows = only.map { [$0] } ?? (quick ? [200] : [100, 256])
    let inputs = quick ? [784] : [256, 784, 1024, 2048]
    let outputs = quick ? [1024] : [256, 1024, 2048]
    return rows.flatMap { r in
        inputs.flatMap { i in outputs.map { Shape(rows: r, input: i, output: $0, gradInput: true) } }
    }
}

/// The buffers of one layer, filled deterministically; `reset` restores dA before a backward.
private final class LayerBuffers {
    let s: Shape
    let x, w, b, a, dA, dA0, dW, db, dX, ws: UnsafeMutablePointer<Float>
    /// The one output above the layer, for the fused backward: its weights and dLoss/dz.
    let w2, dz, dw2: UnsafeMutablePointer<Float>
    /// Whether the kernels get the workspace: without it, a wide layer runs the direct
    /// kernels instead of the packed ones.
    var useWorkspace = true

    init(_ s: Shape) {
        self.s = s
        // Cache-line aligned, as the training buffers should be: a vector load that
        // straddles two lines costs two.
        func alloc(_ n: Int) -> UnsafeMutablePointer<Float> {
            let raw = UnsafeMutableRawPointer.allocate(byteCount: 4 * max(n, 1), alignment: 64)
            return raw.initializeMemory(as: Float.self, repeating: 0, count: max(n, 1))
        }
        let nx = s.rows * s.input, nw = s.input * s.output, na = s.rows * s.output
        x = alloc(nx); w = alloc(nw); b = alloc(s.output); a = alloc(na)
        dA = alloc(na); dA0 = alloc(na); dW = alloc(nw); db = alloc(s.output); dX = alloc(nx)
        ws = alloc(Kernels.denseWorkspaceCount(input: s.input, output: s.output))
        var g = Xoshiro256(seed: UInt64(s.rows * 1_000_003 + s.input * 1009 + s.output))
        let scale = 1 / Float(s.input).squareRoot()
        for e in 0..<nx { x[e] = g.uniform(-1, 1) }
        for e in 0..<nw { w[e] = g.uniform(-scale, scale) }
        for e in 0..<s.output { b[e] = g.uniform(-0.1, 0.1) }
        for e in 0..<na { dA0[e] = g.uniform(-1, 1) }
        w2 = alloc(s.output); dz = alloc(s.rows); dw2 = alloc(s.output)
        for e in 0..<s.output { w2[e] = g.uniform(-scale, scale) }
        for e in 0..<s.rows { dz[e] = g.uniform(-1, 1) }
    }

    deinit { for p in [x, w, b, a, dA, dA0, dW, db, dX, ws, w2, dz, dw2] { p.deallocate() } }

    func forward() {
        Kernels.denseForward(x, rows: s.rows, input: s.input, output: s.output, weights: w, bias: b,
                             activation: .relu, into: a, workspace: useWorkspace ? ws : nil)
    }

    /// Repeated backwards are stable: the ReLU derivative applied to dZ again changes nothing.
    func backward(gradInput: Bool? = nil) {
        Kernels.denseBackward(x, rows: s.rows, input: s.input, output: s.output, weights: w,
                              activations: a, activation: .relu, gradOutput: dA, gradWeights: dW,
                              gradBias: db, gradInput: gradInput ?? s.gradInput ? dX : nil,
                              workspace: useWorkspace ? ws : nil)
    }

    func resetGrad() { dA.update(from: dA0, count: s.rows * s.output) }

    /// The fused backward under one output; dX formed from dZ stored in dA, as training does.
    func fusedBackward() {
        Kernels.reluBackwardFromOneOutput(x, rows: s.rows, input: s.input, output: s.output, weights: w,
                                          activations: a, nextWeights: w2, gradOutput: dz, gradWeights: dW,
                                          gradBias: db, nextGradWeights: dw2, gradInput: s.gradInput ? dX : nil,
                                          gradZ: s.gradInput ? dA : nil)
    }
}

/// Largest |got - ref| / (tolerance) over n values; <= 1 passes.
private func worstError(_ got: UnsafePointer<Float>, _ ref: [Float], sumLength: Int) -> Float {
    let scale = Float(max(sumLength, 1)).squareRoot()
    var worst: Float = 0
    for e in 0..<ref.count {
        let tol = (1e-5 + 1e-4 * abs(ref[e])) * scale
        let err = abs(got[e] - ref[e]) / tol
        if !(err <= worst) { worst = err.isNaN ? .infinity : err }
    }
    return worst
}

/// Forward and backward outputs of the current path, to compare with the reference's.
private func results(_ l: LayerBuffers) -> [[Float]] {
    let s = l.s
    l.forward()
    l.resetGrad()
    l.backward()
    func copy(_ p: UnsafeMutablePointer<Float>, _ n: Int) -> [Float] { Array(UnsafeBufferPointer(start: p, count: n)) }
    var r = [copy(l.a, s.rows * s.output), copy(l.dA, s.rows * s.output),
             copy(l.dW, s.input * s.output), copy(l.db, s.output)]
    if s.gradInput { r.append(copy(l.dX, s.rows * s.input)) }
    return r
}

private func validate(_ l: LayerBuffers, against ref: [[Float]]) -> Bool {
    let s = l.s
    let got = results(l)
    let lengths = [s.input, 1, s.rows, s.rows, s.output]
    for (n, (g, r)) in zip(got, ref).enumerated() {
        let worst = g.withUnsafeBufferPointer { worstError($0.baseAddress!, r, sumLength: lengths[n]) }
        if worst > 1 { return false }
    }
    return true
}

/// `s` padded with spaces to `width` (left-aligned), for table columns.
private func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
}

/// Median (or with `best`, the fastest) seconds per call over `repeats` timed runs of about
/// `target` seconds each. On a shared machine the fastest run is the one least disturbed.
private func secondsPerCall(repeats: Int, target: Double, best: Bool = false, _ body: () -> Void) -> Double {
    body()
    var calls = 1
    var t0 = DispatchTime.now().uptimeNanoseconds
    body()
    let once = max(Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9, 1e-8)
    calls = max(1, Int(target / once))
    var samples: [Double] = []
    for _ in 0..<repeats {
        t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<calls { body() }
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) * 1e-9 / Double(calls))
    }
    return best ? samples.min()! : median(samples)
}

private func measurePeaks(seconds: Double) -> [KernelPath: Double] {
    var peaks: [KernelPath: Double] = [:]
    for p in Kernels.supported { peaks[p] = Kernels.peakGFLOPs(p, seconds: seconds) }
    return peaks
}

func runPeakBench() {
    print("== single-core fp32 peak per path (register-only multiply-add loop)")
    for (p, g) in measurePeaks(seconds: 1.0).sorted(by: { $0.value > $1.value }) {
        print(pad(p.rawValue, 8) + String(format: " %8.1f GFLOP/s", g))
    }
}

func runKernelBench() {
    let quick = benchFlag("quick")
    // --best N: the fastest of N runs instead of the median of 5, for a machine other jobs share.
    let best = benchOption("best").flatMap { Int($0) }
    let repeats = best ?? (quick ? 3 : 5)
    let target = best != nil ? 0.002 : quick ? 0.005 : 0.02
    let peaks = measurePeaks(seconds: quick ? 0.1 : 0.3)
    let original = Kernels.path
    defer { Kernels.use(original) }

    print("== dense layer kernels, ReLU; bwd = dZ + dW + db (+ dX for output layers); \(best == nil ? "median" : "fastest") of \(repeats)")
    print("peak GFLOP/s: " + Kernels.supported.map { String(format: "%@ %.1f", $0.rawValue as NSString, peaks[$0] ?? 0) }
        .joined(separator: ", "))
    let shapes = benchShapes(quick: quick, layers: benchOption("layers"), rows: benchOption("rows").flatMap { Int($0) })
    if !shapes.isEmpty {
        print(pad("path", 8) + " " + pad("shape", 16) + " dX  " + "    fwd us  GFLOP/s   peak     bwd us  GFLOP/s   peak")
    }
    var csv = "path,rows,input,output,grad_input,fwd_us,fwd_gflops,fwd_peak_fraction,bwd_us,bwd_gflops,bwd_peak_fraction\n"
    var failures = 0
    for s in shapes {
        let layer = LayerBuffers(s)
        Kernels.use(.scalar)
        let reference = results(layer)
        for p in Kernels.supported {
            Kernels.use(p)
            let head = pad(p.rawValue, 8) + " " + pad(s.label, 16) + " " + pad(s.gradInput ? "yes" : "no", 3)
            guard validate(layer, against: reference) else {
                print(head + " FAIL: result differs from the scalar reference")
                failures += 1
                continue
            }
            let fwd = secondsPerCall(repeats: repeats, target: target, best: best != nil) { layer.forward() }
            layer.resetGrad()
            let bwd = secondsPerCall(repeats: repeats, target: target, best: best != nil) { layer.backward() }
            let peak = peaks[p] ?? .nan
            let fg = s.forwardFlops / fwd * 1e-9, bg = s.backwardFlops / bwd * 1e-9
            print(head + String(format: " %10.2f %8.1f %5.0f%% %10.2f %8.1f %5.0f%%",
                                fwd * 1e6, fg, 100 * fg / peak, bwd * 1e6, bg, 100 * bg / peak))
            csv += "\(p.rawValue),\(s.rows),\(s.input),\(s.output),\(s.gradInput ? 1 : 0),"
            csv += String(format: "%.3f,%.2f,%.4f,%.3f,%.2f,%.4f\n", fwd * 1e6, fg, fg / peak, bwd * 1e6, bg, bg / peak)
        }
    }
    let fused = fusedShapes(quick: quick, layers: benchOption("layers"), rows: benchOption("rows").flatMap { Int($0) })
    if !fused.isEmpty {
        let (rows, bad) = runFusedShapes(fused, peaks: peaks, repeats: repeats, target: target, best: best != nil)
        csv += rows
        failures += bad
    }
    let large = largeShapes(quick: quick, layers: benchOption("layers"), rows: benchOption("rows").flatMap { Int($0) })
    if !large.isEmpty {
        let (rows, bad) = runLargeShapes(large, peaks: peaks, repeats: repeats, target: target, best: best != nil)
        csv += rows
        failures += bad
    }
    if let path = benchOption("csv") {
        do { try writeFileAtomically(csv, to: path) } catch { print("could not write \(path): \(error)") }
    }
    if failures > 0 {
        print("\(failures) FAIL")
        exit(1)
    }
}

/// The fused backward of a ReLU layer under one output (dZ, db, dW, the output's dw2, and dX
/// where asked), checked against the scalar reference first. Returns CSV rows (path
/// "PATH-fused") and failures.
private func runFusedShapes(_ shapes: [Shape], peaks: [KernelPath: Double], repeats: Int, target: Double,
                            best: Bool) -> (csv: String, failures: Int) {
    print("== ReLU layers under one output: the fused backward (dZ never formed as dLoss/dA; dX from the stored dZ)")
    print(pad("path", 8) + " " + pad("shape", 16) + " dX  " + "    bwd us  GFLOP/s   peak")
    var csv = "", failures = 0
    for s in shapes {
        let layer = LayerBuffers(s)
        func outputs() -> [[Float]] {
            layer.forward()
            layer.fusedBackward()
            func copy(_ p: UnsafeMutablePointer<Float>, _ n: Int) -> [Float] { Array(UnsafeBufferPointer(start: p, count: n)) }
            return [copy(layer.dW, s.input * s.output), copy(layer.db, s.output), copy(layer.dw2, s.output)]
                + (s.gradInput ? [copy(layer.dX, s.rows * s.input)] : [])
        }
        Kernels.use(.scalar)
        let reference = outputs()
        for p in Kernels.supported {
            Kernels.use(p)
            let head = pad(p.rawValue, 8) + " " + pad(s.label + "->1", 16) + " " + pad(s.gradInput ? "yes" : "no", 3)
            let got = outputs()
            let lengths = [s.rows, s.rows, s.rows, s.output]
            let bad = zip(got, reference).enumerated().contains { n, pair in
                pair.0.withUnsafeBufferPointer { worstError($0.baseAddress!, pair.1, sumLength: lengths[n]) } > 1
            }
            if bad {
                print(head + " FAIL: result differs from the scalar reference")
                failures += 1
                continue
            }
            let bwd = secondsPerCall(repeats: repeats, target: target, best: best) { layer.fusedBackward() }
            let g = s.backwardFlops / bwd * 1e-9, peak = peaks[p] ?? .nan
            print(head + String(format: " %10.2f %8.1f %5.0f%%", bwd * 1e6, g, 100 * g / peak))
            csv += "\(p.rawValue)-fused,\(s.rows),\(s.input),\(s.output),\(s.gradInput ? 1 : 0),"
            csv += String(format: ",,,%.3f,%.2f,%.4f\n", bwd * 1e6, g, g / peak)
        }
    }
    return (csv, failures)
}

/// The large shapes: each product timed alone (forward; dZ + db + the weight gradient; the
/// input gradient, as the backward with dX less the backward without) and the whole backward
/// (bwd: dZ, db, dW and dX, two products' flops), on the paths with
/// packed products, packed and direct (the same kernels without a workspace). The scalar
/// reference is too slow to time here; it checks both first. Returns CSV rows and failures.
private func runLargeShapes(_ shapes: [Shape], peaks: [KernelPath: Double], repeats: Int, target: Double,
                            best: Bool) -> (csv: String, failures: Int) {
    let paths = Kernels.supported.filter { Kernels.blocking($0) != nil }
    print("== large layers, ReLU: forward, dW (with dZ and db), dX (the backward with dX less the one without)")
    for p in paths {
        let b = Kernels.blocking(p)!
        print("\(p.rawValue) packed blocks: kc \(b.kc), mc \(b.mc), nc \(b.nc) floats")
    }
    print(pad("path", 8) + " " + pad("kernels", 7) + " " + pad("shape", 16)
        + "    fwd us   peak      dW us   peak      dX us   peak     bwd us   peak")
    var csv = "", failures = 0
    for s in shapes {
        let layer = LayerBuffers(s)
        Kernels.use(.scalar)
        let reference = results(layer)
        // Packed only where the kernels pack (and the layer has a workspace).
        let packs = Kernels.packs(rows: s.rows, input: s.input, output: s.output)
            && Kernels.denseWorkspaceCount(input: s.input, output: s.output) > 0
        for p in paths {
            Kernels.use(p)
            for packed in packs ? [true, false] : [false] {
                layer.useWorkspace = packed
                let head = pad(p.rawValue, 8) + " " + pad(packed ? "packed" : "direct", 7) + " " + pad(s.label, 16)
                guard validate(layer, against: reference) else {
                    print(head + " FAIL: result differs from the scalar reference")
                    failures += 1
                    continue
                }
                let fwd = secondsPerCall(repeats: repeats, target: target, best: best) { layer.forward() }
                layer.resetGrad()
                let dW = secondsPerCall(repeats: repeats, target: target, best: best) { layer.backward(gradInput: false) }
                let both = secondsPerCall(repeats: repeats, target: target, best: best) { layer.backward(gradInput: true) }
                let peak = peaks[p] ?? .nan, flops = s.forwardFlops
                var line = head
                for t in [fwd, dW] { line += String(format: " %10.1f %5.0f%%", t * 1e6, 100 * flops / t * 1e-9 / peak) }
                // A difference of two times: on a busy machine it can come out meaningless.
                if both > dW {
                    line += String(format: " %10.1f %5.0f%%", (both - dW) * 1e6, 100 * flops / (both - dW) * 1e-9 / peak)
                } else {
                    line += " " + pad("(noise)", 17)
                }
                line += String(format: " %10.1f %5.0f%%", both * 1e6, 200 * flops / both * 1e-9 / peak)
                print(line)
                csv += "\(p.rawValue)-\(packed ? "packed" : "direct"),\(s.rows),\(s.input),\(s.output),1,"
                csv += String(format: "%.3f,%.2f,%.4f,%.3f,%.2f,%.4f\n", fwd * 1e6, flops / fwd * 1e-9, flops / fwd * 1e-9 / peak,
                              both * 1e6, 2 * flops / both * 1e-9, 2 * flops / both * 1e-9 / peak)
            }
            layer.useWorkspace = true
        }
    }
    return (csv, failures)
}
