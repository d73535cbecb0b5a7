import CNNModel

/// Each layer's output as heatmaps, then the two endings: the flattened strip and the pooled vector.
enum FeatureMapsView {
    static func draw(_ state: AppState, in rect: Rect, into buffer: inout ScreenBuffer) {
        let theme = state.theme
        let fs = state.features
        var area = rect
        // Progress or failure line.
        let statusRow = area.splitTop(1)
        area = statusRow.rest
        drawStatus(state, in: statusRow.top, into: &buffer)
        guard let result = fs.result else {
            RichText.draw("Press **r** to run the model on the image. Each layer's output appears as a grid of heatmaps, one per channel; below them, what **Flatten** and **global pooling** make of the last map. **w** trains the model for a few seconds on the synthetic shapes and shows the trained maps; **s** shows, step by step, how one value of a map is computed. `:image photo.ppm` uses your own PGM/PPM picture.",
                          in: area.inset(1), theme: theme, into: &buffer)
            return
        }
        if let step = fs.step {
            // The numbers need the width: the layer list steps aside.
            StepByStepView.draw(state, result, step, in: area, into: &buffer)
            return
        }
        let listW = min(30, max(22, rect.width / 4))
        let (list, main) = area.splitLeft(listW)
        drawList(state, result, in: list, into: &buffer)
        if fs.selected == FeatureMapsState.kernelsRow, let conv = result.firstConv {
            drawKernels(state, conv, in: main, into: &buffer)
            return
        }
        let endingsH = main.height >= 30 ? 8 : 7
        let (mapsArea, endingsArea) = main.splitBottom(endingsH)
        let output = fs.selected < 0 ? result.input : result.outputs[safe: fs.selected] ?? result.input
        drawMaps(state, output, in: mapsArea, into: &buffer)
        drawEndings(state, result, in: endingsArea, into: &buffer)
    }

    static func drawStatus(_ state: AppState, in rect: Rect, into buffer: inout ScreenBuffer) {
        let theme = state.theme
        let fs = state.features
        let image = fs.result?.imageName ?? fs.image?.name ?? "procedural scene"
        var spans = [Span(" image: ", theme.muted), Span(image, CellStyle(bold: true))]
        switch fs.status {
        case .idle: spans.append(Span("  not run yet", theme.muted))
        case .running(let done, let total):
            let spin = theme.caps.unicode ? Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏") : Array("|/-\\")
            let bar = Bar.text(Double(done) / Double(max(1, total)), width: 20, unicode: theme.caps.unicode)
            spans += [Span("  \(spin[state.ticks % spin.count]) running layer \(min(done + 1, total)) of \(total) "), Span(bar, theme.good)]
        case .finished:
            if fs.modelOfResult != state.revision { spans.append(Span("  the model changed: r runs it again", theme.warning)) }
            else if fs.result?.shown == .trained, let w = fs.trainedWeights(revision: state.revision) {
                spans += [Span("  TRAINED", theme.good), Span(": " + w.origin + " \(theme.dot) w initial", theme.muted)]
            } else {
                spans += [Span("  INITIAL", theme.warning), Span(" weights: random, seed 42 \(theme.dot) w trains", theme.muted)]
            }
        case .failed(let why): spans.append(Span("  " + why, theme.error))
        }
        switch fs.training {
        case .idle: break
        case .running(let step, let steps, let loss):
            let bar = Bar.text(Double(step) / Double(max(1, steps)), width: 12, unicode: theme.caps.unicode)
            spans = [Span(" training on the synthetic shapes: step \(step) of \(steps) "), Span(bar, theme.good),
                     Span(loss.isFinite ? " loss \(String(format: "%.3f", loss))" : "", theme.muted)]
        case .failed(let why):
            // The message line holds the whole reason while it shows.
            spans.append(Span(state.message?.kind == .error ? "  can't train it: see below" : "  can't train it: " + why, theme.error))
        }
        buffer.put(spans, x: rect.x, y: rect.y, maxWidth: rect.width)
    }

    static func drawList(_ state: AppState, _ result: FeatureMapsResult, in rect: Rect, into buffer: inout ScreenBuffer) {
        let theme = state.theme
        let inner = Box.draw(rect, title: "layers", theme: theme, into: &buffer)
        var rows: [(String, Int)] = result.firstConv.map { [("kernels of " + $0.name, FeatureMapsState.kernelsRow)] } ?? []
        rows.append(("input " + Format.shape(result.input.shape), -1))
        for (i, o) in result.outputs.enumerated() { rows.append(("\(o.name) \(Format.shape(o.shape))", i)) }
        let selectedRow = rows.firstIndex { $0.1 == state.features.selected } ?? 0
        let scroll = Table.scroll(keeping: selectedRow, current: 0, visibleRows: inner.height, rowCount: rows.count)
        for (k, row) in rows.dropFirst(scroll).prefix(inner.height).enumerated() {
            let y = inner.y + k
            let style: CellStyle = row.1 == state.features.selected ? theme.selected : .plain
            buffer.put(Table.aligned(row.0, width: inner.width, .left, ellipsis: theme.ellipsis), x: inner.x, y: y, style: style)
        }
    }

