import CNNModel

/// Dense on the last axis, with its activation.
final class DenseLayer: ComputeLayer {
    let config: Dense
    private var x: Tensor?
    private var z: Tensor?
    private var y: Tensor?

    init(name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int], config: Dense) {
        self.config = config
        super.init(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
    }

    override func forward(_ input: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        let pre = DenseOp.forward(input, kernel: parameter("kernel")!.value, bias: parameter("bias")?.value)
        if !training {
            var out = pre
            ActivationOp.apply(&out, config.activation)
            return out
        }
        let out = ActivationOp.forward(pre, config.activation)
        x = input; z = pre; y = out
        return out
    }

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        guard let z, let y else { return nil }
        return backward(logitsGradient: ActivationOp.backward(dy, x: z, y: y, config.activation), needInput: needInput)
    }

    override var softmaxLogits: Tensor? { config.activation == .softmax ? z : nil }

    override func backward(logitsGradient dz: Tensor, needInput: Bool) -> Tensor? {
        guard let x else { return nil }
        let r = DenseOp.backward(dz, x: x, kernel: parameter("kernel")!.value, hasBias: parameter("bias") != nil,
                                 needInput: needInput)
        accumulate("kernel", r.dKernel)
        accumulate("bias", r.dBias)
        return r.dx
    }
}

/// Activation, ReLU and Softmax layers.
final class ActivationLayer: ComputeLayer {
    enum Kind {
        case function(Activation)
        case relu(ReLUConfig)
        /// Non-negative, sorted axes of the batched tensor.
        case softmax([Int])
        /// `ELU(alpha)`.
        case elu(Float)
    }
    let kind: Kind
    private var x: Tensor?
    private var y: Tensor?

    init(name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int], kind: Kind) {
        self.kind = kind
        super.init(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
    }

    /// Softmax over several axes (or one that is not last) is a softmax over the last, moved.
    private func softmaxMove(_ axes: [Int], _ shape: [Int]) -> AxisMove { AxisMove(shape: shape, axes: axes) }

    override func forward(_ input: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        let out: Tensor
        switch kind {
        case .function(let f): out = ActivationOp.forward(input, f)
        case .relu(let r): out = ReLUOp.forward(input, r)
        case .elu(let alpha): out = EluOp.forward(input, alpha: alpha)
        case .softmax(let a):
            let move = softmaxMove(a, input.shape)
            out = move.fromLast(SoftmaxOp.forward(move.toLast(input), axis: move.mergedShape.count - 1))
        }
        if training { x = input; y = out }
        return out
    }

    override var softmaxLogits: Tensor? {
        switch kind {
        case .function(.softmax): return x
        case .softmax(let a) where x.map({ a == [$0.rank - 1] }) == true: return x
        default: return nil
        }
    }

    override func backward(logitsGradient dz: Tensor, needInput: Bool) -> Tensor? { dz }

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        guard let x, let y else { return nil }
        switch kind {
        case .function(let f): return ActivationOp.backward(dy, x: x, y: y, f)
        case .relu(let r): return ReLUOp.backward(dy, x: x, r)
        case .elu(let alpha): return EluOp.backward(dy, x: x, alpha: alpha)
        case .softmax(let a):
            let move = softmaxMove(a, y.shape)
            return move.fromLast(SoftmaxOp.backward(move.toLast(dy), y: move.toLast(y), axis: move.mergedShape.count - 1))
        }
    }
}

/// Flatten: a reshape to (N, everything else).
final class FlattenLayer: ComputeLayer {
    private var batchShape: [Int] = []

    override func forward(_ x: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        if training { batchShape = x.shape }
        return x.reshaped([x.shape[0], x.count / max(x.shape[0], 1)])
    }

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        dy.reshaped(batchShape)
    }
}

/// Dropout and SpatialDropout: seeded masks in training, identity at inference.
final class DropoutLayer: ComputeLayer {
    let rate: Float
    let spatial: Bool
    /// A layer with its own `seed=` draws from its own generator.
    private var own: SeededGenerator?
    private var mask: [Float] = []

    init(name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int], rate: Float, spatial: Bool, seed: Int?) {
        self.rate = rate
        self.spatial = spatial
        self.own = seed.map { SeededGenerator(seed: UInt64(bitPattern: Int64($0))) }
        super.init(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
    }

    override func forward(_ x: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        if !training { return x }
        if own != nil {
            mask = DropoutOp.mask(for: x.shape, rate: rate, spatial: spatial, rng: &own!)
        } else {
            mask = DropoutOp.mask(for: x.shape, rate: rate, spatial: spatial, rng: &rng)
        }
        return DropoutOp.forward(x, mask: mask)
    }

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        DropoutOp.backward(dy, mask: mask)
    }
}

/// ZeroPadding1D/2D/3D, and Cropping1D/2D/3D: padding's backward pass run forward.
final class ZeroPaddingLayer: ComputeLayer {
    let before: [Int]
    let crops: Bool
    private var batchShape: [Int] = []

    init(name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int], before: [Int], crops: Bool = false) {
        self.before = before
        self.crops = crops
        super.init(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
    }

    override func forward(_ x: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        if training { batchShape = x.shape }
        let out = [x.shape[0]] + outputShape
        return crops ? ZeroPaddingOp.backward(x, before: before, inputShape: out)
            : ZeroPaddingOp.forward(x, before: before, outputShape: out)
    }

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        crops ? ZeroPaddingOp.forward(dy, before: before, outputShape: batchShape)
            : ZeroPaddingOp.backward(dy, before: before, inputShape: batchShape)
    }
}
