import Foundation
import Testing
@testable import LessonKit

/// Answers stay answered going back and on resume, and the progress file keeps them.
@Suite struct AnswerRecordTests {
    let lesson: Lesson = try! LessonParser.parse(LessonFixtures.lesson("# Sample\n\nThe introduction, with {{1 + 1}} numbers.\n\n"
        + LessonFixtures.baseAndHead), file: "a.md")

    @Test func introOpensTheFirstStep() {
        let s = LessonSession(lesson: lesson)
        guard case .prose(let first) = s.shown.first else { Issue.record("no prose first"); return }
        #expect(first.plainText == "The introduction, with 2 numbers.")
        #expect(LessonTranscript.render(lesson).contains("The introduction, with 2 numbers."))
    }

    @Test func goingBackKeepsTheAnswer() {
        var s = LessonSession(lesson: lesson)
        #expect(s.answer("53*53*64") == .correct)
        #expect(s.pendingQuiz == nil)
        s.nextStep()
        s.previousStep()
        #expect(s.pendingQuiz == nil)
        #expect(s.stepFinished)
        #expect(s.shown.contains { if case .quiz(_, .answered("53*53*64", 1)) = $0 { true } else { false } })
        #expect(s.state.model.layerNames.last == "flatten")
        #expect(s.score.firstTry == 1 && s.score.answered == 1)
    }

    @Test func resumingRestoresQuizzesAndTasks() throws {
        var s = LessonSession(lesson: lesson)
        _ = s.answer("12")
        _ = s.answer("(179776,)")
        s.nextStep()
        s.solveTask()
        #expect(s.lessonFinished)
        let saved = s.answers
        let resumed = LessonSession(lesson: lesson, step: 1, answers: saved)
        #expect(resumed.pendingTask == nil)
        #expect(resumed.lessonFinished)
        guard case .prose(let last) = resumed.shown.last else { Issue.record("no prose"); return }
        #expect(last.plainText == "Done: 66,602.")
        #expect(resumed.score.firstTry == 0 && resumed.score.answered == 1)
        let first = LessonSession(lesson: lesson, answers: saved)
        #expect(first.pendingQuiz == nil)
    }

    @Test func skippingAQuizIsNotAnAnswer() {
        var s = LessonSession(lesson: lesson)
        s.nextStep()
        #expect(s.score.firstTry == 0)
        #expect(s.answers.items.values.contains(.revealed))
    }

    @Test func progressKeepsAnswersAndReadsOldFiles() throws {
        let dir = NSTemporaryDirectory() + "cnn-tutor-answers-\(UUID().uuidString)"
        let store = ProgressStore(directory: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let old = #"{"version": 1, "lessons": {"tensors": {"step": 2, "completed": false, "quizzesRight": 1, "quizzesAnswered": 2}}, "lastLesson": "tensors"}"#
        try old.write(toFile: store.path, atomically: true, encoding: .utf8)
        let (loaded, warning) = store.load()
        #expect(warning == nil)
        #expect(loaded.lessons["tensors"]?.step == 2)
        #expect(loaded.lessons["tensors"]?.answers == nil)
        let answers = LessonAnswers(items: ["0.3": .answered(typed: "1568", attempts: 1), "1.0": .solved, "2.1": .revealed])
        try store.update("tensors") { $0.answers = answers }
        #expect(store.load().0.lessons["tensors"]?.answers == answers)
    }
}
