/// A bordered box with a title in its top edge.
public enum Box {
    /// Draws the border of `rect` and returns the area inside it.
    @discardableResult
    public static func draw(_ rect: Rect, title: String? = nil, theme: Theme, titleStyle: CellStyle? = nil,
                            into buffer: inout ScreenBuffer) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let g = theme.box
        let style = theme.border
        let horizontal = String(repeating: g.horizontal, count: rect.width - 2)
        buffer.put(String(g.topLeft) + horizontal + String(g.topRight), x: rect.x, y: rect.y, style: style)
        buffer.put(String(g.bottomLeft) + horizontal + String(g.bottomRight), x: rect.x, y: rect.maxY - 1, style: style)
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            buffer.put(String(g.vertical), x: rect.x, y: y, style: style)
            buffer.put(String(g.vertical), x: rect.maxX - 1, y: y, style: style)
        }
        if let title, rect.width > 6 {
            buffer.put(" \(title) ", x: rect.x + 2, y: rect.y, style: titleStyle ?? CellStyle(bold: true), maxWidth: rect.width - 4)
        }
        return rect.inset(1)
    }
}
