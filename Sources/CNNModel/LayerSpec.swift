/// One layer of a Sequential model, as a Keras user configured it.
///
/// A spec holds only configuration; shapes and counts come from
/// ``LayerSpec/outputShape(for:)`` and ``LayerSpec/weights(for:)``, which need
/// no data. `name` is the explicit `name=` argument; ``Model`` assigns Keras'
/// auto-names (`conv2d`, `conv2d_1`, …) to the others.
public struct LayerSpec: Sendable, Hashable {
    public var kind: LayerKind
    public var name: String?
    /// Where the layer was written, for error messages; nil when built in code.
    public var location: SourceLocation?
    /// `trainable=False` freezes every weight: Keras counts them non-trainable,
    /// training leaves them alone, and BatchNormalization runs in inference mode.
    public var trainable: Bool
    /// Arguments that change neither shapes nor counts (initializers, regularizers, constraints), kept as
    /// Keras code (`kernel_regularizer=keras.regularizers.l2(0.01)`) so that exports keep them.
    public var extraArguments: [String] = []

    public init(_ kind: LayerKind, name: String? = nil, location: SourceLocation? = nil, trainable: Bool = true) {
        self.kind = kind
        self.name = name
        self.location = location
        self.trainable = trainable
    }

    /// The Keras class name: `Conv2D`, `GlobalAveragePooling2D`, …
    public var typeName: String { kind.typeName }
}

/// What a layer does, with the configuration that decides its shape and weights.
public enum LayerKind: Sendable, Hashable {
    case conv(Convolution)
    case pool(Pooling)
    case globalPool(GlobalPooling)
    case batchNorm(BatchNorm)
    case layerNorm(LayerNorm)
    /// `Dropout(rate)` when `spatialRank` is nil, `SpatialDropout{1,2,3}D` otherwise.
    case dropout(rate: Double, spatialRank: Int?, seed: Int?)
    /// `Activation('name')`.
    case activation(Activation)
    /// `ReLU(max_value, negative_slope, threshold)`.
    case relu(ReLUConfig)
    /// `Softmax(axis)`: one axis or several, counted in the batched tensor (-1 the last).
    case softmax(axes: [Int])
    case flatten
    case dense(Dense)
    /// `ZeroPadding{1,2,3}D`: (before, after) for each spatial axis.
    case zeroPadding([Pair])
    /// `Add`, `Concatenate`, …: takes a list of tensors (functional models only).
    case merge(Merge)
    /// `Cropping{1,2,3}D`: cells cut (before, after) on each spatial axis.
    case cropping([Pair])
    /// `UpSampling{1,2,3}D`: each cell repeated `size` times per axis; 2D may be bilinear.
    case upSampling(size: [Int], bilinear: Bool)
    /// `Conv{1,2,3}DTranspose`.
    case convTranspose(ConvTranspose)
    /// `Rescaling(scale, offset)`: x·scale + offset.
    case rescaling(scale: Double, offset: Double)
    /// `Normalization` with a given mean and variance (or weights to load).
    case normalization(Normalization)
    /// `Reshape(target_shape)`, as written (one size may be -1).
    case reshape([Int])
    /// `Permute(dims)`: 1-based axes, the batch excluded.
    case permute([Int])
    /// `RepeatVector(n)`: (features,) → (n, features).
    case repeatVector(Int)
    /// `LeakyReLU(negative_slope)`.
    case leakyReLU(Double)
    /// `PReLU(shared_axes)`: a learnt slope per position and channel, shared along the given 1-based axes.
    case prelu(sharedAxes: [Int])
    /// `ELU(alpha)`.
    case elu(Double)
    /// GaussianNoise, GaussianDropout and AlphaDropout: random in training, the identity at inference.
    case noise(Noise)
    /// `ActivityRegularization(l1, l2)`: the identity (its penalty is a loss term, not an output).
    case activityRegularization(l1: Double, l2: Double)
    /// RandomFlip, RandomRotation, RandomZoom, …: random in training, the identity at inference.
    case augmentation(ImageAugmentation)
    /// Resizing, CenterCrop and RandomCrop: a new height and width.
    case resize(ImageResize)

