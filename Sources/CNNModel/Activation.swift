/// An element-wise activation function, named as Keras names it.
///
/// `swish` and `silu` (and `hard_swish` and `hard_silu`) are the same function
/// in Keras 3; both spellings are kept so that a summary or an export prints
/// what the learner wrote. Every name of Keras 3.15's `keras.activations.get`
/// is here; `glu` and `threshold` build (Keras' summary ignores what they do to
/// shapes) but can't run: see ``runsInCompute``.
public enum Activation: String, Sendable, CaseIterable, Hashable {
    case linear, relu, sigmoid, tanh, softmax, swish, silu, gelu
    case elu, selu, softplus, softsign, relu6, exponential
    case leakyRelu = "leaky_relu"
    case hardSigmoid = "hard_sigmoid"
    case celu, mish, squareplus, glu, threshold, sparsemax
    case hardSilu = "hard_silu", hardSwish = "hard_swish", hardTanh = "hard_tanh", hardShrink = "hard_shrink"
    case softShrink = "soft_shrink", sparsePlus = "sparse_plus", tanhShrink = "tanh_shrink"
    case sparseSigmoid = "sparse_sigmoid", logSigmoid = "log_sigmoid", logSoftmax = "log_softmax"

    /// False for `glu` (it halves the last axis, which Keras' summary doesn't show) and
    /// `threshold` (it needs arguments a name can't give: Keras fails when it runs).
    public var runsInCompute: Bool { self != .glu && self != .threshold }

    /// Parses a Keras activation name; `None` and `"linear"` both mean linear.
    public init?(kerasName: String?) {
        guard let kerasName else { self = .linear; return }
        self.init(rawValue: kerasName)
    }

    /// True for the identity, which Keras applies as a no-op.
    public var isLinear: Bool { self == .linear }
}
