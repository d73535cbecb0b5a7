/// A run of prose text ready to draw: its style, and whether the engine computed it.
public struct StyledRun: Sendable, Hashable {
    public var text: String
    public var style: InlineStyle
    /// True for the value of a `{{…}}` template, so screens can highlight it.
    public var computed: Bool
    public init(_ text: String, _ style: InlineStyle = .plain, computed: Bool = false) {
        self.text = text
        self.style = style
        self.computed = computed
    }
}

/// A prose block with its templates filled in.
public struct RenderedBlock: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case paragraph
        case listItem(marker: String, indent: Int)
        case heading
        case code(language: String)
    }
    public var kind: Kind
    public var runs: [StyledRun]
    public var line: Int

    /// The text without styles.
    public var plainText: String { runs.map(\.text).joined() }
}

extension ProseBlock {
    /// Fills in every template with its value on `state`.
    ///
    /// A template whose claim fails shows the value the engine computed, and
    /// one that can't be computed shows `?`: never an error message. Both are
    /// lesson bugs that `lessons validate` reports with their line.
    public func rendered(in state: LessonState) -> RenderedBlock {
        switch self {
        case .paragraph(let inl, let line): return RenderedBlock(kind: .paragraph, runs: Self.runs(inl, state), line: line)
        case .listItem(let m, let inl, let indent, let line):
            return RenderedBlock(kind: .listItem(marker: m, indent: indent), runs: Self.runs(inl, state), line: line)
        case .heading(let inl, let line): return RenderedBlock(kind: .heading, runs: Self.runs(inl, state), line: line)
        case .code(let text, let lang, let line): return RenderedBlock(kind: .code(language: lang), runs: [StyledRun(text, .code)], line: line)
        }
    }

    static func runs(_ inlines: [Inline], _ state: LessonState) -> [StyledRun] {
        inlines.map { inline in
            switch inline {
            case .text(let t, let style): return StyledRun(t, style)
            case .template(let template, let style):
                return StyledRun(template.shownText(in: state), style, computed: true)
            }
        }
    }
}

extension Array where Element == Inline {
    /// Renders inline prose (a quiz question, an explanation) on a state.
    public func rendered(in state: LessonState) -> [StyledRun] { ProseBlock.runs(self, state) }

    /// The text with templates shown as written, for places without a state.
    public var sourceText: String {
        map { inline in
            switch inline {
            case .text(let t, _): t
            case .template(let t, _): "{{\(t.source)}}"
            }
        }.joined()
    }
}
