// Runs an experiment: a grid of independent trainings, in parallel, resumable, shardable.
//
// Every finished training is appended at once to a JSON Lines results file, so a run that
// is killed loses only the trainings in flight; running the same command again skips what
// is in the file. A training's seed comes from its grid point (its key), never from the
// order in which jobs ran, so threads, shards and resumes all give the same numbers.
import Foundation
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// One training of a grid. `key` names the grid point (e.g. "k=3,p=15,n=1000,h=20,init=7") and
/// must be unique in the grid; `index` is its position, which fixes the output order and the shard.
/// `schema` is what its record must hold when a later run reads it back from the results file.
public struct ExperimentJob: Sendable {
    public let index: Int
    public let key: String
    public let schema: RecordSchema
    public let run: @Sendable () throws -> ResultRecord

    public init(index: Int, key: String, schema: RecordSchema, run: @escaping @Sendable () throws -> ResultRecord) {
        self.index = index
        self.key = key
        self.schema = schema
        self.run = run
    }
}

public struct RunnerOptions: Sendable {
    /// Worker threads; each job runs on one thread.
    public var threads: Int
    /// 0-based shard index and shard count (`parseShard` turns the 1-based "i/N" into this); nil runs everything.
    public var shard: (index: Int, count: Int)?
    /// The JSON Lines file that records finished jobs; it is also what a rerun resumes from.
    public var resultsPath: String
    /// No progress output at all.
    public var quiet: Bool
    /// Names the work in the progress line, e.g. "fig3 trainings".
    public var progressLabel: String
    /// Which grid the records belong to (GridIdentity), written into each as "grid". A record
    /// of another grid in the file does not count as done; `merge` refuses to mix grids.
    public var identity: String?

    public init(resultsPath: String, threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                shard: (index: Int, count: Int)? = nil, quiet: Bool = false, progressLabel: String = "jobs") {
        self.resultsPath = resultsPath
        self.threads = threads
        self.shard = shard
        self.quiet = quiet
        self.progressLabel = progressLabel
    }
}

public enum ExperimentRunner {
    /// Runs every job of this shard not already in the results file; returns all records of this
    /// shard (old and new) sorted by job index. Each record written gets "key" and "index" fields.
    /// If a job throws, the jobs already running finish (their lines are kept, so a rerun resumes)
    /// and the first error is rethrown. The file's records are checked first (ResultFileCheck):
    /// a damaged one is a DataError, and then nothing runs and nothing is written.
    public static func run(_ jobs: [ExperimentJob], options: RunnerOptions) throws -> [ResultRecord] {
        try checkUnique(jobs)
        if let s = options.shard, s.count < 1 || !(0..<s.count).contains(s.index) {
            throw SettingsError("shard \(s.index) of \(s.count) does not exist")
        }
        let mine = jobs.filter { job in options.shard.map { job.index % $0.count == $0.index } ?? true }

        let log = try ResultLog(path: options.resultsPath)
        defer { log.close() }
        var done = try finished(log, jobs: jobs, identity: options.identity)
        try log.startAppending()
        let pending = mine.filter { done[$0.key] == nil }

        let progress = ProgressLine(label: options.progressLabel, total: mine.count,
                                    alreadyDone: mine.count - pending.count, enabled: !options.quiet)
        let fresh = try runPool(pending, threads: options.threads, identity: options.identity, log: log, progress: progress)
        progress.finish()
        for r in fresh { if let key = r["key"]?.string { done[key] = r } }

        // The index is taken from the current grid, so a grid that grew keeps its order.
        return mine.map { job in
            var r = done[job.key]!
            r["index"] = JSONValue(job.index)
            return r
        }
    }

