import CNNModel
import Foundation

/// Why a network can't be built, loaded or run; every message names what is wrong.
public struct NetworkError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    /// The layer where a non-finite value first appeared, when that is the error.
    public var layer: String?
    public init(_ message: String, layer: String? = nil) {
        self.message = message
        self.layer = layer
    }
    public var description: String { message }
}

/// A `CNNModel.Model` made runnable: its layers, weights keyed
/// `<layer name>/<weight name>`, inference, gradients and training steps.
///
/// ```swift
/// let net = try Network(model: model, seed: 42)          // Keras-style random init
/// try net.load(weights)                                   // or weights from a file
/// let maps = try net.forward(image)                       // every layer's output
/// let step = try net.trainStep(batch, labels: ys, optimizer: .adam())
/// ```
/// Training is deterministic for a seed: the initialisation and the dropout
/// masks come from ``SeededGenerator``. Tensors are batch-first and
/// channels-last, as in Keras. A network is not thread-safe: use each one
/// from one thread at a time (its ops spread their own work over the cores).
public final class Network {
    /// The model's summary on the network's input shape (params, mult-adds, bytes).
    public let summary: ModelSummary
    /// The layer names, as Keras names them.
    public let layerNames: [String]
    /// The input shape without the batch axis.
    public var inputShape: [Int] { summary.inputShape }
    let layers: [ComputeLayer]
    var rng: SeededGenerator

    /// Builds the network with Keras' initialisation: Glorot-uniform kernels
    /// drawn from `seed`, zero biases, γ = 1, β = 0, moving mean 0 and variance 1.
    ///
    /// - Parameter inputShape: overrides the model's input shape (without batch).
    public init(model: Model, inputShape: [Int]? = nil, seed: UInt64 = 0) throws(NetworkError) {
        do {
            summary = try model.summary(inputShape: inputShape)
        } catch {
            throw NetworkError(error.description)
        }
        if let row = summary.layers.first(where: { $0.spec.runRefusal != nil }) {
            throw NetworkError("layer \(row.name) (\(row.typeName)): \(row.spec.runRefusal!)", layer: row.name)
        }
        layerNames = summary.layers.map(\.name)
        layers = summary.layers.map {
            ComputeLayer.make($0.spec, name: $0.name, inputShape: $0.inputShape, outputShape: $0.outputShape)
        }
        rng = SeededGenerator(seed: seed ^ 0x5EED_D50F)
        _ = Memory.configured
        initialize(seed: seed)
    }

    // MARK: - Weights

    /// Every weight tensor, trainable or not, in Keras' order.
    public var parameters: [Parameter] { layers.flatMap { $0.parameters } }

    /// The weights keyed `<layer name>/<weight name>`.
    public var weights: [String: Tensor] {
        Dictionary(uniqueKeysWithValues: parameters.map { ($0.key, $0.value) })
    }

    /// Re-draws every weight with Keras' initialisers from `seed`.
    public func initialize(seed: UInt64) {
        var g = SeededGenerator(seed: seed)
        for p in parameters {
            switch p.weightName {
            case "kernel", "depthwise_kernel", "pointwise_kernel":
                let s = p.value.shape
                let field = s.dropLast(2).reduce(1, *)
                let fanIn = (s.count >= 2 ? s[s.count - 2] : s[0]) * field
                let fanOut = (s.last ?? 1) * field
                let limit = Float((6.0 / Double(max(fanIn + fanOut, 1))).squareRoot())
                for i in 0..<p.value.count { p.value.data[i] = g.uniform(-limit, limit) }
            case "gamma", "moving_variance", "variance":
                p.value = Tensor(repeating: 1, shape: p.value.shape)
            default:
                p.value = Tensor(zeros: p.value.shape)
            }
        }
    }

