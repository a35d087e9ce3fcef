// The annealing schedules that say how many nodes, features or connections survive
// after each epoch. All three papers' schedules share one shape:
//
//   count_e = target + [(initial - target) · max(0, (N - 2ε) / (2εμ + N))],  ε = max(0, e - start)
//
// with [·] the integer part. It keeps `initial` until `start`, then falls quickly at
// first and slowly later, reaching `target` at start + N/2; the rest of the window is
// training at the final size.
//
// - node schedule h_e (Guo & Barbu §3.1): start = Niter/4, N = N1 = 3·Niter/4
// - feature schedule p_e (§3.2):         start = 0.6·Niter, N = N2 = 0.4·Niter
// - connection schedule M_e (CPNA Eq. 2): start = N_pretrain, N = Niter - N_pretrain
//
// The papers' defaults are μ = 30, H = 1024, h = 128.

public struct AnnealingSchedule: Equatable, Sendable {
    /// Count before annealing begins (H, p, or the connections after pre-training).
    public var initial: Int
    /// Count at the end (h, k, or the target number of connections).
    public var target: Int
    /// Epochs before annealing begins: the count is `initial` for every e <= start.
    public var start: Double
    /// The window N of the formula; the count reaches `target` at start + length/2.
    public var length: Double
    /// Annealing rate μ: larger means a faster initial drop.
    public var mu: Double

    public init(initial: Int, target: Int, start: Double, length: Double, mu: Double = 30) {
        precondition(initial >= target && target >= 0, "a schedule only shrinks: initial >= target >= 0")
        precondition(length > 0 && mu >= 0 && start >= 0)
        self.initial = initial
        self.target = target
        self.start = start
        self.length = length
        self.mu = mu
    }

    /// How many survive after epoch `e` (1-based).
    public func count(afterEpoch e: Int) -> Int {
        let elapsed = max(0, Double(e) - start)
        let fraction = max(0, (length - 2 * elapsed) / (2 * elapsed * mu + length))
        return target + Int((Double(initial - target) * fraction).rounded(.down))
    }

    /// The first epoch from which the count equals `target`.
    public var finalEpoch: Int {
        var e = Int(start.rounded(.down))
        while count(afterEpoch: e) > target { e += 1 }
        return e
    }

    /// NSA's node schedule h_e: H nodes until Niter/4, then down to h.
    public static func nodes(from H: Int, to h: Int, epochs: Int, mu: Double = 30) -> AnnealingSchedule {
        AnnealingSchedule(initial: H, target: h, start: Double(epochs) / 4, length: 3 * Double(epochs) / 4, mu: mu)
    }

    /// FSA's feature schedule p_e: p features until 0.6·Niter, then down to k.
    public static func features(from p: Int, to k: Int, epochs: Int, mu: Double = 30) -> AnnealingSchedule {
        AnnealingSchedule(initial: p, target: k, start: 0.6 * Double(epochs), length: 0.4 * Double(epochs), mu: mu)
    }

    /// CPNA's connection schedule M_e: counted from the end of pre-training, over the
    /// remaining epochs.
    public static func connections(from initial: Int, to target: Int, epochs: Int, pretrain: Int,
                                   mu: Double = 30) -> AnnealingSchedule {
        AnnealingSchedule(initial: initial, target: target, start: Double(pretrain),
                          length: Double(max(1, epochs - pretrain)), mu: mu)
    }
}
