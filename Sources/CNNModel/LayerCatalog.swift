/// Every layer the parser knows: its Keras signature and how to build its spec.
public enum LayerCatalog {
    /// A layer's call signature.
    struct Signature: Sendable {
        /// Parameter names in positional order.
        var positional: [String]
        /// Keyword-only parameters that matter.
        var keywords: [String] = []
        /// Keras parameters accepted and ignored (initializers, regularizers…).
        var ignored: [String] = []
        var build: @Sendable (LayerArguments) throws(ParseError) -> LayerKind
        /// Every accepted argument name, computed once.
        let allNames: [String]

        /// - Parameter acceptsInputShape: false for the layers whose `__init__` takes no `**kwargs`
        ///   (SpatialDropout), where Keras raises a TypeError for `input_shape=`.
        init(positional: [String], keywords: [String] = [], ignored: [String] = [], acceptsInputShape: Bool = true,
             build: @escaping @Sendable (LayerArguments) throws(ParseError) -> LayerKind) {
            self.positional = positional
            self.keywords = keywords
            self.ignored = ignored
            self.build = build
            allNames = positional + keywords + ignored + LayerCatalog.common.filter { acceptsInputShape || $0 != "input_shape" }
        }
    }

    /// Accepted by every layer; `name` and `input_shape` are read by the parser.
    static let common = ["name", "dtype", "trainable", "input_shape", "autocast"]

    static let weightOptions = ["kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
                                "activity_regularizer", "kernel_constraint", "bias_constraint", "lora_rank", "lora_alpha"]

    /// Keras' other names for the same classes.
    static let aliases = [
        "Convolution1D": "Conv1D", "Convolution2D": "Conv2D", "Convolution3D": "Conv3D",
        "MaxPool1D": "MaxPooling1D", "MaxPool2D": "MaxPooling2D", "MaxPool3D": "MaxPooling3D",
        "AvgPool1D": "AveragePooling1D", "AvgPool2D": "AveragePooling2D", "AvgPool3D": "AveragePooling3D",
        "GlobalAvgPool1D": "GlobalAveragePooling1D", "GlobalAvgPool2D": "GlobalAveragePooling2D",
        "GlobalAvgPool3D": "GlobalAveragePooling3D", "GlobalMaxPool1D": "GlobalMaxPooling1D",
        "GlobalMaxPool2D": "GlobalMaxPooling2D", "GlobalMaxPool3D": "GlobalMaxPooling3D",
        "SeparableConvolution2D": "SeparableConv2D",
    ]

    /// The Keras class names the parser accepts, Input included.
    public static var layerNames: [String] { (Array(signatures.keys) + ["Input", "InputLayer"]).sorted() }

    /// Argument names a layer accepts, positional first, for completion.
    public static func argumentNames(of typeName: String) -> [String] {
        guard let s = signatures[aliases[typeName] ?? typeName] else {
            return typeName == "Input" ? ["shape", "batch_size", "name"] : []
        }
        return s.positional + s.keywords + ["name"]
    }

    static func signature(_ typeName: String) -> Signature? { signatures[aliases[typeName] ?? typeName] }

