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
            // Break spans into words, each keeping the style of its span.
            var words: [(String, CellStyle, Bool)] = []  // text, style, space before
            var spaceBefore = false
            for span in spans(String(paragraph.dropFirst(indent.count)), theme: theme, base: base) {
                var word = ""
                for c in span.text {
                    if c == " " {
                        if !word.isEmpty { words.append((word, span.style, spaceBefore)); word = "" }
                        spaceBefore = true
                    } else {
                        word.append(c)
                    }
                }
                if !word.isEmpty { words.append((word, span.style, spaceBefore)); spaceBefore = false }
            }
            if !indent.isEmpty { line.append(Span(indent)); lineWidth = indent.count }
            for (var word, style, space) in words {
                let needed = (space && lineWidth > indent.count ? 1 : 0) + word.count
                if lineWidth + needed > width, lineWidth > indent.count {
                    lines.append(line)
                    line = indent.isEmpty ? [] : [Span(indent)]
                    lineWidth = indent.count
                } else if space && lineWidth > indent.count {
                    line.append(Span(" "))
                    lineWidth += 1
                }
                while lineWidth + word.count > width && word.count > width - lineWidth && width - lineWidth > 0 {
                    let room = width - lineWidth
                    line.append(Span(String(word.prefix(room)), style))
                    lines.append(line)
                    word = String(word.dropFirst(room))
                    line = []
                    lineWidth = 0
                }
                line.append(Span(word, style))
                lineWidth += word.count
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
