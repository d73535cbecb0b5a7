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

/// Arithmetic and a choice's own number or shape are answers too.
@Suite struct QuizArithmeticTests {
    @Test(arguments: ["53*53*64", "53 * 53 * 64", "53 × 53 × 64", "(53*53)*64"])
    func arithmeticForAOneAxisShape(_ typed: String) {
        #expect(QuizAnswer.shape([179_776]).grade(typed) == .correct)
        #expect(QuizAnswer.number(179_776, tolerance: 0).grade(typed) == .correct)
    }

    @Test func wrongArithmeticIsWrong() {
        #expect(QuizAnswer.number(179_776, tolerance: 0).grade("53*53*32") == .incorrect)
    }

    @Test func choiceByItsNumberOrShape() {
        let answer = QuizAnswer.choice(1, choices: ["1,536", "1,568", "(7, 7)", "32"])
        #expect(answer.grade("1568") == .correct)
        #expect(answer.grade("1,568") == .correct)
        #expect(answer.grade("7*7*32") == .correct)
        #expect(answer.grade("1536") == .incorrect)
        #expect(answer.grade("7, 7") == .incorrect)
        #expect(answer.grade("2") == .correct)
        #expect(answer.grade("b") == .correct)
    }
}