    static func drawMaps(_ state: AppState, _ output: FeatureMapsResult.Output, in rect: Rect, into buffer: inout ScreenBuffer) {
        let theme = state.theme
        let title = "\(output.name) \(Format.shape(output.shape))"
        let inner = Box.draw(rect, title: title, theme: theme, into: &buffer)
        guard output.isMap2D, !inner.isEmpty else {
            let n = output.shape.reduce(1, *)
            buffer.put("a vector of \(KerasFormat.grouped(n)) values: shown in the strip below", x: inner.x, y: inner.y, style: theme.muted, maxWidth: inner.width)
            if inner.height > 1 {
                let values = Array(output.values.prefix(inner.width))
                let cells = Heatmap.strip(values, range: Heatmap.bounds(output.values), caps: theme.caps)
                for (k, c) in cells.enumerated() { buffer[inner.x + k, inner.y + 2] = c }
            }
            return
        }
        let (h, w, c) = (output.shape[0], output.shape[1], output.shape[2])
        let perCell = Heatmap.pixelsPerCell(theme.caps)
        // Tiles keep the map's aspect ratio: a cell is about twice as tall as wide.
        let tileH = max(3, min(10, inner.height / 2 - 1))
        let tileW = max(4, min(inner.width, Int((Double(tileH * perCell) * Double(w) / Double(max(1, h)) * (perCell == 2 ? 1 : 2)).rounded())))
        let perRow = max(1, (inner.width + 1) / (tileW + 1))
        let rowsFit = max(1, (inner.height) / (tileH + 1))
        let perPage = perRow * rowsFit
        let first = min(state.features.channelOffset * perRow, max(0, c - 1))
        for k in 0..<perPage {
            let ch = first + k
            guard ch < c else { break }
            let tx = inner.x + (k % perRow) * (tileW + 1)
            let ty = inner.y + (k / perRow) * (tileH + 1)
            Heatmap.draw(output.channel(ch), rows: h, cols: w, in: Rect(x: tx, y: ty, width: tileW, height: tileH), caps: theme.caps, into: &buffer)
            buffer.put("ch \(ch)", x: tx, y: ty + tileH, style: theme.muted, maxWidth: tileW)
        }
        let shown = "channels \(first)\(theme.ellipsis)\(min(c, first + perPage) - 1) of \(c)"
        buffer.put(" \(shown) ", x: max(inner.x, rect.maxX - shown.count - 4), y: rect.maxY - 1, style: theme.muted)
    }

    /// The first Conv2D's kernels: one small heatmap per filter (summed over the input channels), on one colour scale.
    static func drawKernels(_ state: AppState, _ conv: FeatureMapsResult.Output, in rect: Rect, into buffer: inout ScreenBuffer) {
        let theme = state.theme
        let ks = conv.kernelShape
        let (kh, kw, cin, filters) = (ks[0], ks[1], ks[2], ks[3])
        let kind = state.features.result?.shown == .trained ? "trained" : "initial"
        let inner = Box.draw(rect, title: "\(conv.name) kernels \(Format.shape(ks)), \(kind)", theme: theme, into: &buffer)
        guard !inner.isEmpty else { return }
        var maps: [[Float]] = []
        for f in 0..<filters {
            var m = [Float](repeating: 0, count: kh * kw)
            for t in 0..<(kh * kw) { for c in 0..<cin { m[t] += conv.kernel[(t * cin + c) * filters + f] } }
            maps.append(m)
        }
        let range = Heatmap.bounds(maps.flatMap { $0 })
        buffer.put("each filter's \(kh)×\(kw) weights\(cin > 1 ? " summed over \(cin) channels" : ""): dark \(StepByStepView.number(range.lowerBound)), bright \(StepByStepView.number(range.upperBound))",
                   x: inner.x, y: inner.y, style: theme.muted, maxWidth: inner.width)
        let perCell = Heatmap.pixelsPerCell(theme.caps)
        let tileH = max(2, min(4, (kh + perCell - 1) / perCell + 1)), tileW = max(4, min(8, kw * 2))
        let perRow = max(1, (inner.width + 1) / (tileW + 1))
        for f in 0..<filters {
            let tx = inner.x + (f % perRow) * (tileW + 1)
            let ty = inner.y + 1 + (f / perRow) * (tileH + 1)
            guard ty + tileH < inner.maxY else {
                buffer.put("\(theme.ellipsis) \(filters - f) more", x: inner.x, y: inner.maxY - 1, style: theme.muted)
                break
            }
            Heatmap.draw(maps[f], rows: kh, cols: kw, in: Rect(x: tx, y: ty, width: tileW, height: tileH), range: range, caps: theme.caps, into: &buffer)
            buffer.put("f\(f)", x: tx, y: ty + tileH, style: theme.muted, maxWidth: tileW)
        }
    }

