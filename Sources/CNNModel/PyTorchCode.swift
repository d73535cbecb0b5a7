import Foundation

/// Translates a model into PyTorch code (`nn.Sequential`, NCHW).
///
/// The shapes come from the summary, so every `in_channels` and
/// `in_features` is filled in. Where Keras and PyTorch differ (TF's 'same'
/// padding with strides, Flatten's order, LayerNormalization over channels),
/// the code says so in a comment and does what Keras does, so that Keras'
/// weights, copied in, give Keras' outputs (Scripts/keras-reference/compare_exports.py).
extension ModelSummary {
    public var pyTorchCode: String {
        var modules: [String] = []
        var helpers: Set<String> = []
        var frozen: [String] = []
        var perLayer: [[String]] = []
        for row in layers {
            var parts = Self.modules(for: row, helpers: &helpers)
            if !row.spec.extraArguments.isEmpty {
                // Initializers, regularizers and constraints: PyTorch sets them elsewhere (init_, the optimizer).
                let note = "  # not mapped: " + row.spec.extraArguments.joined(separator: ", ")
                if parts.isEmpty { parts = ["nn.Identity()"] }
                parts[0] += parts[0].contains("  # ") ? "; " + note.dropFirst(4) : note
            }
            if !row.spec.trainable, row.params > 0 {
                let first = modules.count
                frozen += graph == nil
                    ? (first..<first + parts.count).map { "model[\($0)].requires_grad_(False)  # \(row.name): trainable=False" }
                    : ["model.\(Self.attribute(row.name)).requires_grad_(False)  # trainable=False"]
            }
            perLayer.append(parts)
            modules += parts
        }
        var lines = ["import torch", "from torch import nn", ""]
        var emitted: [String] = []
        for name in helpers.sorted() {
            for needed in (PyTorchHelpers.needs[name] ?? []) + [name] where !emitted.contains(needed) {
                emitted.append(needed)
                lines += ["", PyTorchHelpers.source[needed]!, ""]
            }
        }
        let shape = [inputShape.last!] + inputShape.dropLast()
        lines += ["", "# Input: (batch, " + shape.map(String.init).joined(separator: ", ") + ") in PyTorch's channels-first order."]
        if graph != nil {
            lines.append(functionalPyTorchCode(modules: perLayer))
            if !frozen.isEmpty { lines += [""] + frozen }
            lines += ["", "print(sum(p.numel() for p in model.parameters() if p.requires_grad), 'trainable parameters')"]
            return lines.joined(separator: "\n") + "\n"
        }
        lines += ["model = nn.Sequential("]
        lines += modules.map { module in
            // A trailing comment goes after the comma.
            guard let hash = module.range(of: "  # ") else { return "    \(module)," }
            return "    \(module[..<hash.lowerBound]),\(module[hash.lowerBound...])"
        }
        lines += [")"]
        if !frozen.isEmpty { lines += [""] + frozen }
        lines += ["", "print(sum(p.numel() for p in model.parameters() if p.requires_grad), 'trainable parameters')"]
        return lines.joined(separator: "\n") + "\n"
    }

