/// A lesson: its front matter and its steps, as parsed from a Markdown file.
public struct Lesson: Sendable, Hashable {
    public var meta: LessonMeta
    /// Prose before the first `## ` heading (after an optional `# ` title).
    ///
    /// The parser also puts it at the start of the first step, which is where
    /// the app and playback show it; this copy is for a menu or a summary.
    public var intro: [ProseBlock]
    public var steps: [LessonStep]
    /// The path the lesson was read from, used in `file:line:` messages.
    public var file: String

    public init(meta: LessonMeta, intro: [ProseBlock] = [], steps: [LessonStep], file: String) {
        self.meta = meta
        self.intro = intro
        self.steps = steps
        self.file = file
    }

    public var id: String { meta.id }
    public var title: String { meta.title }
}

/// The YAML front matter of a lesson.
public struct LessonMeta: Sendable, Hashable {
    public var id: String
    public var title: String
    /// Position in the lesson menu.
    public var order: Int
    /// Estimated time to complete.
    public var minutes: Int
    /// Ids of lessons to take first.
    public var requires: [String]

    public init(id: String, title: String, order: Int, minutes: Int = 10, requires: [String] = []) {
        self.id = id
        self.title = title
        self.order = order
        self.minutes = minutes
        self.requires = requires
    }
}

/// One `## ` section of a lesson: a heading, then prose and actions in order.
public struct LessonStep: Sendable, Hashable {
    public var title: String
    /// The line of the `## ` heading.
    public var line: Int
    public var items: [StepItem]

    public init(title: String, line: Int, items: [StepItem] = []) {
        self.title = title
        self.line = line
        self.items = items
    }

    /// The actions of the step, in order.
    public var actions: [LessonAction] {
        items.compactMap { if case .action(let a) = $0 { a } else { nil } }
    }
}

/// A piece of a step: prose to read or an action to carry out.
public enum StepItem: Sendable, Hashable {
    case prose(ProseBlock)
    case action(LessonAction)
}
