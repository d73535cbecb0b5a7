/// Text with `**bold**` and `` `code` `` marks, wrapped to a width.
public enum RichText {
    /// Splits one line into spans: `**…**` bold, `` `…` `` in the code style.
    public static func spans(_ line: String, theme: Theme, base: CellStyle = .plain) -> [Span] {
        var spans: [Span] = []
        var current = ""
        var bold = false, code = false
        var chars = Array(line)[...]
        func flush() {
            guard !current.isEmpty else { return }
            var style = code ? theme.code : base
            if bold { style.bold = true }
            spans.append(Span(current, style))
            current = ""
        }
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "`" { flush(); code.toggle(); continue }
            if !code, c == "*", chars.first == "*" { chars = chars.dropFirst(); flush(); bold.toggle(); continue }
            current.append(c)
        }
        flush()
        return spans
    }

    /// Wraps marked-up text to `width` columns, keeping styles; `\n` starts a new line.
    public static func wrap(_ text: String, width: Int, theme: Theme, base: CellStyle = .plain) -> [[Span]] {
        guard width > 0 else { return [] }
        var lines: [[Span]] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = String(paragraph.prefix { $0 == " " })
            var line: [Span] = []
            var lineWidth = 0
            // Break spans into words; a word may run across spans (`99.4%` then `.`), and then it wraps as one.
            var words: [(pieces: [Span], space: Bool)] = []
            var spaceBefore = false
            var glue = false
            for span in spans(String(paragraph.dropFirst(indent.count)), theme: theme, base: base) {
                var word = ""
                func flush() {
                    guard !word.isEmpty else { return }
                    if glue, !spaceBefore, !words.isEmpty { words[words.count - 1].pieces.append(Span(word, span.style)) }
                    else { words.append(([Span(word, span.style)], spaceBefore)) }
                    word = ""
                    spaceBefore = false
                    glue = true
                }
                for c in span.text {
                    if c == " " {
                        flush()
                        spaceBefore = true
                        glue = false
                    } else {
                        word.append(c)
                    }
                }
                flush()
            }
            if !indent.isEmpty { line.append(Span(indent)); lineWidth = indent.count }
            for (pieces, space) in words {
                let count = pieces.reduce(0) { $0 + $1.text.count }
                let needed = (space && lineWidth > indent.count ? 1 : 0) + count
                if lineWidth + needed > width, lineWidth > indent.count {
                    lines.append(line)
                    line = indent.isEmpty ? [] : [Span(indent)]
                    lineWidth = indent.count
                } else if space && lineWidth > indent.count {
                    line.append(Span(" "))
                    lineWidth += 1
                }
                for piece in pieces {
                    var text = piece.text
                    // A word longer than the line is cut where the line ends.
                    while lineWidth + text.count > width, width - lineWidth > 0 {
                        let room = width - lineWidth
                        line.append(Span(String(text.prefix(room)), piece.style))
                        lines.append(line)
                        text = String(text.dropFirst(room))
                        line = []
                        lineWidth = 0
                    }
                    line.append(Span(text, piece.style))
                    lineWidth += text.count
                }
            }
            lines.append(line)
        }
        return lines
    }

    /// Draws wrapped text into `rect`, from line `scroll`; returns the number of lines the text needs.
    @discardableResult
    public static func draw(_ text: String, in rect: Rect, theme: Theme, base: CellStyle = .plain, scroll: Int = 0,
                            into buffer: inout ScreenBuffer) -> Int {
        let lines = wrap(text, width: rect.width, theme: theme, base: base)
        for (i, line) in lines.dropFirst(scroll).prefix(rect.height).enumerated() {
            buffer.put(line, x: rect.x, y: rect.y + i, maxWidth: rect.width)
        }
        return lines.count
    }
}
