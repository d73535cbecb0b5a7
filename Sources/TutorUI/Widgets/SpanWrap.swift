extension Array where Element == Span {
    /// The line broken at spaces to fit `width`, its continuation indented by two.
    func wrapped(width: Int) -> [[Span]] {
        // Most lines fit: they are not taken apart.
        guard width > 10, reduce(0, { $0 + $1.text.count }) > width else { return [self] }
        var cells: [(Character, CellStyle)] = flatMap { span in span.text.map { ($0, span.style) } }
        var out: [[Span]] = []
        while cells.count > width {
            // A break after the continuation's indent, so that every line moves on.
            let space = cells[3..<width].lastIndex { $0.0 == " " }
            let cut = space ?? width
            out.append(Self.joined([(Character, CellStyle)](cells[..<cut])))
            cells = [(" ", .plain), (" ", .plain)] + cells[(space == nil ? cut : cut + 1)...]
        }
        out.append(Self.joined(cells))
        return out
    }

    /// Characters and styles joined back into spans.
    static func joined(_ cells: [(Character, CellStyle)]) -> [Span] {
        var out: [Span] = []
        for (ch, style) in cells {
            if let last = out.last, last.style == style { out[out.count - 1] = Span(last.text + String(ch), style) }
            else { out.append(Span(String(ch), style)) }
        }
        return out
    }
}