    private static func modules(for row: LayerSummary, helpers: inout Set<String>) -> [String] {
        let input = row.inputShape
        let cin = input.last ?? 0
        let rank = max(1, input.count - 1)
        func t(_ v: [Int]) -> String { Set(v).count == 1 ? String(v[0]) : ShapeFormat.tuple(v) }
        func py(_ x: Double) -> String { String(x) }
        func samePads(kernel: [Int], strides: [Int], dilation: [Int]) -> [Pair] {
            (0..<kernel.count).map { a in
                let w = WindowAxis(input: input[a], kernel: kernel[a], stride: strides[a], dilation: dilation[a], padding: .same)
                return Pair(w.padBefore, w.padAfter)
            }
        }
        // nn.ZeroPadNd / ConstantPadNd / F.pad take the last axis first.
        func padArgs(_ pads: [Pair]) -> String {
            "(" + pads.reversed().flatMap { [String($0.before), String($0.after)] }.joined(separator: ", ") + ")"
        }
        func pad(_ pads: [Pair], value: String = "0") -> [String] {
            guard pads.contains(where: { $0.before != 0 || $0.after != 0 }) else { return [] }
            return value == "0" && rank <= 3 ? ["nn.ZeroPad\(rank)d(\(padArgs(pads)))"]
                : ["nn.ConstantPad\(rank)d(\(padArgs(pads)), \(value))"]
        }
        /// PyTorch's dim for a Keras batched axis (channels last) of this layer's input.
        func torchDim(_ a: Int) -> Int { input.count == 1 || a == input.count ? 1 : a + 1 }
        func torchDims(_ axes: [Int]) -> [Int] {
            ((try? LayerSpec.normalizedAxes(axes, rank: input.count + 1, allowBatch: true)) ?? [input.count])
                .map { $0 == 0 ? 0 : torchDim($0) }.sorted()
        }
        /// A weight over some Keras axes, as its NCHW broadcast shape without the batch.
        func broadcastShape(_ axes: [Int]) -> [Int] {
            let dims = Set(torchDims(axes))
            let nchw = input.count == 1 ? input : [cin] + input.dropLast()
            return nchw.enumerated().map { dims.contains($0.offset + 1) ? $0.element : 1 }
        }
        func lambda(_ body: String) -> String { helpers.insert("Lambda"); return "Lambda(lambda x: \(body))" }
        func activation(_ a: Activation) -> [String] {
            switch a {
            case .linear: return []
            case .relu: return ["nn.ReLU()"]
            case .sigmoid: return ["nn.Sigmoid()"]
            case .tanh: return ["nn.Tanh()"]
            case .softmax: return ["nn.Softmax(dim=1)"]
            case .logSoftmax: return ["nn.LogSoftmax(dim=1)"]
            case .swish, .silu: return ["nn.SiLU()"]
            case .gelu: return ["nn.GELU()"]
            case .elu: return ["nn.ELU()"]
            case .celu: return ["nn.CELU()"]
            case .selu: return ["nn.SELU()"]
            case .softplus: return ["nn.Softplus()"]
            case .softsign: return ["nn.Softsign()"]
            case .relu6: return ["nn.ReLU6()"]
            case .leakyRelu: return ["nn.LeakyReLU(0.2)"]
            case .hardSigmoid: return ["nn.Hardsigmoid()"]
            case .hardSilu, .hardSwish: return ["nn.Hardswish()"]
            case .hardTanh: return ["nn.Hardtanh()"]
            case .hardShrink: return ["nn.Hardshrink(0.5)"]
            case .softShrink: return ["nn.Softshrink(0.5)"]
            case .tanhShrink: return ["nn.Tanhshrink()"]
            case .mish: return ["nn.Mish()"]
            case .logSigmoid: return ["nn.LogSigmoid()"]
            case .glu: return ["nn.GLU(dim=1)"]
            case .exponential: helpers.insert("Exp"); return ["Exp()"]
            case .squareplus: return [lambda("(x + torch.sqrt(x * x + 4)) / 2")]
            case .sparsePlus: return [lambda("torch.where(x <= -1, torch.zeros_like(x), torch.where(x >= 1, x, (x + 1) ** 2 / 4))")]
            case .sparseSigmoid: return [lambda("torch.clamp((x + 1) / 2, 0, 1)")]
            case .sparsemax:
                helpers.insert("Sparsemax")
                return [lambda("channels_first(sparsemax(channels_last(x)))")]
            case .threshold: return ["nn.Identity()  # Keras' 'threshold' needs arguments: it fails when the model runs"]
            }
        }

        switch row.spec.kind {
        case .conv(let c):
            var pads: [String] = []
            var padding = "0"
            switch c.padding {
            case .valid: break
            case .causal:
                let w = WindowAxis(input: input[0], kernel: c.kernel[0], stride: c.strides[0], dilation: c.dilation[0], padding: .causal)
                pads = ["nn.ConstantPad1d((\(w.padBefore), 0), 0)"]
            case .same:
                let p = samePads(kernel: c.kernel, strides: c.strides, dilation: c.dilation)
                if p.allSatisfy({ $0.before == $0.after }) { padding = t(p.map(\.before)) } else { pads = pad(p) }
            }
            let common = "kernel_size=\(t(c.kernel))"
                + (c.strides.contains { $0 != 1 } ? ", stride=\(t(c.strides))" : "")
                + (padding != "0" ? ", padding=\(padding)" : "")
                + (c.dilation.contains { $0 != 1 } ? ", dilation=\(t(c.dilation))" : "")
            let conv = "nn.Conv\(c.rank)d"
            switch c.style {
            case .standard:
                return pads + ["\(conv)(\(cin), \(c.filters), \(common)\(c.groups > 1 ? ", groups=\(c.groups)" : "")"
                               + "\(c.useBias ? "" : ", bias=False"))"] + activation(c.activation)
            case .depthwise(let m):
                return pads + ["\(conv)(\(cin), \(cin * m), \(common), groups=\(cin)\(c.useBias ? "" : ", bias=False"))"]
                    + activation(c.activation)
            case .separable(let m):
                return pads + ["\(conv)(\(cin), \(cin * m), \(common), groups=\(cin), bias=False)",
                               "\(conv)(\(cin * m), \(c.filters), kernel_size=1\(c.useBias ? "" : ", bias=False"))"]
                    + activation(c.activation)
            }
        case .convTranspose(let c):
            // PyTorch's transposed convolution gives the full (in − 1)·s + span cells; TensorFlow's
            // keeps `out` of them from padBefore on (extra cells at the end when out is longer).
            var crops: [Pair] = [], extra: [Int] = []
            for a in 0..<c.rank {
                let out = row.outputShape[a]
                let full = (input[a] - 1) * c.strides[a] + (c.kernel[a] - 1) * c.dilation[a] + 1
                let before = c.padding == .valid ? 0
                    : WindowAxis(input: out, kernel: c.kernel[a], stride: c.strides[a], dilation: c.dilation[a], padding: .same).padBefore
                let more = max(0, before + out - full)
                extra.append(more)
                crops.append(Pair(-before, -(full + more - before - out)))
            }
            let args = "kernel_size=\(t(c.kernel))"
                + (c.strides.contains { $0 != 1 } ? ", stride=\(t(c.strides))" : "")
                + (extra.contains { $0 != 0 } ? ", output_padding=\(t(extra))" : "")
                + (c.dilation.contains { $0 != 1 } ? ", dilation=\(t(c.dilation))" : "")
                + (c.useBias ? "" : ", bias=False")
            return ["nn.ConvTranspose\(c.rank)d(\(cin), \(c.filters), \(args))"] + pad(crops) + activation(c.activation)
        case .pool(let p):
            let name = p.op == .max ? "MaxPool" : "AvgPool"
            let stride = p.strides != p.poolSize ? ", stride=\(t(p.strides))" : ""
            if p.padding == .same {
                let pads = samePads(kernel: p.poolSize, strides: p.strides, dilation: Array(repeating: 1, count: p.rank))
                if pads.contains(where: { $0.before > 0 || $0.after > 0 }) {
                    if p.op == .max { return pad(pads, value: "float('-inf')") + ["nn.MaxPool\(p.rank)d(\(t(p.poolSize))\(stride))"] }
                    helpers.insert("AvgPoolSame")
                    return ["AvgPoolSame(nn.AvgPool\(p.rank)d, \(t(p.poolSize)), \(t(p.strides)), \(padArgs(pads)))"]
                }
            }
            return ["nn.\(name)\(p.rank)d(\(t(p.poolSize))\(stride))"]
        case .globalPool(let g):
            let pool = "nn.Adaptive\(g.op == .max ? "Max" : "Avg")Pool\(g.rank)d(1)"
            return g.keepdims ? [pool] : [pool, "nn.Flatten()"]
        case .batchNorm(let b):
            let dim = torchDims([b.axis])[0]
            let channels = input[((try? LayerSpec.normalizedAxes([b.axis], rank: input.count + 1)) ?? [input.count])[0] - 1]
            let momentum = KerasFormat.fixed(1 - b.momentum, decimals: 4)
            if b.center && b.scale && dim == 1 {
                let d = input.count >= 2 ? min(input.count - 1, 3) : 1
                return ["nn.BatchNorm\(d)d(\(channels), eps=\(b.epsilon), momentum=\(momentum))"]
            }
            helpers.insert("KerasBatchNorm")
            return ["KerasBatchNorm(\(channels), dim=\(dim), eps=\(b.epsilon), momentum=\(momentum)"
                    + "\(b.center ? "" : ", center=False")\(b.scale ? "" : ", scale=False"))"]
        case .layerNorm(let l):
            if input.count == 1, l.axes == [-1] || l.axes == [1], l.center == l.scale {
                return ["nn.LayerNorm(\(cin), eps=\(l.epsilon)\(l.scale ? "" : ", elementwise_affine=False"))"]
            }
            helpers.insert("KerasLayerNorm")
            return ["KerasLayerNorm(\(ShapeFormat.tuple(broadcastShape(l.axes))), dims=\(ShapeFormat.tuple(torchDims(l.axes))), "
                    + "eps=\(l.epsilon)\(l.center ? "" : ", center=False")\(l.scale ? "" : ", scale=False"))"]
        case .dropout(let rate, let spatial, _):
            return [spatial.map { "nn.Dropout\($0)d(\(rate))" } ?? "nn.Dropout(\(rate))"]
        case .activation(let a):
            return activation(a)
        case .relu(let r):
            if r.negativeSlope == 0, r.threshold == 0 {
                if let m = r.maxValue { return m == 6 ? ["nn.ReLU6()"] : ["nn.Hardtanh(0.0, \(m))"] }
                return ["nn.ReLU()"]
            }
            helpers.insert("KerasReLU")
            return ["KerasReLU(max_value=\(r.maxValue.map { String($0) } ?? "None"), negative_slope=\(r.negativeSlope), "
                    + "threshold=\(r.threshold))"]
        case .softmax(let axes):
            let dims = torchDims(axes)
            if dims.count == 1 { return ["nn.Softmax(dim=\(dims[0]))"] }
            return [lambda("torch.exp(x - torch.logsumexp(x, dim=\(ShapeFormat.tuple(dims)), keepdim=True))")]
        case .flatten:
            if input.count > 1 {
                // nn.Flatten() alone would order the values (C, H, W); the next Dense's weights expect Keras' (H, W, C).
                return [lambda("channels_last(x).flatten(1)") + "  # Keras flattens (H, W, C): channels last first"]
            }
            return ["nn.Flatten()"]
        case .dense(let d):
            if input.count == 1 {
                return ["nn.Linear(\(cin), \(d.units)\(d.useBias ? "" : ", bias=False"))"] + activation(d.activation)
            }
            // Dense on a map acts on the channels of every position: a 1×1 convolution in NCHW.
            return ["nn.Conv\(rank)d(\(cin), \(d.units), kernel_size=1\(d.useBias ? "" : ", bias=False"))  # Keras Dense on a map"]
                + activation(d.activation)
        case .zeroPadding(let pads):
            return pad(pads)
        case .merge:
            return []  // a torch operation in forward()
        case .cropping(let crops):
            return pad(crops.map { Pair(-$0.before, -$0.after) })
        case .upSampling(let size, let bilinear):
            return ["nn.Upsample(scale_factor=\(t(size)), "
                    + "mode='\(bilinear ? "bilinear" : "nearest")'\(bilinear ? ", align_corners=False" : ""))"]
        case .rescaling(let scale, let offset):
            return [lambda("x * \(py(scale)) + \(py(offset))")]
        case .normalization(let n):
            let shape = n.axes.map { broadcastShape($0) } ?? []
            func tensor(_ v: [Double]?, _ fallback: Double) -> String {
                let values = v ?? [fallback]
                return "torch.tensor([\(values.map { String($0) }.joined(separator: ", "))])"
                    + (values.count > 1 ? ".reshape(\(ShapeFormat.tuple(shape)))" : "")
            }
            let mean = tensor(n.mean, 0), std = "torch.clamp(torch.sqrt(\(tensor(n.variance, 1))), min=1e-7)"
            let note = n.mean == nil ? "  # mean 0 and variance 1 until adapt() values are copied in" : ""
            return [lambda(n.invert ? "\(mean) + x * \(std)" : "(x - \(mean)) / \(std)") + note]
        case .reshape:
            let target = row.outputShape.map(String.init).joined(separator: ", ")
            return [lambda("channels_first(channels_last(x).reshape(x.shape[0], \(target)))")]
        case .permute(let dims):
            return [lambda("channels_first(channels_last(x).permute(0, \(dims.map(String.init).joined(separator: ", "))))")]
        case .repeatVector(let n):
            return [lambda("x.unsqueeze(-1).expand(-1, -1, \(n))") + "  # (batch, features, n): Keras' (n, features) in NCHW"]
        case .leakyReLU(let slope):
            return ["nn.LeakyReLU(\(slope))"]
        case .prelu(let shared):
            helpers.insert("KerasPReLU")
            let kept = (1...input.count).filter { !shared.contains($0) }
            return ["KerasPReLU(\(ShapeFormat.tuple(broadcastShape(kept))))"]
        case .elu(let alpha):
            return ["nn.ELU(\(alpha))"]
        case .noise(let n):
            switch n.kind {
            case .gaussianNoise: helpers.insert("GaussianNoise"); return ["GaussianNoise(\(n.amount))"]
            case .gaussianDropout: helpers.insert("GaussianDropout"); return ["GaussianDropout(\(n.amount))"]
            case .alphaDropout: return ["nn.AlphaDropout(\(n.amount))"]
            }
        case .activityRegularization:
            return ["nn.Identity()  # ActivityRegularization: a loss term in training, the identity here"]
        case .augmentation(let a):
            // Random in training only; torchvision has equivalents, kept out so the code needs torch alone.
            return ["nn.Identity()  # not mapped: \(a.kind.rawValue) (random in training, the identity at inference)"]
        case .resize(let r):
            let g = r.geometry(height: input[0], width: input[1])
            var parts = pad([Pair(g.rows.padding, g.rows.padding), Pair(g.columns.padding, g.columns.padding)])
            let window = [g.rows, g.columns].map { "\($0.start):\($0.start + $0.length)" }.joined(separator: ", ")
            if g.rows.start != 0 || g.columns.start != 0 || g.rows.length != input[0] + 2 * g.rows.padding
                || g.columns.length != input[1] + 2 * g.columns.padding {
                parts.append(lambda("x[:, :, \(window)]"))
            }
            guard g.resample else { return parts }
            let mode: String
            switch r.interpolation {
            case .bilinear: mode = "mode='bilinear', align_corners=False"
            case .nearest: mode = "mode='nearest-exact'"  // TensorFlow's half-pixel nearest
            case .bicubic: mode = "mode='bicubic', align_corners=False"
            case .area: mode = "mode='area'"
            case .lanczos3, .lanczos5: mode = "mode='bicubic', align_corners=False"
            }
            let note = r.interpolation == .bilinear || r.interpolation == .nearest ? ""
                : "  # not mapped exactly: TensorFlow's '\(r.interpolation.rawValue)' differs from PyTorch's"
            parts.append("nn.Upsample(size=(\(r.height), \(r.width)), \(mode))" + note)
            return parts
        }
    }

