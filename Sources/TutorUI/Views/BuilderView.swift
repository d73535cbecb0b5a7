import CNNModel

/// Where the builder's parts sit; update (scroll, clicks) and the view use the same rectangles.
enum BuilderLayout {
    /// The detail pane's height for a screen height.
    static func detailHeight(_ height: Int) -> Int { height >= 36 ? 11 : 9 }

    /// The builder's table, its header row included, and the detail pane when it shows, within `rect`.
    static func parts(_ state: AppState, in rect: Rect) -> (table: Rect, totals: Rect, detail: Rect?) {
        var area = rect
        var detail: Rect?
        if state.showDetail {
            let split = area.splitBottom(min(detailHeight(state.height), max(0, area.height - 6)))
            area = split.rest
            detail = split.bottom
        }
        let (table, totals) = area.splitBottom(2)
        return (table, totals, detail)
    }

    /// The table on the current screen (the lesson shows it beside or under the text).
    static func tableRect(_ state: AppState) -> Rect {
        var body = AppLayout.rows(state).body
        if state.screen == .lesson, state.lesson != nil { body = AppLayout.lessonSplit(body, state).builder }
        return parts(state, in: body).table
    }
}

/// The builder: the layer table with share bars, the totals and the detail pane.
enum BuilderView {
    static func draw(_ state: AppState, in rect: Rect, into buffer: inout ScreenBuffer) {
        let theme = state.theme
        let (tableArea, totalsArea, detail) = BuilderLayout.parts(state, in: rect)
        drawTable(state, in: tableArea, into: &buffer)
        drawTotals(state, in: totalsArea, theme: theme, into: &buffer)
        if let detail { drawDetail(state, in: detail, into: &buffer) }
    }

    // MARK: - Table

    static func columns(_ state: AppState, width: Int, shapes: [String], params: [String]) -> [Table.Column] {
        let shapeW = min(20, max(12, (shapes.map(\.count).max() ?? 0)))
        let paramW = max(7, params.map(\.count).max() ?? 0)
        let wide = width >= 110
        var maddW = 8, memW = wide ? 9 : 8, rfW = wide ? 10 : 8
        // Keras' "Connected to", for a functional model that isn't a chain, where there's room.
        let connW = wide && state.derived.summary?.graph.map({ !$0.isChain }) == true ? min(30, width / 5) : 0
        let barW = wide ? max(12, width / 6) - (connW > 0 ? 6 : 0) : 6
        func nameWidth() -> Int {
            let others = [shapeW, paramW, maddW, memW, rfW, barW, connW].filter { $0 > 0 }
            return width - others.reduce(0, +) - others.count
        }
        // On a narrow table, give up the receptive field, then memory, then mult-adds (the detail pane has them).
        if nameWidth() < 16 { rfW = 0 }
        if nameWidth() < 16 { memW = 0 }
        if nameWidth() < 16 { maddW = 0 }
        let nameW = max(10, nameWidth())
        return [Table.Column("Layer (type)", width: nameW), Table.Column("Output shape", width: shapeW),
                Table.Column("Params", width: paramW, .right), Table.Column("Mult-add", width: maddW, .right),
                Table.Column("Memory", width: memW, .right), Table.Column("Recept.", width: rfW, .right),
                Table.Column("Share", width: barW)] + (connW > 0 ? [Table.Column("Connected to", width: connW)] : [])
    }

