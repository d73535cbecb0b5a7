/// Keras' image augmentation layers (RandomFlip, RandomRotation, …): random in
/// training, the identity at inference, no weights.
public struct ImageAugmentation: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case randomFlip = "RandomFlip", randomRotation = "RandomRotation", randomZoom = "RandomZoom"
        case randomTranslation = "RandomTranslation", randomContrast = "RandomContrast"
        case randomBrightness = "RandomBrightness"
    }
    public var kind: Kind
    /// The arguments as Keras code (`'horizontal'`, `fill_mode='nearest'`), for the exports.
    public var arguments: [String]
    public init(_ kind: Kind, arguments: [String] = []) {
        self.kind = kind
        self.arguments = arguments
    }
}

/// Resizing, CenterCrop and RandomCrop: an image (height, width, channels) to a new height and width.
public struct ImageResize: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case resizing = "Resizing", centerCrop = "CenterCrop", randomCrop = "RandomCrop"
    }
    public enum Interpolation: String, Sendable, Hashable, CaseIterable {
        case bilinear, nearest, bicubic, lanczos3, lanczos5, area
    }
    public var kind: Kind
    public var height: Int
    public var width: Int
    public var interpolation: Interpolation
    /// Resizing only: cut the largest centred window of the target's aspect ratio first.
    public var cropToAspectRatio: Bool
    /// Resizing only: pad with zeros to the target's aspect ratio first.
    public var padToAspectRatio: Bool
    public var seed: Int?

    public init(_ kind: Kind, height: Int, width: Int, interpolation: Interpolation = .bilinear,
                cropToAspectRatio: Bool = false, padToAspectRatio: Bool = false, seed: Int? = nil) {
        self.kind = kind
        self.height = height
        self.width = width
        self.interpolation = interpolation
        self.cropToAspectRatio = cropToAspectRatio
        self.padToAspectRatio = padToAspectRatio
        self.seed = seed
    }
}

extension LayerCatalog {
    static func addPreprocessingLayers(to table: inout [String: Signature]) {
        let fill = ["fill_mode", "interpolation", "seed", "fill_value", "data_format"]
        let positional: [ImageAugmentation.Kind: [String]] = [
            .randomFlip: ["mode", "seed", "data_format"],
            .randomRotation: ["factor"] + fill,
            .randomZoom: ["height_factor", "width_factor"] + fill,
            .randomTranslation: ["height_factor", "width_factor"] + fill,
            .randomContrast: ["factor", "value_range", "seed"],
            .randomBrightness: ["factor", "value_range", "seed"],
        ]
        for kind in ImageAugmentation.Kind.allCases {
            let names = positional[kind]!
            table[kind.rawValue] = Signature(positional: names) { (a: LayerArguments) throws(ParseError) in
                try a.checkDataFormat()
                try checkAugmentation(kind, a)
                let code = names.compactMap { name -> String? in
                    guard let v = a.values[name] else { return nil }
                    return "\(name)=\(v.value.pythonDescription)"
                }
                return .augmentation(ImageAugmentation(kind, arguments: code))
            }
        }
        table["Resizing"] = Signature(
            positional: ["height", "width", "interpolation", "crop_to_aspect_ratio", "pad_to_aspect_ratio", "fill_mode",
                         "fill_value", "antialias", "data_format"]
        ) { (a: LayerArguments) throws(ParseError) in
            try a.checkDataFormat()
            var interpolation = ImageResize.Interpolation.bilinear
            if a.has("interpolation") {
                let names = ImageResize.Interpolation.allCases.map(\.rawValue)
                guard case .string(let s) = try a.required("interpolation"), let i = ImageResize.Interpolation(rawValue: s) else {
                    throw ParseError("Resizing: `interpolation` must be one of \(names.map { "'\($0)'" }.joined(separator: ", "))",
                                     at: a.values["interpolation"]?.location ?? a.callLocation)
                }
                interpolation = i
            }
            let crop = try a.bool("crop_to_aspect_ratio", default: false), pad = try a.bool("pad_to_aspect_ratio", default: false)
            if crop && pad {
                throw ParseError("Resizing: only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`",
                                 at: a.callLocation)
            }
            if a.has("fill_mode"), a.values["fill_mode"]?.value != .string("constant") {
                throw ParseError("Resizing: `fill_mode` must be 'constant' (the only one Keras supports here)",
                                 at: a.values["fill_mode"]?.location ?? a.callLocation)
            }
            if try a.bool("antialias", default: false) {
                throw ParseError("Resizing: `antialias=True` is not supported", at: a.callLocation)
            }
            if a.has("fill_value"), a.values["fill_value"]?.value.number != 0 {
                throw ParseError("Resizing: only `fill_value=0` is supported", at: a.callLocation)
            }
            return .resize(ImageResize(.resizing, height: try a.int("height", minimum: 0), width: try a.int("width", minimum: 0),
                                       interpolation: interpolation, cropToAspectRatio: crop, padToAspectRatio: pad))
        }
        table["CenterCrop"] = Signature(positional: ["height", "width", "data_format"]) { (a: LayerArguments) throws(ParseError) in
            try a.checkDataFormat()
            return .resize(ImageResize(.centerCrop, height: try a.int("height", minimum: 0), width: try a.int("width", minimum: 0)))
        }
        table["RandomCrop"] = Signature(positional: ["height", "width", "seed", "data_format"]) {
            (a: LayerArguments) throws(ParseError) in
            try a.checkDataFormat()
            return .resize(ImageResize(.randomCrop, height: try a.int("height", minimum: 0), width: try a.int("width", minimum: 0),
                                       seed: try a.optionalInt("seed")))
        }
    }