    static let signatures: [String: Signature] = {
        var table: [String: Signature] = [:]
        for rank in 1...3 {
            table["Conv\(rank)D"] = Signature(
                positional: ["filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "groups",
                             "activation", "use_bias"],
                ignored: weightOptions
            ) { (a: LayerArguments) throws(ParseError) in
                try a.checkDataFormat()
                let conv = Convolution(
                    filters: try a.int("filters"), kernel: try a.ints("kernel_size", rank: rank),
                    strides: try a.ints("strides", rank: rank, default: Array(repeating: 1, count: rank), wholeFloats: true),
                    padding: try a.padding(allowCausal: rank == 1),
                    dilation: try a.ints("dilation_rate", rank: rank, default: Array(repeating: 1, count: rank),
                                         wholeFloats: true),
                    groups: try a.int("groups", default: 1), activation: try a.activation(),
                    useBias: try a.bool("use_bias", default: true))
                try checkStridesAndDilation(conv, a)
                if conv.filters % conv.groups != 0 {
                    throw ParseError("\(a.typeName): `filters` (\(conv.filters)) must be divisible by `groups` (\(conv.groups))",
                                     at: a.callLocation)
                }
                return .conv(conv)
            }
            let poolBuild = { (op: PoolOp) in
                Signature(positional: ["pool_size", "strides", "padding", "data_format"]) {
                    (a: LayerArguments) throws(ParseError) in
                    try a.checkDataFormat()
                    // Keras 3 gives MaxPooling a default pool_size of 2, AveragePooling none.
                    let size = try a.ints("pool_size", rank: rank, default: op == .max ? Array(repeating: 2, count: rank) : nil,
                                          wholeFloats: true)
                    let strides = a.has("strides") ? try a.ints("strides", rank: rank, wholeFloats: true) : size
                    return .pool(Pooling(op: op, poolSize: size, strides: strides, padding: try a.padding()))
                }
            }
            table["MaxPooling\(rank)D"] = poolBuild(.max)
            table["AveragePooling\(rank)D"] = poolBuild(.average)
            for (prefix, op) in [("GlobalMaxPooling", PoolOp.max), ("GlobalAveragePooling", .average)] {
                table["\(prefix)\(rank)D"] = Signature(positional: ["data_format", "keepdims"]) {
                    (a: LayerArguments) throws(ParseError) in
                    try a.checkDataFormat()
                    return .globalPool(GlobalPooling(op: op, rank: rank, keepdims: try a.bool("keepdims", default: false)))
                }
            }
            table["SpatialDropout\(rank)D"] = Signature(positional: ["rate", "data_format"], keywords: ["seed"],
                                                        acceptsInputShape: false) {
                (a: LayerArguments) throws(ParseError) in
                try a.checkDataFormat()
                return .dropout(rate: try rate(a), spatialRank: rank, seed: try a.optionalInt("seed"))
            }
            table["ZeroPadding\(rank)D"] = Signature(positional: ["padding", "data_format"]) {
                (a: LayerArguments) throws(ParseError) in
                try a.checkDataFormat()
                return .zeroPadding(try zeroPadding(a, rank: rank))
            }
        }
        table["DepthwiseConv2D"] = Signature(
            positional: ["kernel_size", "strides", "padding", "depth_multiplier", "data_format", "dilation_rate",
                         "activation", "use_bias"],
            ignored: weightOptions + ["depthwise_initializer", "depthwise_regularizer", "depthwise_constraint"]
        ) { (a: LayerArguments) throws(ParseError) in
            try a.checkDataFormat()
            let conv = Convolution(
                style: .depthwise(multiplier: try a.int("depth_multiplier", default: 1)), filters: 0,
                kernel: try a.ints("kernel_size", rank: 2), strides: try a.ints("strides", rank: 2, default: [1, 1]),
                padding: try a.padding(), dilation: try a.ints("dilation_rate", rank: 2, default: [1, 1]),
                activation: try a.activation(), useBias: try a.bool("use_bias", default: true))
            // Unlike Conv1D/2D/3D, Keras allows strides > 1 with dilation > 1 here.
            return .conv(conv)
        }
        table["SeparableConv2D"] = Signature(
            positional: ["filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
                         "depth_multiplier", "activation", "use_bias"],
            ignored: weightOptions + ["depthwise_initializer", "pointwise_initializer", "depthwise_regularizer",
                                      "pointwise_regularizer", "depthwise_constraint", "pointwise_constraint"]
        ) { (a: LayerArguments) throws(ParseError) in
            try a.checkDataFormat()
            let conv = Convolution(
                style: .separable(multiplier: try a.int("depth_multiplier", default: 1)), filters: try a.int("filters"),
                kernel: try a.ints("kernel_size", rank: 2), strides: try a.ints("strides", rank: 2, default: [1, 1]),
                padding: try a.padding(), dilation: try a.ints("dilation_rate", rank: 2, default: [1, 1]),
                activation: try a.activation(), useBias: try a.bool("use_bias", default: true))
            // Unlike Conv1D/2D/3D, Keras allows strides > 1 with dilation > 1 here.
            return .conv(conv)
        }
        table["BatchNormalization"] = Signature(
            positional: ["axis", "momentum", "epsilon", "center", "scale"],
            keywords: ["synchronized"],
            ignored: ["beta_initializer", "gamma_initializer", "moving_mean_initializer", "moving_variance_initializer",
                      "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"]
        ) { (a: LayerArguments) throws(ParseError) in
            // Keras 3 takes one int here (`int(axis)`): a list or tuple is a TypeError.
            return .batchNorm(BatchNorm(momentum: try a.double("momentum", default: 0.99),
                                        epsilon: try a.double("epsilon", default: 1e-3),
                                        center: try a.bool("center", default: true),
                                        scale: try a.bool("scale", default: true),
                                        axis: try a.int("axis", default: -1, minimum: Int.min)))
        }
        table["LayerNormalization"] = Signature(
            positional: ["axis", "epsilon", "center", "scale"], keywords: ["rms_scaling"],
            ignored: ["beta_initializer", "gamma_initializer", "beta_regularizer", "gamma_regularizer",
                      "beta_constraint", "gamma_constraint"]
        ) { (a: LayerArguments) throws(ParseError) in
            let axes = try a.axes()
            if try a.bool("rms_scaling", default: false) {
                throw ParseError("LayerNormalization: `rms_scaling=True` is not supported", at: a.callLocation)
            }
            return .layerNorm(LayerNorm(epsilon: try a.double("epsilon", default: 1e-3),
                                        center: try a.bool("center", default: true),
                                        scale: try a.bool("scale", default: true), axes: axes))
        }
        table["Dropout"] = Signature(positional: ["rate", "noise_shape", "seed"]) { (a: LayerArguments) throws(ParseError) in
            if a.has("noise_shape") {
                throw ParseError("Dropout: `noise_shape` is not supported", at: a.callLocation)
            }
            return .dropout(rate: try rate(a), spatialRank: nil, seed: try a.optionalInt("seed"))
        }
        table["Activation"] = Signature(positional: ["activation"]) { (a: LayerArguments) throws(ParseError) in
            _ = try a.required("activation")
            return .activation(try a.activation())
        }
        table["ReLU"] = Signature(positional: ["max_value", "negative_slope", "threshold"]) {
            (a: LayerArguments) throws(ParseError) in
            let config = ReLUConfig(maxValue: try a.optionalDouble("max_value"),
                                    negativeSlope: try a.double("negative_slope", default: 0),
                                    threshold: try a.double("threshold", default: 0))
            if let m = config.maxValue, m < 0 {
                throw ParseError("ReLU: `max_value` must be ≥ 0, got \(m)", at: a.callLocation)
            }
            if config.negativeSlope < 0 {
                throw ParseError("ReLU: `negative_slope` must be ≥ 0, got \(config.negativeSlope)", at: a.callLocation)
            }
            return .relu(config)
        }
        table["Softmax"] = Signature(positional: ["axis"]) { (a: LayerArguments) throws(ParseError) in
            return .softmax(axes: try a.axes())
        }
        table["Flatten"] = Signature(positional: ["data_format"]) { (a: LayerArguments) throws(ParseError) in
            try a.checkDataFormat()
            return .flatten
        }
        table["Dense"] = Signature(positional: ["units", "activation", "use_bias"], ignored: weightOptions) {
            (a: LayerArguments) throws(ParseError) in
            .dense(Dense(units: try a.int("units"), activation: try a.activation(),
                         useBias: try a.bool("use_bias", default: true)))
        }
        for op in Merge.Op.allCases {
            table[op.rawValue] = Signature(positional: op == .concatenate ? ["axis"] : []) {
                (a: LayerArguments) throws(ParseError) in
                .merge(Merge(op, axis: op == .concatenate ? try a.int("axis", default: -1, minimum: Int.min) : -1))
            }
        }
        addReshapingLayers(to: &table)
        addPreprocessingLayers(to: &table)
        return table
    }()

