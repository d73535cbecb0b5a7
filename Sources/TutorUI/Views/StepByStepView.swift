import CNNCompute
import CNNModel
import Foundation

/// One output value, computed in front of the learner: a convolution's window,
/// kernel, products, sum, bias and activation; a max pooling's winner; a global
/// average's mean; where Flatten puts a cell. The numbers come from the
/// compute core's tensors (``CellTrace``), and end in the value the map holds.
enum StepByStepView {
    static func draw(_ state: AppState, _ result: FeatureMapsResult, _ step: StepState, in rect: Rect, into buffer: inout ScreenBuffer) {
        guard let output = result.outputs[safe: step.output], let kind = StepKind(output.spec) else { return }
        let input = result.input(of: step.output)
        let title = "step by step \(state.theme.dot) \(output.name) (\(output.typeName))"
        let inner = Box.draw(rect, title: title, theme: state.theme, into: &buffer)
        guard !inner.isEmpty else { return }
        var lines: [[Span]]
        let x = tensor(input)
        switch kind {
        case .convolution(let conv): lines = convolution(state, conv, output, x, step, width: inner.width)
        case .maxPool(let pool): lines = maxPool(state, pool, output, x, step, width: inner.width)
        case .globalAverage: lines = globalAverage(state, output, x, step, width: inner.width)
        case .flatten: lines = flatten(state, output, x, step, width: inner.width)
        }
        if !state.caps.unicode { lines = lines.map { $0.map { Span(ascii($0.text), $0.style) } } }
        lines = lines.flatMap { $0.wrapped(width: inner.width) }
        if lines.count > inner.height { lines = Array(lines.prefix(inner.height)) }
        for (k, line) in lines.enumerated() { buffer.put(line, x: inner.x, y: inner.y + k, maxWidth: inner.width) }
    }

    /// The view's text for a terminal without UTF-8.
    static func ascii(_ text: String) -> String {
        var t = text
        for (u, a) in [("×", "x"), ("→", "->"), ("←", "<-"), ("…", "~"), ("·", "*"), ("–", "-")] { t = t.replacingOccurrences(of: u, with: a) }
        return t
    }

    /// A number as the view writes it in sentences: four decimals, never "-0.0000".
    static func number(_ v: Float) -> String {
        let s = String(format: "%.4f", v)
        return s == "-0.0000" ? "0.0000" : s
    }

    /// A number in a grid, five characters wide: two decimals, or three without the leading zero below 0.095.
    ///
    /// Products of small activations and weights would otherwise all read 0.00 above a sum that isn't.
    static func cell(_ v: Float) -> String {
        if v != 0, abs(v) < 0.095 {
            var s = String(format: "%.3f", v).replacingOccurrences(of: "0.", with: ".")
            if s == "-.000" { s = ".000" }
            return String(repeating: " ", count: max(0, 5 - s.count)) + s
        }
        let s = String(format: "%5.2f", v)
        return s == "-0.00" ? " 0.00" : s
    }

    static func tensor(_ o: FeatureMapsResult.Output) -> Tensor { Tensor(shape: o.shape, data: o.values) }

    /// The value the map holds at (row, col, channel).
    static func mapValue(_ o: FeatureMapsResult.Output, _ row: Int, _ col: Int, _ channel: Int) -> Float {
        o.values[(row * o.shape[1] + col) * o.shape[2] + channel]
    }

    static func padding(_ p: Padding) -> String { p == .same ? "'same'" : "'valid'" }

    /// `text` right-aligned in `width` columns.
    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// Terms of a sum, negative ones in brackets: `0.1 + (-0.2)`.
    static func terms(_ values: [String]) -> String {
        values.map { $0.hasPrefix("-") ? "(\($0))" : $0 }.joined(separator: " + ")
    }

    static func pair(_ v: [Int]) -> String { "(\(v.map(String.init).joined(separator: ", ")))" }

    // MARK: - Grids