    /// Sets weights by key. Every weight must be present with its exact shape,
    /// unless `allowMissing`, which keeps the current value of missing ones.
    /// A key that matches no weight is an error, as in Keras' `load_weights`:
    /// it usually means the file was saved from another model.
    public func load(_ tensors: [String: Tensor], allowMissing: Bool = false) throws(NetworkError) {
        let known = Set(parameters.map(\.key))
        let unknown = tensors.keys.filter { !known.contains($0) }.sorted()
        if let first = unknown.first {
            let more = unknown.count > 1 ? " (and \(unknown.count - 1) more: " + unknown.dropFirst().prefix(3).map { "'\($0)'" }
                .joined(separator: ", ") + (unknown.count > 4 ? ", …" : "") + ")" : ""
            throw NetworkError("the weights file has '\(first)'\(more), which matches no weight of this model; "
                + "its weights are " + known.sorted().prefix(6).map { "'\($0)'" }.joined(separator: ", ")
                + (known.count > 6 ? ", …" : "") + ". Was it saved from another model?")
        }
        for p in parameters {
            guard let t = tensors[p.key] else {
                if allowMissing { continue }
                throw NetworkError("the weights file has no '\(p.key)' (expected shape \(p.value.shape)); "
                    + "pass --init to start from random weights")
            }
            guard t.shape == p.value.shape else {
                throw NetworkError("'\(p.key)' has shape \(t.shape) but layer '\(p.layerName)' needs \(p.value.shape)")
            }
            p.value = t
        }
    }

    /// The number of scalars in every weight, trainable and not.
    public var parameterCount: Int { summary.totalParams }
    public var trainableParameterCount: Int { summary.trainableParams }
    /// Bytes of float32 weights.
    public var weightBytes: Int { summary.totalParams * 4 }
    /// Bytes of every layer's output for one sample (what a forward pass keeps).
    public var activationBytesPerSample: Int { summary.totalActivationBytes }

    // MARK: - Running

    /// Inference mode: every layer's output, in order (the last is the prediction).
    public func forward(_ input: Tensor) throws(NetworkError) -> [Tensor] {
        try check(input)
        var outputs: [Tensor] = []
        outputs.reserveCapacity(layers.count)
        for (i, layer) in layers.enumerated() {
            let x = run(i, input, outputs, training: false)
            if let bad = x.firstNonFinite { throw .nonFinite(bad, layer: layer) }
            outputs.append(x)
        }
        return outputs
    }

    /// Layer `i` on the outputs it is connected to (`-1` is the input).
    private func run(_ i: Int, _ input: Tensor, _ outputs: [Tensor], previous: Tensor? = nil, training: Bool) -> Tensor {
        if summary.graph == nil {
            return layers[i].forward(previous ?? outputs.last ?? input, training: training, rng: &rng)
        }
        let from = summary.layers[i].inbound.map { $0 < 0 ? input : outputs[$0] }
        if let merge = layers[i] as? MergeLayer { return merge.forward(from, training: training) }
        return layers[i].forward(from[0], training: training, rng: &rng)
    }

    /// Inference mode: the last layer's output only.
    ///
    /// Since no intermediate map is kept, a convolution followed by a 2×2
    /// max pooling runs fused (the same values as ``forward(_:)``'s last).
    public func predict(_ input: Tensor) throws(NetworkError) -> Tensor {
        try check(input)
        if summary.graph != nil, let last = try forward(input).last { return last }
        var x = input
        var i = 0
        while i < layers.count {
            if let conv = layers[i] as? ConvLayer, i + 1 < layers.count, let pool = layers[i + 1] as? PoolLayer,
               let fused = conv.forwardPooled(x, pool: pool) {
                x = fused
                // Max pooling keeps a non-finite value, so the conv is where it appeared.
                if let bad = x.firstNonFinite { throw .nonFinite(bad, layer: conv) }
                i += 2
                continue
            }
            x = layers[i].forward(x, training: false, rng: &rng)
            if let bad = x.firstNonFinite { throw .nonFinite(bad, layer: layers[i]) }
            i += 1
        }
        return x
    }

    /// The result of a training-mode pass.
    public struct Step: Sendable {
        public var loss: Float
        public var accuracy: Float
    }

