import CNNModel

/// MaxPooling and AveragePooling in 1, 2 or 3 dimensions.
final class PoolLayer: ComputeLayer {
    let config: Pooling
    private var argmax: [Int32] = []
    private var batchShape: [Int] = []

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
        let r = PoolingOp.forward(x, geometry: geometry(x.shape[0]), max: config.op == .max)
        if training { argmax = r.argmax; batchShape = x.shape }
        return r.y
    }

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        PoolingOp.backward(dy, inputShape: batchShape, geometry: geometry(batchShape[0]), max: config.op == .max,
                           argmax: argmax)
    }
}

/// GlobalAveragePooling and GlobalMaxPooling, with keepdims.
final class GlobalPoolLayer: ComputeLayer {
    let config: GlobalPooling
    private var argmax: [Int32] = []
    private var batchShape: [Int] = []

    init(name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int], config: GlobalPooling) {
        self.config = config
        super.init(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
    }

    override func forward(_ x: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        let r = GlobalPoolingOp.forward(x, max: config.op == .max, keepdims: config.keepdims)
        if training { argmax = r.argmax; batchShape = x.shape }
        return r.y
    }

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        GlobalPoolingOp.backward(dy, inputShape: batchShape, max: config.op == .max, argmax: argmax)
    }
}
