// The counterexamples paper's figure jobs draw the hidden width h at random from a range.
// At `--scale full` the studies draw their widths the same way, once, from a fixed seed:
// distinct values (no two jobs share a key), sorted, the same for every τ and learning rate,
// so the curves compare like with like.

enum SampledWidths {
    /// `count` distinct widths drawn uniformly from `range`, ascending.
    static func draw(_ count: Int, in range: ClosedRange<Int>, seed: UInt64 = 1) -> [Int] {
        precondition(count <= range.count, "cannot draw \(count) distinct widths from \(range)")
        var g = Xoshiro256(seed: seed, stream: 0x5A3D)
        var all = Array(range)
        g.shuffle(&all)
        return Array(all.prefix(count)).sorted()
    }
}
