/// A table with a header row, fixed-width columns and one selectable row.
public struct Table {
    /// One column: its title, width in cells and alignment.
    public struct Column: Sendable {
        public enum Alignment: Sendable { case left, right }
        public var title: String
        public var width: Int
        public var alignment: Alignment
        public init(_ title: String, width: Int, _ alignment: Alignment = .left) {
            self.title = title
            self.width = width
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    /// Each row's cells, one list of spans per column.
    public var rows: [[[Span]]]
    public var selected: Int?
    /// The first row shown.
    public var scroll: Int
    public var gap: Int = 1

    public init(columns: [Column], rows: [[[Span]]], selected: Int? = nil, scroll: Int = 0) {
        self.columns = columns
        self.rows = rows
        self.selected = selected
        self.scroll = scroll
    }

    /// The first row to show so that `selected` stays visible in `visibleRows`.
    public static func scroll(keeping selected: Int, current: Int, visibleRows: Int, rowCount: Int) -> Int {
        guard visibleRows > 0 else { return 0 }
        var s = current
        if selected < s { s = selected }
        if selected >= s + visibleRows { s = selected - visibleRows + 1 }
        return max(0, min(s, max(0, rowCount - visibleRows)))
    }

    /// Draws the header and as many rows as fit in `rect`.
    public func draw(in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        guard rect.height > 0 else { return }
        var x = rect.x
        // A column of width 0 is hidden, gap included.
        for column in columns where column.width > 0 {
            let text = Table.aligned(column.title, width: column.width, column.alignment, ellipsis: theme.ellipsis)
            buffer.put(text, x: x, y: rect.y, style: theme.header, maxWidth: min(column.width, rect.maxX - x))
            x += column.width + gap
        }
        let visible = rect.height - 1
        guard visible > 0 else { return }
        for (offset, rowIndex) in (scroll..<min(rows.count, scroll + visible)).enumerated() {
            let y = rect.y + 1 + offset
            var x = rect.x
            for (column, spans) in zip(columns, rows[rowIndex]) where column.width > 0 {
                let width = min(column.width, rect.maxX - x)
                if width <= 0 { break }
                let textWidth = spans.reduce(0) { $0 + $1.width }
                if textWidth > column.width {
                    let joined = spans.map(\.text).joined()
                    let text = Table.aligned(joined, width: column.width, column.alignment, ellipsis: theme.ellipsis)
                    buffer.put(text, x: x, y: y, style: spans.first?.style ?? .plain, maxWidth: width)
                } else {
                    let pad = column.alignment == .right ? column.width - textWidth : 0
                    buffer.put(spans, x: x + pad, y: y, maxWidth: width - pad)
                }
                x += column.width + gap
            }
            if rowIndex == selected {
                buffer.restyle(Rect(x: rect.x, y: y, width: rect.width, height: 1)) { $0.reverse = true }
            }
        }
    }

    /// `text` padded or cut to `width`, cut with an ellipsis.
    public static func aligned(_ text: String, width: Int, _ alignment: Column.Alignment, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if text.count > width {
            return String(text.prefix(max(0, width - ellipsis.count))) + ellipsis.prefix(width)
        }
        let pad = String(repeating: " ", count: width - text.count)
        return alignment == .left ? text + pad : pad + text
    }
}
