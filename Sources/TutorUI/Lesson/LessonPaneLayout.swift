/// A lesson step's text wrapped to the pane: its lines, where each shown item starts, and the scroll.
///
/// The controller scrolls with it and the view draws the same text at the
/// same width, so both agree on every line.
struct LessonPaneLayout {
    /// The marked-up text, paragraphs separated by blank lines.
    let text: String
    /// How many wrapped lines the text takes.
    let lineCount: Int
    /// The first line of each shown item that has text, by its index in the session's `shown`.
    let itemStarts: [Int: Int]
    /// Text rows in the pane.
    let rows: Int
    var scroll = 0

    init(_ paragraphs: [LessonPaneText.Paragraph], width: Int, rows: Int, theme: Theme) {
        var starts: [Int: Int] = [:]
        var line = 0
        for (k, p) in paragraphs.enumerated() {
            if k > 0 { line += 1 }
            if starts[p.item] == nil { starts[p.item] = line }
            line += RichText.wrap(p.text, width: width, theme: theme).count
        }
        self.text = paragraphs.map(\.text).joined(separator: "\n\n")
        self.lineCount = line
        self.itemStarts = starts
        self.rows = max(1, rows)
    }

    /// The nearest scroll position that shows a full pane (0 when the text fits).
    func clamp(_ s: Int) -> Int { max(0, min(s, lineCount - rows)) }

    /// Scrolls to the end of the text, but keeps the first line of `item` (or the item after it) in view.
    func following(item: Int) -> Int {
        let bottom = clamp(lineCount)
        guard let start = itemStarts[item] ?? itemStarts.filter({ $0.key > item }).min(by: { $0.key < $1.key })?.value else {
            return bottom
        }
        return clamp(min(bottom, start))
    }
}
