/// Counts of what a lesson checks against the engine.
public struct LessonStats: Sendable, Hashable {
    public var templates = 0
    public var expects = 0
    public var quizzes = 0
    public var tasks = 0

    public init(lesson: Lesson) {
        // The intro is the first step's opening, so the steps hold all the prose.
        let blocks = lesson.steps.flatMap { $0.items.compactMap { if case .prose(let p) = $0 { p } else { nil } } }
        templates = blocks.reduce(0) { $0 + $1.templates.count }
        for step in lesson.steps {
            for action in step.actions {
                switch action.kind {
                case .expect(let list): expects += list.count
                case .quiz(let q):
                    quizzes += q.check == nil ? 0 : 1
                    templates += Self.count(q.question) + Self.count(q.explanation) + q.hints.reduce(0) { $0 + Self.count($1) }
                case .task(let t):
                    tasks += 1
                    expects += t.goals.count
                    templates += Self.count(t.prompt) + Self.count(t.explanation) + t.hints.reduce(0) { $0 + Self.count($1) }
                default: break
                }
            }
        }
    }

    static func count(_ inlines: [Inline]) -> Int {
        inlines.filter { if case .template = $0 { true } else { false } }.count
    }

    /// Every number or claim checked.
    public var checks: Int { templates + expects + quizzes + tasks }
}
