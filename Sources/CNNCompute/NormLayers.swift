import CNNModel

/// The batched axes a normalisation layer works on, as an ``AxisMove`` for a batch.
private func axisMove(_ axes: [Int], inputShape: [Int], batch: Int) -> AxisMove {
    let rank = inputShape.count + 1
    let resolved = (try? LayerSpec.normalizedAxes(axes, rank: rank)) ?? [rank - 1]
    return AxisMove(shape: [batch] + inputShape, axes: resolved)
}

/// BatchNormalization: moving statistics at inference; batch statistics in
/// training, which also update the moving averages with `momentum`. Another
/// `axis` than the last runs the same ops with that axis moved last.
final class BatchNormLayer: ComputeLayer {
    let config: BatchNorm
    private var cache: BatchNormOp.Cache?
    private var move: AxisMove?
    /// A frozen layer's last forward ran in inference mode, even in training.
    private var ranFrozen = false

    init(name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int], config: BatchNorm) {
        self.config = config
        super.init(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
    }

    override func forward(_ input: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        let move = axisMove([config.axis], inputShape: inputShape, batch: input.shape[0])
        if training { self.move = move }
        return move.fromLast(normalize(move.toLast(input), training: training))
    }

    private func normalize(_ x: Tensor, training: Bool) -> Tensor {
        let gamma = parameter("gamma")?.value.data, beta = parameter("beta")?.value.data
        let mean = parameter("moving_mean")!, variance = parameter("moving_variance")!
        let eps = Float(config.epsilon)
        // As Keras 3: a frozen BatchNormalization uses its moving statistics and leaves them alone.
        if !training || !spec.trainable {
            if training { ranFrozen = true; cache = nil }
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
        ranFrozen = false
        return r.y
    }

    override func backward(_ dyIn: Tensor, needInput: Bool) -> Tensor? {
        guard let move else { return nil }
        let dy = move.toLast(dyIn)
        if ranFrozen {
            return move.fromLast(BatchNormOp.inferenceBackward(dy, gamma: parameter("gamma")?.value.data,
                                                 variance: parameter("moving_variance")!.value.data,
                                                 epsilon: Float(config.epsilon)))
        }
        guard let cache else { return nil }
        let r = BatchNormOp.backward(dy, cache: cache, gamma: parameter("gamma")?.value.data)
        accumulate("gamma", Tensor(shape: [r.dGamma.count], data: r.dGamma))
        accumulate("beta", Tensor(shape: [r.dBeta.count], data: r.dBeta))
        return move.fromLast(r.dx)
    }
}

/// LayerNormalization over its axes (moved last and merged into one).
final class LayerNormLayer: ComputeLayer {
    let config: LayerNorm
    private var cache: LayerNormOp.Cache?
    private var move: AxisMove?

    init(name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int], config: LayerNorm) {
        self.config = config
        super.init(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
    }

    override func forward(_ x: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        let move = axisMove(config.axes, inputShape: inputShape, batch: x.shape[0])
        let r = LayerNormOp.forward(move.toLast(x), gamma: parameter("gamma")?.value.data,
                                    beta: parameter("beta")?.value.data, epsilon: Float(config.epsilon))
        if training { cache = r.cache; self.move = move }
        return move.fromLast(r.y)
    }

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        guard let cache, let move else { return nil }
        let r = LayerNormOp.backward(move.toLast(dy), cache: cache, gamma: parameter("gamma")?.value.data)
        accumulate("gamma", Tensor(shape: [r.dGamma.count], data: r.dGamma))
        accumulate("beta", Tensor(shape: [r.dBeta.count], data: r.dBeta))
        return move.fromLast(r.dx)
    }
}
