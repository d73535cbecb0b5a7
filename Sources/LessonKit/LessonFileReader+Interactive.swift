import CNNModel
import Yams

extension LessonFileReader {
    static let quizKeys = ["question", "answer", "check", "tolerance", "choices", "hints", "explanation"]
    static let taskKeys = ["prompt", "goal", "solution", "near_miss", "hints", "explanation"]

    // MARK: - Quiz

    func quiz(_ yaml: String, firstLine: Int, fenceLine: Int) throws(LessonErrors) -> Quiz {
        let block: YAMLBlock
        switch YAMLBlock.parse(yaml, firstLine: firstLine, file: file, what: "quiz") {
        case .failure(let e): throw one(e)
        case .success(let b): block = b
        }
        var errs: [LessonError] = []
        func fail(_ line: Int, _ message: String) { errs.append(LessonError(file: file, line: line, message)) }
        for entry in block.entries where !Self.quizKeys.contains(entry.key) {
            fail(entry.line, "unknown quiz key '\(entry.key)'; use \(Self.quizKeys.joined(separator: ", "))")
        }
        let question = block["question"].flatMap { $0.value.scalar?.string }
        if question == nil { fail(fenceLine, "quiz has no 'question:'") }
        let answerText = block["answer"].flatMap { $0.value.scalar?.string }
        if answerText == nil { fail(fenceLine, "quiz has no 'answer:'; give the shape, number or choice the learner should find") }
        let answerLine = block["answer"]?.line ?? fenceLine

        var answer: QuizAnswer?
        if let answerText {
            if let entry = block["choices"] {
                if let choices = entry.value.strings, choices.count >= 2, choices.count <= 26 {
                    let lower = answerText.lowercased()
                    if lower.count == 1, let c = lower.unicodeScalars.first, c.value >= 97, Int(c.value) - 97 < choices.count {
                        answer = .choice(Int(c.value) - 97, choices: choices)
                    } else if let i = choices.firstIndex(where: { $0.lowercased() == lower }) {
                        answer = .choice(i, choices: choices)
                    } else {
                        fail(answerLine, "quiz answer '\(answerText)' is not one of the choices; write its letter (a, b, …) or its text")
                    }
                } else {
                    fail(entry.line, "quiz 'choices:' must be a list of 2 to 26 answers")
                }
            } else if ShapeText.looksLikeShape(answerText) {
                if let s = ShapeText.parse(answerText) { answer = .shape(s) }
                else { fail(answerLine, "quiz answer '\(answerText)' is not a shape such as (222, 222, 32)") }
            } else if let x = NumberText.parse(answerText) {
                var tolerance = 0.0
                if let t = block["tolerance"] {
                    let text = t.value.scalar?.string ?? ""
                    if text.hasSuffix("%"), let pct = NumberText.parse(text) {
                        tolerance = abs(x) * pct / 100
                    } else if let abs = NumberText.parse(text) {
                        tolerance = abs
                    } else {
                        fail(t.line, "quiz tolerance '\(text)' must be a number or a percentage such as 1%")
                    }
                }
                answer = .number(x, tolerance: tolerance)
            } else {
                fail(answerLine, "quiz answer '\(answerText)' is not a shape, a number or one of 'choices:'")
            }
        }

        var check: LessonExpression?
        var checkText: String?
        if let entry = block["check"] {
            checkText = entry.value.scalar?.string
            do {
                check = try LessonExpression.parse(checkText ?? "", wordsAsText: true)
            } catch {
                fail(entry.line, "quiz check: \(error.message)")
            }
        } else if let answer, case .choice = answer {
            // A conceptual choice may stand without an engine check.
        } else if answer != nil {
            fail(fenceLine, "quiz has no 'check:'; say what the engine computes for the answer, such as 'layer conv2d output_shape'")
        }

        let hints = block["hints"].flatMap { e in e.value.strings?.map { prose($0, line: e.line, &errs) ?? [] } } ?? []
        if let h = block["hints"], h.value.strings == nil { fail(h.line, "quiz 'hints:' must be a list of text") }
        let question2 = question.flatMap { prose($0, line: block["question"]!.line, &errs) } ?? []
        var explanation: [Inline] = []
        if let e = block["explanation"], let s = e.value.scalar?.string { explanation = prose(s, line: e.line, &errs) ?? [] }
        if !errs.isEmpty { throw LessonErrors(errs) }
        var quiz = Quiz(question: question2, answer: answer!, check: check, checkText: checkText, hints: hints,
                        explanation: explanation, line: fenceLine)
        if let answerText { quiz.answerPrecision = Assertion.halfUnit(of: answerText.trimmingSpaces()) }
        return quiz
    }

    func prose(_ text: String, line: Int, _ errs: inout [LessonError]) -> [Inline]? {
        let oneLine = text.split(separator: "\n").map { String($0).trimmingSpaces() }.joined(separator: " ")
        do {
            return try ProseParser.inlines(oneLine, file: file, line: line)
        } catch {
            errs.append(error)
            return nil
        }
    }

    // MARK: - Task

