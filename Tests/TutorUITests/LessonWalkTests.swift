import Foundation
import LessonKit
import Testing
@testable import TutorUI

/// A scripted learner takes every lesson through the keys, reading the screen as a person would.
///
/// At 80×24 and 120×40 it scrolls through each step, answers each quiz
/// wrong and then right, does each task by typing its solution at the
/// command line, and moves on with `n`. Every sentence of the step's prose
/// must have been on screen at some scroll position, and no step may wait
/// forever: each has a budget of key presses.
@Suite struct LessonWalkTests {
    static let lessonsDir = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Lessons").path
    static let lessons: [Lesson] = LessonLibrary.load(directory: lessonsDir).lessons
    static let sizes = [(80, 24), (120, 40)]

    @Test func theLessonsAreThere() {
        #expect(Self.lessons.count >= 10)
    }

    @Test(arguments: sizes) func everyLessonCanBeWalkedThroughAndReadWhole(_ size: (Int, Int)) throws {
        for lesson in Self.lessons {
            var walker = LessonWalker(lesson: lesson, width: size.0, height: size.1)
            walker.walk()
            for problem in Set(walker.problems).sorted() {
                Issue.record("\(lesson.id) at \(size.0)×\(size.1): \(problem)")
            }
            #expect(walker.controller.showsSummary, "\(lesson.id) never reached its summary")
        }
    }
}

/// A learner driven by a script: it presses keys, runs the app's effects, and reads the pane.
struct LessonWalker {
    var controller: LessonController
    let runner = EffectRunner()
    var problems: [String] = []
    /// Key presses one step may take before it counts as waiting forever.
    let budget = 3000

    init(lesson: Lesson, width: Int, height: Int) {
        controller = LessonController(lesson: lesson, app: AppState(width: width, height: height, caps: .full))
        run(controller.start())
    }

    mutating func walk() {
        var step = -1
        var presses = 0
        var seen = Set<String>()
        while !controller.showsSummary {
            if controller.session.stepIndex != step {
                step = controller.session.stepIndex
                presses = 0
                seen = []
            }
            presses += 1
            guard presses < budget else {
                problems.append("step \(step + 1) still waits after \(budget) keys:\n\(screen)")
                return
            }
            // Another screen (compare, feature maps) says Esc returns to the lesson.
            if controller.app.screen != .lesson {
                press(.escape)
                continue
            }
            seen.formUnion(visibleText())
            let layout = controller.paneLayout()
            if controller.scroll < layout.clamp(layout.lineCount) {
                press(.down)
            } else if let quiz = controller.session.pendingQuiz {
                answerWrongThenRight(quiz, step: step)
            } else if let task = controller.session.pendingTask {
                solve(task, step: step)
            } else {
                checkSentences(seen, step: step)
                press(.char("n"))
            }
        }
    }

    /// Every sentence of the step's prose must have been seen.
    mutating func checkSentences(_ seen: Set<String>, step: Int) {
        let text = seen.joined(separator: "\n")
        for sentence in LessonWalker.sentences(of: controller.session) where !text.contains(sentence) {
            problems.append("step \(step + 1): never on screen: \"\(sentence)\"")
        }
    }

    mutating func answerWrongThenRight(_ quiz: Quiz, step: Int) {
        let wrong: String
        switch quiz.answer {
        case .choice(let i, let choices): wrong = String(Character(Unicode.Scalar(UInt8(97 + (i + 1) % choices.count))))
        case .number(let x, _): wrong = x == 7 ? "8" : "7"
        case .shape: wrong = "(1, 2, 3, 4, 5)"
        }
        type(wrong)
        press(.enter)
        if !screen.contains("Not quite") { problems.append("step \(step + 1): no \"Not quite\" after a wrong answer:\n\(screen)") }
        type(quiz.answer.typedText)
        press(.enter)
        if controller.session.pendingQuiz == quiz { problems.append("step \(step + 1): the right answer \(quiz.answer.typedText) was refused") }
        if !screen.contains("✓") { problems.append("step \(step + 1): no ✓ after the right answer:\n\(screen)") }
    }

    /// Tries each near miss (it must leave the task open) and undoes it, then types the solution.
    mutating func solve(_ task: LessonTask, step: Int) {
        if task.nearMisses.isEmpty { problems.append("step \(step + 1): a task without a near miss") }
        for miss in task.nearMisses {
            for command in miss.map(\.typed) { enter(command) }
            if controller.session.pendingTask != task {
                problems.append("step \(step + 1): the near miss \(miss.map(\.typed)) was accepted")
                return
            }
            for _ in miss { press(.char("u")) }
        }
        for command in task.solution.map(\.typed) { enter(command) }
        if controller.session.pendingTask == task {
            problems.append("step \(step + 1): the task's solution was not accepted:\n\(screen)")
            press(.char("s"))
        } else if !screen.contains("every goal holds") {
            problems.append("step \(step + 1): a solved task does not say so:\n\(screen)")
        }
    }

    /// Enters a solution line as a learner would: a whole model is pasted, a command typed after `:`.
    mutating func enter(_ command: String) {
        if command.contains("\n") {
            run(controller.handle(.paste(command)))
        } else {
            press(.char(":"))
            type(command)
            press(.enter)
        }
    }

    mutating func type(_ text: String) {
        for c in text { press(.char(c)) }
    }

    mutating func press(_ key: Key) {
        run(controller.handle(.key(key)))
    }

    /// Carries out effects as the loop would; the race is answered at once (training belongs to the release checks).
    mutating func run(_ effects: [Effect]) {
        var pending = effects
        while !pending.isEmpty {
            for effect in pending {
                if case .experiment(.start(let generation, _)) = effect {
                    pending = controller.handle(.experiment(.failed(generation: generation, "not trained in this test")))
                    continue
                }
                runner.run(effect)
            }
            pending = []
            runner.waitUntilIdle()
            for msg in runner.takeMessages() { pending += controller.handle(msg) }
        }
    }

    var screen: String {
        var buffer = ScreenBuffer(width: controller.app.width, height: controller.app.height)
        view(controller.app, into: &buffer)
        return buffer.plainText
    }

    /// The text inside the lesson pane, its lines joined with spaces.
    func visibleText() -> [String] {
        var buffer = ScreenBuffer(width: controller.app.width, height: controller.app.height)
        view(controller.app, into: &buffer)
        let pane = AppLayout.lessonSplit(AppLayout.rows(controller.app).body, controller.app).pane
        guard pane.height > 2 else { return [] }
        let rows = buffer.plainText.split(separator: "\n", omittingEmptySubsequences: false).map(Array.init)
        let lines = (pane.y + 1..<pane.maxY - 1).map { y -> String in
            let row = rows[y]
            let cols = min(row.count, pane.maxX - 1)
            return cols > pane.x + 1 ? String(row[(pane.x + 1)..<cols]).trimmingCharacters(in: .whitespaces) : ""
        }
        return [LessonWalker.collapse(lines.joined(separator: " "))]
    }

    static func collapse(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
    }

    /// The sentences of the step's prose as the pane shows them (a backtick inside code is drawn as ').
    static func sentences(of session: LessonSession) -> [String] {
        session.shown.flatMap { item -> [String] in
            guard case .prose(let block) = item else { return [] }
            return block.sentences.map { $0.replacingOccurrences(of: "`", with: "'") }
        }
    }
}