    static func drawTable(_ state: AppState, in rect: Rect, into buffer: inout ScreenBuffer) {
        let theme = state.theme
        let inner = Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: rect.height)
        let summary = state.derived.summary
        // The summary's rows carry the names; deriving them again costs a snake_case per layer.
        let names = summary?.layers.map(\.name) ?? state.model.layerNames
        let inputShape = state.model.inputShape ?? []
        // The rows by index, not copied out one by one: a row holds a dozen references.
        let derived = summary?.layers ?? []
        var shapes = [Format.shape(inputShape)]
        var params = ["-"]
        shapes.reserveCapacity(state.model.layers.count + 1)
        params.reserveCapacity(state.model.layers.count + 1)
        for i in state.model.layers.indices {
            if i < derived.count {
                shapes.append(Format.shape(derived[i].outputShape))
                params.append(KerasFormat.grouped(derived[i].params))
            } else {
                shapes.append("?")
                params.append("?")
            }
        }
        let columns = columns(state, width: inner.width, shapes: shapes, params: params)
        let total = max(1, summary?.totalParams ?? 0)
        let errorIndex = state.derived.error.flatMap { e in e.layerName.flatMap { names.firstIndex(of: $0) } }

        var rows: [[[Span]]] = []
        let graph = summary?.graph
        let connected = columns.count > 7
        rows.append([[Span(Format.nameAndType(graph?.inputName ?? "input", graph == nil ? "Input" : "InputLayer",
                                              width: columns[0].width, ellipsis: theme.ellipsis), CellStyle(bold: true))],
                     [Span(shapes[0])], [Span("0", theme.muted)], [Span("-", theme.muted)],
                     [Span(Format.bytes(inputShape.reduce(1, *) * 4), theme.muted)], [Span("1" + (inputShape.count > 2 ? "\(theme.times)1" : ""), theme.muted)], []]
                    + (connected ? [[Span("-", theme.muted)]] : []))
        let scroll = state.tableScroll
        // Only the rows the table shows are built; the others keep their place empty.
        let shown = scroll..<(scroll + max(0, inner.height - 1))
        for (i, layer) in state.model.layers.enumerated() {
            guard shown.contains(i + 1) else {
                rows.append([])
                continue
            }
            // A frozen layer (trainable=False) is marked before its name.
            let nameText = (layer.trainable ? "" : "*") + Format.nameAndType(names[i], layer.typeName,
                width: columns[0].width - (layer.trainable ? 0 : 1), ellipsis: theme.ellipsis)
            if i < derived.count {
                let row = derived[i]
                let share = Double(row.params) / Double(total)
                let barText = Bar.text(share, width: columns[6].width, unicode: theme.caps.unicode)
                let paramStyle = share >= 0.5 ? theme.warning : CellStyle.plain
                rows.append([[Span(nameText)], [Span(shapes[i + 1])], [Span(params[i + 1], paramStyle)],
                             [Span(row.multAdds > 0 ? KerasFormat.short(row.multAdds) : "-", row.multAdds > 0 ? .plain : theme.muted)],
                             [Span(Format.bytes(row.outputBytes))],
                             [Span(row.receptiveField.text(times: theme.times))],
                             [Span(barText, theme.bar(share: share))]]
                             + (connected ? [[Span(summary!.connectedTo(i).joined(separator: ", "), theme.muted)]] : []))
            } else {
                let bad = i == errorIndex
                rows.append([[Span(nameText, bad ? theme.error : theme.muted)],
                             [Span(bad ? "error" : "?", bad ? theme.error : theme.muted)], [Span("?", theme.muted)],
                             [], [], [], []] + (connected ? [[]] : []))
            }
        }
        var table = Table(columns: columns, rows: rows, selected: state.prompt == nil || state.prompt == .add ? state.selection : nil, scroll: scroll)
        if case .edit(let i) = state.prompt { table.selected = i + 1 }
        table.draw(in: inner, theme: theme, into: &buffer)
        if scroll > 0 { buffer.put(theme.caps.unicode ? "▲" : "^", x: rect.maxX - 1, y: rect.y + 1, style: theme.muted) }
        if scroll + rect.height - 1 < rows.count {
            buffer.put(theme.caps.unicode ? "▼" : "v", x: rect.maxX - 1, y: rect.maxY - 1, style: theme.muted)
        }
        if state.model.layers.isEmpty, rect.height > 3 {
            buffer.put("Press a and type a layer, such as Conv2D(32, (3, 3), activation='relu'),", x: inner.x, y: rect.y + 3, style: theme.muted, maxWidth: inner.width)
            buffer.put("or : and paste a whole keras.Sequential([...]) block.", x: inner.x, y: rect.y + 4, style: theme.muted, maxWidth: inner.width)
        }
    }

    // MARK: - Totals

    static func drawTotals(_ state: AppState, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        guard rect.height > 0 else { return }
        let x = rect.x + 1, w = rect.width - 2
        if let s = state.derived.summary {
            let dot = " \(theme.dot) "
            let size = Span(" (\(KerasFormat.bytes(s.totalParams * 4)))")
            let rest = [Span(dot + "trainable: \(KerasFormat.grouped(s.trainableParams))"),
                        Span(dot + "non-trainable: \(KerasFormat.grouped(s.nonTrainableParams))")]
            let head = [Span("Total params: ", CellStyle(bold: true)), Span(KerasFormat.grouped(s.totalParams), theme.warning)]
            // Drop the size in bytes before any count gets cut off.
            let full = head + [size] + rest
            let line = full.reduce(0) { $0 + $1.width } <= w ? full : head + rest
            buffer.put(line, x: x, y: rect.y, maxWidth: w)
            let counts = "Mult-adds: \(KerasFormat.short(s.totalMultAdds))" + dot + "activations: \(Format.bytes(s.totalActivationBytes))"
            var forms = [counts + " per sample"]
            if let head = HeadSwap.kind(of: state.model.layers) {
                let name = head == .flatten ? "Flatten" : head == .globalMax ? "GlobalMaxPooling" : "GlobalAveragePooling"
                let short = head == .flatten ? "Flatten" : head == .globalMax ? "GMP" : "GAP"
                forms = [counts + " per sample" + dot + "head: " + name, counts + dot + "head: " + name,
                         counts + dot + "head: " + short] + forms
            }
            buffer.put(Format.fitting(forms, width: w), x: x, y: rect.y + 1, style: theme.muted, maxWidth: w)
        } else if let e = state.derived.error {
            buffer.put("Total params: —  the model can't be built:".replacingOccurrences(of: "—", with: theme.caps.unicode ? "—" : "-"),
                       x: x, y: rect.y, style: theme.error, maxWidth: w)
            buffer.put(e.description, x: x, y: rect.y + 1, style: theme.error, maxWidth: w)
        }
    }

    // MARK: - Detail pane

    static func drawDetail(_ state: AppState, in rect: Rect, into buffer: inout ScreenBuffer) {
        let theme = state.theme
        let formulas = Formulas(theme: theme)
        let title: String
        let lines: [Formulas.Line]
        if let i = state.selectedLayer {
            let name = state.derived.summary?.layers[safe: i]?.name ?? state.model.layerNames[i]
            title = "\(name) (\(state.model.layers[i].typeName))"
            if let row = state.derived.summary?.layers[safe: i] {
                lines = formulas.layer(row)
            } else {
                lines = [Formulas.Line(label: "code", text: state.model.layers[i].kerasCode),
                         Formulas.Line(label: "error", text: state.derived.error?.reason ?? "an earlier layer can't be built")]
            }
        } else {
            title = "input"
            lines = formulas.input(state.model.inputShape ?? [])
        }
        let inner = Box.draw(rect, title: title, theme: theme, into: &buffer)
        let labelW = 10
        for (k, line) in lines.prefix(inner.height).enumerated() {
            buffer.put(line.label, x: inner.x, y: inner.y + k, style: theme.muted, maxWidth: labelW)
            let style = line.label == "code" ? theme.code : (line.label == "error" ? theme.error : .plain)
            buffer.put(line.text, x: inner.x + labelW + 1, y: inner.y + k, style: style, maxWidth: inner.width - labelW - 1)
        }
    }
}
