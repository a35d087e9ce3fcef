// Reads gzip (and zlib) data through the system zlib. Corrupt or truncated input
// becomes a DataError naming the file, never a crash or a silently short result.
import CZlib

public enum Gzip {
    /// Refuse to inflate past this many bytes: a tiny corrupt or malicious file could
    /// otherwise claim gigabytes (no data set of ours comes near it).
    public static let maxInflatedBytes = 4 << 30

    /// True when `bytes` start with the gzip magic number 1f 8b.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Inflates every gzip member in `bytes` (concatenated members are legal gzip).
    public static func inflate(_ bytes: [UInt8], file: String) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: max(1 << 16, min(bytes.count * 4, maxInflatedBytes)))
        var produced = 0
        var stream = z_stream()
        // 15 window bits + 32: accept gzip or zlib headers, detected automatically.
        guard inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError(file: file, "zlib could not be initialised")
        }
        defer { inflateEnd(&stream) }

        var consumed = 0
        try bytes.withUnsafeBufferPointer { input in
            while true {
                if produced == out.count {
                    guard out.count < maxInflatedBytes else {
                        throw DataError(file: file, "gzip data inflates to more than \(maxInflatedBytes >> 30) GiB; refusing to read it")
                    }
                    out.append(contentsOf: repeatElement(0, count: min(out.count, maxInflatedBytes - out.count)))
                }
                let remainingIn = input.count - consumed
                let status: Int32 = out.withUnsafeMutableBufferPointer { o in
                    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + consumed)
                    stream.avail_in = UInt32(min(remainingIn, Int(UInt32.max)))
                    stream.next_out = o.baseAddress! + produced
                    stream.avail_out = UInt32(min(o.count - produced, Int(UInt32.max)))
                    let inBefore = Int(stream.avail_in), outBefore = Int(stream.avail_out)
                    let s = CZlib.inflate(&stream, Z_NO_FLUSH)
                    consumed += inBefore - Int(stream.avail_in)
                    produced += outBefore - Int(stream.avail_out)
                    return s
                }
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END:
                    // Another gzip member may follow; anything else after the end is an error.
                    let rest = input.count - consumed
                    if rest == 0 { return }
                    if rest >= 2 && input[consumed] == 0x1f && input[consumed + 1] == 0x8b {
                        inflateReset(&stream)
                        continue
                    }
                    if input[consumed...].allSatisfy({ $0 == 0 }) { return }  // zero padding (tar-style) is harmless
                    throw DataError(file: file, "corrupt gzip data: \(rest) unexpected bytes after the end of the compressed stream")
                case Z_BUF_ERROR where consumed == input.count:
                    throw DataError(file: file, "truncated gzip data: the file ends before the compressed stream does")
                case Z_BUF_ERROR:
                    continue  // output buffer full; grown at the top of the loop
                default:
                    let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                    throw DataError(file: file, "corrupt gzip data (\(reason))")
                }
            }
        }
        out.removeSubrange(produced...)
        return out
    }
}