    /// Training mode (batch statistics, active dropout, moving averages
    /// updated): sparse categorical cross-entropy against `labels`, and the
    /// gradient of every trainable weight, keyed like the weights.
    ///
    /// Every layer's output, the loss, every backward gradient and every
    /// weight gradient is checked: a non-finite value throws, naming the layer.
    /// (A step checks only the loss and the weight gradients; when either is
    /// non-finite it runs again from the same state, checking every map, to
    /// find the layer.)
    public func gradients(_ input: Tensor, labels: [Int]) throws(NetworkError) -> (step: Step, gradients: [String: Tensor]) {
        let step = try backprop(input, labels: labels)
        var out: [String: Tensor] = [:]
        for p in parameters where p.trainable { out[p.key] = p.gradient }
        return (step, out)
    }

    /// One optimizer step on a batch; returns the loss and accuracy before the update.
    ///
    /// A non-finite value anywhere in the pass throws before the weights change.
    @discardableResult
    public func trainStep(_ input: Tensor, labels: [Int], optimizer: Optimizer) throws(NetworkError) -> Step {
        let step = try backprop(input, labels: labels)
        optimizer.step(parameters)
        return step
    }

    private func backprop(_ input: Tensor, labels: [Int]) throws(NetworkError) -> Step {
        try check(input)
        // Scanning every map costs ~3% of a step; a NaN or infinity that
        // matters reaches the loss or a weight gradient, so only those are
        // checked, and a failed step is run again from the same random state
        // and moving statistics, checking everything, to say where it broke.
        let rngBefore = rng
        let frozen = parameters.filter { !$0.trainable }.map { ($0, $0.value) }
        if let step = try pass(input, labels: labels, checked: false) { return step }
        rng = rngBefore
        for (p, value) in frozen { p.value = value }
        guard let step = try pass(input, labels: labels, checked: true) else {
            throw NetworkError("a non-finite value appeared in the training pass; " + NetworkError.nonFiniteAdvice)
        }
        return step
    }

    /// One training-mode pass. `checked`, it scans every layer's output and
    /// input gradient, throwing at the first non-finite one; unchecked, it
    /// returns nil for a non-finite loss or weight gradient.
    private func pass(_ input: Tensor, labels: [Int], checked: Bool) throws(NetworkError) -> Step? {
        let classes = summary.outputShape.reduce(1, *)
        guard summary.outputShape.count == 1 else {
            throw NetworkError("the loss needs a (batch, classes) output, but the model ends in "
                + ShapeFormat.keras(summary.outputShape) + "; add Flatten() or global pooling and a Dense layer")
        }
        guard labels.count == input.shape[0] else {
            throw NetworkError("\(labels.count) labels for a batch of \(input.shape[0])")
        }
        if let bad = labels.first(where: { $0 < 0 || $0 >= classes }) {
            throw NetworkError("label \(bad) is out of range for \(classes) classes")
        }
        for p in parameters { p.gradient = Tensor(zeros: p.value.shape) }
        var x = input
        var outputs: [Tensor] = []
        for (i, layer) in layers.enumerated() {
            x = run(i, input, outputs, previous: x, training: true)
            if checked, let bad = x.firstNonFinite { throw NetworkError.nonFinite(bad, layer: layer) }
            if summary.graph != nil { outputs.append(x) }
        }
        let accuracy = SparseCategoricalCrossEntropy.accuracy(x, labels: labels)
        let loss: Float
        var dy: Tensor
        var start = layers.count - 1
        if let last = layers.last, let logits = last.softmaxLogits {
            // As Keras: the loss on the softmax's logits, whose gradient is exact
            // even where a probability underflows the clip.
            loss = SparseCategoricalCrossEntropy.loss(logits: logits, labels: labels)
            let dz = SparseCategoricalCrossEntropy.logitsGradient(x, labels: labels)
            guard loss.isFinite else { if checked { throw nonFiniteLoss(loss) } else { return nil } }
            guard let dx = last.backward(logitsGradient: dz, needInput: needsInput(start)) else {
                guard try gradientsAreFinite(checked) else { return nil }
                return Step(loss: loss, accuracy: accuracy)
            }
            if checked, let bad = dx.firstNonFinite { throw NetworkError.nonFinite(bad, layer: last, backward: true) }
            dy = dx
            start -= 1
        } else {
            loss = SparseCategoricalCrossEntropy.loss(x, labels: labels)
            guard loss.isFinite else { if checked { throw nonFiniteLoss(loss) } else { return nil } }
            dy = SparseCategoricalCrossEntropy.gradient(x, labels: labels)
        }
        if summary.graph != nil {
            try backpropGraph(from: start, dy, outputs: outputs, input: input, checked: checked)
            guard try gradientsAreFinite(checked) else { return nil }
            return Step(loss: loss, accuracy: accuracy)
        }
        var i = start
        while i >= 0 {
            guard let dx = layers[i].backward(dy, needInput: needsInput(i)) else { break }
            if checked, let bad = dx.firstNonFinite { throw NetworkError.nonFinite(bad, layer: layers[i], backward: true) }
            dy = dx
            i -= 1
        }
        guard try gradientsAreFinite(checked) else { return nil }
        return Step(loss: loss, accuracy: accuracy)
    }

