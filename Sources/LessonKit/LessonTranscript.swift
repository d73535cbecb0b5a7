import CNNModel

/// Plain-text screens of a lesson, for `play --headless`, CI and piping.
public enum LessonTranscript {
    /// Plays the whole lesson with the right answers and the tasks' solutions,
    /// and returns every step's screen, one after another.
    public static func render(_ lesson: Lesson, width: Int = 80) -> String {
        var session = LessonSession(lesson: lesson)
        var out: [String] = []
        while true {
            session.finishStep()
            out.append(screen(of: session, width: width))
            if session.isLastStep { break }
            session.nextStep()
        }
        return out.joined(separator: "\n")
    }

    /// The current step as a screen of text: heading, prose, actions, quizzes, then the model.
    public static func screen(of session: LessonSession, width: Int = 80) -> String {
        var lines: [String] = []
        let lesson = session.lesson
        let head = "── \(lesson.title) · step \(session.stepIndex + 1)/\(session.stepCount): \(session.step.title) "
        lines.append(head + String(repeating: "─", count: max(0, width - head.count)))
        lines.append("")
        var previousWasList = false
        for (i, item) in session.shown.enumerated() {
            var isList = false
            if case .prose(let b) = item, case .listItem = b.kind { isList = true }
            if previousWasList, !isList { lines.append("") }
            previousWasList = isList
            lines += itemLines(item, session.state, prompt: session.prompts[i], explanation: session.explanations[i], width: width)
        }
        lines.append("")
        lines += modelLines(session.state, width: width)
        return lines.joined(separator: "\n") + "\n"
    }

    static func itemLines(_ item: ShownItem, _ state: LessonState, prompt: [StyledRun]?, explanation: [StyledRun]?, width: Int) -> [String] {
        switch item {
        case .prose(let block):
            switch block.kind {
            case .paragraph: return wrap(block.plainText, width: width) + [""]
            case .heading: return [block.plainText.uppercased(), ""]
            case .listItem(let marker, let indent):
                let pad = String(repeating: "  ", count: indent)
                return wrap(block.plainText, width: width, first: pad + marker + " ", rest: pad + String(repeating: " ", count: marker.count + 1))
            case .code:
                return block.plainText.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 } + [""]
            }
        case .action(let action):
            return actionLines(action.kind)
        case .quiz(let q, let status):
            var out = wrap((prompt ?? q.question.rendered(in: state)).map(\.text).joined(), width: width, first: "  ? ", rest: "    ")
            if case .choice(_, let choices) = q.answer {
                for (i, c) in choices.enumerated() { out.append("      \(Character(Unicode.Scalar(UInt8(97 + i)))) \(c)") }
            }
            switch status {
            case .asking(_, let hints):
                out.append("    > _")
                for h in q.hints.prefix(hints) { out += wrap(h.rendered(in: state).map(\.text).joined(), width: width, first: "    hint: ", rest: "          ") }
            case .answered(let typed, let attempts):
                out.append("    > \(typed)   ✓ right\(attempts > 1 ? " (after \(attempts) tries)" : "")")
            case .revealed:
                out.append("    answer: \(q.answer.typedText)")
            }
            if case .asking = status {} else {
                let ex = (explanation ?? []).map(\.text).joined()
                if !ex.isEmpty { out += wrap(ex, width: width, first: "    ", rest: "    ") }
            }
            return out + [""]
        case .task(let t, let status):
            var out = wrap((prompt ?? t.prompt.rendered(in: state)).map(\.text).joined(), width: width, first: "  ◆ Task: ", rest: "    ")
            switch status {
            case .working(_, let hints):
                for g in t.goalStatus(in: state) { out += wrap(g.label, width: width, first: "    \(g.holds ? "✓" : "✗") ", rest: "      ") }
                for h in t.hints.prefix(hints) { out += wrap(h.rendered(in: state).map(\.text).joined(), width: width, first: "    hint: ", rest: "          ") }
            case .done(let bySolution):
                if bySolution {
                    for s in t.solution {
                        for (i, l) in s.typed.split(separator: "\n").enumerated() { out.append((i == 0 ? "    > " : "      ") + l) }
                    }
                }
                for g in t.goals { out += wrap(g.label, width: width, first: "    ✓ ", rest: "      ") }
                let ex = (explanation ?? []).map(\.text).joined()
                if !ex.isEmpty { out += wrap(ex, width: width, first: "    ", rest: "    ") }
            }
            return out + [""]
        case .checked(let checks, let failures):
            // The checks are the lesson file's; a viewer needs only to know they hold.
            if failures.isEmpty { return ["  ✓ \(checks.count == 1 ? "1 claim" : "\(checks.count) claims") checked by the engine", ""] }
            return failures.flatMap { wrap($0, width: width, first: "  ✗ ", rest: "    ") } + [""]
        case .problem(let message):
            return wrap(message, width: width, first: "  ! ", rest: "    ") + [""]
        }
    }

    static func actionLines(_ kind: ActionKind) -> [String] {
        guard let line = kind.learnerLine else { return [] }
        return line.split(separator: "\n").map { "  " + $0 } + [""]
    }

    /// The model as a Keras-style summary table, plus saved models in the compare view.
    static func modelLines(_ state: LessonState, width: Int) -> [String] {
        var out: [String] = []
        if state.compareFlatten != nil, let (flatten, pooled) = try? state.comparison(),
           let f = try? flatten.summary(), let p = try? pooled.summary() {
            out.append("Compare heads on the same backbone    Total params    Activations / image")
            for (title, s) in [("Flatten head", f), ("global-pooling head", p)] {
                out.append(pad(title, 36) + " " + lpad(NumberFormat.grouped(s.totalParams), 12) + "    "
                    + lpad(TemplateFormat.megabytes.render(.number(Double(s.totalActivationBytes))), 12))
            }
            out.append("")
        }
        guard state.model.inputShape != nil || !state.model.layers.isEmpty else { return out }
        let summary: ModelSummary
        do throws(LessonExpressionError) {
            summary = try state.summary()
        } catch {
            return out + ["Model: " + error.message]
        }
        let rule = String(repeating: "─", count: min(width, 78))
        out.append("Model (input \(ShapeFormat.keras(summary.inputShape)))")
        out.append(rule)
        out.append(pad("Layer (type)", 44) + pad("Output Shape", 22) + lpad("Param #", 12))
        out.append(rule)
        for row in summary.layers {
            out.append(pad("\(row.name) (\(row.typeName))", 44) + pad(ShapeFormat.keras(row.outputShape), 22) + lpad(NumberFormat.grouped(row.params), 12))
        }
        out.append(rule)
        out.append("Total params: \(NumberFormat.grouped(summary.totalParams))")
        out.append("Trainable params: \(NumberFormat.grouped(summary.trainableParams))")
        out.append("Non-trainable params: \(NumberFormat.grouped(summary.nonTrainableParams))")
        return out
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
    static func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }

    /// Word-wraps text to `width` columns.
    public static func wrap(_ text: String, width: Int, first: String = "", rest: String = "") -> [String] {
        var lines: [String] = []
        var current = first
        var empty = true
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            let prefixLen = lines.isEmpty ? first.count : rest.count
            if !empty, current.count + 1 + word.count > width {
                lines.append(current)
                current = rest + word
                _ = prefixLen
            } else {
                current += (empty ? "" : " ") + word
            }
            empty = false
        }
        lines.append(current)
        return lines
    }
}
