import CNNModel

/// The formulas of the detail pane, written with the learner's own numbers.
///
/// `⌊(224 − 3)/1⌋ + 1 = 222` for an output size, `3·3·3·32 + 32 = 896` for
/// a parameter count. ASCII terminals get `floor((224 - 3)/1) + 1 = 222`.
public struct Formulas {
    public let theme: Theme

    public init(theme: Theme) { self.theme = theme }

    private var u: Bool { theme.caps.unicode }
    var dot: String { u ? "·" : "*" }
    var minus: String { u ? "−" : "-" }
    func floor(_ s: String) -> String { u ? "⌊\(s)⌋" : "floor(\(s))" }
    func ceil(_ s: String) -> String { u ? "⌈\(s)⌉" : "ceil(\(s))" }
    func product(_ xs: [Int]) -> String { xs.map(String.init).joined(separator: dot) }
    func g(_ n: Int) -> String { KerasFormat.grouped(n) }

    /// One labelled line of the pane.
    public struct Line: Hashable, Sendable {
        public var label: String
        public var text: String
    }

    /// The lines for the input row.
    public func input(_ shape: [Int]) -> [Line] {
        let n = shape.reduce(1, *)
        return [Line(label: "input", text: "\(ShapeFormat.tuple(shape)): \(product(shape)) = \(g(n)) values per sample"),
                Line(label: "params", text: "none: the input only fixes the shapes of every layer below"),
                Line(label: "keys", text: "+ and - step the input size, i types it; every row follows at once")]
    }

    /// The lines for one layer's row.
    public func layer(_ row: LayerSummary) -> [Line] {
        var lines: [Line] = []
        lines.append(Line(label: "code", text: row.spec.kerasCode))
        lines.append(contentsOf: output(row))
        lines.append(contentsOf: params(row))
        if row.multAdds > 0 { lines.append(Line(label: "mult-adds", text: multAdds(row))) }
        lines.append(Line(label: "memory", text: "\(product(row.outputShape)) floats \(theme.times) 4 bytes = \(KerasFormat.bytes(row.outputBytes)) per sample"))
        lines.append(Line(label: "receptive", text: receptive(row.receptiveField)))
        return lines
    }

    // MARK: - Output size

    func output(_ row: LayerSummary) -> [Line] {
        let input = row.inputShape, out = row.outputShape
        switch row.spec.kind {
        case .conv(let c):
            var axes: [String] = []
            for axis in 0..<c.rank {
                let k = c.dilation[axis] * (c.kernel[axis] - 1) + 1
                let s = c.strides[axis]
                switch c.padding {
                case .valid: axes.append("\(floor("(\(input[axis]) \(minus) \(k))/\(s)")) + 1 = \(out[axis])")
                case .same, .causal: axes.append("\(ceil("\(input[axis])/\(s)")) = \(out[axis])  (padding='\(c.padding.rawValue)')")
                }
            }
            let channels: String
            switch c.style {
            case .standard, .separable: channels = "channels = filters = \(c.filters)"
            case .depthwise(let m): channels = "channels = \(input[c.rank]) in \(dot) \(m) = \(out[c.rank])"
            }
            return joined(spatialLines(axes), channels)
        case .pool(let p):
            var axes: [String] = []
            for axis in 0..<p.rank {
                switch p.padding {
                case .valid, .causal:
                    axes.append("\(floor("(\(input[axis]) \(minus) \(p.poolSize[axis]))/\(p.strides[axis])")) + 1 = \(out[axis])")
                case .same: axes.append("\(ceil("\(input[axis])/\(p.strides[axis])")) = \(out[axis])")
                }
            }
            return joined(spatialLines(axes), "channels stay \(input.last ?? 0)")
        case .globalPool(let gp):
            let spatial = Array(input.prefix(gp.rank))
            let what = gp.op == .max ? "the largest" : "the average"
            return [Line(label: "output", text: "\(ShapeFormat.tuple(input)) \(theme.arrow) \(ShapeFormat.tuple(out)): one value per channel,"),
                    Line(label: "", text: "\(what) of \(product(spatial)) = \(g(spatial.reduce(1, *))) positions; the size of the map no longer matters")]
        case .flatten:
            var lines = [Line(label: "output", text: "\(product(input)) = \(g(out[0])) values in one vector")]
            if input.count == 3 {
                lines.append(Line(label: "", text: "pixels one row apart land \(input[1])\(dot)\(input[2]) = \(g(input[1] * input[2])) positions apart"))
            }
            return lines
        case .dense(let d):
            let lead = input.dropLast()
            var text = "\(ShapeFormat.tuple(input)) \(theme.arrow) \(ShapeFormat.tuple(out)): units = \(d.units)"
            if !lead.isEmpty { text += " (acts on the last axis only)" }
            return [Line(label: "output", text: text)]
        case .zeroPadding(let pads):
            var axes: [String] = []
            for (axis, p) in pads.enumerated() { axes.append("\(input[axis]) + \(p.before) + \(p.after) = \(out[axis])") }
            return spatialLines(axes)
        case .dropout(let rate, _, _):
            return [Line(label: "output", text: "same shape \(ShapeFormat.tuple(out)); zeroes \(KerasFormat.fixed(rate * 100, decimals: 0))% of values while training, nothing at inference")]
        default:
            return [Line(label: "output", text: "same shape \(ShapeFormat.tuple(out)), applied value by value")]
        }
    }

