import CNNModel

/// Conv1D/2D/3D, DepthwiseConv and SeparableConv with their activation.
final class ConvLayer: ComputeLayer {
    let config: Convolution
    private var x: Tensor?
    private var z: Tensor?
    private var y: Tensor?
    /// The depthwise stage's output of a separable convolution.
    private var mid: Tensor?

    init(name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int], config: Convolution) {
        self.config = config
        super.init(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
    }

    /// The window geometry for a batch of `n`.
    func geometry(_ n: Int) -> WindowGeometry {
        let c = config
        let inC = inputShape.last!
        let outC: Int
        switch c.style {
        case .standard: outC = c.filters
        case .depthwise(let m), .separable(let m): outC = inC * m
        }
        return WindowGeometry(input: [n] + inputShape, kernel: c.kernel, strides: c.strides, dilation: c.dilation,
                              padding: c.padding, outChannels: outC)
    }

    // MARK: - Forward

    override func forward(_ input: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        let g = geometry(input.shape[0])
        let bias = parameter("bias")?.value
        let pre: Tensor
        switch config.style {
        case .standard where config.activation == .relu:
            // ReLU is fused into the convolution; its backward needs only y.
            let out = ConvOp.forward(input, kernel: parameter("kernel")!.value, bias: bias, geometry: g,
                                     groups: config.groups, relu: true)
            if training { x = input; z = out; y = out }
            return out
        case .standard:
            pre = ConvOp.forward(input, kernel: parameter("kernel")!.value, bias: bias, geometry: g, groups: config.groups)
        case .depthwise:
            pre = DepthwiseOp.forward(input, kernel: parameter("kernel")!.value, bias: bias, geometry: g)
        case .separable:
            let m = DepthwiseOp.forward(input, kernel: parameter("depthwise_kernel")!.value, bias: nil, geometry: g)
            let pw = parameter("pointwise_kernel")!.value
            let cm = pw.shape[pw.rank - 2], f = pw.shape[pw.rank - 1]
            pre = DenseOp.forward(m, kernel: pw.reshaped([cm, f]), bias: bias)
            if training { mid = m }
        }
        if !training {
            var out = pre
            ActivationOp.apply(&out, config.activation)
            return out
        }
        let out = ActivationOp.forward(pre, config.activation)
        x = input; z = pre; y = out
        return out
    }

    /// Inference of this layer and a following 2×2/2 max pooling in one pass
    /// (``WinogradConv`` pooled, or ``FusedConvPool``), or nil when the pair suits neither.
    func forwardPooled(_ input: Tensor, pool: PoolLayer) -> Tensor? {
        guard case .standard = config.style, config.groups == 1,
              config.activation == .relu || config.activation == .linear,
              pool.config.op == .max, pool.config.poolSize == [2, 2], pool.config.strides == [2, 2],
              pool.config.padding != .same else { return nil }
        let g = geometry(input.shape[0])
        if WinogradConv.supports(g) {
            return WinogradConv.forward(input, kernel: parameter("kernel")!.value, bias: parameter("bias")?.value,
                                        relu: config.activation == .relu, geometry: g, pooled: true)
        }
        guard FusedConvPool.supports(g, pool: .init()) else { return nil }
        return FusedConvPool.forward(input, kernel: parameter("kernel")!.value, bias: parameter("bias")?.value,
                                     relu: config.activation == .relu, geometry: g)
    }

    // MARK: - Backward

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        guard let x, let z, let y else { return nil }
        let g = geometry(x.shape[0])
        let hasBias = parameter("bias") != nil
        // A standard convolution's fused ReLU: ConvOp.backward masks dy with its output as it reads dy.
        var fusedReLU = false
        if case .standard = config.style { fusedReLU = config.activation == .relu }
        let dz = fusedReLU ? dy : ActivationOp.backward(dy, x: z, y: y, config.activation)
        switch config.style {
        case .standard:
            let r = ConvOp.backward(dz, x: x, kernel: parameter("kernel")!.value, hasBias: hasBias,
                                    reluOutput: fusedReLU ? y : nil, geometry: g, groups: config.groups,
                                    needInput: needInput)
            accumulate("kernel", r.dKernel)
            accumulate("bias", r.dBias)
            return r.dx
        case .depthwise:
            let r = DepthwiseOp.backward(dz, x: x, kernel: parameter("kernel")!.value, hasBias: hasBias, geometry: g,
                                         needInput: needInput)
            accumulate("kernel", r.dKernel)
            accumulate("bias", r.dBias)
            return r.dx
        case .separable:
            guard let mid else { return nil }
            let pw = parameter("pointwise_kernel")!.value
            let cm = pw.shape[pw.rank - 2], f = pw.shape[pw.rank - 1]
            let p = DenseOp.backward(dz, x: mid, kernel: pw.reshaped([cm, f]), hasBias: hasBias, needInput: true)
            accumulate("pointwise_kernel", p.dKernel)
            accumulate("bias", p.dBias)
            let d = DepthwiseOp.backward(p.dx!, x: x, kernel: parameter("depthwise_kernel")!.value, hasBias: false,
                                         geometry: g, needInput: needInput)
            accumulate("depthwise_kernel", d.dKernel)
            return d.dx
        }
    }
}
