import CNNModel
import Foundation

/// Flatten head against global-pooling head on the same backbone: totals, ratio, formulas and a plot.
enum CompareView {
    static func draw(_ state: AppState, in rect: Rect, into buffer: inout ScreenBuffer) {
        let theme = state.theme
        guard let cmp = state.derived.compare else {
            let text = "**Compare heads** needs a model with a head. Add `Flatten()` (or `GlobalAveragePooling2D()`) and `Dense` layers after the convolutions, or open one with `:open model.py`. Press **b** to go back to the builder."
            RichText.draw(text, in: rect.inset(1), theme: theme, into: &buffer)
            return
        }
        let headRows = max(cmp.flatten.model.layers.count, cmp.pooled.model.layers.count) - cmp.headStart
        let sideHeight = min(headRows + 6, max(8, rect.height / 2))
        let (top, rest) = rect.splitTop(sideHeight)
        let half = top.width / 2
        let (left, right) = top.splitLeft(half)
        drawSide(cmp.flatten, cmp: cmp, in: left, theme: theme, into: &buffer)
        drawSide(cmp.pooled, cmp: cmp, in: right, theme: theme, into: &buffer)
        let (ratioRow, plotArea) = rest.splitTop(1)
        drawRatio(cmp, in: ratioRow, theme: theme, into: &buffer)
        drawPlot(cmp, state: state, in: plotArea, theme: theme, into: &buffer)
    }

    static func headTitle(_ kind: HeadKind) -> String {
        switch kind {
        case .flatten: return "Flatten head"
        case .globalAverage: return "GlobalAveragePooling head"
        case .globalMax: return "GlobalMaxPooling head"
        }
    }

    /// The box title: the head, and which model it is, shortened to fit `width` columns.
    static func sideTitle(_ side: Comparison.Side, width: Int, dot: String) -> String {
        let whose: String
        switch side.source {
        case .builder: whose = "in the builder"
        case .swapped: whose = "same backbone"
        case .lesson: whose = "the lesson's model"
        }
        let short = side.kind == .flatten ? "Flatten" : side.kind == .globalMax ? "GMP head" : "GAP head"
        for title in ["\(headTitle(side.kind)) \(dot) \(whose)", "\(short) \(dot) \(whose)", headTitle(side.kind)] where title.count <= width - 6 {
            return title
        }
        return short
    }

