// The tiny synthetic sets of Swirszcz, Czarnecki & Pascanu, "Local minima in training of deep
// networks" (counterexamples). They are about training dynamics, not generalisation, so each is its
// own test set and none is rescaled: the propositions' weights are stated in these units.

public enum CounterexamplesData {
    /// 4-point XOR (counterexamples §3.1.2, Table 1): the corners of the unit square, label = x1 XOR x2.
    public static func xor4() -> Dataset {
        Dataset(name: "xor4", features: [0, 0, 0, 1, 1, 0, 1, 1], targets: [0, 1, 1, 0], count: 4, featureCount: 2,
                task: .binary, featureNames: ["x1", "x2"])
    }

    /// Jellyfish (counterexamples §3.1.2, Fig. 3): positive [1.0, 0.0] and [0.2, 0.6],
    /// negative [0.0, 1.0] and [0.6, 0.2].
    public static func jellyfish() -> Dataset {
        Dataset(name: "jellyfish", features: [1.0, 0.0, 0.2, 0.6, 0.0, 1.0, 0.6, 0.2], targets: [1, 1, 0, 0],
                count: 4, featureCount: 2, task: .binary, featureNames: ["x1", "x2"])
    }

    /// D1 (Proposition 1, Fig. 4a): (5,2), (4,1), (3,0), (1,-3), (-1,3). With one hidden ReLU,
    /// v=1, b=-3, w=1, c=0 is a local minimum with loss 18; the global one is lower (14 or less).
    public static func d1() -> Dataset {
        regression("d1", [(5, 2), (4, 1), (3, 0), (1, -3), (-1, 3)])
    }

    /// D2 (Proposition 2, Fig. 4b): (-1,5), (0,0), (1,-1), (10,-3), (11,-4), (12,-5). Two hidden
    /// units: w=(-5,-1), b=(1,-8), v=(1,-1), c=-1 fits exactly; w=(-3,-1), b=(4+1/3,-10), v=(1,-1),
    /// c=-3 is a worse local minimum.
    public static func d2() -> Dataset {
        regression("d2", [(-1, 5), (0, 0), (1, -1), (10, -3), (11, -4), (12, -5)])
    }

    /// D3 (Proposition 3, Fig. 4c): (-1,3), (0,0), (1,-1), (10,-3), (11,-4), (12,-6). Three hidden
    /// units: w=(-1.5,-1.5,1.5), b=(1,0,-13-1/6), v=(1,1,-1), c=-1 is a better local minimum than
    /// w=(-2,1,1), b=(3+2/3,-10,-11), v=(1,-1,-1), c=-3.
    public static func d3() -> Dataset {
        regression("d3", [(-1, 3), (0, 0), (1, -1), (10, -3), (11, -4), (12, -6)])
    }

    /// Zig-Zag (counterexamples Fig. 5; the paper only draws it): 20 points, x evenly spaced in [-1, 1]
    /// (x_i = -1 + 2i/19, i = 0...19) and y alternating +1, -1, +1, ... so that every point is a
    /// corner of the zig-zag and an exact fit needs a kink between each pair of neighbours.
    /// Fig. 5 scales the inputs by τ; use `--input-scale` for that.
    public static func zigzag() -> Dataset {
        let points = (0..<20).map { i -> (Float, Float) in
            let x: Float = -1 + 2 * Float(i) / 19
            return (x, i % 2 == 0 ? 1 : -1)
        }
        return regression("zigzag", points)
    }

    /// Blind spot (Proposition 4, proof in App. B.1, Fig. 6 left): N-1 points with every
    /// coordinate negative close to the origin and one point far out with every coordinate
    /// positive (the positive-label point x_{i*}), then each coordinate standardised to mean 0
    /// and standard deviation 1 (signs survive: the mean is pulled towards the far point).
    /// The N-1 points are labelled by their first coordinate (upper half = 1), so the set is
    /// linearly separable, as the proposition remarks. Raw near points are uniform in
    /// [-1, -0.1]^d, the far point is (10N, ..., 10N); drawn from a fixed seed.
    public static func blindSpot(points n: Int = 50, dimensions d: Int = 2) throws -> Dataset {
        guard n >= 3 else { throw SettingsError("the blind-spot set needs at least 3 points (got \(n))") }
        guard d >= 1 else { throw SettingsError("the blind-spot set needs at least 1 dimension (got \(d))") }
        var g = Xoshiro256(seed: 4, stream: 0xB1_17D)
        var x = [Double](repeating: 0, count: n * d)
        for i in 0..<(n - 1) { for c in 0..<d { x[i * d + c] = -1 + 0.9 * g.unitDouble() } }
        for c in 0..<d { x[(n - 1) * d + c] = 10 * Double(n) }
        // Labels: far point 1; near points 1 when their first coordinate is in the upper half.
        let order = (0..<(n - 1)).sorted { x[$0 * d] < x[$1 * d] }
        var y = [Float](repeating: 0, count: n)
        for (rank, i) in order.enumerated() where rank >= (n - 1) / 2 { y[i] = 1 }
        y[n - 1] = 1
        for c in 0..<d {
            let mean = (0..<n).reduce(0.0) { $0 + x[$1 * d + c] } / Double(n)
            let sd = ((0..<n).reduce(0.0) { $0 + (x[$1 * d + c] - mean) * (x[$1 * d + c] - mean) } / Double(n)).squareRoot()
            for i in 0..<n { x[i * d + c] = (x[i * d + c] - mean) / sd }
        }
        return Dataset(name: "blindspot", features: x.map { Float($0) }, targets: y, count: n, featureCount: d, task: .binary)
    }

    static func regression(_ name: String, _ points: [(Float, Float)]) -> Dataset {
        Dataset(name: name, features: points.map { $0.0 }, targets: points.map { $0.1 }, count: points.count,
                featureCount: 1, task: .regression(outputs: 1), featureNames: ["x"])
    }
}
