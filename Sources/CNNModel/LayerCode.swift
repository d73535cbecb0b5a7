/// Renders layers back to Keras code, the way a tutorial would write them.
extension LayerSpec {
    /// `Conv2D(32, (3, 3), activation='relu')`: positional for the leading
    /// required arguments, keywords for every non-default option.
    public var kerasCode: String {
        var args: [String] = []
        func tuple(_ v: [Int]) -> String { v.count == 1 ? String(v[0]) : ShapeFormat.tuple(v) }
        func ints(_ v: [Int]) -> String { Set(v).count == 1 ? String(v[0]) : ShapeFormat.tuple(v) }
        func number(_ x: Double) -> String {
            x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
        }
        switch kind {
        case .conv(let c):
            if case .standard = c.style { args.append(String(c.filters)) }
            if case .separable = c.style { args.append(String(c.filters)) }
            args.append(tuple(c.kernel))
            if c.strides.contains(where: { $0 != 1 }) { args.append("strides=\(ints(c.strides))") }
            if c.padding != .valid { args.append("padding='\(c.padding.rawValue)'") }
            if let m = c.depthMultiplier, m != 1 { args.append("depth_multiplier=\(m)") }
            if c.dilation.contains(where: { $0 != 1 }) { args.append("dilation_rate=\(ints(c.dilation))") }
            if c.groups != 1 { args.append("groups=\(c.groups)") }
            if !c.activation.isLinear { args.append("activation='\(c.activation.rawValue)'") }
            if !c.useBias { args.append("use_bias=False") }
        case .pool(let p):
            args.append(tuple(p.poolSize))
            if p.strides != p.poolSize { args.append("strides=\(tuple(p.strides))") }
            if p.padding != .valid { args.append("padding='\(p.padding.rawValue)'") }
        case .globalPool(let g):
            if g.keepdims { args.append("keepdims=True") }
        case .batchNorm(let b):
            if b.axis != -1 { args.append("axis=\(b.axis)") }
            if b.momentum != 0.99 { args.append("momentum=\(b.momentum)") }
            if b.epsilon != 1e-3 { args.append("epsilon=\(b.epsilon)") }
            if !b.center { args.append("center=False") }
            if !b.scale { args.append("scale=False") }
        case .layerNorm(let l):
            if l.axes != [-1] { args.append("axis=\(l.axes.count == 1 ? String(l.axes[0]) : ShapeFormat.tuple(l.axes))") }
            if l.epsilon != 1e-3 { args.append("epsilon=\(l.epsilon)") }
            if !l.center { args.append("center=False") }
            if !l.scale { args.append("scale=False") }
        case .dropout(let rate, _, let seed):
            args.append(String(rate))
            if let seed { args.append("seed=\(seed)") }
        case .activation(let a):
            args.append("'\(a.rawValue)'")
        case .relu(let r):
            if let m = r.maxValue { args.append("max_value=\(number(m))") }
            if r.negativeSlope != 0 { args.append("negative_slope=\(r.negativeSlope)") }
            if r.threshold != 0 { args.append("threshold=\(r.threshold)") }
        case .softmax(let axes):
            if axes != [-1] { args.append("axis=\(axes.count == 1 ? String(axes[0]) : ShapeFormat.tuple(axes))") }
        case .flatten:
            break
        case .dense(let d):
            args.append(String(d.units))
            if !d.activation.isLinear { args.append("activation='\(d.activation.rawValue)'") }
            if !d.useBias { args.append("use_bias=False") }
        case .zeroPadding(let pads):
            if pads.allSatisfy({ $0 == pads[0] }), pads[0].before == pads[0].after {
                if pads[0].before != 1 { args.append(String(pads[0].before)) }
            } else if pads.count == 1 {
                args.append("(\(pads[0].before), \(pads[0].after))")
            } else if pads.allSatisfy({ $0.before == $0.after }) {
                args.append(ShapeFormat.tuple(pads.map(\.before)))
            } else {
                args.append("(" + pads.map { "(\($0.before), \($0.after))" }.joined(separator: ", ") + ")")
            }
        case .merge(let m):
            if m.op == .concatenate, m.axis != -1 { args.append("axis=\(m.axis)") }
        case .cropping(let crops):
            args.append(crops.count == 1 ? "(\(crops[0].before), \(crops[0].after))"
                        : "(" + crops.map { "(\($0.before), \($0.after))" }.joined(separator: ", ") + ")")
        case .upSampling(let size, let bilinear):
            args.append(tuple(size))
            if bilinear { args.append("interpolation='bilinear'") }
        case .convTranspose(let c):
            args.append(String(c.filters))
            args.append(tuple(c.kernel))
            if c.strides.contains(where: { $0 != 1 }) { args.append("strides=\(ints(c.strides))") }
            if c.padding != .valid { args.append("padding='\(c.padding.rawValue)'") }
            if let op = c.outputPadding { args.append("output_padding=\(ints(op))") }
            if c.dilation.contains(where: { $0 != 1 }) { args.append("dilation_rate=\(ints(c.dilation))") }
            if !c.activation.isLinear { args.append("activation='\(c.activation.rawValue)'") }
            if !c.useBias { args.append("use_bias=False") }
        case .rescaling(let scale, let offset):
            args.append(String(scale))
            if offset != 0 { args.append("offset=\(offset)") }
        case .normalization(let n):
            if let axes = n.axes {
                if axes != [-1] { args.append("axis=\(axes.count == 1 ? String(axes[0]) : ShapeFormat.tuple(axes))") }
            } else {
                args.append("axis=None")
            }
            func list(_ v: [Double]) -> String { v.count == 1 ? String(v[0]) : "[" + v.map { String($0) }.joined(separator: ", ") + "]" }
            if let mean = n.mean, let variance = n.variance { args += ["mean=\(list(mean))", "variance=\(list(variance))"] }
            if n.invert { args.append("invert=True") }
        case .reshape(let target):
            args.append(ShapeFormat.tuple(target))
        case .permute(let dims):
            args.append(ShapeFormat.tuple(dims))
        case .repeatVector(let n):
            args.append(String(n))
        case .leakyReLU(let slope):
            if slope != 0.3 { args.append("negative_slope=\(slope)") }
        case .prelu(let shared):
            if !shared.isEmpty { args.append("shared_axes=[" + shared.map(String.init).joined(separator: ", ") + "]") }
        case .elu(let alpha):
            if alpha != 1 { args.append("alpha=\(alpha)") }
        case .noise(let n):
            args.append(String(n.amount))
            if let seed = n.seed { args.append("seed=\(seed)") }
        case .activityRegularization(let l1, let l2):
            if l1 != 0 { args.append("l1=\(l1)") }
            if l2 != 0 { args.append("l2=\(l2)") }
        case .augmentation(let a):
            args += a.arguments
        case .resize(let r):
            args += [String(r.height), String(r.width)]
            if r.interpolation != .bilinear { args.append("interpolation='\(r.interpolation.rawValue)'") }
            if r.cropToAspectRatio { args.append("crop_to_aspect_ratio=True") }
            if r.padToAspectRatio { args.append("pad_to_aspect_ratio=True") }
            if let seed = r.seed { args.append("seed=\(seed)") }
        }
        args += extraArguments
        if !trainable { args.append("trainable=False") }
        if let name { args.append("name='\(name)'") }
        return "\(typeName)(\(args.joined(separator: ", ")))"
    }
}

extension Model {
    /// The model as a `keras.Sequential([...])` block that Keras can run.
    public var kerasCode: String {
        if connectedGraph != nil { return functionalKerasCode }
        var lines = ["model = keras.Sequential(["]
        if let inputShape {
            lines.append("    keras.Input(shape=\(ShapeFormat.tuple(inputShape))\(batchSize.map { ", batch_size=\($0)" } ?? "")),")
        }
        for layer in layers { lines.append("    keras.layers.\(layer.kerasCode),") }
        lines.append("])")
        return lines.joined(separator: "\n")
    }
}
