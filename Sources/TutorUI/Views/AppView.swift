import CNNModel

/// Draws the whole app into `buffer`, resizing it to the state's terminal size.
///
/// - Returns: where the text cursor is (when the command line is open), for
///   a backend that wants to place the terminal's own cursor there.
@discardableResult
public func view(_ state: AppState, into buffer: inout ScreenBuffer) -> (x: Int, y: Int)? {
    if buffer.width != state.width || buffer.height != state.height {
        buffer.resize(width: state.width, height: state.height)
    } else {
        buffer.clear()
    }
    if state.tooSmall {
        drawTooSmall(state, into: &buffer)
        return nil
    }
    let theme = state.theme
    let full = buffer.bounds
    drawTitle(state, in: full.row(0), into: &buffer)
    let (body, messageArea, commandRow, statusRow) = AppLayout.rows(state)
    let messageLines = messageText(state)
    let maxMessage = AppLayout.maxMessageLines(state)

    switch state.screen {
    case .builder: BuilderView.draw(state, in: body, into: &buffer)
    case .compare: CompareView.draw(state, in: body, into: &buffer)
    case .featureMaps: FeatureMapsView.draw(state, in: body, into: &buffer)
    case .experiment: ExperimentView.draw(state, in: body, into: &buffer)
    case .lesson: drawLesson(state, in: body, into: &buffer)
    }
    if state.showHelp { HelpView.draw(state, in: body, into: &buffer) }

    for (k, line) in messageLines.suffix(maxMessage).enumerated() {
        buffer.put(line, x: messageArea.x + 1, y: messageArea.y + k, maxWidth: messageArea.width - 2)
    }
    let cursor = drawCommandLine(state, in: commandRow, into: &buffer)
    drawStatus(state, in: statusRow, theme: theme, into: &buffer)
    return cursor
}

// MARK: - Layout

/// Where the parts of the screen sit; the lesson controller fits its text to the same pane.
public enum AppLayout {
    /// How many message lines (an error with its caret, say) may show under the body.
    static func maxMessageLines(_ state: AppState) -> Int { state.height >= 36 ? 6 : 3 }

    /// The body, the message lines, the command line and the status line, below the title bar.
    ///
    /// The lesson text gets the command line's row while no prompt is open: its keys are on the status line.
    static func rows(_ state: AppState) -> (body: Rect, messages: Rect, command: Rect, status: Rect) {
        let (upper, statusRow) = Rect(x: 0, y: 1, width: state.width, height: max(0, state.height - 1)).splitBottom(1)
        let readingLesson = state.screen == .lesson && state.lesson != nil && state.prompt == nil
        let (upper2, commandRow) = upper.splitBottom(readingLesson ? 0 : 1)
        let (body, messages) = upper2.splitBottom(min(messageText(state).count, maxMessageLines(state)))
        return (body, messages, commandRow, statusRow)
    }

    /// The lesson pane and the builder beside or under it; the text comes first.
    static func lessonSplit(_ rect: Rect, _ state: AppState) -> (pane: Rect, builder: Rect) {
        if state.lesson?.showsModel == true { return (Rect(x: rect.x, y: rect.y, width: 0, height: 0), rect) }
        if rect.width >= 110 {
            let split = rect.splitLeft(max(40, rect.width * 2 / 5))
            return (split.left, split.rest)
        }
        // Under the text, a strip of the model: the header, a few rows around
        // the selection, and the totals (Tab shows the whole model).
        let strip = min(state.model.layers.count + 4, rect.height >= 30 ? 12 : 7)
        let split = rect.splitTop(max(rect.height / 2, rect.height - strip))
        return (split.top, split.rest)
    }

    /// The inside of the lesson pane (within its box), in columns and rows.
    public static func lessonPaneInnerSize(_ state: AppState) -> (width: Int, height: Int) {
        let pane = lessonSplit(rows(state).body, state).pane
        return (max(1, pane.width - 2), max(1, pane.height - 2))
    }
}

// MARK: - Parts