    /// The Keras class name.
    public var typeName: String {
        switch self {
        case .conv(let c):
            switch c.style {
            case .standard: return Self.ranked(Self.conv, "Conv", c.rank)
            case .depthwise: return Self.ranked(Self.depthwise, "DepthwiseConv", c.rank)
            case .separable: return Self.ranked(Self.separable, "SeparableConv", c.rank)
            }
        case .pool(let p):
            return p.op == .max ? Self.ranked(Self.maxPooling, "MaxPooling", p.rank)
                : Self.ranked(Self.averagePooling, "AveragePooling", p.rank)
        case .globalPool(let g):
            return g.op == .max ? Self.ranked(Self.globalMax, "GlobalMaxPooling", g.rank)
                : Self.ranked(Self.globalAverage, "GlobalAveragePooling", g.rank)
        case .batchNorm: return "BatchNormalization"
        case .layerNorm: return "LayerNormalization"
        case .dropout(_, let rank, _): return rank.map { "SpatialDropout\($0)D" } ?? "Dropout"
        case .activation: return "Activation"
        case .relu: return "ReLU"
        case .softmax: return "Softmax"
        case .flatten: return "Flatten"
        case .dense: return "Dense"
        case .zeroPadding(let p): return "ZeroPadding\(p.count)D"
        case .merge(let m): return m.op.rawValue
        case .cropping(let p): return "Cropping\(p.count)D"
        case .upSampling(let size, _): return "UpSampling\(size.count)D"
        case .convTranspose(let c): return "Conv\(c.rank)DTranspose"
        case .rescaling: return "Rescaling"
        case .normalization: return "Normalization"
        case .reshape: return "Reshape"
        case .permute: return "Permute"
        case .repeatVector: return "RepeatVector"
        case .leakyReLU: return "LeakyReLU"
        case .prelu: return "PReLU"
        case .elu: return "ELU"
        case .noise(let n): return n.kind.rawValue
        case .activityRegularization: return "ActivityRegularization"
        case .augmentation(let a): return a.kind.rawValue
        case .resize(let r): return r.kind.rawValue
        }
    }
}

extension LayerKind {
    /// `Conv2D` from `Conv` and 2, the 1D, 2D and 3D names made once (in
    /// `names`): the summary names every layer on every keystroke.
    static func ranked(_ names: [String], _ stem: String, _ rank: Int) -> String {
        (1...3).contains(rank) ? names[rank - 1] : "\(stem)\(rank)D"
    }

    static func rankedNames(_ stem: String) -> [String] { (1...3).map { "\(stem)\($0)D" } }
    static let conv = rankedNames("Conv"), depthwise = rankedNames("DepthwiseConv"),
               separable = rankedNames("SeparableConv"), maxPooling = rankedNames("MaxPooling"),
               averagePooling = rankedNames("AveragePooling"), globalMax = rankedNames("GlobalMaxPooling"),
               globalAverage = rankedNames("GlobalAveragePooling")
}

/// A merge layer: element-wise (with Keras' broadcasting) or a concatenation along `axis`.
public struct Merge: Sendable, Hashable {
    public enum Op: String, Sendable, Hashable, CaseIterable {
        case add = "Add", subtract = "Subtract", multiply = "Multiply", average = "Average"
        case maximum = "Maximum", minimum = "Minimum", concatenate = "Concatenate"
    }
    public var op: Op
    /// Concatenate's axis, counted with the batch axis as Keras does (-1 is the last).
    public var axis: Int
    public init(_ op: Op, axis: Int = -1) { self.op = op; self.axis = axis }
}

/// A (before, after) pair of paddings on one axis.
public struct Pair: Sendable, Hashable {
    public var before: Int
    public var after: Int
    public init(_ before: Int, _ after: Int) { self.before = before; self.after = after }
}

