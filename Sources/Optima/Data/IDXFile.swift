// The IDX format of the MNIST files (LeCun): magic 00 00 <type> <dims>, then one big-endian
// 32-bit size per dimension, then the values. Only unsigned bytes (type 0x08) are needed.

public struct IDXArray: Sendable {
    public var shape: [Int]
    public var bytes: [UInt8]
}

public enum IDXFile {
    /// Reads an IDX file of unsigned bytes (gzip is undone on the way in).
    public static func load(_ path: String, valueLimit: Int = 1 << 31) throws -> IDXArray {
        try parse(try DataFiles.read(path), file: path, valueLimit: valueLimit)
    }

    public static func parse(_ b: [UInt8], file: String, valueLimit: Int = 1 << 31) throws -> IDXArray {
        guard b.count >= 4 else { throw DataError(file: file, "not an IDX file: \(b.count) bytes, shorter than the 4-byte magic number") }
        let magic = b[0..<4].reduce(0) { $0 << 8 | Int($1) }
        guard b[0] == 0, b[1] == 0, b[2] == 0x08, (1...4).contains(Int(b[3])) else {
            throw DataError(file: file, "wrong IDX magic number \(magic) (0x\(String(magic, radix: 16))): expected 2049 (labels) or 2051 (images), unsigned bytes with 1 to 4 dimensions")
        }
        let dims = Int(b[3])
        let headerBytes = 4 + 4 * dims
        guard b.count >= headerBytes else { throw DataError(file: file, "truncated IDX header: \(b.count) bytes, the header needs \(headerBytes)") }
        var shape: [Int] = []
        var total = 1
        for d in 0..<dims {
            let size = b[(4 + 4 * d)..<(8 + 4 * d)].reduce(0) { $0 << 8 | Int($1) }
            shape.append(size)
            let (product, overflow) = total.multipliedReportingOverflow(by: size)
            total = product
            if overflow || total > valueLimit {
                throw DataError(file: file, "IDX header claims \(shape.map(String.init).joined(separator: " × "))\(d + 1 < dims ? " × …" : "") values, more than 2^31")
            }
        }
        let body = b.count - headerBytes
        guard body >= total else {
            throw DataError(file: file, "truncated IDX body: the header promises \(total) values, the file holds \(body)")
        }
        guard body == total else {
            throw DataError(file: file, "\(body - total) unexpected bytes after the \(total) values the IDX header promises")
        }
        return IDXArray(shape: shape, bytes: Array(b[headerBytes...]))
    }

    /// Images and labels as a Dataset: pixels divided by 255 (as the counterexamples paper does), labels 0...9 as classes.
    public static func dataset(images: String, labels: String, name: String, pixelScale: Float = 1.0 / 255) throws -> Dataset {
        let x = try load(images), y = try load(labels)
        guard x.shape.count >= 2 else { throw DataError(file: images, "an image file needs at least 2 dimensions, found \(x.shape.count)") }
        guard y.shape.count == 1 else { throw DataError(file: labels, "a label file needs 1 dimension, found \(y.shape.count)") }
        guard x.shape[0] == y.shape[0] else { throw DataError(file: labels, "\(y.shape[0]) labels for \(x.shape[0]) images in \(images)") }
        let n = x.shape[0], p = x.shape.dropFirst().reduce(1, *)
        guard n > 0, p > 0 else { throw DataError(file: images, "no images") }
        let classCount = Int(y.bytes.max()!) + 1
        guard classCount >= 2 else { throw DataError(file: labels, "only one class (0): a classifier needs at least two") }
        var features = [Float](repeating: 0, count: n * p)
        x.bytes.withUnsafeBufferPointer { src in
            features.withUnsafeMutableBufferPointer { dst in
                for i in 0..<dst.count { dst[i] = Float(src[i]) * pixelScale }
            }
        }
        return Dataset(name: name, features: features, targets: y.bytes.map { Float($0) }, count: n, featureCount: p,
                       task: classCount == 2 ? .binary : .multiclass(classes: classCount))
    }

    /// True when `path`'s name says IDX (…-idx3-ubyte, .idx1 …), so `--data` can accept such files.
    public static func looksLikeIDX(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init)?.lowercased() ?? ""
        return name.contains("idx") && (name.contains("ubyte") || name.contains(".idx"))
    }
}