/// The tabs of the title bar and the columns each takes (also where a click switches screens).
func titleTabs(_ state: AppState) -> [(label: String, screen: Screen, columns: Range<Int>)] {
    let tabs: [(String, Screen)] = [("1 Builder", .builder), ("2 Compare", .compare), ("3 Feature maps", .featureMaps),
                                    ("4 Experiment", .experiment)]
        + (state.lesson != nil ? [("Lesson", .lesson)] : [])
    var x = " cnn-tutor ".count
    return tabs.map { label, screen in
        let start = x + 1
        x = start + label.count + 2
        return (label, screen, start..<x)
    }
}

private func drawTitle(_ state: AppState, in rect: Rect, into buffer: inout ScreenBuffer) {
    let theme = state.theme
    buffer.fill(rect, style: theme.title)
    buffer.put(" cnn-tutor ", x: rect.x, y: rect.y, style: theme.title)
    var x = rect.x
    for tab in titleTabs(state) {
        var style = theme.title
        if tab.screen == state.screen { style.reverse.toggle(); style.underline = true }
        x = buffer.put(" \(tab.label) ", x: tab.columns.lowerBound, y: rect.y, style: style)
    }
    // The most useful facts first; each further one only if it fits.
    var right = "input " + (state.model.inputShape ?? []).map(String.init).joined(separator: theme.times)
    var extras: [String] = []
    if let total = state.totalParams { extras.append("\(KerasFormat.grouped(total)) params") }
    if let file = state.fileName { extras.append(file.split(separator: "/").last.map(String.init) ?? file) }
    for extra in extras where rect.maxX - right.count - extra.count - 4 > x + 1 {
        right = extra + " \(theme.dot) " + right
    }
    if rect.maxX - right.count - 1 > x + 1 {
        buffer.put(right, x: rect.maxX - right.count - 1, y: rect.y, style: theme.title)
    }
}

/// The message lines: completion candidates, then the last message (an error may span lines).
private func messageText(_ state: AppState) -> [[Span]] {
    let theme = state.theme
    var lines: [[Span]] = []
    if !state.completions.isEmpty {
        lines.append([Span("Tab: ", theme.muted), Span(state.completions.prefix(24).joined(separator: "  "), theme.code)])
    } else if let m = state.message {
        for (k, line) in m.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if m.kind == .error {
                // Unwrapped: a caret line must stay under the code it points at.
                lines.append([Span(String(line), k == 0 ? theme.error : theme.code)])
            } else {
                lines += [Span(String(line), theme.muted)].wrapped(width: state.width - 2)
            }
        }
    }
    if !state.editor.pending.isEmpty, state.prompt != nil {
        lines.append([Span("\(state.editor.pending.count) line\(state.editor.pending.count == 1 ? "" : "s") entered, brackets still open: \(state.editor.pending.last!)", theme.muted)])
    }
    return lines
}

private func drawCommandLine(_ state: AppState, in rect: Rect, into buffer: inout ScreenBuffer) -> (x: Int, y: Int)? {
    let theme = state.theme
    if state.confirmingQuit {
        let target = state.fileName.map { "save to \($0)" } ?? "save them"
        let keys = [Span("y", CellStyle(bold: true)), Span(" save \(theme.dot) "), Span("n", CellStyle(bold: true)),
                    Span(" quit without saving \(theme.dot) "), Span("Esc", CellStyle(bold: true)), Span(" stay")]
        // The keys must stay whole; the question gets what is left.
        let question = Format.fitting([" the model has unsaved changes: \(target) before quitting? ",
                                       " unsaved changes: \(target)? ", " unsaved changes: "],
                                      width: rect.width - keys.reduce(0) { $0 + $1.width })
        buffer.put([Span(question, theme.warning)] + keys, x: rect.x, y: rect.y, maxWidth: rect.width)
        return nil
    }
    guard let prompt = state.prompt else {
        let hint: String
        switch state.screen {
        case .builder, .lesson: hint = "a add a layer \(theme.dot) : command or paste \(theme.dot) ? help"
        case .compare: hint = "+/- input size \(theme.dot) h switch the head \(theme.dot) g avg/max"
        case .featureMaps: hint = "r run \(theme.dot) w trained/initial \(theme.dot) s step by step \(theme.dot) :image FILE.ppm"
        case .experiment: hint = ExperimentView.commandHint(state)
        }
        buffer.put(" " + hint, x: rect.x, y: rect.y, style: theme.muted, maxWidth: rect.width)
        return nil
    }
    let arrow = theme.caps.unicode ? "›" : ">"
    let label = prompt == .command ? ": " : "\(prompt.label) \(arrow) "
    let start = buffer.put(" " + label, x: rect.x, y: rect.y, style: theme.prompt)
    let room = rect.maxX - start - 1
    let text = state.editor.text
    // Scroll the line horizontally so the cursor stays visible.
    let offset = max(0, state.editor.cursor - room + 1)
    buffer.put(String(text.dropFirst(offset)), x: start, y: rect.y, maxWidth: room)
    let cx = start + state.editor.cursor - offset
    var cell = buffer[cx, rect.y]
    cell.style.reverse = true
    buffer[cx, rect.y] = cell
    return (cx, rect.y)
}

