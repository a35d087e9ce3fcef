// The results of a grid of jobs (a study, a sweep, a cv grid, a select stage) as an
// append-only log: each finished job is one line, written with one write(2) on an O_APPEND
// descriptor and fsynced. A killed run can leave at most one incomplete last line; opening
// the log for appending drops and truncates it, so the run resumes cleanly. Reading comes
// first and writes nothing, so a file the reader refuses (ResultFileCheck) is left as it was.
import Foundation
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// A record as read from a results file, with its line number for errors.
public struct LoggedRecord: Sendable {
    public var record: ResultRecord
    public var line: Int
}

/// An append-only file of JSON lines, safe to share between threads and to kill at any moment.
public final class ResultLog: @unchecked Sendable {   // fd and lock are only touched under `lock`
    public let path: String
    /// The records already in the file when it was read, in file order.
    public let existing: [LoggedRecord]
    /// The bytes of complete lines; anything after them is a torn last line.
    private let completeBytes: Int
    private let fileBytes: Int
    private var fd: Int32 = -1
    private let lock = NSLock()

    /// Reads the log, if there is one; nothing is written until `startAppending`.
    public init(path: String) throws {
        self.path = path
        try checkFileName(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) { throw DataError(file: path, "cannot read") }
            (existing, completeBytes, fileBytes) = ([], 0, 0)
            return
        }
        (existing, completeBytes) = try ResultLog.parse(data, path: path)
        fileBytes = data.count
    }

    deinit { close() }

    /// Creates the file (and its folder) if needed, drops an incomplete last line left by a
    /// killed writer, and opens the file for `append`.
    public func startAppending() throws {
        try createParentDirectory(of: path)
        if completeBytes < fileBytes, truncate(path, off_t(completeBytes)) != 0 {
            throw fileError(path: path, "cannot truncate the incomplete last line")
        }
        lock.lock()
        defer { lock.unlock() }
        if fd >= 0 { return }
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { throw fileError(path: path, "cannot open for appending") }
    }

    /// Appends one record as one line and flushes it to disk before returning.
    public func append(_ record: ResultRecord) throws {
        let bytes = Array((record.jsonLine + "\n").utf8)
        lock.lock()
        defer { lock.unlock() }
        guard fd >= 0 else { throw DataError(file: path, "log is not open for appending") }
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
        try ResultLog(path: path).existing.map(\.record)
    }

    /// Parses the newline-terminated lines; returns them and the byte length they cover.
    private static func parse(_ data: Data, path: String) throws -> (records: [LoggedRecord], completeBytes: Int) {
        let bytes = [UInt8](data)
        var records: [LoggedRecord] = []
        var start = 0, lineNumber = 0
        while let nl = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            lineNumber += 1
            let line = String(decoding: bytes[start..<nl], as: UTF8.self)
            start = nl + 1
            if line.allSatisfy({ $0 == " " || $0 == "\r" || $0 == "\t" }) { continue }
            do { records.append(LoggedRecord(record: try ResultRecord.parseLine(line), line: lineNumber)) }
            catch { throw DataError(file: path, line: lineNumber, "not a JSON object: \(line.quotedExcerpt())") }
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
