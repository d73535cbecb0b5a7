import CNNModel

/// UpSampling1D/2D/3D.
final class UpSamplingLayer: ComputeLayer {
    let size: [Int]
    let bilinear: Bool
    private var batchShape: [Int] = []

    init(name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int], size: [Int], bilinear: Bool) {
        self.size = size
        self.bilinear = bilinear
        super.init(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
    }

    override func forward(_ x: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        if training { batchShape = x.shape }
        let out = [x.shape[0]] + outputShape
        return bilinear ? UpSamplingOp.bilinear(x, size: size, outputShape: out)
            : UpSamplingOp.nearest(x, size: size, outputShape: out)
    }

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        bilinear ? UpSamplingOp.bilinearBackward(dy, size: size, inputShape: batchShape)
            : UpSamplingOp.nearestBackward(dy, size: size, inputShape: batchShape)
    }
}

/// Conv1DTranspose/2D/3D with its activation.
final class ConvTransposeLayer: ComputeLayer {
    let config: ConvTranspose
    private var x: Tensor?
    private var z: Tensor?
    private var y: Tensor?

    init(name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int], config: ConvTranspose) {
        self.config = config
        super.init(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
    }

    private func geometry(_ n: Int) -> ConvTransposeOp.Geometry {
        ConvTransposeOp.Geometry(input: [n] + inputShape, output: [n] + outputShape, config: config)
    }

    override func forward(_ input: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        let pre = ConvTransposeOp.forward(input, kernel: parameter("kernel")!.value, bias: parameter("bias")?.value,
                                          geometry: geometry(input.shape[0]))
        let out = ActivationOp.forward(pre, config.activation)
        if training { x = input; z = pre; y = out }
        return out
    }

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        guard let x, let z, let y else { return nil }
        let dz = ActivationOp.backward(dy, x: z, y: y, config.activation)
        let r = ConvTransposeOp.backward(dz, x: x, kernel: parameter("kernel")!.value, hasBias: parameter("bias") != nil,
                                         geometry: geometry(x.shape[0]), needInput: needInput)
        accumulate("kernel", r.dKernel)
        accumulate("bias", r.dBias)
        return r.dx
    }
}

/// Reshape: channels-last row-major, as Keras, so only the shape changes.
final class ReshapeLayer: ComputeLayer {
    override func forward(_ x: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        x.reshaped([x.shape[0]] + outputShape)
    }

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        dy.reshaped([dy.shape[0]] + inputShape)
    }
}

/// Permute(dims): the batch stays first.
final class PermuteLayer: ComputeLayer {
    let order: [Int]

    init(name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int], dims: [Int]) {
        order = [0] + dims
        super.init(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
    }

    override func forward(_ x: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        PermuteOp.forward(x, order: order)
    }

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        PermuteOp.backward(dy, order: order)
    }
}

/// RepeatVector(n).
final class RepeatVectorLayer: ComputeLayer {
    override func forward(_ x: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        RepeatOp.forward(x, times: outputShape[0])
    }

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        RepeatOp.backward(dy)
    }
}