    /// The last map flattened (two vertical neighbours marked) and pooled (one value per channel).
    static func drawEndings(_ state: AppState, _ result: FeatureMapsResult, in rect: Rect, into buffer: inout ScreenBuffer) {
        let theme = state.theme
        let inner = Box.draw(rect, title: "the two endings", theme: theme, into: &buffer)
        guard let map = (result.outputs.last { $0.isMap2D }) ?? (result.input.isMap2D ? result.input : nil), inner.height >= 4 else { return }
        let (h, w, c) = (map.shape[0], map.shape[1], map.shape[2])
        let f = Formulas(theme: theme)
        let range = Heatmap.bounds(map.values)
        // Flatten: pixel (0, 0) channel 0 and its neighbour below, (1, 0) channel 0.
        let a = 0, b = w * c
        var y = inner.y
        let compact = "(" + map.shape.map(String.init).joined(separator: ",") + ")"
        // The long wording when it fits, else a shorter one: a number cut in half would mislead.
        func fitting(_ long: [Span], _ short: [Span]) -> [Span] {
            long.reduce(0) { $0 + $1.width } <= inner.width ? long : short
        }
        let flattenHead = [Span("Flatten ", CellStyle(bold: true)), Span("\(compact) \(theme.arrow) \(KerasFormat.grouped(h * w * c)): ")]
        buffer.put(fitting(flattenHead + [Span("one row down = \(w)\(f.dot)\(c) = \(KerasFormat.grouped(b)) further", theme.warning)],
                           flattenHead + [Span("a row down is \(KerasFormat.grouped(b)) on", theme.warning)]),
                   x: inner.x, y: y, maxWidth: inner.width)
        y += 1
        let gapText = " \(theme.ellipsis)\(KerasFormat.grouped(max(0, b - 1)))\(theme.ellipsis) "
        let segment = max(4, (inner.width - gapText.count) / 2)
        let firstCells = Heatmap.strip(Array(map.values.prefix(segment)), range: range, caps: theme.caps)
        for (k, cell) in firstCells.enumerated() { buffer[inner.x + k, y] = cell }
        let gx = inner.x + firstCells.count
        buffer.put(gapText, x: gx, y: y, style: theme.muted)
        let mark = theme.caps.unicode ? "▲" : "^"
        buffer.put("\(mark) pixel (0,0) at \(a)", x: inner.x, y: y + 1, style: theme.warning, maxWidth: segment)
        if b < map.values.count {
            let cells = Heatmap.strip(Array(map.values[b..<min(map.values.count, b + segment)]), range: range, caps: theme.caps)
            for (k, cell) in cells.enumerated() { buffer[gx + gapText.count + k, y] = cell }
            let room = inner.maxX - gx - gapText.count
            let long = "\(mark) pixel (1,0), below it, at \(KerasFormat.grouped(b))"
            buffer.put(Format.fitting([long, "\(mark) (1,0) at \(KerasFormat.grouped(b))"], width: room), x: gx + gapText.count, y: y + 1,
                       style: theme.warning, maxWidth: room)
        }
        y += 2
        // Global average pooling: one value per channel.
        var pooled = [Float](repeating: 0, count: c)
        for i in 0..<(h * w) { for k in 0..<c { pooled[k] += map.values[i * c + k] } }
        for k in 0..<c { pooled[k] /= Float(max(1, h * w)) }
        guard y < inner.maxY else { return }
        let poolHead = [Span("Global pooling ", CellStyle(bold: true)), Span("\(Format.shape(map.shape)) \(theme.arrow) (\(c),): ")]
        buffer.put(fitting(poolHead + [Span("one value per channel, the mean of \(h)\(f.dot)\(w) positions", theme.good)],
                           poolHead + [Span("one mean per channel", theme.good)]),
                   x: inner.x, y: y, maxWidth: inner.width)
        y += 1
        guard y < inner.maxY else { return }
        let cells = Heatmap.strip(Array(pooled.prefix(inner.width)), range: Heatmap.bounds(pooled), caps: theme.caps)
        for (k, cell) in cells.enumerated() { buffer[inner.x + k, y] = cell }
        if c > inner.width { buffer.put(theme.ellipsis, x: inner.maxX - 1, y: y, style: theme.muted) }
    }
}