    /// Where PyTorch takes a Keras axis (counted with the batch, channels last) in NCHW.
    static func torchDim(keras axis: Int, rank: Int) -> Int {
        let a = (axis + rank) % rank
        return a == 0 ? 0 : a == rank - 1 ? 1 : a + 1
    }

    /// A functional model as an `nn.Module` whose `forward` follows the graph.
    /// A layer's name as a Python attribute: letters, digits and underscores.
    static func attribute(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    func functionalPyTorchCode(modules: [[String]]) -> String {
        var lines = ["", "class Model(nn.Module):", "    def __init__(self):", "        super().__init__()"]
        func attribute(_ i: Int) -> String { Self.attribute(layers[i].name) }
        for (i, parts) in modules.enumerated() where !parts.isEmpty {
            lines.append("        self.\(attribute(i)) = nn.Sequential(")
            lines += parts.map { module in
                guard let hash = module.range(of: "  # ") else { return "            \(module)," }
                return "            \(module[..<hash.lowerBound]),\(module[hash.lowerBound...])"
            }
            lines.append("        )")
        }
        lines += ["", "    def forward(self, x):"]
        func variable(_ i: Int) -> String { i < 0 ? "x" : "x\(i)" }
        for (i, row) in layers.enumerated() {
            var inputs = row.inbound.map(variable)
            let value: String
            if case .merge(let m) = row.spec.kind {
                if m.op != .concatenate {
                    // Keras expands a lower-rank input at axis 1 ((N, C) → (N, 1, 1, C)): in NCHW, after the channels.
                    let ranks = row.inbound.map { $0 < 0 ? inputShape.count : layers[$0].outputShape.count }
                    let top = ranks.max() ?? 0
                    inputs = zip(inputs, ranks).map { name, rank in
                        name + String(repeating: ".unsqueeze(2)", count: top - rank)
                    }
                }
                switch m.op {
                case .add: value = inputs.joined(separator: " + ")
                case .subtract: value = inputs.joined(separator: " - ")
                case .multiply: value = inputs.joined(separator: " * ")
                case .average: value = "(" + inputs.joined(separator: " + ") + ") / \(inputs.count)"
                case .maximum, .minimum:
                    value = inputs.dropFirst().reduce(inputs[0]) { "torch.\(m.op == .maximum ? "maximum" : "minimum")(\($0), \($1))" }
                case .concatenate:
                    value = "torch.cat([\(inputs.joined(separator: ", "))], dim=\(Self.torchDim(keras: m.axis, rank: row.inputShape.count + 1)))"
                }
            } else {
                value = modules[i].isEmpty ? inputs[0] : "self.\(attribute(i))(\(inputs[0]))"
            }
            lines.append("        \(variable(i)) = \(value)  # \(row.name)")
        }
        lines += ["        return \(variable(layers.count - 1))", "", "", "model = Model()"]
        return lines.joined(separator: "\n")
    }
}