    /// Rows of a neighbourhood of `channel` around a window: the window's cells
    /// marked, padding shown as zeros, `mark` (a tap index) drawn apart.
    static func neighbourhood(_ state: AppState, _ x: Tensor, channel: Int, window w: CellTrace.Window,
                              context: Int, winner: Int? = nil) -> [[Span]] {
        let theme = state.theme
        let (h, wd, c) = (x.shape[0], x.shape[1], x.shape[2])
        // Context beyond the map would be blank: only the window shows padding.
        let rows = ((w.rows.first! - context)...(w.rows.last! + context)).filter { w.rows.contains($0) || (0..<h).contains($0) }
        let cols = ((w.cols.first! - context)...(w.cols.last! + context)).filter { w.cols.contains($0) || (0..<wd).contains($0) }
        var out: [[Span]] = [[Span("      ")] + cols.map { Span(pad("c\($0)", 6), theme.muted) }]
        for r in rows {
            var line = [Span(pad("r\(r)", 5) + " ", theme.muted)]
            for col in cols {
                let ky = w.rows.firstIndex(of: r), kx = w.cols.firstIndex(of: col)
                let inWindow = ky != nil && kx != nil
                let outside = !(0..<h).contains(r) || !(0..<wd).contains(col)
                if outside && !inWindow { line.append(Span("      ")); continue }
                let v: Float = outside ? 0 : x.data[(r * wd + col) * c + channel]
                var style: CellStyle = inWindow ? theme.selected : .plain
                if outside { style = inWindow ? theme.warning : theme.muted }
                let wins = winner != nil && ky != nil && kx != nil && ky! * w.cols.count + kx! == winner!
                if wins { style = theme.good; style.reverse = true }
                // The winner's star follows it, in the space before the next cell.
                line.append(Span(outside ? "   pad" : wins ? cell(v) + "*" : " " + cell(v), style))
            }
            out.append(line)
        }
        return out
    }

    /// A kh × kw block of numbers, one row of spans each.
    static func block(_ values: [Float], rows: Int, cols: Int, stride: Int = 1, offset: Int = 0, style: CellStyle = .plain) -> [[Span]] {
        (0..<rows).map { r in
            (0..<cols).flatMap { c in [Span(" "), Span(cell(values[(r * cols + c) * stride + offset]), style)] }
        }
    }

    /// Columns of spans side by side, each padded to its width, separated by `gaps`.
    static func sideBySide(_ blocks: [[[Span]]], gaps: [String], operatorRow: Int) -> [[Span]] {
        let widths = blocks.map { b in b.map { $0.reduce(0) { $0 + $1.text.count } }.max() ?? 0 }
        let height = blocks.map(\.count).max() ?? 0
        return (0..<height).map { r in
            var line: [Span] = []
            for (i, b) in blocks.enumerated() {
                let row = r < b.count ? b[r] : []
                let used = row.reduce(0) { $0 + $1.text.count }
                line += row + [Span(String(repeating: " ", count: max(0, widths[i] - used)))]
                if i < gaps.count { line.append(Span(r == operatorRow ? gaps[i] : String(repeating: " ", count: gaps[i].count))) }
            }
            return line
        }
    }

    // MARK: - Conv2D

    static func convolution(_ state: AppState, _ conv: Convolution, _ output: FeatureMapsResult.Output, _ x: Tensor,
                            _ s: StepState, width: Int) -> [[Span]] {
        let theme = state.theme
        let bold = CellStyle(bold: true)
        let ks = output.kernelShape
        guard ks.count == 4 else { return [[Span("this layer's kernel was not kept", theme.error)]] }
        let kernel = Tensor(shape: ks, data: output.kernel)
        let bias = output.bias.isEmpty ? nil : Tensor(shape: [output.bias.count], data: output.bias)
        let t = CellTrace.convolution(input: x, kernel: kernel, bias: bias, spec: conv, row: s.row, col: s.col, filter: s.channel)
        let (kh, kw, cin) = (ks[0], ks[1], ks[2])
        let w = t.window
        var lines: [[Span]] = []
        lines.append([Span("\(ks[3]) filters of \(kh)×\(kw)×\(cin) \(theme.dot) strides \(pair(conv.strides)) \(theme.dot) padding \(padding(conv.padding))"
            + (conv.padding == .same ? ": " + zerosBefore(w.padBefore) : ""), theme.muted)])
        lines.append([Span("output "), Span("(row \(s.row), col \(s.col)), filter \(s.channel)", bold),
                      Span(" of \(Format.shape(output.shape)) \(theme.arrow) input rows \(w.rows.first!)\(theme.ellipsis)\(w.rows.last!), "
                           + "cols \(w.cols.first!)\(theme.ellipsis)\(w.cols.last!)")])
        let ci = s.inputChannel
        // Context columns around the window, as many as fit.
        let blockW = kw * 6, fixed = 6 + 3 + blockW + 3 + blockW
        let context = max(0, min(2, (width - fixed - kw * 6) / 12))
        let around = neighbourhood(state, x, channel: ci, window: w, context: context)
        // The kernel and the products line up with the window's rows in the neighbourhood.
        let above = [[Span]](repeating: [], count: max(0, w.rows.first! - max(w.rows.first! - context, min(w.rows.first!, 0))))
        let kernelRows = above + [[Span("kernel", theme.muted)]] + block(t.kernel, rows: kh, cols: kw, stride: cin, offset: ci)
        let productRows = above + [[Span("products", theme.muted)]] + block(t.products, rows: kh, cols: kw, stride: cin, offset: ci, style: theme.good)
        lines.append([Span("input channel \(ci) of \(cin)", bold), Span(cin > 1 ? " (Tab: the next)" : "", theme.muted),
                      Span(" \(theme.dot) highlighted: the window" + (conv.padding == .same ? "; pad: a zero of the padding" : ""), theme.muted)])
        lines += sideBySide([around, kernelRows, productRows], gaps: [" × ", " = "], operatorRow: 1 + above.count + kh / 2)
        var sums = (0..<min(cin, 4)).map { number(t.channelSums[$0]) }
        if cin > 4 { sums.append("\(theme.ellipsis) (\(cin) channels)") }
        lines.append([Span("channel \(ci): the \(kh * kw) products sum to "), Span(number(t.channelSums[ci]), bold)])
        lines.append([Span("all \(cin) input channel\(cin == 1 ? "" : "s"): "),
                      Span(cin == 1 ? "" : terms(sums) + " = "), Span(number(t.sum), bold)])
        var last = [Span("+ bias \(number(t.bias)) = \(number(t.preActivation))")]
        if conv.activation != .linear {
            last.append(Span(" \(theme.arrow) \(conv.activation.rawValue) \(theme.arrow) "))
            last.append(Span(number(t.activated), bold))
        }
        lines.append(last)
        let held = mapValue(output, s.row, s.col, s.channel)
        lines.append([Span("the map holds "), Span(number(held), theme.good),
                      Span(" at (\(s.row), \(s.col), \(s.channel))", theme.muted)])
        return lines
    }

