/// How a convolution or pooling window treats the border.
public enum Padding: String, Sendable, Hashable, CaseIterable {
    /// No padding: the window stays inside the input.
    case valid
    /// Pad so that the output is `ceil(input / stride)` long.
    case same
    /// Conv1D only: pad on the left so that no output sees the future.
    case causal
}