    static func drawSide(_ side: Comparison.Side, cmp: Comparison, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        let titleStyle = side.kind == .flatten ? theme.warning : theme.good
        let inner = Box.draw(rect, title: sideTitle(side, width: rect.width, dot: theme.dot), theme: theme, titleStyle: titleStyle, into: &buffer)
        guard inner.height > 0 else { return }
        guard let s = side.summary else {
            buffer.put("can't be built:", x: inner.x, y: inner.y, style: theme.error, maxWidth: inner.width)
            RichText.draw(side.error?.reason ?? "", in: Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1),
                          theme: theme, base: theme.error, into: &buffer)
            return
        }
        let backbone = s.layers.prefix(cmp.headStart).reduce(0) { $0 + $1.params }
        let paramW = max(9, KerasFormat.grouped(s.totalParams).count)
        let shapeW = 12
        let nameW = max(6, inner.width - paramW - shapeW - 2)
        var y = inner.y
        func row(_ name: String, _ shape: String, _ params: String, _ style: CellStyle = .plain) {
            guard y < inner.maxY else { return }
            buffer.put(Table.aligned(name, width: nameW, .left, ellipsis: theme.ellipsis), x: inner.x, y: y, style: style)
            buffer.put(Table.aligned(shape, width: shapeW, .right), x: inner.x + nameW + 1, y: y, style: style)
            buffer.put(Table.aligned(params, width: paramW, .right), x: inner.x + nameW + shapeW + 2, y: y, style: style)
            y += 1
        }
        let lastBackbone = s.layers[safe: cmp.headStart - 1]
        let backboneName = Format.fitting(["backbone (\(cmp.headStart) \(cmp.headStart == 1 ? "layer" : "layers"))",
                                           "backbone (\(cmp.headStart))", "backbone"], width: nameW)
        row(backboneName, lastBackbone.map { Format.shape($0.outputShape) } ?? "", KerasFormat.grouped(backbone), theme.muted)
        let headRows = s.layers.dropFirst(cmp.headStart)
        // The total and the Dense formula matter more than the explanation under it.
        let reserved = inner.height - 1 - headRows.count >= 3 ? 3 : 2
        for l in headRows.prefix(max(0, inner.height - reserved - 1)) {
            row(l.name, Format.shape(l.outputShape), KerasFormat.grouped(l.params))
        }
        y = max(y, inner.maxY - reserved)
        row("total", "", KerasFormat.grouped(s.totalParams), titleStyle)
        // The formula of the head's first Dense: where the parameters go.
        if let dense = headRows.first(where: { if case .dense = $0.spec.kind { return true } else { return false } }),
           case .dense(let d) = dense.spec.kind, y < inner.maxY {
            let f = Formulas(theme: theme)
            let inputs = dense.inputShape.last ?? 0
            let product = "\(KerasFormat.grouped(inputs))\(f.dot)\(d.units)"
            let total = KerasFormat.grouped(dense.params)
            let text = Format.fitting(["Dense: \(product)\(d.useBias ? " + \(d.units)" : "") = \(total)",
                                       "Dense: \(product)\(d.useBias ? "+\(d.units)" : "") = \(total)",
                                       "\(product)\(d.useBias ? "+\(d.units)" : "") = \(total)", "Dense: \(total)", total],
                                      width: inner.width)
            buffer.put(text, x: inner.x, y: y, style: theme.code, maxWidth: inner.width)
            y += 1
            if y < inner.maxY, let head = headRows.first {
                let why = side.kind == .flatten
                    ? "inputs = \(f.product(head.inputShape)): grows with the image"
                    : "inputs = \(head.outputShape.last ?? 0) channels: any image size"
                buffer.put(why, x: inner.x, y: y, style: theme.muted, maxWidth: inner.width)
            }
        }
    }

    static func drawRatio(_ cmp: Comparison, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        guard rect.height > 0, let a = cmp.flatten.summary?.totalParams, let b = cmp.pooled.summary?.totalParams, b > 0 else { return }
        let ratio = Double(a) / Double(b)
        let approx = theme.caps.unicode ? "≈" : "~"
        let r = ratio >= 10 ? KerasFormat.fixed(ratio, decimals: 0) : KerasFormat.fixed(ratio, decimals: 1)
        buffer.put([Span(" ratio ", CellStyle(bold: true)), Span(KerasFormat.grouped(a), theme.warning), Span(" / "),
                    Span(KerasFormat.grouped(b), theme.good), Span(" \(approx) "), Span("\(r)\(theme.times)", CellStyle(bold: true)),
                    Span("   same backbone, only the head differs", theme.muted)],
                   x: rect.x, y: rect.y, maxWidth: rect.width)
    }

    static func drawPlot(_ cmp: Comparison, state: AppState, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        guard rect.height >= 5, rect.width >= 30 else { return }
        let title = "Total params vs input size (log scale), \(cmp.sizes.first!)\(theme.ellipsis)\(cmp.sizes.last!) square"
        let inner = Box.draw(rect, title: title, theme: theme, into: &buffer)
        let values = (cmp.flatten.curve + cmp.pooled.curve).compactMap { $0 }.filter { $0 > 0 }
        guard let lo = values.min(), let hi = values.max() else {
            buffer.put("no input size in the range builds this model", x: inner.x, y: inner.y, style: theme.muted)
            return
        }
        // Whole decades, so the axis reads 10K, 100K, 1M, …
        let lowDecade = Int(log10(Double(lo)).rounded(.down)), highDecade = max(lowDecade + 1, Int(log10(Double(hi)).rounded(.up)))
        let yMin = pow(10, Double(lowDecade)), yMax = pow(10, Double(highDecade))
        let labelW = 7
        let legendRows = 1
        let plotRect = Rect(x: inner.x + labelW, y: inner.y, width: inner.width - labelW, height: inner.height - 1 - legendRows)
        func series(_ side: Comparison.Side, _ name: String, _ mark: Character) -> Plot.Series {
            Plot.Series(name: name, points: zip(cmp.sizes, side.curve).compactMap { s, v in v.map { (Double(s), Double($0)) } }, mark: mark)
        }
        let current = state.model.inputShape?.first.map(Double.init)
        let plot = Plot(series: [series(cmp.flatten, "Flatten", "*"), series(cmp.pooled, "pooled", "o")],
                        xRange: Double(cmp.sizes.first!)...Double(cmp.sizes.last!), yRange: yMin...yMax, logY: true, marker: current)
        plot.draw(in: plotRect, theme: theme, into: &buffer)
        // One label per decade, from the top, where rows leave room for it.
        var lastRow = Int.min
        for decade in stride(from: highDecade, through: lowDecade, by: -1) {
            let f = Double(highDecade - decade) / Double(highDecade - lowDecade)
            let row = plotRect.y + Int((f * Double(plotRect.height - 1)).rounded())
            guard row > lastRow else { continue }
            let suffixes = ["", "K", "M", "G", "T", "P"]
            let label = String(Int(pow(10, Double(decade % 3)))) + suffixes[min(suffixes.count - 1, decade / 3)]
            buffer.put(label, x: inner.x, y: row, style: theme.muted, maxWidth: labelW - 1)
            lastRow = row
        }
        let axisY = plotRect.maxY
        buffer.put("\(cmp.sizes.first!)", x: plotRect.x, y: axisY, style: theme.muted)
        let last = "\(cmp.sizes.last!)"
        buffer.put(last, x: plotRect.maxX - last.count, y: axisY, style: theme.muted)
        if let current, let size = state.model.inputShape?.first {
            let fx = (current - Double(cmp.sizes.first!)) / Double(cmp.sizes.last! - cmp.sizes.first!)
            if fx >= 0, fx <= 1 {
                let label = "\(size)"
                let x = plotRect.x + Int(fx * Double(plotRect.width - 1)) - label.count / 2
                buffer.put(label, x: max(plotRect.x + 4, min(x, plotRect.maxX - last.count - label.count - 1)), y: axisY, style: CellStyle(bold: true))
            }
        }
        let legendY = inner.maxY - 1
        let flatMark = theme.caps.unicode ? "⣿" : "*", poolMark = theme.caps.unicode ? "⣿" : "o"
        var x = inner.x
        x = buffer.put(flatMark + " Flatten", x: x, y: legendY, style: theme.series(0))
        x = buffer.put("   ", x: x, y: legendY)
        x = buffer.put(poolMark + " " + headTitle(cmp.pooled.kind).replacingOccurrences(of: " head", with: ""), x: x, y: legendY, style: theme.series(1))
        buffer.put("   : current size \(theme.dot) +/- changes it", x: x, y: legendY, style: theme.muted, maxWidth: inner.maxX - x)
    }
}
