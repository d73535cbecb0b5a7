/// Entry points for timing single ops from outside the module (profiling only).
public enum ComputeDebug {
    public static func conv(_ x: Tensor, _ k: Tensor) -> Tensor {
        let g = WindowGeometry(input: x.shape, kernel: [3, 3], strides: [1, 1], dilation: [1, 1], padding: .valid,
                               outChannels: k.shape[3])
        _ = Memory.configured
        return ConvOp.forward(x, kernel: k, bias: nil, geometry: g, groups: 1)
    }
    public static func relu(_ x: Tensor) -> Tensor { ActivationOp.forward(x, .relu) }
}

extension ComputeDebug {
    /// Seconds for the kernel gradient and the two input-gradient kernels of a
    /// valid 3×3 convolution, and how far the two input gradients differ.
    public static func convBackwardParts(_ x: Tensor, _ k: Tensor, _ dy: Tensor)
        -> (kernel: Double, input: Double, scatter: Double, difference: Float) {
        let g = WindowGeometry(input: x.shape, kernel: [3, 3], strides: [1, 1], dilation: [1, 1], padding: .valid,
                               outChannels: k.shape[3])
        var a: Tensor?, b: Tensor?, c: Tensor?
        let t1 = BenchWorkload.seconds { a = DirectConv.kernelGradient(dy, x: x, geometry: g) }
        let t2 = BenchWorkload.seconds { b = DirectConv.fullGradient(dy, kernel: k, geometry: g) }
        let t3 = BenchWorkload.seconds { c = ScatterGradient.inputGradient(dy, kernel: k, geometry: g) }
        precondition(a != nil && b != nil && c != nil)
        var worst: Float = 0
        for i in 0..<b!.count { worst = max(worst, abs(b!.data[i] - c!.data[i])) }
        return (t1, t2, t3, worst)
    }
}
