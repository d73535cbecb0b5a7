/// A block of lesson prose: a paragraph, a list item or a code sample.
public enum ProseBlock: Sendable, Hashable {
    /// A paragraph; `line` is where it starts in the file.
    case paragraph([Inline], line: Int)
    /// A list item; `marker` is `•` for bullets or `3.` for numbered items.
    case listItem(marker: String, [Inline], indent: Int, line: Int)
    /// A fenced sample shown as is (```python, ```text or a bare fence).
    case code(String, language: String, line: Int)
    /// A `### ` sub-heading inside a step.
    case heading([Inline], line: Int)

    public var line: Int {
        switch self {
        case .paragraph(_, let l), .listItem(_, _, _, let l), .code(_, _, let l), .heading(_, let l): l
        }
    }

    /// Every template in the block, in order.
    public var templates: [Template] {
        let inlines: [Inline]
        switch self {
        case .paragraph(let i, _), .listItem(_, let i, _, _), .heading(let i, _): inlines = i
        case .code: inlines = []
        }
        return inlines.compactMap { if case .template(let t, _) = $0 { t } else { nil } }
    }
}

/// How an inline run is shown.
public enum InlineStyle: Sendable, Hashable {
    case plain, bold, italic, code
}

/// A run of text inside prose: plain words, or a `{{…}}` template computed by the engine.
public enum Inline: Sendable, Hashable {
    case text(String, InlineStyle)
    case template(Template, InlineStyle)
}
