/// The help overlay: every key of the key map, grouped by screen, then the commands.
enum HelpView {
    /// The help's lines: a title, then (keys, what they do) for each binding; in a lesson, its keys come first.
    static func sections(_ state: AppState) -> [(String, [(String, String)])] {
        func lines<A>(_ section: KeySection<A>) -> (String, [(String, String)]) {
            // A binding whose label is shared with the one before it (`↑ ↓` covers ↓) is not listed twice.
            var out: [(String, String)] = []
            for b in section.bindings where !(out.last.map { $0.0.contains(b.label) } ?? false) { out.append((b.label, b.help)) }
            return (section.title, out)
        }
        let app = [lines(KeyMap.builder), lines(KeyMap.global), lines(KeyMap.compare), lines(KeyMap.featureMaps), lines(KeyMap.stepByStep), lines(KeyMap.experiment),
                   lines(KeyMap.confirmQuit),
                   lines(KeyMap.commandLine), ("Commands after :", KeyMap.commands.map { ($0.key, $0.what) })]
        let lesson = [lines(LessonKeys.lesson), lines(LessonKeys.scrolling), lines(LessonKeys.quiz), lines(LessonKeys.task)]
        return state.lesson != nil ? lesson + app : app + lesson
    }

    static func draw(_ state: AppState, in rect: Rect, into buffer: inout ScreenBuffer) {
        let theme = state.theme
        var lines: [[Span]] = []
        for (title, keys) in sections(state) {
            lines.append([Span(title, theme.header)])
            for (key, what) in keys {
                lines.append([Span("  " + Table.aligned(theme.key(key), width: 23, .left, ellipsis: theme.ellipsis), theme.key), Span(what)])
            }
        }
        let width = min(rect.width - 2, 72)
        let height = min(rect.height, lines.count + 2)
        let box = Rect(x: rect.x + (rect.width - width) / 2, y: rect.y + (rect.height - height) / 2, width: width, height: height)
        buffer.fill(box)
        let inner = Box.draw(box, title: "Help \(theme.dot) any key closes", theme: theme, into: &buffer)
        let scroll = min(state.helpScroll, max(0, lines.count - inner.height))
        for (k, line) in lines.dropFirst(scroll).prefix(inner.height).enumerated() {
            buffer.put(line, x: inner.x + 1, y: inner.y + k, maxWidth: inner.width - 1)
        }
        if scroll + inner.height < lines.count {
            buffer.put(" j/k scroll ", x: box.maxX - 14, y: box.maxY - 1, style: theme.muted)
        }
    }
}

