/// An element-wise activation function, named as Keras names it.
///
/// `swish` and `silu` are the same function in Keras 3; both spellings are
/// kept so that a summary or an export prints what the learner wrote.
public enum Activation: String, Sendable, CaseIterable, Hashable {
    case linear, relu, sigmoid, tanh, softmax, swish, silu, gelu
    case elu, selu, softplus, softsign, relu6, exponential
    case leakyRelu = "leaky_relu"
    case hardSigmoid = "hard_sigmoid"

    /// Parses a Keras activation name; `None` and `"linear"` both mean linear.
    public init?(kerasName: String?) {
        guard let kerasName else { self = .linear; return }
        self.init(rawValue: kerasName)
    }

    /// True for the identity, which Keras applies as a no-op.
    public var isLinear: Bool { self == .linear }
}
