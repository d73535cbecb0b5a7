import CNNCompute
import CNNModel

/// Checks a lesson against the engine: every expect, quiz answer, task solution and `{{…}}` number.
///
/// The walk follows the same order as ``LessonSession``: a quiz's answer is
/// compared with its `check:` after the actions that directly follow it (the
/// reveal, which ends at the next prose, quiz or task), and a task's solution
/// is applied before the walk goes on. After each task the rest of the lesson
/// is walked again on other models that meet the task's goals, so that no text
/// depends on the exact model the solution builds.
public enum LessonValidator {
    /// The problems in one lesson, as `file:line: message`; empty if it is sound.
    public static func validate(_ lesson: Lesson) -> [LessonError] {
        var walk = Walk(lesson: lesson)
        walk.run(from: 0, item: 0, state: LessonState())
        return walk.errors
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
}

/// One pass of the validator over a lesson, from a position and a state.
struct Walk {
    let lesson: Lesson
    var errors: [LessonError] = []
    /// Set while walking on another model than the solution's: what that model is, for the messages.
    var variant: String?
    /// Lines already reported, so a problem found on many variants is named once.
    var reported: Set<String> = []

    init(lesson: Lesson, variant: String? = nil) {
        self.lesson = lesson
        self.variant = variant
    }

    mutating func fail(_ line: Int, _ message: String) {
        let text = variant.map { "\(message) (after the task is solved with another model that meets its goals: \($0); make the goal pin what this needs)" } ?? message
        guard reported.insert("\(line):\(message)").inserted else { return }
        errors.append(LessonError(file: lesson.file, line: line, text))
    }

    /// Walks the lesson from `step`/`item` on `state`. On a variant the walk
    /// stops where the lesson sets the model again, or at the next task.
    mutating func run(from step: Int, item: Int, state start: LessonState) {
        var state = start
        for s in step..<lesson.steps.count {
            let items = lesson.steps[s].items
            var waiting: [Quiz] = []
            func settle(_ walk: inout Walk) {
                for q in waiting { walk.checkQuiz(q, state) }
                waiting = []
            }
            for i in (s == step ? item : 0)..<items.count {
                switch items[i] {
                case .prose(let block):
                    settle(&self)
                    checkTemplates(block.inlines, line: block.line, state)
                case .action(let action):
                    switch action.kind {
                    case .quiz(let q):
                        settle(&self)
                        checkTemplates(q.question, line: q.line, state)
                        for hint in q.hints { checkTemplates(hint, line: q.line, state) }
                        if !q.grade(q.answer.typedText).isCorrect {
                            fail(q.line, "quiz answer '\(q.answer.typedText)', as playback types it, is not graded right; playback would wait here")
                        }
                        waiting.append(q)
                    case .task(let t):
                        settle(&self)
                        if variant != nil { return }
                        checkTask(t, &state, step: s, item: i)
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
                        if variant != nil, Self.resetsModel(action.kind) { settle(&self); return }
                        apply(action, &state)
                    }
                }
            }
            settle(&self)
        }
    }

    static func resetsModel(_ kind: ActionKind) -> Bool {
        switch kind {
        case .model, .load: true
        default: false
        }
    }

    mutating func apply(_ action: LessonAction, _ state: inout LessonState) {
        do throws(LessonExpressionError) {
            try state.apply(action.kind)
        } catch {
            fail(action.line, "\(action.kind.name): \(error.message)")
            return
        }
        switch action.kind {
        case .model, .add, .replace, .input:
            let what = action.kind.name == "model" ? "model" : "after \(action.kind.name)"
            if let e = LessonValidator.buildError(state) { fail(action.line, "\(what): \(e)") }
        case .run:
            if let why = RunCheck.problem(state) { fail(action.line, "run: \(why); playback would wait for it forever") }
        case .step(let layer, let at):
            if let why = RunCheck.forwardProblem(state.model) { fail(action.line, "step: \(why); playback would wait for it forever") }
            else if let why = RunCheck.stepProblem(state.model, layer: layer, at: at) { fail(action.line, "step: \(why)") }
        case .view(let name, let args):
            if name == "compare" {
                do throws(LessonExpressionError) { _ = try state.comparison() }
                catch { fail(action.line, "view compare: \(error.message)") }
            }
            if name == "feature-maps", !args.isEmpty { fail(action.line, "view feature-maps takes no arguments") }
        default: break
        }
    }

