import LessonKit

/// The lesson menu that `cnn-tutor` opens on: every lesson, the learner's progress, and where to resume.
public struct LessonMenu: Sendable {
    public var lessons: [Lesson]
    public var progress: LearnerProgress
    public var selection: Int
    /// Problems found while loading lessons or progress, shown under the list.
    public var warnings: [String]

    /// A menu over lessons, with the cursor on the lesson to resume.
    public init(lessons: [Lesson], progress: LearnerProgress, warnings: [String] = []) {
        self.lessons = lessons
        self.progress = progress
        self.warnings = warnings
        let resume = progress.lastLesson.flatMap { id in lessons.firstIndex { $0.id == id } }
        let firstUnfinished = lessons.firstIndex { progress.lessons[$0.id]?.completed != true }
        self.selection = resume.map { progress.lessons[lessons[$0].id]?.completed == true ? (firstUnfinished ?? $0) : $0 } ?? firstUnfinished ?? 0
    }

    /// What a key in the menu asks for.
    public enum Choice: Hashable, Sendable {
        /// Open the lesson at this index, at a step; `fresh` forgets the answers given before.
        case open(Int, step: Int, fresh: Bool)
        case builder
        case quit
    }

    /// Moves the cursor, or returns what the learner chose.
    public mutating func handle(_ key: Key) -> Choice? {
        switch key {
        case .up, .char("k"): selection = max(0, selection - 1)
        case .down, .char("j"): selection = min(max(0, lessons.count - 1), selection + 1)
        case .home, .char("g"): selection = 0
        case .end, .char("G"): selection = max(0, lessons.count - 1)
        case .enter, .right, .char("l"):
            guard lessons.indices.contains(selection) else { return nil }
            let p = progress.lessons[lessons[selection].id]
            let step = p.map { $0.completed ? 0 : min($0.step, lessons[selection].steps.count - 1) } ?? 0
            return .open(selection, step: step, fresh: p?.completed == true)
        case .char("r"):
            guard lessons.indices.contains(selection) else { return nil }
            return .open(selection, step: 0, fresh: true)
        case .char("b"): return .builder
        case .char("q"), .ctrl("c"): return .quit
        case .char(let c) where c.isNumber:
            if let n = Int(String(c)), let i = lessons.firstIndex(where: { $0.meta.order == (n == 0 ? 10 : n) }) { selection = i }
        default: break
        }
        return nil
    }

    /// Draws the menu over the whole buffer.
    public func draw(into buffer: inout ScreenBuffer, width: Int, height: Int, theme: Theme) {
        buffer.resize(width: width, height: height)
        buffer.clear()
        let full = buffer.bounds
        buffer.fill(full.row(0), style: theme.title)
        buffer.put(" cnn-tutor \(theme.dot) lessons", x: 0, y: 0, style: theme.title)
        let done = lessons.filter { progress.lessons[$0.id]?.completed == true }.count
        let right = "\(done)/\(lessons.count) done "
        buffer.put(right, x: max(0, width - right.count), y: 0, style: theme.title)

        let intro = "Why modern CNNs end in global pooling instead of Flatten(), in "
            + (lessons.count == 1 ? "one lesson." : "\(lessons.count) lessons.")
        buffer.put(intro, x: 2, y: 2, style: theme.muted, maxWidth: width - 4)
        let listTop = 4
        let footerRows = 2 + min(3, warnings.count)
        let rows = max(1, height - listTop - footerRows)
        let first = max(0, min(selection - rows / 2, lessons.count - rows))
        for (k, i) in (first..<min(lessons.count, first + rows)).enumerated() {
            let lesson = lessons[i]
            let p = progress.lessons[lesson.id]
            let mark = p?.completed == true ? (theme.caps.unicode ? "✓" : "*") : (p != nil ? (theme.caps.unicode ? "…" : ">") : " ")
            let status = p.map { $0.completed ? "done" : "step \($0.step + 1)/\(lesson.steps.count)" } ?? "\(lesson.meta.minutes) min"
            let order = String(lesson.meta.order)
            let title = (order.count < 2 ? " " : "") + order + ". " + lesson.title
            var style = i == selection ? theme.selected : CellStyle.plain
            if i != selection, p?.completed == true { style = theme.good }
            let y = listTop + k
            buffer.fill(Rect(x: 1, y: y, width: width - 2, height: 1), style: i == selection ? theme.selected : .plain)
            buffer.put(" \(mark) \(title)", x: 1, y: y, style: style, maxWidth: width - 16)
            buffer.put(status, x: max(2, width - status.count - 2), y: y, style: i == selection ? theme.selected : theme.muted)
        }
        for (k, w) in warnings.suffix(3).enumerated() {
            buffer.put(w, x: 2, y: height - footerRows + k, style: theme.warning, maxWidth: width - 4)
        }
        let keys = ["Enter open / resume", "r restart", "b builder", "q quit"].joined(separator: " \(theme.dot) ")
        buffer.fill(full.row(height - 1), style: theme.status)
        buffer.put(" " + keys, x: 0, y: height - 1, style: theme.status, maxWidth: width)
    }
}