/// Conv1D/2D/3D, DepthwiseConv2D and SeparableConv2D.
public struct Convolution: Sendable, Hashable {
    /// Standard, depthwise (one filter set per input channel) or separable
    /// (depthwise followed by a 1×1 pointwise convolution).
    public enum Style: Sendable, Hashable {
        case standard
        case depthwise(multiplier: Int)
        case separable(multiplier: Int)
    }
    public var style: Style
    /// Output channels; for depthwise, `in · multiplier` and not stored here (0).
    public var filters: Int
    public var kernel: [Int]
    public var strides: [Int]
    public var padding: Padding
    public var dilation: [Int]
    public var groups: Int
    public var activation: Activation
    public var useBias: Bool

    /// The number of spatial axes (1, 2 or 3).
    public var rank: Int { kernel.count }

    public init(style: Style = .standard, filters: Int, kernel: [Int], strides: [Int]? = nil,
                padding: Padding = .valid, dilation: [Int]? = nil, groups: Int = 1,
                activation: Activation = .linear, useBias: Bool = true) {
        self.style = style
        self.filters = filters
        self.kernel = kernel
        self.strides = strides ?? Array(repeating: 1, count: kernel.count)
        self.padding = padding
        self.dilation = dilation ?? Array(repeating: 1, count: kernel.count)
        self.groups = groups
        self.activation = activation
        self.useBias = useBias
    }

    /// The depth multiplier of a depthwise or separable convolution, else nil.
    public var depthMultiplier: Int? {
        switch style {
        case .standard: return nil
        case .depthwise(let m), .separable(let m): return m
        }
    }
}

/// MaxPooling and AveragePooling in 1, 2 or 3 dimensions.
public struct Pooling: Sendable, Hashable {
    public var op: PoolOp
    public var poolSize: [Int]
    /// Defaults to `poolSize`, as in Keras.
    public var strides: [Int]
    public var padding: Padding
    public var rank: Int { poolSize.count }

    public init(op: PoolOp, poolSize: [Int], strides: [Int]? = nil, padding: Padding = .valid) {
        self.op = op
        self.poolSize = poolSize
        self.strides = strides ?? poolSize
        self.padding = padding
    }
}

/// GlobalAveragePooling and GlobalMaxPooling in 1, 2 or 3 dimensions.
public struct GlobalPooling: Sendable, Hashable {
    public var op: PoolOp
    public var rank: Int
    public var keepdims: Bool
    public init(op: PoolOp, rank: Int, keepdims: Bool = false) {
        self.op = op
        self.rank = rank
        self.keepdims = keepdims
    }
}

/// BatchNormalization over one axis (statistics over all the others).
public struct BatchNorm: Sendable, Hashable {
    public var momentum: Double
    public var epsilon: Double
    public var center: Bool
    public var scale: Bool
    /// The normalised axis in the batched tensor as written: -1 (the channels), 1, …
    public var axis: Int
    public init(momentum: Double = 0.99, epsilon: Double = 1e-3, center: Bool = true, scale: Bool = true, axis: Int = -1) {
        self.axis = axis
        self.momentum = momentum
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
    }
}

/// LayerNormalization over one or more axes (the last by default).
public struct LayerNorm: Sendable, Hashable {
    public var epsilon: Double
    public var center: Bool
    public var scale: Bool
    /// The normalised axes in the batched tensor as written: [-1], [1, 2], …
    public var axes: [Int]
    public init(epsilon: Double = 1e-3, center: Bool = true, scale: Bool = true, axes: [Int] = [-1]) {
        self.axes = axes
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
    }
}

/// The configuration of a `ReLU` layer.
public struct ReLUConfig: Sendable, Hashable {
    public var maxValue: Double?
    public var negativeSlope: Double
    public var threshold: Double
    public init(maxValue: Double? = nil, negativeSlope: Double = 0, threshold: Double = 0) {
        self.maxValue = maxValue
        self.negativeSlope = negativeSlope
        self.threshold = threshold
    }
}

/// A fully connected layer on the last axis.
public struct Dense: Sendable, Hashable {
    public var units: Int
    public var activation: Activation
    public var useBias: Bool
    public init(units: Int, activation: Activation = .linear, useBias: Bool = true) {
        self.units = units
        self.activation = activation
        self.useBias = useBias
    }
}
