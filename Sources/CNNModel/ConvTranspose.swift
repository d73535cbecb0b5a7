/// Conv1DTranspose/2D/3D: the gradient of a convolution, run forward.
public struct ConvTranspose: Sendable, Hashable {
    public var filters: Int
    public var kernel: [Int]
    public var strides: [Int]
    public var padding: Padding
    /// nil for Keras' default, which derives the output length from the padding.
    public var outputPadding: [Int]?
    public var dilation: [Int]
    public var activation: Activation
    public var useBias: Bool
    public var rank: Int { kernel.count }

    public init(filters: Int, kernel: [Int], strides: [Int]? = nil, padding: Padding = .valid, outputPadding: [Int]? = nil,
                dilation: [Int]? = nil, activation: Activation = .linear, useBias: Bool = true) {
        self.filters = filters
        self.kernel = kernel
        self.strides = strides ?? Array(repeating: 1, count: kernel.count)
        self.padding = padding
        self.outputPadding = outputPadding
        self.dilation = dilation ?? Array(repeating: 1, count: kernel.count)
        self.activation = activation
        self.useBias = useBias
    }

    /// Keras' output length on one axis (TensorFlow's rule for `tf.nn.conv_transpose`).
    public func outputLength(_ input: Int, axis: Int) -> Int {
        let span = (kernel[axis] - 1) * dilation[axis] + 1, s = strides[axis]
        switch (padding, outputPadding) {
        case (.same, nil), (.causal, nil): return input * s
        case (.same, let op?), (.causal, let op?): return (input - 1) * s + span % 2 + op[axis]
        case (.valid, nil): return (input - 1) * s + span + max(span, s) - span
        case (.valid, let op?): return (input - 1) * s + span + op[axis]
        }
    }
}
