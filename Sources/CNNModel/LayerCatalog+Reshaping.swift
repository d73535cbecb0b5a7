/// The catalog's layers that reshape, upsample, rescale or add noise, and the
/// activation layers with their own class (LeakyReLU, PReLU, ELU).
extension LayerCatalog {
    static func addReshapingLayers(to table: inout [String: Signature]) {
        for rank in 1...3 {
            let cropDefault = rank == 2 ? 0 : 1
            table["Cropping\(rank)D"] = Signature(positional: ["cropping", "data_format"]) {
                (a: LayerArguments) throws(ParseError) in
                try a.checkDataFormat()
                return .cropping(try zeroPadding(a, rank: rank, name: "cropping", default: cropDefault))
            }
            table["UpSampling\(rank)D"] = Signature(positional: rank == 1 ? ["size"] : ["size", "data_format"]
                                                    + (rank == 2 ? ["interpolation"] : [])) {
                (a: LayerArguments) throws(ParseError) in
                try a.checkDataFormat()
                var bilinear = false
                if a.has("interpolation") {
                    guard case .string(let s) = try a.required("interpolation"), s == "nearest" || s == "bilinear" else {
                        throw ParseError("UpSampling2D: `interpolation` must be 'nearest' or 'bilinear' here "
                                         + "(Keras also has 'bicubic', 'lanczos3', 'lanczos5' and 'area')", at: a.callLocation)
                    }
                    bilinear = s == "bilinear"
                }
                let size = rank == 1 ? [try a.int("size", default: 2)]
                    : try a.ints("size", rank: rank, default: Array(repeating: 2, count: rank))
                return .upSampling(size: size, bilinear: bilinear)
            }
            table["Conv\(rank)DTranspose"] = Signature(
                positional: ["filters", "kernel_size", "strides", "padding", "output_padding", "data_format", "dilation_rate",
                             "activation", "use_bias"],
                ignored: weightOptions
            ) { (a: LayerArguments) throws(ParseError) in
                try a.checkDataFormat()
                let c = ConvTranspose(
                    filters: try a.int("filters"), kernel: try a.ints("kernel_size", rank: rank),
                    strides: try a.ints("strides", rank: rank, default: Array(repeating: 1, count: rank)),
                    padding: try a.padding(),
                    outputPadding: a.has("output_padding") ? try a.ints("output_padding", rank: rank, minimum: 0) : nil,
                    dilation: try a.ints("dilation_rate", rank: rank, default: Array(repeating: 1, count: rank)),
                    activation: try a.activation(), useBias: try a.bool("use_bias", default: true))
                if let op = c.outputPadding, let axis = op.indices.first(where: { op[$0] >= c.strides[$0] }) {
                    throw ParseError("\(a.typeName): `output_padding` must be strictly less than `strides` on every axis; "
                                     + "on axis \(axis + 1) it is \(op[axis]) with strides \(c.strides[axis])",
                                     at: a.callLocation)
                }
                if c.strides.contains(where: { $0 > 1 }), c.dilation.contains(where: { $0 > 1 }) {
                    throw ParseError("\(a.typeName): `strides > 1` is not supported in conjunction with `dilation_rate > 1`",
                                     at: a.callLocation)
                }
                return .convTranspose(c)
            }
        }
        table["Rescaling"] = Signature(positional: ["scale", "offset"]) { (a: LayerArguments) throws(ParseError) in
            guard let scale = try a.required("scale").number else {
                throw ParseError("Rescaling: `scale` must be a number, such as 1 / 255", at: a.callLocation)
            }
            return .rescaling(scale: scale, offset: try a.double("offset", default: 0))
        }
        table["Normalization"] = Signature(positional: ["axis", "mean", "variance", "invert"]) {
            (a: LayerArguments) throws(ParseError) in
            let axes: [Int]? = a.values["axis"]?.value == PythonValue.none ? nil : try a.axes()
            let mean = try a.numbers("mean"), variance = try a.numbers("variance")
            if (mean == nil) != (variance == nil) {
                throw ParseError("Normalization: when setting values directly, both `mean` and `variance` must be set",
                                 at: a.callLocation)
            }
            return .normalization(Normalization(axes: axes, mean: mean, variance: variance,
                                                invert: try a.bool("invert", default: false)))
        }
        table["Reshape"] = Signature(positional: ["target_shape"]) { (a: LayerArguments) throws(ParseError) in
            guard case .tuple(let items) = try a.required("target_shape") else {
                throw ParseError("Reshape: `target_shape` must be a tuple, such as (7, 7, 64) or (-1, 3)", at: a.callLocation)
            }
            var sizes: [Int] = []
            for item in items {
                guard case .int(let n) = item, n > 0 || n == -1 else {
                    throw ParseError("Reshape: `target_shape` holds positive sizes and at most one -1", at: a.callLocation)
                }
                sizes.append(n)
            }
            if sizes.filter({ $0 == -1 }).count > 1 {
                throw ParseError("Reshape: there must be at most one unknown dimension (-1) in `target_shape`", at: a.callLocation)
            }
            return .reshape(sizes)
        }
        table["Permute"] = Signature(positional: ["dims"]) { (a: LayerArguments) throws(ParseError) in
            let dims = try a.axes("dims")
            if dims.sorted() != Array(1...max(dims.count, 1)) {
                throw ParseError("Permute: the indices in `dims` must be consecutive and start from 1, got "
                                 + ShapeFormat.tuple(dims), at: a.callLocation)
            }
            return .permute(dims)
        }
        table["RepeatVector"] = Signature(positional: ["n"]) { (a: LayerArguments) throws(ParseError) in
            .repeatVector(try a.int("n"))
        }
        table["LeakyReLU"] = Signature(positional: ["negative_slope"], keywords: ["alpha"]) { (a: LayerArguments) throws(ParseError) in
            // `alpha` is Keras 2's name, still accepted with a warning.
            let slope = try a.double(a.has("alpha") ? "alpha" : "negative_slope", default: 0.3)
            if slope < 0 {
                throw ParseError("LeakyReLU: `negative_slope` can't be negative, got \(slope)", at: a.callLocation)
            }
            return .leakyReLU(slope)
        }
        table["PReLU"] = Signature(positional: ["alpha_initializer", "alpha_regularizer", "alpha_constraint", "shared_axes"]) {
            (a: LayerArguments) throws(ParseError) in
            .prelu(sharedAxes: a.has("shared_axes") ? try a.axes("shared_axes") : [])
        }
        table["ELU"] = Signature(positional: ["alpha"]) { (a: LayerArguments) throws(ParseError) in
            .elu(try a.double("alpha", default: 1))
        }
        for kind in [Noise.Kind.gaussianNoise, .gaussianDropout, .alphaDropout] {
            let amount = kind == .gaussianNoise ? "stddev" : "rate"
            table[kind.rawValue] = Signature(positional: [amount] + (kind == .alphaDropout ? ["noise_shape"] : []) + ["seed"]) {
                (a: LayerArguments) throws(ParseError) in
                if a.has("noise_shape") {
                    throw ParseError("AlphaDropout: `noise_shape` is not supported", at: a.callLocation)
                }
                guard let x = try a.required(amount).number, x >= 0, x <= 1 else {
                    throw ParseError("\(a.typeName): `\(amount)` must be a number between 0 and 1", at: a.callLocation)
                }
                return .noise(Noise(kind, x, seed: try a.optionalInt("seed")))
            }
        }
        table["ActivityRegularization"] = Signature(positional: ["l1", "l2"]) { (a: LayerArguments) throws(ParseError) in
            .activityRegularization(l1: try a.double("l1", default: 0), l2: try a.double("l2", default: 0))
        }
    }
}