    // MARK: - Shared argument rules

    static func rate(_ a: LayerArguments) throws(ParseError) -> Double {
        guard let r = try a.required("rate").number, r >= 0, r <= 1 else {
            throw ParseError("\(a.typeName): `rate` must be a number between 0 and 1", at: a.callLocation)
        }
        return r
    }

    static func checkStridesAndDilation(_ c: Convolution, _ a: LayerArguments) throws(ParseError) {
        if c.strides.contains(where: { $0 > 1 }), c.dilation.contains(where: { $0 > 1 }) {
            throw ParseError("\(a.typeName): `strides > 1` is not supported in conjunction with `dilation_rate > 1` "
                             + "(strides=\(ShapeFormat.tuple(c.strides)), dilation_rate=\(ShapeFormat.tuple(c.dilation)))",
                             at: a.callLocation)
        }
    }

    /// Keras' ZeroPadding forms: an int, a tuple of `rank` ints, or of `rank` pairs.
    /// The same forms for Cropping's `cropping`.
    static func zeroPadding(_ a: LayerArguments, rank: Int, name: String = "padding", default value: Int = 1)
        throws(ParseError) -> [Pair] {
        guard a.has(name) else { return Array(repeating: Pair(value, value), count: rank) }
        let raw = try a.required(name)
        let bad = ParseError("\(a.typeName): `\(name)` must be an int, a tuple of \(rank) ints, or a tuple of "
                             + "\(rank) (before, after) pairs, got \(raw.pythonDescription)", at: a.callLocation)
        switch raw {
        case .int(let n) where n >= 0:
            return Array(repeating: Pair(n, n), count: rank)
        case .tuple(let items) where rank == 1:
            // ZeroPadding1D takes (left, right), two ints, and nothing else.
            guard items.count == 2, case .int(let x) = items[0], case .int(let y) = items[1], x >= 0, y >= 0 else {
                throw ParseError("\(a.typeName): `\(name)` must be an int or a tuple of 2 integers (left, right), got "
                                 + raw.pythonDescription, at: a.callLocation)
            }
            return [Pair(x, y)]
        case .tuple(let items) where items.count == rank:
            var pairs: [Pair] = []
            for item in items {
                switch item {
                case .int(let n) where n >= 0: pairs.append(Pair(n, n))
                case .tuple(let two) where two.count == 2:
                    guard case .int(let x) = two[0], case .int(let y) = two[1], x >= 0, y >= 0 else { throw bad }
                    pairs.append(Pair(x, y))
                default: throw bad
                }
            }
            return pairs
        default:
            throw bad
        }
    }
}
