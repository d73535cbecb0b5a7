/// Splits Markdown prose into styled inline runs: `**bold**`, `*italic*`, `` `code` `` and `{{…}}`.
enum ProseParser {
    /// Parses one logical line (paragraph lines already joined with spaces).
    ///
    /// - Throws: ``LessonError`` for an unclosed `{{` or a template the
    ///   expression parser rejects.
    static func inlines(_ text: String, file: String, line: Int) throws(LessonError) -> [Inline] {
        var out: [Inline] = []
        var style = InlineStyle.plain
        var buffer = ""
        let chars = Array(text)
        var i = 0
        func flush() {
            if !buffer.isEmpty { out.append(.text(buffer, style)); buffer = "" }
        }
        while i < chars.count {
            let c = chars[i]
            let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            if c == "{", next == "{" {
                guard let close = find("}}", in: chars, from: i + 2) else {
                    throw LessonError(file: file, line: line, "unclosed template '{{' (add '}}')")
                }
                flush()
                let body = String(chars[(i + 2)..<close])
                do {
                    var template = try Template.parse(body)
                    template.line = line
                    out.append(.template(template, style))
                } catch {
                    throw LessonError(file: file, line: line, "in template {{\(body)}}: \(error.message)")
                }
                i = close + 2
                continue
            }
            if style == .code {
                if c == "`" { flush(); style = .plain } else { buffer.append(c) }
                i += 1
                continue
            }
            if c == "`" {
                flush(); style = .code; i += 1; continue
            }
            if c == "*", next == "*" {
                flush(); style = style == .bold ? .plain : .bold; i += 2; continue
            }
            if c == "*", style != .bold, next != " " || style == .italic {
                flush(); style = style == .italic ? .plain : .italic; i += 1; continue
            }
            if c == "\\", let n = next, "*`{_\\".contains(n) {
                buffer.append(n); i += 2; continue
            }
            buffer.append(c)
            i += 1
        }
        flush()
        return out
    }

    private static func find(_ needle: String, in chars: [Character], from start: Int) -> Int? {
        let n = Array(needle)
        guard chars.count >= n.count else { return nil }
        var i = start
        while i + n.count <= chars.count {
            if Array(chars[i..<(i + n.count)]) == n { return i }
            i += 1
        }
        return nil
    }
}
