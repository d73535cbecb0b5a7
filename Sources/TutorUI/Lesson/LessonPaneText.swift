import Foundation
import LessonKit

/// Turns what a lesson step has shown into the marked-up text of the lesson pane.
///
/// The pane's text uses RichText's marks (`**bold**`, `` `code` ``). When the
/// step is longer than the pane, the oldest paragraphs scroll off the top, so
/// the question being asked is always in view.
enum LessonPaneText {
    /// What the learner or the player is typing, and where.
    struct Typing: Equatable {
        var text: String
        /// True while the player types (no cursor blinking, no hints).
        var automatic: Bool
    }

    /// The pane's paragraphs for the session's current step.
    static func paragraphs(_ session: LessonSession, typing: Typing?, feedback: String?) -> [String] {
        var out: [String] = []
        for (i, item) in session.shown.enumerated() {
            let waiting = session.waitingAt == i
            switch item {
            case .prose(let block):
                switch block.kind {
                case .paragraph: out.append(markup(block.runs))
                case .heading: out.append("**" + block.plainText + "**")
                case .listItem(let marker, let indent):
                    out.append(String(repeating: "  ", count: indent + 1) + marker + " " + markup(block.runs))
                case .code:
                    out.append(block.plainText.split(separator: "\n", omittingEmptySubsequences: false)
                        .map { "    `" + $0 + "`" }.joined(separator: "\n"))
                }
            case .action(let action):
                if let line = actionLine(action.kind) { out.append(line) }
            case .quiz(let q, let status):
                var lines = ["**?** " + markup(session.prompts[i] ?? q.question.rendered(in: session.state))]
                if case .choice(_, let choices) = q.answer {
                    for (k, c) in choices.enumerated() { lines.append("   \(letter(k))) \(c)") }
                }
                switch status {
                case .asking(_, let hints):
                    if waiting { lines.append("answer › `" + (typing?.text ?? "") + "▏`") }
                    for h in q.hints.prefix(hints) { lines.append("hint: " + markup(h.rendered(in: session.state))) }
                    if waiting, let feedback { lines.append(feedback) }
                case .answered(let typed, _):
                    lines.append("✓ `\(typed)`")
                    if let ex = session.explanations[i], !ex.isEmpty { lines.append(markup(ex)) }
                case .revealed:
                    lines.append("answer: `\(q.answer.typedText)`")
                    if let ex = session.explanations[i], !ex.isEmpty { lines.append(markup(ex)) }
                }
                out.append(lines.joined(separator: "\n"))
            case .task(let t, let status):
                var lines = ["**Task:** " + markup(session.prompts[i] ?? t.prompt.rendered(in: session.state))]
                switch status {
                case .working(_, let hints):
                    for g in t.goals {
                        let ok = (try? g.assertion.check(in: session.state).passed) ?? false
                        lines.append((ok ? "  ✓ " : "  ✗ ") + "`" + g.assertion.text + "`")
                    }
                    for h in t.hints.prefix(hints) { lines.append("hint: " + markup(h.rendered(in: session.state))) }
                    if waiting, let typing { lines.append("› `" + typing.text + "▏`") }
                    if waiting, let feedback { lines.append(feedback) }
                case .done:
                    lines.append("✓ every goal holds")
                    if let ex = session.explanations[i], !ex.isEmpty { lines.append(markup(ex)) }
                }
                out.append(lines.joined(separator: "\n"))
            case .checked(_, let failures):
                // Checks that hold are for `lessons validate`; only a failure is worth the learner's attention.
                if !failures.isEmpty { out.append(failures.map { "✗ " + $0 }.joined(separator: "\n")) }
            case .problem(let message):
                out.append("! " + message)
            }
        }
        return out
    }

    /// The paragraphs joined, with the oldest dropped until the rest fits `width`×`height`.
    static func fitted(_ paragraphs: [String], width: Int, height: Int, theme: Theme) -> String {
        guard width > 0, height > 0 else { return "" }
        var kept = paragraphs
        func lines(_ ps: [String]) -> Int { RichText.wrap(ps.joined(separator: "\n\n"), width: width, theme: theme).count }
        var dropped = false
        while kept.count > 1, lines(kept) + (dropped ? 1 : 0) > height {
            kept.removeFirst()
            dropped = true
        }
        return (dropped ? "…\n" : "") + kept.joined(separator: "\n\n")
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

    static func actionLine(_ kind: ActionKind) -> String? {
        switch kind {
        case .model(_, let model, let name): return "› model\(name.map { " @" + $0 } ?? ""): \(model.layers.count) layers"
        case .add(let layers, _): return layers.map { "› add `\($0.code)`" }.joined(separator: "\n")
        case .remove(let names): return names.map { "› remove `\($0)`" }.joined(separator: "\n")
        case .replace(let from, let through, let layers):
            return "› replace `\(from)`\(through.map { "…`\($0)`" } ?? ""): " + layers.map { "`\($0.code)`" }.joined(separator: ", ")
        case .input(let shape): return "› input `\(shape.map(String.init).joined(separator: ", "))`"
        case .view(let v, _): return "› view \(v)"
        case .run: return "› run on the sample image"
        case .save, .load, .quiz, .task, .expect, .experiment: return nil
        }
    }

    static func letter(_ k: Int) -> String { String(Character(Unicode.Scalar(UInt8(97 + k)))) }
}
