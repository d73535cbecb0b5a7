/// A bordered box with a title in its top edge.
public enum Box {
    /// Draws the border of `rect` and returns the area inside it.
    @discardableResult
    public static func draw(_ rect: Rect, title: String? = nil, theme: Theme, titleStyle: CellStyle? = nil,
                            into buffer: inout ScreenBuffer) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let g = theme.box
        let style = theme.border
        // Filled cell by cell: a line of box glyphs built as a String and
        // walked again by `put` cost a tenth of a frame.
        let top = rect.y, bottom = rect.maxY - 1, left = rect.x, right = rect.maxX - 1
        buffer.fill(Rect(x: left, y: top, width: 1, height: 1), g.topLeft, style: style)
        buffer.fill(Rect(x: right, y: top, width: 1, height: 1), g.topRight, style: style)
        buffer.fill(Rect(x: left, y: bottom, width: 1, height: 1), g.bottomLeft, style: style)
        buffer.fill(Rect(x: right, y: bottom, width: 1, height: 1), g.bottomRight, style: style)
        buffer.fill(Rect(x: left + 1, y: top, width: rect.width - 2, height: 1), g.horizontal, style: style)
        buffer.fill(Rect(x: left + 1, y: bottom, width: rect.width - 2, height: 1), g.horizontal, style: style)
        buffer.fill(Rect(x: left, y: top + 1, width: 1, height: rect.height - 2), g.vertical, style: style)
        buffer.fill(Rect(x: right, y: top + 1, width: 1, height: rect.height - 2), g.vertical, style: style)
        if let title, rect.width > 6 {
            buffer.put(" \(title) ", x: rect.x + 2, y: rect.y, style: titleStyle ?? CellStyle(bold: true), maxWidth: rect.width - 4)
        }
        return rect.inset(1)
    }
}
