import Foundation
import LessonKit

/// Turns what a lesson step has shown into the marked-up text of the lesson pane.
///
/// The pane's text uses RichText's marks (`**bold**`, `` `code` ``); the
/// whole step is kept, and the pane scrolls over it (``LessonPaneLayout``).
enum LessonPaneText {
    /// One paragraph of the pane, and the shown item it comes from.
    struct Paragraph: Equatable {
        var item: Int
        var text: String
    }

    /// The pane's paragraphs for the session's current step.
    static func paragraphs(_ session: LessonSession, answer: String, feedback: String?) -> [Paragraph] {
        var out: [Paragraph] = []
        for (i, item) in session.shown.enumerated() {
            func add(_ text: String) { out.append(Paragraph(item: i, text: text)) }
            let waiting = session.waitingAt == i
            switch item {
            case .prose(let block):
                switch block.kind {
                case .paragraph: add(markup(block.runs))
                case .heading: add("**" + block.plainText + "**")
                case .listItem(let marker, let indent):
                    add(String(repeating: "  ", count: indent + 1) + marker + " " + markup(block.runs))
                case .code:
                    add(block.plainText.split(separator: "\n", omittingEmptySubsequences: false)
                        .map { "    `" + $0 + "`" }.joined(separator: "\n"))
                }
            case .action(let action):
                if let line = action.kind.learnerLine { add(line) }
            case .quiz(let q, let status):
                var lines = ["**?** " + markup(session.prompts[i] ?? q.question.rendered(in: session.state))]
                if case .choice(_, let choices) = q.answer {
                    for (k, c) in choices.enumerated() { lines.append("   \(letter(k))) \(c)") }
                }
                switch status {
                case .asking(_, let hints):
                    if waiting { lines.append("answer › `" + answer + "▏`") }
                    for h in q.hints.prefix(hints) { lines.append("hint: " + markup(h.rendered(in: session.state))) }
                    if waiting, let feedback { lines.append(feedback) }
                case .answered(let typed, _):
                    lines.append("✓ `\(typed)`")
                    if let ex = session.explanations[i], !ex.isEmpty { lines.append(markup(ex)) }
                case .revealed:
                    lines.append("answer: `\(q.answer.typedText)`")
                    if let ex = session.explanations[i], !ex.isEmpty { lines.append(markup(ex)) }
                }
                add(lines.joined(separator: "\n"))
            case .task(let t, let status):
                var lines = ["**Task:** " + markup(session.prompts[i] ?? t.prompt.rendered(in: session.state))]
                switch status {
                case .working(_, let hints):
                    for g in t.goalStatus(in: session.state) {
                        lines.append((g.holds ? "  ✓ " : "  ✗ ") + g.label)
                    }
                    for h in t.hints.prefix(hints) { lines.append("hint: " + markup(h.rendered(in: session.state))) }
                    if waiting, let feedback { lines.append(feedback) }
                case .done:
                    lines.append("✓ every goal holds")
                    if let ex = session.explanations[i], !ex.isEmpty { lines.append(markup(ex)) }
                }
                add(lines.joined(separator: "\n"))
            case .checked(_, let failures):
                // Checks that hold are for `lessons validate`; only a failure is worth the learner's attention.
                if !failures.isEmpty { add(failures.map { "✗ " + $0 }.joined(separator: "\n")) }
            case .problem(let message):
                add("! " + message)
            }
        }
        return out
    }

    /// The end of a lesson: what was covered and how the quizzes went.
    static func summary(_ session: LessonSession) -> String {
        let lesson = session.lesson
        var lines = ["**\(lesson.title): done.**", "", "The steps you went through:"]
        for (k, step) in lesson.steps.enumerated() { lines.append("  \(k + 1). \(step.title)") }
        let (right, answered) = session.score
        if answered > 0 {
            lines += ["", "Quizzes: \(right) of \(answered) right the first time."]
        }
        lines += ["", "Press any key to go on."]
        return lines.joined(separator: "\n")
    }

    static func markup(_ runs: [StyledRun]) -> String {
        runs.map { run in
            let text = run.text.replacingOccurrences(of: "`", with: "'")
            switch run.style {
            case .code: return "`" + text + "`"
            case .bold: return "**" + text + "**"
            default: return run.computed ? "**" + text + "**" : text.replacingOccurrences(of: "**", with: "*")
            }
        }.joined()
    }

    static func letter(_ k: Int) -> String { String(Character(Unicode.Scalar(UInt8(97 + k)))) }
}
