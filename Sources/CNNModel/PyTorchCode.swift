import Foundation

/// Translates a model into PyTorch code (`nn.Sequential`, NCHW).
///
/// The shapes come from the summary, so every `in_channels` and
/// `in_features` is filled in. Where Keras and PyTorch differ (TF's 'same'
/// padding with strides, Flatten's order, LayerNormalization over channels),
/// the code says so in a comment and does what Keras does.
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
        if helpers.contains("ChannelsLastLayerNorm") {
            lines += ["", "class ChannelsLastLayerNorm(nn.Module):",
                      "    \"\"\"Keras' LayerNormalization: normalises each position over its channels (dim 1 in NCHW).\"\"\"",
                      "    def __init__(self, channels, eps=1e-3):",
                      "        super().__init__()",
                      "        self.norm = nn.LayerNorm(channels, eps=eps)",
                      "",
                      "    def forward(self, x):",
                      "        return self.norm(x.movedim(1, -1)).movedim(-1, 1)", ""]
        }
        if helpers.contains("Exp") {
            lines += ["", "class Exp(nn.Module):", "    def forward(self, x):", "        return torch.exp(x)", ""]
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
        func samePads(kernel: [Int], strides: [Int], dilation: [Int]) -> [Pair] {
            (0..<kernel.count).map { a in
                let w = WindowAxis(input: input[a], kernel: kernel[a], stride: strides[a], dilation: dilation[a], padding: .same)
                return Pair(w.padBefore, w.padAfter)
            }
        }
        // nn.ZeroPadNd / ConstantPadNd take the last axis first.
        func padArgs(_ pads: [Pair]) -> String {
            "(" + pads.reversed().flatMap { [String($0.before), String($0.after)] }.joined(separator: ", ") + ")"
        }
        func pad(_ pads: [Pair], value: String = "0") -> [String] {
            guard pads.contains(where: { $0.before > 0 || $0.after > 0 }) else { return [] }
            return value == "0" && rank <= 3 ? ["nn.ZeroPad\(rank)d(\(padArgs(pads)))"]
                : ["nn.ConstantPad\(rank)d(\(padArgs(pads)), \(value))"]
        }
        func activation(_ a: Activation) -> [String] {
            switch a {
            case .linear: return []
            case .relu: return ["nn.ReLU()"]
            case .sigmoid: return ["nn.Sigmoid()"]
            case .tanh: return ["nn.Tanh()"]
            case .softmax: return ["nn.Softmax(dim=1)"]
            case .swish, .silu: return ["nn.SiLU()"]
            case .gelu: return ["nn.GELU()"]
            case .elu: return ["nn.ELU()"]
            case .selu: return ["nn.SELU()"]
            case .softplus: return ["nn.Softplus()"]
            case .softsign: return ["nn.Softsign()"]
            case .relu6: return ["nn.ReLU6()"]
            case .leakyRelu: return ["nn.LeakyReLU(0.2)"]
            case .hardSigmoid: return ["nn.Hardsigmoid()"]
            case .exponential: helpers.insert("Exp"); return ["Exp()"]
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
        case .pool(let p):
            let name = p.op == .max ? "MaxPool" : "AvgPool"
            var pre: [String] = []
            var extra = ""
            if p.padding == .same {
                let pads = samePads(kernel: p.poolSize, strides: p.strides, dilation: Array(repeating: 1, count: p.rank))
                if p.op == .max {
                    pre = pad(pads, value: "float('-inf')")
                } else if pads.allSatisfy({ $0.before == $0.after }), pads.contains(where: { $0.before > 0 }) {
                    extra = ", padding=\(t(pads.map(\.before))), count_include_pad=False"
                } else if pads.contains(where: { $0.before > 0 || $0.after > 0 }) {
                    extra = ", ceil_mode=True, count_include_pad=False"
                }
            }
            return pre + ["nn.\(name)\(p.rank)d(\(t(p.poolSize))\(p.strides != p.poolSize ? ", stride=\(t(p.strides))" : "")\(extra))"]
        case .globalPool(let g):
            let pool = "nn.Adaptive\(g.op == .max ? "Max" : "Avg")Pool\(g.rank)d(1)"
            return g.keepdims ? [pool] : [pool, "nn.Flatten()"]
        case .batchNorm(let b):
            let dim = input.count >= 2 ? min(input.count - 1, 3) : 1
            return ["nn.BatchNorm\(max(dim, 1))d(\(cin), eps=\(b.epsilon), momentum=\(KerasFormat.fixed(1 - b.momentum, decimals: 4)))"]
        case .layerNorm(let l):
            if input.count == 1 { return ["nn.LayerNorm(\(cin), eps=\(l.epsilon))"] }
            helpers.insert("ChannelsLastLayerNorm")
            return ["ChannelsLastLayerNorm(\(cin), eps=\(l.epsilon))"]
        case .dropout(let rate, let spatial, _):
            return [spatial.map { "nn.Dropout\($0)d(\(rate))" } ?? "nn.Dropout(\(rate))"]
        case .activation(let a):
            return activation(a)
        case .relu(let r):
            if r.negativeSlope == 0, r.threshold == 0 {
                if let m = r.maxValue { return m == 6 ? ["nn.ReLU6()"] : ["nn.Hardtanh(0.0, \(m))"] }
                return ["nn.ReLU()"]
            }
            return ["nn.LeakyReLU(\(r.negativeSlope))  # threshold=\(r.threshold), max_value=\(r.maxValue.map { String($0) } ?? "None")"]
        case .softmax:
            return ["nn.Softmax(dim=1)"]
        case .flatten:
            if input.count > 1 {
                return ["nn.Flatten()  # flattens (C, H, W) where Keras flattened (H, W, C): the same count, another order"]
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
            let inputs = row.inbound.map(variable)
            let value: String
            if case .merge(let m) = row.spec.kind {
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