    // MARK: - MaxPooling2D

    static func maxPool(_ state: AppState, _ pool: Pooling, _ output: FeatureMapsResult.Output, _ x: Tensor,
                        _ s: StepState, width: Int) -> [[Span]] {
        let theme = state.theme
        let bold = CellStyle(bold: true)
        let t = CellTrace.maxPool(input: x, spec: pool, row: s.row, col: s.col, channel: s.channel)
        let w = t.window
        var lines: [[Span]] = []
        lines.append([Span("pool \(pool.poolSize[0])×\(pool.poolSize[1]), strides \(pair(pool.strides)), padding \(padding(pool.padding)): "
            + "each output keeps the largest value of its window", theme.muted)])
        lines.append([Span("output "), Span("(row \(s.row), col \(s.col)), channel \(s.channel)", bold),
                      Span(" of \(Format.shape(output.shape)) \(theme.arrow) input rows \(w.rows.first!)\(theme.ellipsis)\(w.rows.last!), "
                           + "cols \(w.cols.first!)\(theme.ellipsis)\(w.cols.last!)")])
        let context = max(0, min(2, (width - 6 - pool.poolSize[1] * 6) / 12))
        lines += neighbourhood(state, x, channel: s.channel, window: w, context: context, winner: t.winner)
        let ky = t.winner / pool.poolSize[1], kx = t.winner % pool.poolSize[1]
        let values = t.values.compactMap { $0 }.map(number)
        lines.append([Span("max(" + values.joined(separator: ", ") + ") = "), Span(number(t.value), theme.good),
                      Span(": the input at (row \(w.rows[ky]), col \(w.cols[kx])), marked *, wins")])
        lines.append([Span("the map holds "), Span(number(mapValue(output, s.row, s.col, s.channel)), theme.good),
                      Span(" at (\(s.row), \(s.col), \(s.channel))", theme.muted)])
        lines.append([Span("stride \(pool.strides[1]): \(theme.arrow) moves the window \(pool.strides[1]) input columns; "
            + (pool.strides[1] < pool.poolSize[1] ? "the windows overlap" : "the windows don't overlap"), theme.muted)])
        return lines
    }

    // MARK: - GlobalAveragePooling2D

