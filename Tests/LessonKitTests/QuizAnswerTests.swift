import Testing
@testable import LessonKit

/// Answers are read the way people type them.
@Suite struct QuizAnswerTests {
    @Test(arguments: ["(222, 222, 32)", "(None, 222, 222, 32)", "222,222,32", "222x222x32", "222 × 222 × 32", "[222, 222, 32]"])
    func shapeForms(_ typed: String) {
        #expect(QuizAnswer.shape([222, 222, 32]).grade(typed) == .correct)
    }

    @Test func wrongShapeSaysHowManyAxes() {
        if case .incorrectWithNote(let note) = QuizAnswer.shape([222, 222, 32]).grade("(222, 222)") {
            #expect(note.contains("3 axes"))
        } else { Issue.record("expected a note about the axes") }
        #expect(QuizAnswer.shape([222, 222, 32]).grade("(220, 220, 32)") == .incorrect)
    }

    @Test(arguments: ["11,574,090", "11574090", "11_574_090", " 11574090 "])
    func numberForms(_ typed: String) {
        #expect(QuizAnswer.number(11_574_090, tolerance: 0).grade(typed) == .correct)
    }

    @Test func numberTolerance() {
        let a = QuizAnswer.number(99.4, tolerance: 0.1)
        #expect(a.grade("99.45") == .correct)
        #expect(a.grade("99.6") == .incorrect)
        #expect(QuizAnswer.number(15_200_000, tolerance: 100_000).grade("15.2M") == .correct)
    }

    @Test func choiceByLetterNumberOrText() {
        let a = QuizAnswer.choice(1, choices: ["1,536", "1,568", "32"])
        #expect(a.grade("b") == .correct)
        #expect(a.grade("B") == .correct)
        #expect(a.grade("2") == .correct)
        #expect(a.grade("1,568") == .correct)
        #expect(a.grade("a") == .incorrect)
        if case .unreadable = a.grade("z") {} else { Issue.record("z is not a choice") }
    }
}