    /// Backward through a functional graph: each layer's output gradient is the sum over the layers it feeds.
    private func backpropGraph(from start: Int, _ dy: Tensor, outputs: [Tensor], input: Tensor,
                               checked: Bool) throws(NetworkError) {
        var pending = [Tensor?](repeating: nil, count: layers.count)
        let last = layers.count - 1
        if start == last {
            pending[last] = dy
        } else if let source = summary.layers[last].inbound.first, source >= 0 {
            pending[source] = dy  // the softmax layer's backward already ran: dy is its input's gradient
        }
        for i in stride(from: last, through: 0, by: -1) {
            guard let g = pending[i], i <= start else { continue }
            let from = summary.layers[i].inbound
            let grads: [Tensor]
            if let merge = layers[i] as? MergeLayer {
                grads = merge.backward(g)
            } else {
                guard let dx = layers[i].backward(g, needInput: from.contains { $0 >= 0 }) else { continue }
                grads = [dx]
            }
            for (source, d) in zip(from, grads) where source >= 0 {
                if checked, let bad = d.firstNonFinite { throw .nonFinite(bad, layer: layers[i], backward: true) }
                if let existing = pending[source] {
                    var sum = existing
                    for k in 0..<sum.count { sum.data[k] += d.data[k] }
                    pending[source] = sum
                } else {
                    pending[source] = d
                }
            }
        }
    }

    private func nonFiniteLoss(_ loss: Float) -> NetworkError {
        NetworkError("the loss is \(loss) although every layer's output was finite; " + NetworkError.nonFiniteAdvice,
                     layer: layers.last?.name)
    }

    /// Whether every weight's gradient is finite; `checked`, a non-finite
    /// one throws instead, naming the weight.
    private func gradientsAreFinite(_ checked: Bool) throws(NetworkError) -> Bool {
        for p in parameters where p.trainable {
            if let bad = p.gradient.firstNonFinite {
                if !checked { return false }
                throw NetworkError("non-finite values (\(bad.kind)) in the gradient of '\(p.key)', first at index "
                    + "\(bad.index); " + NetworkError.nonFiniteAdvice, layer: p.layerName)
            }
        }
        return true
    }

    /// Whether layer `i`'s backward must return dL/dx: only when some layer
    /// before it has weights.
    private func needsInput(_ i: Int) -> Bool {
        i > 0 && layers[..<i].contains { !$0.parameters.isEmpty }
    }

    func check(_ input: Tensor) throws(NetworkError) {
        guard input.rank == inputShape.count + 1, Array(input.shape.dropFirst()) == inputShape else {
            throw NetworkError("the input has shape \(input.shape) but the model expects (batch, "
                + inputShape.map(String.init).joined(separator: ", ") + ")")
        }
        if let bad = input.firstNonFinite { throw .nonFiniteInput(bad) }
    }
}
