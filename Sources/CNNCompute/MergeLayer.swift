import CNNModel

/// Add, Subtract, Multiply, Average, Maximum, Minimum and Concatenate: several inputs, one output.
final class MergeLayer: ComputeLayer {
    let config: Merge
    private var inputs: [Tensor] = []

    init(name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int], config: Merge) {
        self.config = config
        super.init(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
    }

    /// The merged output of batch-first inputs.
    func forward(_ xs: [Tensor], training: Bool) -> Tensor {
        if training { inputs = xs }
        return MergeOp.forward(xs, config, outputShape: outputShape)
    }

    /// dL/dx for every input, from dL/dy.
    func backward(_ dy: Tensor, inputs given: [Tensor]? = nil) -> [Tensor] {
        MergeOp.backward(dy, inputs: given ?? inputs, config)
    }
}
