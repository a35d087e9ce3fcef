// Files that are never seen half-written, and the write helpers the result log shares.
//
// Whole files (plots, CSV tables, merged results) are written to a temporary name and
// renamed: rename(2) within one directory is atomic, so a reader or a killed writer
// sees the old file or the new one, never a mix.
import Foundation
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Creates the directory that will hold the file `path`, if it names one and it does not
/// exist. The folder is everything before the last "/", found by hand: Foundation's
/// `deletingLastPathComponent` traps on some one-character paths.
func createParentDirectory(of path: String) throws {
    try checkFileName(path)
    guard let slash = path.lastIndex(of: "/") else { return }
    let dir = String(path[..<slash])
    guard !dir.isEmpty else { return }   // "/name": the root exists
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
}

/// A path a file can be written to: not empty, and not a folder's ("out/").
func checkFileName(_ path: String) throws {
    guard !path.isEmpty else { throw DataError(file: "''", "an empty file name") }
    guard !path.hasSuffix("/") else { throw DataError(file: path, "names a folder, not a file") }
}

/// Writes `text` to `path.tmp-<pid>`, flushes it to disk, then renames it over `path`.
public func writeFileAtomically(_ text: String, to path: String) throws {
    try createParentDirectory(of: path)
    let tmp = "\(path).tmp-\(getpid())"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw fileError(path: tmp, "cannot create") }
    do {
        try writeAll(fd, Array(text.utf8), path: tmp)
        guard fsync(fd) == 0 else { throw fileError(path: tmp, "cannot flush") }
    } catch {
        close(fd)
        unlink(tmp)
        throw error
    }
    close(fd)
    guard rename(tmp, path) == 0 else {
        let e = fileError(path: path, "cannot rename \(tmp) to it")
        unlink(tmp)
        throw e
    }
}

/// write(2) until every byte is out (a regular-file write may still return short, e.g. on a full disk).
func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
    var done = 0
    while done < bytes.count {
        let n = bytes[done...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw fileError(path: path, "cannot write")
        }
        done += n
    }
}

func fileError(path: String, _ what: String) -> DataError {
    DataError(file: path, "\(what): \(String(cString: strerror(errno)))")
}