    /// Keras' checks on an augmentation layer's factors, modes and ranges (Keras 3.15).
    private static func checkAugmentation(_ kind: ImageAugmentation.Kind, _ a: LayerArguments) throws(ParseError) {
        /// A number or a pair of numbers, every one in `range`.
        func factor(_ name: String, _ range: ClosedRange<Double>, openBelow: Bool = false, required: Bool = true) throws(ParseError) {
            guard a.has(name) else {
                if required { _ = try a.required(name) }
                return
            }
            let v = a.values[name]!
            let numbers: [Double]?
            switch v.value {
            case .tuple(let items) where items.count == 2: numbers = items.compactMap(\.number).count == 2 ? items.compactMap(\.number) : nil
            default: numbers = v.value.number.map { [$0] }
            }
            let bounds = openBelow ? "(\(range.lowerBound), \(range.upperBound)]" : "[\(range.lowerBound), \(range.upperBound)]"
            guard let numbers, numbers.allSatisfy({ range.contains($0) && !(openBelow && $0 == range.lowerBound) }) else {
                throw ParseError("\(a.typeName): `\(name)` must be a number (or a list of two numbers) in the range \(bounds), "
                                 + "got \(v.value.pythonDescription)", at: v.location)
            }
        }
        func oneOf(_ name: String, _ options: [String]) throws(ParseError) {
            guard let v = a.values[name], v.value != .none else { return }
            guard case .string(let s) = v.value, options.contains(s) else {
                throw ParseError("\(a.typeName): `\(name)` must be one of \(options.map { "'\($0)'" }.joined(separator: ", ")), "
                                 + "got \(v.value.pythonDescription)", at: v.location)
            }
        }
        switch kind {
        case .randomFlip:
            try oneOf("mode", ["horizontal", "vertical", "horizontal_and_vertical"])
        case .randomRotation:
            try factor("factor", -1...1)
        case .randomZoom:
            try factor("height_factor", -1...1, openBelow: true)
            try factor("width_factor", -1...1, openBelow: true, required: false)
        case .randomTranslation:
            try factor("height_factor", -1...1)
            try factor("width_factor", -1...1)
        case .randomContrast:
            try factor("factor", 0...1)
        case .randomBrightness:
            try factor("factor", -1...1)
            if let v = a.values["value_range"], v.value != .none {
                guard case .tuple(let items) = v.value, items.count == 2, items.allSatisfy({ $0.number != nil }) else {
                    throw ParseError("\(a.typeName): `value_range` must be a list of two numbers, got \(v.value.pythonDescription)",
                                     at: v.location)
                }
            }
        }
        if kind != .randomFlip, kind != .randomContrast, kind != .randomBrightness {
            try oneOf("fill_mode", ["reflect", "wrap", "constant", "nearest"])
            try oneOf("interpolation", ["nearest", "bilinear"])
        }
    }
}

/// Where a Resizing, CenterCrop or RandomCrop layer reads its output from, on one spatial axis:
/// the input padded with `padding` zeros on each side, the window `[start, start + length)` of that,
/// resampled to `target` cells unless `resample` is false (a plain crop).
public struct ResizeAxis: Sendable, Hashable {
    public var padding: Int
    public var start: Int
    public var length: Int
    public var target: Int
}

extension ImageResize {
    /// The two axes' windows on an input of `height` × `width`, and whether they are resampled
    /// (Keras 3.15: TensorFlow's `image.resize` and `smart_resize`).
    public func geometry(height inH: Int, width inW: Int) -> (rows: ResizeAxis, columns: ResizeAxis, resample: Bool) {
        let (h, w) = (height, width)
        func whole() -> (ResizeAxis, ResizeAxis) {
            (ResizeAxis(padding: 0, start: 0, length: inH, target: h), ResizeAxis(padding: 0, start: 0, length: inW, target: w))
        }
        /// The largest centred window with the target's aspect ratio (`crop_to_aspect_ratio`, `smart_resize`).
        func aspectCrop() -> (ResizeAxis, ResizeAxis) {
            guard h > 0, w > 0 else { return whole() }
            let ch = max(min(inH, Int(Double(inW * h) / Double(w))), 1)
            let cw = max(min(inW, Int(Double(inH * w) / Double(h))), 1)
            return (ResizeAxis(padding: 0, start: (inH - ch) / 2, length: ch, target: h),
                    ResizeAxis(padding: 0, start: (inW - cw) / 2, length: cw, target: w))
        }
        switch kind {
        case .resizing:
            if cropToAspectRatio { let (r, c) = aspectCrop(); return (r, c, true) }
            if padToAspectRatio, h > 0, w > 0 {
                // The same number of zero rows (columns) on both sides, as TensorFlow's backend pads.
                let ph = (max(inH, Int(Double(inW * h) / Double(w))) - inH) / 2
                let pw = (max(inW, Int(Double(inH * w) / Double(h))) - inW) / 2
                return (ResizeAxis(padding: ph, start: 0, length: inH + 2 * ph, target: h),
                        ResizeAxis(padding: pw, start: 0, length: inW + 2 * pw, target: w), true)
            }
            let (r, c) = whole()
            return (r, c, true)
        case .centerCrop where inH >= h && inW >= w:
            return (ResizeAxis(padding: 0, start: (inH - h) / 2, length: h, target: h),
                    ResizeAxis(padding: 0, start: (inW - w) / 2, length: w, target: w), false)
        case .centerCrop, .randomCrop:
            // RandomCrop at inference: the largest centred window of the target's aspect ratio, resized
            // (Keras' documented behaviour and its output shape; Keras 3.15 itself returns the input unchanged).
            let (r, c) = aspectCrop()
            return (r, c, true)
        }
    }
}