    mutating func checkTemplates(_ inlines: [Inline], line: Int, _ state: LessonState) {
        for case .template(let t, _) in inlines {
            do throws(LessonExpressionError) {
                _ = try t.render(in: state)
            } catch {
                fail(t.line ?? line, "{{\(t.source.trimmingSpaces())}}: \(error.message)")
            }
        }
    }

    mutating func checkQuiz(_ q: Quiz, _ state: LessonState) {
        checkTemplates(q.explanation, line: q.line, state)
        guard let check = q.check else { return }
        let engine: LessonValue
        do throws(LessonExpressionError) {
            engine = try check.evaluate(in: state)
        } catch {
            fail(q.line, "quiz check '\(q.checkText ?? "")': \(error.message)")
            return
        }
        if !q.agrees(with: engine) {
            fail(q.line, "quiz answer \(q.answer.value) disagrees with the engine: \(q.checkText ?? "check") is \(engine)")
        }
    }

    /// The goal must fail before, hold after the solution, fail on every near miss;
    /// then the rest of the lesson is walked on the solution and on other models that meet the goal.
    mutating func checkTask(_ t: LessonTask, _ state: inout LessonState, step: Int, item: Int) {
        let before = state
        checkTemplates(t.prompt, line: t.line, state)
        for hint in t.hints { checkTemplates(hint, line: t.line, state) }
        if t.isMet(in: state) {
            fail(t.line, "task goal already holds before the learner does anything")
        }
        for (n, miss) in t.nearMisses.enumerated() {
            var s = before
            var applied = true
            for step in miss {
                do throws(LessonExpressionError) { try s.apply(step.action) }
                catch {
                    fail(t.line, "task near miss \(n + 1) '\(step.typed.split(separator: "\n").first ?? "")': \(error.message)")
                    applied = false
                }
            }
            if applied, t.isMet(in: s) {
                fail(t.line, "task near miss \(n + 1) meets every goal; the goal doesn't check what the prompt asks")
            }
            if applied { for hint in t.hints { checkTemplates(hint, line: t.line, s) } }
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
        for hint in t.hints { checkTemplates(hint, line: t.line, state) }
        checkTemplates(t.explanation, line: t.line, state)
        guard variant == nil, t.isMet(in: state) else { return }
        for (model, how) in ModelVariants.of(state.model) where model != state.model {
            var other = state
            other.model = model
            guard t.isMet(in: other) else { continue }
            var walk = Walk(lesson: lesson, variant: how)
            walk.reported = reported
            walk.checkTemplates(t.explanation, line: t.line, other)
            walk.run(from: step, item: item + 1, state: other)
            let known = Set(errors.map(\.line))
            for e in walk.errors where !known.contains(e.line) { errors.append(e) }
            reported.formUnion(walk.reported)
        }
    }
}

extension ProseBlock {
    /// The inline text of the block; empty for code.
    var inlines: [Inline] {
        switch self {
        case .paragraph(let i, _), .listItem(_, let i, _, _), .heading(let i, _): i
        case .code: []
        }
    }
}

extension Quiz {
    /// True when the written answer equals what the engine computes for `check:`.
    func agrees(with engine: LessonValue) -> Bool {
        switch (answer, engine) {
        case (.number(let x, _), .number(let y)): return abs(x - y) <= max(answerPrecision, 1e-9 * max(1, abs(y)))
        case (.shape(let s), .shape(let t)): return s == t
        case (.shape(let s), .number(let y)): return s.count == 1 && Double(s[0]) == y
        case (.choice(let i, let choices), let v):
            let text = choices[i]
            switch v {
            case .text(let t):
                // A choice may explain itself after the value: "dense, the first Dense".
                let lower = text.lowercased(), value = t.lowercased()
                let rest = lower.hasPrefix(value) ? lower.dropFirst(value.count) : nil
                return rest.map { $0.isEmpty || !($0.first!.isLetter || $0.first!.isNumber || $0.first! == "_") } ?? false
            case .number(let y): return NumberText.parse(text).map { abs($0 - y) <= 1e-9 * max(1, abs(y)) } ?? false
            case .shape(let s): return ShapeText.parse(text) == s
            }
        default: return false
        }
    }
}
