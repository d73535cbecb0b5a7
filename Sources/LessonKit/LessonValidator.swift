/// Checks a lesson against the engine: every expect, quiz answer, task solution and `{{…}}` number.
///
/// The walk follows the same order as ``LessonSession``: a quiz's answer is
/// compared with its `check:` after the actions that directly follow it (the
/// reveal, which ends at the next prose, quiz or task), and a task's solution
/// is applied before the walk goes on.
public enum LessonValidator {
    /// The problems in one lesson, as `file:line: message`; empty if it is sound.
    public static func validate(_ lesson: Lesson) -> [LessonError] {
        var errors: [LessonError] = []
        var state = LessonState()
        let file = lesson.file
        func fail(_ line: Int, _ message: String) { errors.append(LessonError(file: file, line: line, message)) }

        for block in lesson.intro { checkTemplates(block, state, file, &errors) }
        for step in lesson.steps {
            var waiting: [Quiz] = []
            func settle() {
                for q in waiting { checkQuiz(q, state, fail) }
                waiting = []
            }
            for item in step.items {
                switch item {
                case .prose(let block):
                    settle()
                    checkTemplates(block, state, file, &errors)
                case .action(let action):
                    switch action.kind {
                    case .quiz(let q):
                        settle()
                        checkTemplates(q.question, line: q.line, state, file, &errors)
                        for hint in q.hints { checkTemplates(hint, line: q.line, state, file, &errors) }
                        waiting.append(q)
                    case .task(let t):
                        settle()
                        checkTask(t, &state, fail)
                    case .expect(let list):
                        for a in list {
                            do throws(LessonExpressionError) {
                                let outcome = try a.assertion.check(in: state)
                                if !outcome.passed { fail(a.line, "expect failed: \(outcome.explanation)") }
                            } catch {
                                fail(a.line, "expect '\(a.assertion.text)': \(error.message)")
                            }
                        }
                    default:
                        do throws(LessonExpressionError) {
                            try state.apply(action.kind)
                        } catch {
                            fail(action.line, "\(action.kind.name): \(error.message)")
                        }
                        if case .model = action.kind, let e = buildError(state) { fail(action.line, "model: \(e)") }
                        if case .add = action.kind, let e = buildError(state) { fail(action.line, "after add: \(e)") }
                        if case .replace = action.kind, let e = buildError(state) { fail(action.line, "after replace: \(e)") }
                        if case .input = action.kind, let e = buildError(state) { fail(action.line, "after input: \(e)") }
                    }
                }
            }
            settle()
        }
        return errors
    }

    /// Checks a set of lessons together: each alone, then ids and `requires`.
    public static func validate(_ lessons: [Lesson]) -> [LessonError] {
        var errors = lessons.flatMap { validate($0) }
        var seen: [String: String] = [:]
        for lesson in lessons {
            if let other = seen[lesson.id] {
                errors.append(LessonError(file: lesson.file, line: 2, "id '\(lesson.id)' is also used by \(other)"))
            }
            seen[lesson.id] = lesson.file
        }
        for lesson in lessons {
            for r in lesson.meta.requires where seen[r] == nil {
                errors.append(LessonError(file: lesson.file, line: 2, "requires '\(r)', which no lesson has as its id"))
            }
        }
        return errors
    }

    static func buildError(_ state: LessonState) -> String? {
        guard state.model.inputShape != nil else { return nil }
        do throws(LessonExpressionError) {
            _ = try state.summary()
            return nil
        } catch {
            return error.message
        }
    }

    static func checkTemplates(_ block: ProseBlock, _ state: LessonState, _ file: String, _ errors: inout [LessonError]) {
        let inlines: [Inline]
        switch block {
        case .paragraph(let i, _), .listItem(_, let i, _, _), .heading(let i, _): inlines = i
        case .code: return
        }
        checkTemplates(inlines, line: block.line, state, file, &errors)
    }

    static func checkTemplates(_ inlines: [Inline], line: Int, _ state: LessonState, _ file: String, _ errors: inout [LessonError]) {
        for case .template(let t, _) in inlines {
            do throws(LessonExpressionError) {
                _ = try t.render(in: state)
            } catch {
                errors.append(LessonError(file: file, line: t.line ?? line, "{{\(t.source.trimmingSpaces())}}: \(error.message)"))
            }
        }
    }

    static func checkQuiz(_ q: Quiz, _ state: LessonState, _ fail: (Int, String) -> Void) {
        checkTemplatesInline(q.explanation, q.line, state, fail)
        guard let check = q.check else { return }
        let engine: LessonValue
        do throws(LessonExpressionError) {
            engine = try check.evaluate(in: state)
        } catch {
            fail(q.line, "quiz check '\(q.checkText ?? "")': \(error.message)")
            return
        }
        let agrees: Bool
        switch (q.answer, engine) {
        case (.number(let x, _), .number(let y)): agrees = abs(x - y) <= max(q.answerPrecision, 1e-9 * max(1, abs(y)))
        case (.shape(let s), .shape(let t)): agrees = s == t
        case (.shape(let s), .number(let y)): agrees = s.count == 1 && Double(s[0]) == y
        case (.choice(let i, let choices), let v):
            let text = choices[i]
            switch v {
            case .text(let t):
                // A choice may explain itself after the value: "dense, the first Dense".
                let lower = text.lowercased(), value = t.lowercased()
                let rest = lower.hasPrefix(value) ? lower.dropFirst(value.count) : nil
                agrees = rest.map { $0.isEmpty || !($0.first!.isLetter || $0.first!.isNumber || $0.first! == "_") } ?? false
            case .number(let y): agrees = NumberText.parse(text).map { abs($0 - y) <= 1e-9 * max(1, abs(y)) } ?? false
            case .shape(let s): agrees = ShapeText.parse(text) == s
            }
        default: agrees = false
        }
        if !agrees {
            fail(q.line, "quiz answer \(q.answer.value) disagrees with the engine: \(q.checkText ?? "check") is \(engine)")
        }
    }

    static func checkTemplatesInline(_ inlines: [Inline], _ line: Int, _ state: LessonState, _ fail: (Int, String) -> Void) {
        for case .template(let t, _) in inlines {
            do throws(LessonExpressionError) { _ = try t.render(in: state) }
            catch { fail(line, "{{\(t.source.trimmingSpaces())}}: \(error.message)") }
        }
    }

    static func checkTask(_ t: LessonTask, _ state: inout LessonState, _ fail: (Int, String) -> Void) {
        for hint in t.hints { checkTemplatesInline(hint, t.line, state, fail) }
        if t.unmetGoals(in: state).isEmpty {
            fail(t.line, "task goal already holds before the learner does anything")
        }
        for s in t.solution {
            do throws(LessonExpressionError) { try state.apply(s.action) }
            catch { fail(t.line, "task solution '\(s.typed.split(separator: "\n").first ?? "")': \(error.message)") }
        }
        for goal in t.goals {
            do throws(LessonExpressionError) {
                let outcome = try goal.assertion.check(in: state)
                if !outcome.passed { fail(goal.line, "task solution does not meet the goal: \(outcome.explanation)") }
            } catch {
                fail(goal.line, "task goal '\(goal.assertion.text)': \(error.message)")
            }
        }
        checkTemplatesInline(t.explanation, t.line, state, fail)
    }
}