    /// The records of the log that count as done, by key: those of this grid (or of none).
    /// Every record is checked by ResultFileCheck, and a record of one of `jobs` against the
    /// job's schema; a record of another grid or of a key not in the grid is kept in the file
    /// and not read.
    private static func finished(_ log: ResultLog, jobs: [ExperimentJob], identity: String?) throws -> [String: ResultRecord] {
        let schemas = Dictionary(uniqueKeysWithValues: jobs.map { ($0.key, $0.schema) })
        var first = ResultFileCheck.FirstRecords()
        var done: [String: ResultRecord] = [:]
        for r in log.existing {
            let e = try ResultFileCheck.envelope(r, file: log.path)
            let ours = identity == nil || e.grid == nil || e.grid == identity
            if try first.isCopy(r, group: ours ? e.key : "\(e.grid ?? "")\u{0}\(e.key)", key: e.key, file: log.path) { continue }
            guard ours else { continue }
            if let schema = schemas[e.key] { try ResultFileCheck.check(r, key: e.key, against: schema, file: log.path) }
            done[e.key] = r.record
        }
        return done
    }

    /// Jobs `pending` on a fixed pool of threads that take the next job from a shared counter.
    private static func runPool(_ pending: [ExperimentJob], threads: Int, identity: String?, log: ResultLog,
                                progress: ProgressLine) throws -> [ResultRecord] {
        let state = PoolState()
        let group = DispatchGroup()
        for _ in 0..<max(1, min(threads, pending.count)) {
            group.enter()
            let worker = Thread {
                defer { group.leave() }
                while let i = state.nextIndex(below: pending.count) {
                    let job = pending[i]
                    do {
                        var record = try job.run()
                        record["key"] = .string(job.key)
                        record["index"] = JSONValue(job.index)
                        if let identity { record["grid"] = .string(identity) }
                        try log.append(record)
                        state.finished(record)
                        progress.step()
                    } catch {
                        state.failed(error, key: job.key)
                    }
                }
            }
            worker.stackSize = 16 << 20   // training code may keep sizeable arrays on the stack
            worker.start()
        }
        group.wait()
        if let (error, key) = state.firstError {
            progress.note("job \(key) failed: \(error)")
            throw error
        }
        return state.records
    }

    private static func checkUnique(_ jobs: [ExperimentJob]) throws {
        var keys = Set<String>(), indices = Set<Int>()
        for j in jobs {
            guard keys.insert(j.key).inserted else { throw SettingsError("two jobs share the key '\(j.key)'") }
            guard indices.insert(j.index).inserted else { throw SettingsError("two jobs share the index \(j.index)") }
            guard j.index >= 0 else { throw SettingsError("job '\(j.key)' has a negative index") }
        }
    }

    /// Parses "i/N", i counted from 1 as in a Slurm job array run with `--array=1-N`
    /// (pass `--shard $SLURM_ARRAY_TASK_ID/N`). Returns the 0-based index used internally:
    /// shard "i/N" runs the jobs whose index % N == i - 1.
    public static func parseShard(_ s: String) throws -> (index: Int, count: Int) {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw SettingsError("--shard: '\(s)' is not of the form i/N, e.g. 1/4")
        }
        guard n >= 1, (1...n).contains(i) else {
            throw SettingsError("--shard: '\(s)': i must be in 1...N (shards are counted from 1)")
        }
        return (i - 1, n)
    }

    /// Joins results files (e.g. the shards of one sweep) by key into `out`, sorted by index,
    /// written atomically. Every record is checked as the runner checks it (ResultFileCheck),
    /// against the schema `schema` gives for it; a key present twice must have identical
    /// records, and every record must belong to the same grid (its "grid" field, or none in
    /// all). Returns the record count.
    @discardableResult
    public static func merge(_ paths: [String], into out: String,
                             schema: (ResultRecord) -> RecordSchema = { _ in .any }) throws -> Int {
        try checkFileName(out)
        var byKey: [String: (index: Int, line: String)] = [:]
        var first = ResultFileCheck.FirstRecords()
        var grid: (identity: String?, from: String)?
        for path in paths {
            guard FileManager.default.fileExists(atPath: path) else { throw DataError(file: path, "no such file") }
            for r in try ResultLog(path: path).existing {
                let e = try ResultFileCheck.envelope(r, file: path)
                if let seen = grid, seen.identity != e.grid {
                    func name(_ g: String?) -> String { g.map { "'\($0)'" } ?? "no grid" }
                    throw DataError(file: path, line: r.line, "results of \(name(e.grid)), but \(seen.from) holds "
                        + "\(name(seen.identity)): shards of another grid or study version are not merged")
                }
                grid = grid ?? (e.grid, path)
                try ResultFileCheck.check(r, key: e.key, against: schema(r.record), file: path)
                if try first.isCopy(r, group: e.key, key: e.key, file: path) { continue }
                byKey[e.key] = (e.index, r.record.jsonLine)
            }
        }
        let sorted = byKey.sorted { a, b in a.value.index != b.value.index ? a.value.index < b.value.index : a.key < b.key }
        try writeFileAtomically(sorted.map { $0.value.line + "\n" }.joined(), to: out)
        return sorted.count
    }
}

