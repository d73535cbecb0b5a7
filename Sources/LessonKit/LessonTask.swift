/// A goal on the model state for the learner to reach, with a solution for playback and validation.
public struct LessonTask: Sendable, Hashable {
    public var prompt: [Inline]
    /// Every one must hold for the task to be done.
    public var goals: [TaskGoal]
    /// The actions that meet the goal, with the text playback types for each.
    public var solution: [SolutionStep]
    /// Near misses: each is a set of actions, from the state the task starts on,
    /// that looks like a solution but must leave some goal unmet.
    public var nearMisses: [[SolutionStep]]
    public var hints: [[Inline]]
    public var explanation: [Inline]
    public var line: Int

    public init(prompt: [Inline], goals: [TaskGoal], solution: [SolutionStep], nearMisses: [[SolutionStep]] = [],
                hints: [[Inline]] = [], explanation: [Inline] = [], line: Int) {
        self.prompt = prompt
        self.goals = goals
        self.solution = solution
        self.nearMisses = nearMisses
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

    /// Each goal in the learner's words, and whether it holds on `state`: what a screen lists as ✓ / ✗.
    public func goalStatus(in state: LessonState) -> [GoalStatus] {
        goals.map { GoalStatus(label: $0.label, holds: $0.holds(in: state)) }
    }

    /// True when every goal holds on `state`.
    public func isMet(in state: LessonState) -> Bool { goals.allSatisfy { $0.holds(in: state) } }
}

/// One goal of a task: the check the engine makes, and what the learner reads.
public struct TaskGoal: Sendable, Hashable {
    public var assertion: Assertion
    /// The plain-English goal (`say:` in the lesson file), shown instead of the check.
    public var label: String
    public var line: Int

    public init(_ assertion: Assertion, label: String, line: Int) {
        self.assertion = assertion
        self.label = label
        self.line = line
    }

    /// True when the check passes; a check that can't be evaluated (the model doesn't build) doesn't hold.
    public func holds(in state: LessonState) -> Bool {
        (try? assertion.check(in: state).passed) ?? false
    }
}

/// A goal as a screen shows it.
public struct GoalStatus: Sendable, Hashable {
    public var label: String
    public var holds: Bool
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