    static func globalAverage(_ state: AppState, _ output: FeatureMapsResult.Output, _ x: Tensor, _ s: StepState, width: Int) -> [[Span]] {
        let theme = state.theme
        let bold = CellStyle(bold: true)
        let t = CellTrace.globalAverage(input: x, channel: s.channel)
        let (h, w, c) = (x.shape[0], x.shape[1], x.shape[2])
        var lines: [[Span]] = []
        lines.append([Span("each channel's whole \(h)×\(w) map becomes one number, its mean: \(Format.shape(x.shape)) \(theme.arrow) (\(c),)", theme.muted)])
        lines.append([Span("channel \(s.channel) of \(c)", bold), Span(": \(h * w) values from \(number(t.minimum)) to \(number(t.maximum))")])
        // The channel's values, as many rows and columns as fit.
        let cols = min(w, max(1, (width - 6) / 6)), rows = min(h, 5)
        for r in 0..<rows {
            var line = [Span(pad("r\(r)", 5) + " ", theme.muted)]
            for col in 0..<cols { line += [Span(" "), Span(cell(x.data[(r * w + col) * c + s.channel]), theme.selected)] }
            if cols < w { line.append(Span(" \(theme.ellipsis)", theme.muted)) }
            lines.append(line)
        }
        if rows < h { lines.append([Span("      \(theme.ellipsis) \(h - rows) more rows", theme.muted)]) }
        lines.append([Span("sum of all \(h * w) = \(number(t.sum)); \(number(t.sum)) / \(h * w) = "), Span(number(t.mean), bold)])
        let pooled = output.values
        lines.append([Span("the pooled vector holds "), Span(number(pooled[safe: s.channel] ?? .nan), theme.good),
                      Span(" at [\(s.channel)] of \(pooled.count)", theme.muted)])
        var strip: [Span] = [Span("pooled: ", theme.muted)]
        let shown = max(1, min(8, (width - 8) / 12))
        let first = max(0, min(s.channel - shown / 2, pooled.count - shown))
        if first > 0 { strip.append(Span("\(theme.ellipsis)  ", theme.muted)) }
        for k in first..<min(pooled.count, first + shown) {
            strip.append(Span("[\(k)] \(cell(pooled[k]).trimmingCharacters(in: .whitespaces))", k == s.channel ? theme.selected : theme.muted))
            strip.append(Span("  "))
        }
        if pooled.count > first + shown { strip.append(Span(theme.ellipsis, theme.muted)) }
        lines.append(strip)
        return lines
    }

    // MARK: - Flatten

    static func flatten(_ state: AppState, _ output: FeatureMapsResult.Output, _ x: Tensor, _ s: StepState, width: Int) -> [[Span]] {
        let theme = state.theme
        let bold = CellStyle(bold: true)
        let (h, w, c) = (x.shape[0], x.shape[1], x.shape[2])
        let t = CellTrace.flatten(shape: x.shape, row: s.row, col: s.col, channel: s.channel)
        var lines: [[Span]] = []
        lines.append([Span("\(Format.shape(x.shape)) \(theme.arrow) (\(h * w * c),): channels fastest, then columns, then rows", theme.muted)])
        lines.append([Span("cell "), Span("(row \(s.row), col \(s.col), channel \(s.channel))", bold), Span(" = \(number(x.data[t.index]))")])
        lines.append([Span("  lands at (\(s.row)·\(w) + \(s.col))·\(c) + \(s.channel) = "), Span("[\(KerasFormat.grouped(t.index))]", theme.good),
                      Span(", which holds \(number(output.values[t.index]))")])
        if let below = t.below {
            lines.append([Span("its neighbour below, "), Span("(row \(s.row + 1), col \(s.col), channel \(s.channel))", bold),
                          Span(" = \(number(x.data[below]))")])
            lines.append([Span("  lands at "), Span("[\(KerasFormat.grouped(below))]", theme.warning),
                          Span(": \(w)·\(c) = \(KerasFormat.grouped(t.rowStride)) values further, a whole row apart")])
        } else {
            lines.append([Span("row \(s.row) is the last: no neighbour below (↑ moves up)", theme.muted)])
        }
        if t.index + 1 < h * w * c {
            lines.append([Span("its neighbour to the right lands at [\(KerasFormat.grouped(t.index + c))], \(c) further: one value per channel", theme.muted)])
        }
        // The flat vector around the two cells.
        let room = max(3, (width - 12) / 14)
        var strip: [Span] = []
        for k in max(0, t.index - 1)..<min(h * w * c, t.index + min(room, 3)) {
            strip.append(Span("[\(k)] \(cell(output.values[k]).trimmingCharacters(in: .whitespaces))  ", k == t.index ? theme.selected : theme.muted))
        }
        if let below = t.below {
            strip.append(Span("\(theme.ellipsis)  "))
            strip.append(Span("[\(below)] \(cell(output.values[below]).trimmingCharacters(in: .whitespaces))", theme.warning))
        }
        lines.append(strip)
        return lines
    }

    /// `1 row and 1 column of zeros before the input`, in words that fit the counts.
    static func zerosBefore(_ pad: [Int]) -> String {
        func count(_ n: Int, _ what: String) -> String { "\(n) \(what)" + (n == 1 ? "" : "s") }
        if pad.allSatisfy({ $0 == 0 }) {
            return "no zeros before the input here (any padding goes after its last row and column)"
        }
        return count(pad[0], "row") + " and " + count(pad[1], "column") + " of zeros before the input"
    }
}
