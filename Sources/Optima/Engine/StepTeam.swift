// A few persistent threads that do one training's steps together: each step's batch is
// split among them (`ParallelStep`), so a single training uses several cores. A step takes
// tens of microseconds to milliseconds, far less than starting a thread or a dispatch
// round trip, so the workers are started once and wait between phases: spinning first (the
// next phase usually comes within microseconds), then parked on a condition, so a team idle
// between epochs or after its training costs no CPU.
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import CKernels
import Foundation
import Synchronization

final class StepTeam: @unchecked Sendable {   // `phase` is written only while every worker waits
    /// Workers, the calling thread included (it is worker 0).
    let size: Int
    /// The work of a phase: `body(phase, worker)`, set once, so a phase allocates nothing.
    private let body: @Sendable (Int, Int) -> Void
    private var phase = 0
    /// Bumped to start a phase; workers wait for it to change.
    private let generation = Atomic<Int>(0)
    /// Workers still busy in the current phase.
    private let busy = Atomic<Int>(0)
    /// Workers parked on `wake` (or about to be).
    private let parked = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let wake = NSCondition()
    private let finished = DispatchGroup()

    /// Spins before a worker parks: a few tens of microseconds.
    private static let spins = 20_000

    init(size: Int, body: @escaping @Sendable (_ phase: Int, _ worker: Int) -> Void) {
        precondition(size >= 1)
        self.size = size
        self.body = body
        for w in 1..<size {
            finished.enter()
            let thread = Thread { [unowned self] in
                self.work(as: w)
                self.finished.leave()
            }
            thread.stackSize = 16 << 20   // training code may keep sizeable arrays on the stack
            thread.start()
        }
    }

    /// Runs `body(phase, w)` on every worker w at once and returns when all are done.
    func run(phase p: Int) {
        phase = p
        busy.store(size - 1, ordering: .sequentiallyConsistent)
        generation.add(1, ordering: .sequentiallyConsistent)
        if parked.load(ordering: .sequentiallyConsistent) > 0 {
            wake.lock()
            wake.broadcast()
            wake.unlock()
        }
        body(p, 0)
        // On a busy machine a worker may have lost its core: after a spell of spinning, give
        // ours up on each check rather than spin through the whole time slice.
        var spins = 0
        while busy.load(ordering: .acquiring) > 0 {
            if spins < StepTeam.spins { spins += 1; spinPause() } else { sched_yield() }
        }
    }

    /// Stops the workers; the team cannot run again.
    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        generation.add(1, ordering: .sequentiallyConsistent)
        wake.lock()
        wake.broadcast()
        wake.unlock()
        finished.wait()
    }

    private func work(as worker: Int) {
        var seen = 0
        while true {
            seen = waitForGeneration(after: seen)
            if stopping.load(ordering: .acquiring) { return }
            body(phase, worker)
            busy.subtract(1, ordering: .releasing)
        }
    }

    /// Spins, then parks, until the generation moves past `seen`; returns the new one.
    private func waitForGeneration(after seen: Int) -> Int {
        for _ in 0..<StepTeam.spins {
            let g = generation.load(ordering: .acquiring)
            if g != seen { return g }
            spinPause()
        }
        wake.lock()
        defer { wake.unlock() }
        // Counted before the check below: `run` bumps the generation and then reads `parked`,
        // so either it sees this worker parked and wakes it, or the check sees the new phase.
        parked.add(1, ordering: .sequentiallyConsistent)
        defer { parked.subtract(1, ordering: .sequentiallyConsistent) }
        while true {
            let g = generation.load(ordering: .sequentiallyConsistent)
            if g != seen { return g }
            wake.wait()
        }
    }

    @inline(__always)
    private func spinPause() { optima_cpu_relax() }
}
