import Testing
@testable import LessonKit

/// The session walks steps, stops at quizzes (predict, then reveal) and tasks, and keeps score.
@Suite struct LessonSessionTests {
    let lesson: Lesson = try! LessonParser.parse(LessonFixtures.lesson(LessonFixtures.baseAndHead), file: "s.md")

    @Test func quizWaitsBeforeItsReveal() {
        var s = LessonSession(lesson: lesson)
        #expect(s.pendingQuiz != nil)
        #expect(!s.state.model.layerNames.contains("flatten"))
        #expect(s.answer("(179776, 1)") != .correct)
        #expect(s.pendingQuiz != nil)
        #expect(s.answer("179,776") == .correct)
        #expect(s.pendingQuiz == nil)
        #expect(s.state.model.layerNames.last == "flatten")
        #expect(s.stepFinished)
        #expect(s.score.firstTry == 0 && s.score.answered == 1)
        guard case .prose(let last) = s.shown.last else { Issue.record("no prose after the reveal"); return }
        #expect(last.plainText == "Now (179776,).")
    }

    @Test func wrongAnswersUnlockHints() {
        var s = LessonSession(lesson: lesson)
        _ = s.answer("12")
        guard case .quiz(_, .asking(let attempts, let hints)) = s.shown[s.waitingAt!] else { Issue.record("not asking"); return }
        #expect(attempts == 1 && hints == 1)
    }

    @Test func unreadableAnswerCostsNothing() {
        var s = LessonSession(lesson: lesson)
        if case .unreadable = s.answer("many") {} else { Issue.record("'many' should be unreadable") }
        guard case .quiz(_, .asking(let attempts, _)) = s.shown[s.waitingAt!] else { Issue.record("not asking"); return }
        #expect(attempts == 0)
    }

    @Test func revealShowsTheAnswerAndGoesOn() {
        var s = LessonSession(lesson: lesson)
        s.reveal()
        #expect(s.stepFinished)
        #expect(s.state.model.layerNames.last == "flatten")
    }

    @Test func taskIsCheckedAgainstTheLearnersModel() throws {
        var s = LessonSession(lesson: lesson)
        s.reveal()
        s.nextStep()
        #expect(s.pendingTask != nil)
        #expect(s.checkTask().count == 1)
        try s.perform(.remove(["flatten"]))
        try s.perform(.add([LayerCode(code: "GlobalMaxPooling2D()", spec: .init(.globalPool(.init(op: .max, rank: 2))))], before: nil))
        try s.perform(.add([LayerCode(code: "Dense(10)", spec: .init(.dense(.init(units: 10))))], before: nil))
        #expect(s.checkTask().isEmpty)
        #expect(s.pendingTask == nil)
        #expect(s.lessonFinished)
        guard case .prose(let last) = s.shown.last else { Issue.record("no prose"); return }
        #expect(last.plainText == "Done: 66,602.")
    }

    @Test func openingAtAStepReplaysTheEarlierOnes() {
        let s = LessonSession(lesson: lesson, step: 1)
        #expect(s.stepIndex == 1)
        #expect(s.state.model.layerNames.last == "flatten")
        #expect(s.pendingTask != nil)
    }

    @Test func previousStepRebuildsTheState() {
        var s = LessonSession(lesson: lesson, step: 1)
        s.solveTask()
        s.previousStep()
        #expect(s.stepIndex == 0)
        #expect(!s.state.model.layerNames.contains("global_average_pooling2d"))
        #expect(s.pendingQuiz != nil)
    }

    @Test func transcriptShowsTypedAnswersAndComputedNumbers() {
        let text = LessonTranscript.render(lesson)
        #expect(text.contains("> (179776,)   ✓ right"))
        #expect(text.contains("> add GlobalAveragePooling2D()"))
        #expect(text.contains("Done: 66,602."))
        #expect(text.contains("step 2/2: Head"))
        #expect(!text.contains("⟨"))
    }
}
