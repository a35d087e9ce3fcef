// The sizes of a network's layers and where each layer's parameters sit in the one buffer.

/// Where one layer's parameters sit in the parameter buffer.
public struct LayerLayout: Equatable, Sendable {
    public var input: Int
    public var output: Int
    public var weightOffset: Int
    public var biasOffset: Int
    public var weightCount: Int { input * output }
}

/// Layer sizes from input to output, e.g. [15, 1024, 1].
public struct NetworkShape: Equatable, Sendable, CustomStringConvertible {
    public let sizes: [Int]
    public let layers: [LayerLayout]
    public let parameterCount: Int

    public init(sizes: [Int]) {
        precondition(sizes.count >= 2 && sizes.allSatisfy { $0 >= 1 }, "a network needs an input and an output size >= 1")
        self.sizes = sizes
        var layers: [LayerLayout] = []
        var offset = 0
        for l in 0..<(sizes.count - 1) {
            let (i, o) = (sizes[l], sizes[l + 1])
            layers.append(LayerLayout(input: i, output: o, weightOffset: offset, biasOffset: offset + i * o))
            offset += i * o + o
        }
        self.layers = layers
        parameterCount = offset
    }

    public var inputCount: Int { sizes[0] }
    public var outputCount: Int { sizes[sizes.count - 1] }
    public var hiddenSizes: [Int] { Array(sizes.dropFirst().dropLast()) }
    public var description: String { sizes.map(String.init).joined(separator: "-") }
}
