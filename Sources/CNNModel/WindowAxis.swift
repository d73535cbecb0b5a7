/// One spatial axis of a sliding window (a convolution's or a pooling's),
/// under Keras' (TensorFlow's) padding rules: the one place that knows them.
///
/// Shapes, the compute core and the PyTorch export all read their output
/// sizes and paddings from here.
public struct WindowAxis: Sendable, Hashable {
    /// The window's extent in input cells: (k − 1)·d + 1.
    public let span: Int
    /// The output length: 'valid' ⌊(in − span)/s⌋ + 1 (zero or less when the
    /// window doesn't fit), 'same' and 'causal' ⌈in/s⌉.
    public let output: Int
    /// Cells of padding before the first input: 'same' pads
    /// max((out − 1)·s + span − in, 0) in total, the odd cell after;
    /// 'causal' pads span − 1 before.
    public let padBefore: Int
    /// Cells of padding after the last input.
    public let padAfter: Int

    public init(input: Int, kernel: Int, stride: Int, dilation: Int = 1, padding: Padding) {
        span = dilation * (kernel - 1) + 1
        switch padding {
        case .valid:
            output = CheckedMath.floorDiv(input - span, stride) + 1
            (padBefore, padAfter) = (0, 0)
        case .same:
            output = CheckedMath.floorDiv(input - 1, stride) + 1
            let total = max((output - 1) * stride + span - input, 0)
            (padBefore, padAfter) = (total / 2, total - total / 2)
        case .causal:
            output = CheckedMath.floorDiv(input - 1, stride) + 1
            (padBefore, padAfter) = (span - 1, 0)
        }
    }
}