    /// The spatial lines with the channel rule after the first one, or on its own line when they differ per axis.
    func joined(_ lines: [Line], _ channels: String) -> [Line] {
        guard lines.count == 1 else { return lines + [Line(label: "", text: channels)] }
        return [Line(label: lines[0].label, text: lines[0].text + "   " + channels)]
    }

    /// `h = w: …` when every spatial axis has the same formula, one line per axis otherwise.
    func spatialLines(_ axes: [String]) -> [Line] {
        let names = axes.count == 1 ? ["length"] : axes.count == 2 ? ["h", "w"] : ["d", "h", "w"]
        if Set(axes).count == 1 {
            return [Line(label: "output", text: names.joined(separator: " = ") + ": " + axes[0])]
        }
        return zip(names, axes).enumerated().map { i, pair in
            Line(label: i == 0 ? "output" : "", text: "\(pair.0): \(pair.1)")
        }
    }

    // MARK: - Parameters

    func params(_ row: LayerSummary) -> [Line] {
        let channels = row.inputShape.last ?? 0
        switch row.spec.kind {
        case .conv(let c):
            switch c.style {
            case .standard:
                let perGroup = channels / max(1, c.groups)
                let kernel = product(c.kernel + [perGroup, c.filters])
                let bias = c.useBias ? " + \(c.filters)" : ""
                let what = c.useBias ? "kernel \(c.kernel.map(String.init).joined(separator: dot))\(dot)in\(dot)filters + bias" : "kernel only (use_bias=False)"
                return [Line(label: "params", text: "\(kernel)\(bias) = \(g(row.params))"),
                        Line(label: "", text: what + (c.groups > 1 ? ", in = \(channels)/\(c.groups) per group" : ""))]
            case .depthwise(let m):
                let bias = c.useBias ? " + \(channels * m)" : ""
                return [Line(label: "params", text: "\(product(c.kernel + [channels, m]))\(bias) = \(g(row.params))"),
                        Line(label: "", text: "one \(c.kernel.map(String.init).joined(separator: theme.times)) filter per input channel")]
            case .separable(let m):
                let bias = c.useBias ? " + \(c.filters)" : ""
                return [Line(label: "params", text: "\(product(c.kernel + [channels, m])) + \(product([channels * m, c.filters]))\(bias) = \(g(row.params))"),
                        Line(label: "", text: "depthwise kernel + pointwise 1\(theme.times)1 kernel + bias")]
            }
        case .dense(let d):
            let bias = d.useBias ? " + \(d.units)" : ""
            return [Line(label: "params", text: "\(g(channels))\(dot)\(d.units)\(bias) = \(g(row.params))"),
                    Line(label: "", text: "every input \(dot) every unit, plus one bias per unit")]
        case .batchNorm:
            let (gamma, beta) = u ? ("γ", "β") : ("gamma", "beta")
            return [Line(label: "params", text: "4\(dot)\(channels) = \(g(row.params)): \(gamma), \(beta) trainable (\(g(row.trainableParams))), moving mean, variance not (\(g(row.nonTrainableParams)))")]
        case .layerNorm:
            return [Line(label: "params", text: "2\(dot)\(channels) = \(g(row.params)) (scale and offset per channel)")]
        default:
            return [Line(label: "params", text: "0: this layer has no weights")]
        }
    }

    func multAdds(_ row: LayerSummary) -> String {
        let channels = row.inputShape.last ?? 0
        let positions = Array(row.outputShape.dropLast())
        switch row.spec.kind {
        case .conv(let c):
            switch c.style {
            case .standard:
                return "\(product(positions + c.kernel + [channels / max(1, c.groups), c.filters])) = \(g(row.multAdds))"
            default:
                return "\(g(row.multAdds)) (depthwise and pointwise)"
            }
        case .dense(let d):
            return "\(product(positions + [channels, d.units])) = \(g(row.multAdds))"
        default:
            return g(row.multAdds)
        }
    }

    func receptive(_ field: ReceptiveField) -> String {
        switch field {
        case .global: return "global: every output sees the whole input"
        case .spatial(let size, let jump):
            let s = size.map(String.init).joined(separator: theme.times)
            let j = jump.map(String.init).joined(separator: theme.times)
            return "\(s) input pixels per output value, neighbours \(j) pixel\(jump.allSatisfy { $0 == 1 } ? "" : "s") apart"
        }
    }
}