private func drawStatus(_ state: AppState, in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
    buffer.fill(rect, style: theme.status)
    let hints: [(String, String)]
    if state.confirmingQuit {
        hints = KeyMap.confirmQuit.hints.map { ($0.key, $0.what) }
    } else if state.prompt != nil {
        hints = KeyMap.commandLine.hints.enumerated().map { k, h in (h.key, k == 0 && state.prompt == .add ? "add" : h.what) }
    } else if state.showHelp {
        hints = [("any key", "close help"), ("j/k", "scroll")]
    } else if state.screen == .lesson, let lesson = state.lesson {
        hints = lesson.keys.map { ($0.key, $0.what) }
    } else {
        let own = state.screen == .experiment ? ExperimentView.statusHints(state)
            : KeyMap.hints(on: state.screen, stepByStep: state.features.step != nil).map { ($0.key, $0.what) }
        // Away from a lesson, the way back comes first.
        // The step-by-step view's own Esc closes it first; the next one goes back.
        let stepOpen = state.screen == .featureMaps && state.features.step != nil
        hints = (state.lesson != nil && !stepOpen ? [("Esc", "back to the lesson")] : []) + own
    }
    var x = rect.x + 1
    for (key, what) in hints {
        let k = theme.key(key)
        let needed = k.count + what.count + 3
        if x + needed > rect.maxX { break }
        var keyStyle = theme.status
        keyStyle.bold = true
        x = buffer.put(k, x: x, y: rect.y, style: keyStyle)
        x = buffer.put(" " + what + "  ", x: x, y: rect.y, style: theme.status)
    }
}

private func drawLesson(_ state: AppState, in rect: Rect, into buffer: inout ScreenBuffer) {
    let theme = state.theme
    guard let lesson = state.lesson else {
        BuilderView.draw(state, in: rect, into: &buffer)
        return
    }
    let (paneRect, builderRect) = AppLayout.lessonSplit(rect, state)
    if paneRect.height > 2 {
        let inner = Box.draw(paneRect, title: lesson.title, theme: theme, into: &buffer)
        let count = RichText.draw(lesson.text, in: inner, theme: theme, scroll: lesson.scroll, into: &buffer)
        let up = theme.caps.unicode ? "↑" : "^", down = theme.caps.unicode ? "↓" : "v"
        if lesson.scroll > 0 {
            let mark = " more \(up) "
            buffer.put(mark, x: paneRect.maxX - mark.count - 2, y: paneRect.y, style: theme.muted)
        }
        if lesson.scroll + inner.height < count {
            let mark = " more \(down) PgDn "
            buffer.put(mark, x: paneRect.maxX - mark.count - 2, y: paneRect.maxY - 1, style: theme.warning)
        }
    }
    BuilderView.draw(state, in: builderRect, into: &buffer)
}

private func drawTooSmall(_ state: AppState, into buffer: inout ScreenBuffer) {
    let times = state.theme.times
    let lines = ["terminal too small", "(need \(AppState.minimumWidth)\(times)\(AppState.minimumHeight), have \(state.width)\(times)\(state.height))",
                 "enlarge it, or press q"]
    let y0 = max(0, (state.height - lines.count) / 2)
    for (k, line) in lines.enumerated() {
        let x = max(0, (state.width - line.count) / 2)
        buffer.put(line, x: x, y: y0 + k, style: k == 0 ? CellStyle(bold: true) : .plain)
    }
}