    func task(_ yaml: String, firstLine: Int, fenceLine: Int) throws(LessonErrors) -> LessonTask {
        let block: YAMLBlock
        switch YAMLBlock.parse(yaml, firstLine: firstLine, file: file, what: "task") {
        case .failure(let e): throw one(e)
        case .success(let b): block = b
        }
        var errs: [LessonError] = []
        func fail(_ line: Int, _ message: String) { errs.append(LessonError(file: file, line: line, message)) }
        for entry in block.entries where !Self.taskKeys.contains(entry.key) {
            fail(entry.line, "unknown task key '\(entry.key)'; use \(Self.taskKeys.joined(separator: ", "))")
        }
        var prompt: [Inline] = []
        if let e = block["prompt"], let s = e.value.scalar?.string { prompt = prose(s, line: e.line, &errs) ?? [] }
        else { fail(fenceLine, "task has no 'prompt:'") }

        var goals: [TaskGoal] = []
        if let e = block["goal"], let items = e.value.sequence.map({ Array($0) }), !items.isEmpty {
            for item in items {
                let line = block.firstLine + (item.mark?.line ?? 1) - 1
                guard let map = item.mapping else {
                    fail(line, "task goal '\(item.string ?? "")' needs the words the learner reads: write '- check: …' and 'say: \"…\"'")
                    continue
                }
                for (k, _) in map where !["check", "say"].contains(k.string ?? "") {
                    fail(line, "unknown task goal key '\(k.string ?? "")'; use check and say")
                }
                guard let check = map["check"]?.string else { fail(line, "task goal has no 'check:'"); continue }
                guard let say = map["say"]?.string, !say.trimmingSpaces().isEmpty else {
                    fail(line, "task goal '\(check)' has no 'say:'; say it in plain English, as in 'say: \"No Flatten layer\"'")
                    continue
                }
                do throws(LessonExpressionError) { goals.append(TaskGoal(try Assertion.parse(check), label: say.trimmingSpaces(), line: line)) }
                catch { fail(line, "task goal: \(error.message)") }
            }
        } else {
            fail(block["goal"]?.line ?? fenceLine, "task has no 'goal:'; list checks such as '- check: total_params < 100,000' with a 'say:'")
        }

        var solution: [SolutionStep] = []
        if let e = block["solution"], let text = e.value.scalar?.string {
            let start = block.contentLine(of: e)
            do { solution = try solutionSteps(text, firstLine: start) }
            catch { errs.append(contentsOf: error.errors) }
        } else {
            fail(block["solution"]?.line ?? fenceLine, "task has no 'solution:'; playback and validation need one")
        }
        var nearMisses: [[SolutionStep]] = []
        if let e = block["near_miss"] {
            let items: [Node] = e.value.sequence.map { Array($0) } ?? [e.value]
            for item in items {
                guard let text = item.scalar?.string else { fail(e.line, "task 'near_miss:' must be commands or a model, or a list of them"); continue }
                var start = block.firstLine + (item.mark?.line ?? 1) - 1
                if item.scalar?.style == .literal || item.scalar?.style == .folded { start += 1 }
                do { nearMisses.append(try solutionSteps(text, firstLine: start)) }
                catch { errs.append(contentsOf: error.errors) }
            }
        }
        let hints = block["hints"].flatMap { e in e.value.strings?.map { prose($0, line: e.line, &errs) ?? [] } } ?? []
        var explanation: [Inline] = []
        if let e = block["explanation"], let s = e.value.scalar?.string { explanation = prose(s, line: e.line, &errs) ?? [] }
        if !errs.isEmpty { throw LessonErrors(errs) }
        return LessonTask(prompt: prompt, goals: goals, solution: solution, nearMisses: nearMisses, hints: hints,
                          explanation: explanation, line: fenceLine)
    }

    /// A whole Keras model, or commands one per line: `add LAYER`, `remove NAME`,
    /// `replace NAME LAYER`, `input H, W, C`.
    func solutionSteps(_ text: String, firstLine: Int) throws(LessonErrors) -> [SolutionStep] {
        let lines = text.components(separatedBy: "\n")
        let commands = ["add ", "remove ", "replace ", "input "]
        let firstContent = lines.first { !$0.trimmingSpaces().isEmpty }?.trimmingSpaces() ?? ""
        if !commands.contains(where: { firstContent.hasPrefix($0) }) {
            do {
                let model = try KerasSource.model(text, file: file, firstLine: firstLine)
                return [SolutionStep(typed: text, action: .model(source: text, model: model, saveAs: nil))]
            } catch {
                throw one(error)
            }
        }
        var steps: [SolutionStep] = []
        var errs: [LessonError] = []
        for (i, raw) in lines.enumerated() {
            let t = raw.trimmingSpaces()
            let line = firstLine + i
            if t.isEmpty || t.hasPrefix("#") { continue }
            let verb = String(t.prefix(while: { $0 != " " }))
            let rest = String(t.dropFirst(verb.count)).trimmingSpaces()
            do {
                switch verb {
                case "add":
                    let spec = try KerasSource.layer(rest, file: file, line: line)
                    steps.append(SolutionStep(typed: t, action: .add([LayerCode(code: rest, spec: spec)], before: nil)))
                case "remove":
                    steps.append(SolutionStep(typed: t, action: .remove([rest])))
                case "replace":
                    let name = String(rest.prefix(while: { $0 != " " }))
                    let code = String(rest.dropFirst(name.count)).trimmingSpaces()
                    let spec = try KerasSource.layer(code, file: file, line: line)
                    steps.append(SolutionStep(typed: t, action: .replace(from: name, through: nil, with: [LayerCode(code: code, spec: spec)])))
                case "input":
                    steps.append(SolutionStep(typed: t, action: .input(try KerasSource.inputShape(rest, file: file, line: line))))
                default:
                    errs.append(LessonError(file: file, line: line, "unknown solution command '\(verb)'; use add, remove, replace or input"))
                }
            } catch {
                errs.append(error)
            }
        }
        if !errs.isEmpty { throw LessonErrors(errs) }
        return steps
    }
}
