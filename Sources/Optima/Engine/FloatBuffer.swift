// A fixed-size block of floats with a stable address. Parameters, gradients,
// optimiser moments and activations live in these so that the training loop
// hands raw pointers to the kernels without Array's copy-on-write checks.

public final class FloatBuffer {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int

    /// Zero-filled and aligned to a cache line (64 bytes: whole AVX-512 vectors, and no
    /// row of a small matrix straddles two lines more than it must). Over-allocates 16
    /// floats so a vector kernel's masked tail never touches foreign memory.
    public init(count: Int) {
        precondition(count >= 0)
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(byteCount: (count + 16) * MemoryLayout<Float>.stride, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: count + 16)
        pointer.initialize(repeating: 0, count: count + 16)
    }

    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit { pointer.deallocate() }

    public subscript(i: Int) -> Float {
        @inline(__always) get { pointer[i] }
        @inline(__always) set { pointer[i] = newValue }
    }

    public var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    public func copy() -> FloatBuffer {
        let b = FloatBuffer(count: count)
        b.pointer.update(from: pointer, count: count)
        return b
    }

    public func fill(_ v: Float) { pointer.update(repeating: v, count: count) }
}
