import CNNModel

/// Rescaling and Normalization: y = x·scale + shift, per cell of the statistics' axes.
final class AffineLayer: ComputeLayer {
    private let constants: (scale: [Float], shift: [Float])?
    private let normalization: Normalization?
    private let axes: [Int]
    private var index: BroadcastIndex?
    private var scale: [Float] = [1]

    override init(name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int]) {
        let rank = inputShape.count + 1
        switch spec.kind {
        case .rescaling(let s, let o):
            constants = ([Float(s)], [Float(o)])
            normalization = nil
            axes = []
        case .normalization(let n):
            normalization = n
            axes = n.axes.map { (try? LayerSpec.normalizedAxes($0, rank: rank)) ?? [rank - 1] } ?? []
            if let mean = n.mean, let variance = n.variance {
                constants = AffineLayer.coefficients(mean: mean.map(Float.init), variance: variance.map(Float.init), invert: n.invert)
            } else {
                constants = nil
            }
        default:
            preconditionFailure("AffineLayer runs Rescaling and Normalization")
        }
        super.init(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
    }

    /// Keras' Normalization: (x − mean) / max(√variance, 1e-7), or its inverse.
    static func coefficients(mean: [Float], variance: [Float], invert: Bool) -> (scale: [Float], shift: [Float]) {
        let n = max(mean.count, variance.count)
        let std = (0..<n).map { max(variance[variance.count == 1 ? 0 : $0].squareRoot(), 1e-7) }
        let m = (0..<n).map { mean[mean.count == 1 ? 0 : $0] }
        if invert { return (std, m) }
        return (std.map { 1 / $0 }, (0..<n).map { -m[$0] / std[$0] })
    }

    override func forward(_ x: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        var c = constants
        if c == nil, let mean = parameter("mean"), let variance = parameter("variance") {
            c = Self.coefficients(mean: mean.value.data, variance: variance.value.data, invert: normalization?.invert ?? false)
        }
        let (scale, shift) = c ?? ([1], [0])
        let index = scale.count > 1 || shift.count > 1 ? BroadcastIndex(shape: x.shape, axes: axes) : nil
        if training { self.index = index; self.scale = scale }
        return AffineOp.forward(x, scale: scale, shift: shift, index: index)
    }

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        AffineOp.backward(dy, scale: scale, index: index)
    }
}

/// PReLU with its learnt slopes (`alpha`, shaped like the input with 1 on the shared axes).
final class PReLULayer: ComputeLayer {
    private var x: Tensor?
    private var index: BroadcastIndex?
    private let axes: [Int]

    init(name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int], shared: [Int]) {
        axes = (1...inputShape.count).filter { !shared.contains($0) }
        super.init(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
    }

    override func forward(_ input: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        let index = BroadcastIndex(shape: input.shape, axes: axes)
        if training { x = input; self.index = index }
        return PReLUOp.forward(input, alpha: parameter("alpha")!.value, index: index)
    }

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        guard let x, let index else { return nil }
        let r = PReLUOp.backward(dy, x: x, alpha: parameter("alpha")!.value, index: index)
        accumulate("alpha", r.dAlpha)
        return r.dx
    }
}

/// GaussianNoise, GaussianDropout, AlphaDropout: seeded noise in training, the identity at inference.
final class NoiseLayer: ComputeLayer {
    let noise: Noise
    private var own: SeededGenerator?
    private var factor: [Float] = []

    init(name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int], noise: Noise) {
        self.noise = noise
        own = noise.seed.map { SeededGenerator(seed: UInt64(bitPattern: Int64($0))) }
        super.init(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
    }

    override func forward(_ x: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        if !training { return x }
        let drawn = own != nil ? NoiseOp.draw(count: x.count, noise, rng: &own!) : NoiseOp.draw(count: x.count, noise, rng: &rng)
        factor = drawn.factor
        return NoiseOp.forward(x, factor: drawn.factor, shift: drawn.shift)
    }

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        NoiseOp.backward(dy, factor: factor)
    }
}
