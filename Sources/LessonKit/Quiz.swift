/// A predict-then-reveal question: the learner answers before the actions after it run.
public struct Quiz: Sendable, Hashable {
    public var question: [Inline]
    public var answer: QuizAnswer
    /// What the engine computes for the answer, checked by `lessons validate`
    /// after the actions that follow the quiz in its step (the reveal).
    public var check: LessonExpression?
    public var checkText: String?
    /// Shown one by one after wrong answers; may hold `{{…}}` templates.
    public var hints: [[Inline]]
    public var explanation: [Inline]
    public var line: Int
    /// Half a unit of the answer's last written digit: how closely `lessons
    /// validate` requires a number answer to match the engine.
    public var answerPrecision: Double = 0.5

    public init(question: [Inline], answer: QuizAnswer, check: LessonExpression? = nil, checkText: String? = nil,
                hints: [[Inline]] = [], explanation: [Inline] = [], line: Int) {
        self.question = question
        self.answer = answer
        self.check = check
        self.checkText = checkText
        self.hints = hints
        self.explanation = explanation
        self.line = line
    }

    /// Grades what the learner typed.
    public func grade(_ input: String) -> QuizGrade { answer.grade(input) }
}

/// The right answer to a quiz.
public enum QuizAnswer: Sendable, Hashable {
    case shape([Int])
    /// A number; `tolerance` is the largest accepted absolute difference.
    case number(Double, tolerance: Double)
    /// The index of the right choice among `choices`.
    case choice(Int, choices: [String])

    /// What playback types, and what the reveal shows.
    public var typedText: String {
        switch self {
        case .shape(let s): return LessonValue.shape(s).description
        case .number(let x, _): return NumberFormat.plain(x)
        case .choice(let i, _): return String(Character(Unicode.Scalar(UInt8(97 + i))))
        }
    }

    /// The answer as a value, to compare with the engine.
    public var value: LessonValue {
        switch self {
        case .shape(let s): return .shape(s)
        case .number(let x, _): return .number(x)
        case .choice(let i, let choices): return .text(choices[i])
        }
    }

    /// Grades what the learner typed.
    public func grade(_ input: String) -> QuizGrade {
        let text = input.trimmingSpaces()
        guard !text.isEmpty else { return .unreadable("type an answer first") }
        switch self {
        case .shape(let want):
            if want.count == 1, let x = NumberText.arithmetic(text) { return x == Double(want[0]) ? .correct : .incorrect }
            if want.count == 1, !text.hasPrefix("("), !text.hasPrefix("["), let x = NumberText.parse(text) {
                return x == Double(want[0]) ? .correct : .incorrect
            }
            guard let got = ShapeText.parse(text) else {
                if want.count == 1, let x = NumberText.parse(text) { return x == Double(want[0]) ? .correct : .incorrect }
                return .unreadable("type a shape such as (222, 222, 32)")
            }
            if got == want { return .correct }
            if got.count != want.count {
                return .incorrectWithNote("the answer has \(want.count) \(want.count == 1 ? "axis" : "axes") (the batch axis aside), yours has \(got.count)")
            }
            return .incorrect
        case .number(let want, let tolerance):
            guard let got = NumberText.parse(text) ?? NumberText.arithmetic(text) else { return .unreadable("type a number such as 11,574,090") }
            return abs(got - want) <= tolerance ? .correct : .incorrect
        case .choice(let index, let choices):
            let lower = text.lowercased()
            if lower.count == 1, let c = lower.unicodeScalars.first, c.value >= 97, Int(c.value) - 97 < choices.count {
                return Int(c.value) - 97 == index ? .correct : .incorrect
            }
            if let i = choices.firstIndex(where: { $0.lowercased() == lower }) { return i == index ? .correct : .incorrect }
            // A number or a shape matches the choice that writes the same value: `1568` is "1,568", `7x7` is "(7, 7)".
            let number = NumberText.isGroupedNumber(text) || !text.contains(",") ? (NumberText.parse(text) ?? NumberText.arithmetic(text)) : nil
            if let x = number, let i = choices.firstIndex(where: { NumberText.parse($0) == x }) { return i == index ? .correct : .incorrect }
            if let n = Int(lower), n >= 1, n <= choices.count { return n - 1 == index ? .correct : .incorrect }
            if number == nil, let shape = ShapeText.parse(text), let i = choices.firstIndex(where: { ShapeText.looksLikeShape($0) && ShapeText.parse($0) == shape }) {
                return i == index ? .correct : .incorrect
            }
            return .unreadable("type a letter from a to \(Character(Unicode.Scalar(UInt8(96 + choices.count))))")
        }
    }
}

/// The outcome of one answer.
public enum QuizGrade: Sendable, Hashable {
    case correct
    case incorrect
    case incorrectWithNote(String)
    /// The input couldn't be read as an answer; the learner doesn't lose a try.
    case unreadable(String)

    public var isCorrect: Bool { self == .correct }
}
