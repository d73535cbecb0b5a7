import CNNModel

/// BatchNormalization: moving statistics at inference; batch statistics in
/// training, which also update the moving averages with `momentum`.
final class BatchNormLayer: ComputeLayer {
    let config: BatchNorm
    private var cache: BatchNormOp.Cache?

    init(name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int], config: BatchNorm) {
        self.config = config
        super.init(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
    }

    override func forward(_ x: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        let gamma = parameter("gamma")?.value.data, beta = parameter("beta")?.value.data
        let mean = parameter("moving_mean")!, variance = parameter("moving_variance")!
        let eps = Float(config.epsilon)
        if !training {
            return BatchNormOp.inference(x, gamma: gamma, beta: beta, mean: mean.value.data,
                                         variance: variance.value.data, epsilon: eps)
        }
        let r = BatchNormOp.training(x, gamma: gamma, beta: beta, epsilon: eps)
        let m = Float(config.momentum)
        for j in 0..<r.mean.count {
            mean.value.data[j] = mean.value.data[j] * m + r.mean[j] * (1 - m)
            variance.value.data[j] = variance.value.data[j] * m + r.variance[j] * (1 - m)
        }
        cache = r.cache
        return r.y
    }

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        guard let cache else { return nil }
        let r = BatchNormOp.backward(dy, cache: cache, gamma: parameter("gamma")?.value.data)
        accumulate("gamma", Tensor(shape: [r.dGamma.count], data: r.dGamma))
        accumulate("beta", Tensor(shape: [r.dBeta.count], data: r.dBeta))
        return r.dx
    }
}

/// LayerNormalization over the last axis.
final class LayerNormLayer: ComputeLayer {
    let config: LayerNorm
    private var cache: LayerNormOp.Cache?

    init(name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int], config: LayerNorm) {
        self.config = config
        super.init(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
    }

    override func forward(_ x: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        let r = LayerNormOp.forward(x, gamma: parameter("gamma")?.value.data, beta: parameter("beta")?.value.data,
                                    epsilon: Float(config.epsilon))
        if training { cache = r.cache }
        return r.y
    }

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        guard let cache else { return nil }
        let r = LayerNormOp.backward(dy, cache: cache, gamma: parameter("gamma")?.value.data)
        accumulate("gamma", Tensor(shape: [r.dGamma.count], data: r.dGamma))
        accumulate("beta", Tensor(shape: [r.dBeta.count], data: r.dBeta))
        return r.dx
    }
}
