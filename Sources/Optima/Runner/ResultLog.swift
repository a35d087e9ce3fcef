// The results of a grid of jobs (a study, a sweep, a cv grid, a select stage) as an
// append-only log: each finished job is one line, written with one write(2) on an O_APPEND
// descriptor and fsynced. A killed run can leave at most one incomplete last line; loading
// drops and truncates it, so the run resumes cleanly.
import Foundation
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// An append-only file of JSON lines, safe to share between threads and to kill at any moment.
public final class ResultLog: @unchecked Sendable {   // fd and lock are only touched under `lock`
    public let path: String
    /// The records already in the file when it was opened, in file order.
    public let existing: [ResultRecord]
    private var fd: Int32
    private let lock = NSLock()

    /// Opens (or creates) the log; drops an incomplete last line left by a killed writer.
    public init(path: String) throws {
        self.path = path
        try createParentDirectory(of: path)
        existing = try ResultLog.loadRepairing(path: path)
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { throw fileError(path: path, "cannot open for appending") }
    }

    deinit { close() }

    /// Appends one record as one line and flushes it to disk before returning.
    public func append(_ record: ResultRecord) throws {
        let bytes = Array((record.jsonLine + "\n").utf8)
        lock.lock()
        defer { lock.unlock() }
        guard fd >= 0 else { throw DataError(file: path, "log is closed") }
        try writeAll(fd, bytes, path: path)
        guard fsync(fd) == 0 else { throw fileError(path: path, "cannot flush") }
    }

    public func close() {
        lock.lock()
        defer { lock.unlock() }
        if fd >= 0 { _ = systemClose(fd); fd = -1 }
    }

    /// Reads every complete line of a results file; a file that does not exist is empty.
    /// Does not modify the file (use for merging other machines' shards).
    public static func load(path: String) throws -> [ResultRecord] {
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) { throw DataError(file: path, "cannot read") }
            return []
        }
        return try parse(data, path: path).records
    }

    private static func loadRepairing(path: String) throws -> [ResultRecord] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let (records, completeBytes) = try parse(data, path: path)
        if completeBytes < data.count, truncate(path, off_t(completeBytes)) != 0 {
            throw fileError(path: path, "cannot truncate the incomplete last line")
        }
        return records
    }

    /// Parses the newline-terminated lines; returns them and the byte length they cover.
    private static func parse(_ data: Data, path: String) throws -> (records: [ResultRecord], completeBytes: Int) {
        let bytes = [UInt8](data)
        var records: [ResultRecord] = []
        var start = 0, lineNumber = 0
        while let nl = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            lineNumber += 1
            let line = String(decoding: bytes[start..<nl], as: UTF8.self)
            start = nl + 1
            if line.allSatisfy({ $0 == " " || $0 == "\r" || $0 == "\t" }) { continue }
            do { records.append(try ResultRecord.parseLine(line)) }
            catch { throw DataError(file: path, line: lineNumber, "not a JSON object: \(line.prefix(80))") }
        }
        return (records, start)
    }
}

// Inside ResultLog, `close` names the method, not the system call.
#if canImport(Glibc)
private let systemClose: (Int32) -> Int32 = Glibc.close
#else
private let systemClose: (Int32) -> Int32 = Darwin.close
#endif
