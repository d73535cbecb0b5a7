/// A goal on the model state for the learner to reach, with a solution for playback and validation.
public struct LessonTask: Sendable, Hashable {
    public var prompt: [Inline]
    /// Every one must hold for the task to be done.
    public var goals: [LocatedAssertion]
    /// The actions that meet the goal, with the text playback types for each.
    public var solution: [SolutionStep]
    public var hints: [[Inline]]
    public var explanation: [Inline]
    public var line: Int

    public init(prompt: [Inline], goals: [LocatedAssertion], solution: [SolutionStep], hints: [[Inline]] = [],
                explanation: [Inline] = [], line: Int) {
        self.prompt = prompt
        self.goals = goals
        self.solution = solution
        self.hints = hints
        self.explanation = explanation
        self.line = line
    }

    /// Checks every goal; returns the ones that fail, with why.
    public func unmetGoals(in state: LessonState) -> [String] {
        goals.compactMap { goal -> String? in
            do throws(LessonExpressionError) {
                let outcome = try goal.assertion.check(in: state)
                return outcome.passed ? nil : outcome.explanation
            } catch {
                return "\(goal.assertion.text): \(error.message)"
            }
        }
    }
}

/// One step of a task's solution: what to type, and the action it performs.
public struct SolutionStep: Sendable, Hashable {
    /// A command (`add Dense(10, activation='softmax')`) or a whole Keras model.
    public var typed: String
    public var action: ActionKind
    public init(typed: String, action: ActionKind) {
        self.typed = typed
        self.action = action
    }
}
