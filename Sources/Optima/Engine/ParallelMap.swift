// Independent pieces of work on a few threads, results in input order: the members of an
// ensemble, which share nothing and are seeded by their number, so the order in which the
// threads finish them changes nothing.
import Foundation

/// `body(i)` for every i in 0..<count, on up to `threads` threads with training-sized
/// stacks (as the experiment runner's); the results in the order of i.
func parallelMap<T>(_ count: Int, threads: Int, _ body: @escaping (Int) -> T) -> [T] {
    let workers = max(1, min(threads, count))
    guard workers > 1 else { return (0..<count).map(body) }
    let results = ResultSlots<T>(count)
    let group = DispatchGroup()
    for w in 0..<workers {
        group.enter()
        let thread = Thread {
            defer { group.leave() }
            for i in stride(from: w, to: count, by: workers) { results.set(i, body(i)) }
        }
        thread.stackSize = 16 << 20   // training code may keep sizeable arrays on the stack
        thread.start()
    }
    group.wait()
    return results.values
}

/// One slot per result, each written by one thread.
private final class ResultSlots<T>: @unchecked Sendable {   // guarded by `lock`
    private let lock = NSLock()
    private var slots: [T?]

    init(_ count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ value: T) {
        lock.lock(); defer { lock.unlock() }
        slots[i] = value
    }

    var values: [T] { slots.map { $0! } }
}
