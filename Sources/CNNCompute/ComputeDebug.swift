/// Entry points for measuring single ops from outside the module.
public enum ComputeDebug {
    public static func conv(_ x: Tensor, _ k: Tensor) -> Tensor {
        let g = WindowGeometry(input: x.shape, kernel: [3, 3], strides: [1, 1], dilation: [1, 1], padding: .valid,
                               outChannels: k.shape[3])
        _ = Memory.configured
        return ConvOp.forward(x, kernel: k, bias: nil, geometry: g, groups: 1)
    }
    public static func relu(_ x: Tensor) -> Tensor { ActivationOp.forward(x, .relu) }
}