/// What the worker threads share: the next job to take, the results, the first error.
private final class PoolState: @unchecked Sendable {   // every field is guarded by `lock`
    private let lock = NSLock()
    private var next = 0
    private var stopped = false
    private(set) var records: [ResultRecord] = []
    private(set) var firstError: (Error, String)?

    /// The next job's position, or nil when all are taken or a job has failed.
    func nextIndex(below count: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard !stopped, next < count else { return nil }
        next += 1
        return next - 1
    }

    func finished(_ r: ResultRecord) {
        lock.lock(); defer { lock.unlock() }
        records.append(r)
    }

    func failed(_ e: Error, key: String) {
        lock.lock(); defer { lock.unlock() }
        stopped = true
        if firstError == nil { firstError = (e, key) }
    }
}

/// "label: 37/120 done, 1m12s elapsed, ETA 2m40s" on stderr: redrawn in place on a terminal,
/// one plain line every few seconds otherwise (a batch job's log should not fill with updates).
private final class ProgressLine: @unchecked Sendable {   // guarded by `lock`
    private let lock = NSLock()
    private let label: String
    private let total: Int
    private let alreadyDone: Int
    private let enabled: Bool
    private let terminal = isatty(2) != 0
    private let start = Date()
    private var done: Int
    private var lastPrint = Date.distantPast

    init(label: String, total: Int, alreadyDone: Int, enabled: Bool) {
        self.label = label
        self.total = total
        self.alreadyDone = alreadyDone
        self.done = alreadyDone
        self.enabled = enabled
        if enabled && alreadyDone > 0 {
            emit("\(label): resuming, \(alreadyDone)/\(total) already in the results file", final: true)
        }
    }

    func step() {
        lock.lock(); defer { lock.unlock() }
        done += 1
        let now = Date()
        guard enabled, now.timeIntervalSince(lastPrint) >= (terminal ? 0.2 : 2.0) else { return }
        lastPrint = now
        emit(status(now), final: !terminal)
    }

    func finish() {
        lock.lock(); defer { lock.unlock() }
        guard enabled, done > alreadyDone else { return }
        emit(status(Date()), final: true)
    }

    func note(_ s: String) {
        lock.lock(); defer { lock.unlock() }
        guard enabled else { return }
        emit(s, final: true)
    }

    private func status(_ now: Date) -> String {
        let elapsed = now.timeIntervalSince(start)
        let ran = done - alreadyDone   // resumed jobs took no time, so they do not count for the rate
        var s = "\(label): \(done)/\(total) done, \(ProgressLine.duration(elapsed)) elapsed"
        if ran > 0 && done < total {
            s += ", ETA \(ProgressLine.duration(elapsed / Double(ran) * Double(total - done)))"
        }
        return s
    }

    private func emit(_ s: String, final: Bool) {
        var text = terminal ? "\r\u{1B}[K" + s : s
        if final || !terminal { text += "\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func duration(_ t: Double) -> String {
        let s = Int(t.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s / 3600)h\(String(format: "%02d", s / 60 % 60))m"
    }
}
