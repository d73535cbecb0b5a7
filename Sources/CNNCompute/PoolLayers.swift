import CNNModel

/// MaxPooling and AveragePooling in 1, 2 or 3 dimensions.
final class PoolLayer: ComputeLayer {
    let config: Pooling
    private var x: Tensor?
    private var y: Tensor?

    init(name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int], config: Pooling) {
        self.config = config
        super.init(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
    }

    func geometry(_ n: Int) -> WindowGeometry {
        WindowGeometry(input: [n] + inputShape, kernel: config.poolSize, strides: config.strides,
                       dilation: Array(repeating: 1, count: config.rank),
                       padding: config.padding == .same ? .same : .valid, outChannels: inputShape.last!)
    }

    override func forward(_ x: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        let out = PoolingOp.forward(x, geometry: geometry(x.shape[0]), max: config.op == .max)
        if training { self.x = x; y = out }
        return out
    }

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        guard let x, let y else { return nil }
        // TensorFlow's 3D max pooling gives the whole gradient to every tied maximum; its 1D and 2D to the first.
        return PoolingOp.backward(dy, x: x, y: y, geometry: geometry(x.shape[0]), max: config.op == .max,
                                  everyTie: config.rank == 3)
    }
}

/// GlobalAveragePooling and GlobalMaxPooling, with keepdims.
final class GlobalPoolLayer: ComputeLayer {
    let config: GlobalPooling
    private var x: Tensor?
    private var y: Tensor?

    init(name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int], config: GlobalPooling) {
        self.config = config
        super.init(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
    }

    override func forward(_ x: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        let out = GlobalPoolingOp.forward(x, max: config.op == .max, keepdims: config.keepdims)
        if training { self.x = x; y = out }
        return out
    }

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        guard let x, let y else { return nil }
        return GlobalPoolingOp.backward(dy, x: x, y: y, max: config.op == .max)
    }
}
