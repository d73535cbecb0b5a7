/// The help overlay: every key, grouped by screen.
enum HelpView {
    // Kept to 19 lines so that the whole list fits an 80×24 terminal without scrolling.
    static let sections: [(String, [(String, String)])] = [
        ("Builder", [
            ("↑ ↓  j k", "select a row (mouse: click, wheel, tabs)"),
            ("a  e Enter", "add layers after the selection; edit one"),
            ("x Del  y", "delete / duplicate the selected layer"),
            ("K J  u C-r", "move the layer up/down; undo / redo"),
            ("d  Space", "detail pane: formulas with your numbers"),
            ("+ -  i", "input size up / down, or type it"),
            ("h", "switch the head: Flatten <-> global pooling"),
            (":", "command line; paste a keras.Sequential block"),
            ("Tab", "complete a name; after a full one: template"),
        ]),
        ("Screens", [
            ("1 b  2 c  3 f  4 t", "builder, compare, feature maps, experiment"),
            ("g", "compare: average or max pooling"),
            ("r ← → ↑ ↓ o", "maps: run, channels, layers, image"),
            ("?  q  C-c", "this help, quit (C-c closes a prompt first)"),
        ]),
        ("Commands after :", [
            ("input 128  head gap", "input size; head gap, max or flatten"),
            ("open F.py  image F.ppm", "load a model; a PGM/PPM for the maps"),
            ("run  new  undo  redo", "forward pass, empty model, history"),
        ]),
    ]

    static func draw(_ state: AppState, in rect: Rect, into buffer: inout ScreenBuffer) {
        let theme = state.theme
        var lines: [[Span]] = []
        for (title, keys) in sections {
            lines.append([Span(title, theme.header)])
            for (key, what) in keys {
                let k = theme.caps.unicode ? key : key.replacingOccurrences(of: "↑", with: "Up").replacingOccurrences(of: "↓", with: "Down")
                    .replacingOccurrences(of: "←", with: "Left").replacingOccurrences(of: "→", with: "Right")
                lines.append([Span("  " + Table.aligned(k, width: 23, .left, ellipsis: theme.ellipsis), theme.key), Span(what.replacingOccurrences(of: "<->", with: theme.caps.unicode ? "↔" : "<->"))])
            }
        }
        let width = min(rect.width - 2, 72)
        let height = min(rect.height, lines.count + 2)
        let box = Rect(x: rect.x + (rect.width - width) / 2, y: rect.y + (rect.height - height) / 2, width: width, height: height)
        buffer.fill(box)
        let inner = Box.draw(box, title: "Help · any key closes".replacingOccurrences(of: "·", with: theme.dot), theme: theme, into: &buffer)
        let scroll = min(state.helpScroll, max(0, lines.count - inner.height))
        for (k, line) in lines.dropFirst(scroll).prefix(inner.height).enumerated() {
            buffer.put(line, x: inner.x + 1, y: inner.y + k, maxWidth: inner.width - 1)
        }
        if scroll + inner.height < lines.count {
            buffer.put(" j/k scroll ", x: box.maxX - 14, y: box.maxY - 1, style: theme.muted)
        }
    }
}

import Foundation
