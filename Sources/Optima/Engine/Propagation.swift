// Forward and backward passes over a minibatch. A Propagation holds every buffer a
// training step needs for one network shape and batch size, allocated once, so the
// step itself allocates nothing.

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

public final class Propagation {
    public let shape: NetworkShape
    public let capacity: Int
    /// Activations of each layer (index 0 = the input batch), [capacity x size].
    public let activations: [FloatBuffer]
    /// Gradients with respect to each layer's output, same shapes (index 0 unused).
    let gradOutputs: [FloatBuffer]
    /// Gradient of the loss with respect to every parameter, in the parameter layout.
    public let gradients: FloatBuffer
    /// Scratch space of narrow layers (transposed weights) and of wide ones (pack buffers)
    /// for the kernels.
    let workspaces: [FloatBuffer?]
    /// Targets of the current batch.
    public let targets: FloatBuffer

    public init(shape: NetworkShape, rows capacity: Int, targetWidth: Int) {
        self.shape = shape
        self.capacity = capacity
        activations = shape.sizes.map { FloatBuffer(count: capacity * $0) }
        gradOutputs = shape.sizes.enumerated().map { FloatBuffer(count: $0.offset == 0 ? 0 : capacity * $0.element) }
        gradients = FloatBuffer(count: shape.parameterCount)
        workspaces = shape.layers.map {
            let n = Kernels.denseWorkspaceCount(input: $0.input, output: $0.output)
            return n > 0 ? FloatBuffer(count: n) : nil
        }
        targets = FloatBuffer(count: capacity * targetWidth)
    }

    /// The network's output for the rows already in `activations[0]`.
    public var outputs: FloatBuffer { activations[activations.count - 1] }

    /// Runs the rows placed in activations[0] through the network.
    @inline(__always)
    public func forward(_ network: Network, rows: Int) {
        for l in 0..<shape.layers.count {
            let L = shape.layers[l]
            Kernels.denseForward(activations[l].pointer, rows: rows, input: L.input, output: L.output,
                                 weights: network.weights(l), bias: network.bias(l),
                                 activation: network.activation(ofLayer: l),
                                 into: activations[l + 1].pointer, workspace: workspaces[l]?.pointer)
        }
    }

    /// Writes dLoss/dZ of the output layer for a mean loss over `rows` rows, or over a batch
    /// of `meanOver` rows of which these are a share.
    @inline(__always)
    public func outputGradient(task: Task, rows: Int, meanOver total: Int? = nil) {
        Loss.gradient(task: task, outputs: outputs.pointer, targets: targets.pointer,
                      into: gradOutputs[gradOutputs.count - 1].pointer, rows: rows, meanOver: total)
    }

    /// Backpropagates from the output gradient, filling `gradients`.
    @inline(__always)
    public func backward(_ network: Network, rows: Int) {
        var top = shape.layers.count - 1
        let last = shape.layers[top]
        if top > 0, last.output == 1, network.activation(ofLayer: top) == .identity,
           network.activation(ofLayer: top - 1) == .relu {
            // A ReLU layer under one identity output: both layers' gradients in one pass,
            // without forming the ReLU layer's dLoss/dA.
            let l = top - 1, L = shape.layers[l], g = gradients.pointer
            let dz = gradOutputs[top + 1].pointer
            var sum: Float = 0
            for i in 0..<rows { sum += dz[i] }
            g[last.biasOffset] = sum
            Kernels.reluBackwardFromOneOutput(activations[l].pointer, rows: rows, input: L.input,
                                              output: L.output, weights: network.weights(l),
                                              activations: activations[l + 1].pointer,
                                              nextWeights: network.weights(top), gradOutput: dz,
                                              gradWeights: g + L.weightOffset, gradBias: g + L.biasOffset,
                                              nextGradWeights: g + last.weightOffset,
                                              gradInput: l > 0 ? gradOutputs[l].pointer : nil,
                                              // Unused on this path, so dZ's home: dX is faster from it.
                                              gradZ: l > 0 ? gradOutputs[l + 1].pointer : nil)
            top = l - 1
        }
        for l in stride(from: top, through: 0, by: -1) {
            let L = shape.layers[l]
            Kernels.denseBackward(activations[l].pointer, rows: rows, input: L.input, output: L.output,
                                  weights: network.weights(l), activations: activations[l + 1].pointer,
                                  activation: network.activation(ofLayer: l),
                                  gradOutput: gradOutputs[l + 1].pointer,
                                  gradWeights: gradients.pointer + L.weightOffset,
                                  gradBias: gradients.pointer + L.biasOffset,
                                  gradInput: l > 0 ? gradOutputs[l].pointer : nil,
                                  workspace: workspaces[l]?.pointer)
        }
    }

    /// Copies the rows `indices` of a data set into the input and target buffers.
    @inline(__always)
    public func load(_ data: Dataset, indices: UnsafeBufferPointer<Int>) {
        let p = data.featureCount, w = data.targetWidth
        let x = activations[0].pointer, t = targets.pointer
        data.features.withUnsafeBufferPointer { f in
            data.targets.withUnsafeBufferPointer { y in
                let fb = f.baseAddress!, yb = y.baseAddress!
                // Rows are short (often 3-64 floats): a plain loop beats a memmove call per row.
                for (r, i) in indices.enumerated() {
                    let src = fb + i * p, dst = x + r * p
                    for c in 0..<p { dst[c] = src[c] }
                    for c in 0..<w { t[r * w + c] = yb[i * w + c] }
                }
            }
        }
    }
}

extension Network {
    /// Outputs (logits for classification) for row-major inputs [rows x inputCount].
    public func predict(_ x: [Float], rows: Int) -> [Float] {
        precondition(x.count == rows * shape.inputCount)
        let chunk = 256
        let prop = Propagation(shape: shape, rows: min(chunk, max(rows, 1)), targetWidth: 1)
        let width = shape.outputCount
        var out = [Float](repeating: 0, count: rows * width)
        x.withUnsafeBufferPointer { src in
            var start = 0
            while start < rows {
                let n = min(chunk, rows - start)
                prop.activations[0].pointer.update(from: src.baseAddress! + start * shape.inputCount,
                                                   count: n * shape.inputCount)
                prop.forward(self, rows: n)
                for i in 0..<(n * width) { out[start * width + i] = prop.outputs[i] }
                start += n
            }
        }
        return out
    }

    /// Loss of the network on a batch and its gradient in the parameter layout
    /// (no update). Used by gradient checks and by callers that need raw gradients.
    public func lossAndGradient(_ data: Dataset) -> (loss: Double, gradient: [Float]) {
        let prop = Propagation(shape: shape, rows: data.count, targetWidth: data.targetWidth)
        let idx = Array(0..<data.count)
        idx.withUnsafeBufferPointer { prop.load(data, indices: $0) }
        prop.forward(self, rows: data.count)
        let out = Array(UnsafeBufferPointer(start: prop.outputs.pointer, count: data.count * shape.outputCount))
        let loss = Loss.value(task: task, outputs: out, targets: data.targets)
        prop.outputGradient(task: task, rows: data.count)
        prop.backward(self, rows: data.count)
        return (loss, prop.gradients.array)
    }
}
