import CNNModel

/// Runs a lesson for one learner: walks the steps, applies actions, asks quizzes, checks tasks.
///
/// The session is a value; the app keeps one in its state and calls the
/// mutating methods from `update`. Quizzes are predict-then-reveal: the walk
/// stops at a quiz, and the actions after it (the reveal) run once it is
/// answered or revealed.
public struct LessonSession: Sendable, Hashable {
    public let lesson: Lesson
    public private(set) var state: LessonState
    public private(set) var stepIndex: Int
    /// The next item of the current step to process.
    public private(set) var itemIndex: Int
    /// What the current step has shown so far, in order.
    public private(set) var shown: [ShownItem]
    /// The quiz or task waiting for the learner, as an index into `shown`.
    public private(set) var waitingAt: Int?
    /// Quiz and task explanations, rendered once their reveal has run, by index into `shown`.
    public private(set) var explanations: [Int: [StyledRun]] = [:]
    /// Quiz questions and task prompts, rendered when they were asked, by index into `shown`.
    public private(set) var prompts: [Int: [StyledRun]] = [:]
    /// A quiz whose reveal is running; its explanation is rendered when the reveal ends.
    private var revealing: Int?
    /// Actions applied since the last ``takeApplied()``, for a screen to mirror.
    public private(set) var applied: [LessonAction] = []
    /// The learner's answers to quizzes and tasks, over the whole lesson: kept going back, saved for resuming.
    public private(set) var answers: LessonAnswers
    /// The ``LessonAnswers`` key of each quiz or task shown, by index into `shown`.
    private var keys: [Int: String] = [:]

    /// Quizzes answered right first time / answered at all, over the lesson.
    public var score: (firstTry: Int, answered: Int) { (answers.firstTry, answers.quizzes) }

    public static func == (a: LessonSession, b: LessonSession) -> Bool {
        a.lesson == b.lesson && a.state == b.state && a.stepIndex == b.stepIndex && a.itemIndex == b.itemIndex
            && a.shown == b.shown && a.waitingAt == b.waitingAt && a.answers == b.answers && a.explanations == b.explanations && a.prompts == b.prompts
    }
    public func hash(into h: inout Hasher) {
        h.combine(lesson.id); h.combine(stepIndex); h.combine(itemIndex); h.combine(shown); h.combine(waitingAt)
    }

    /// Opens a lesson at a step (0-based), with the state every earlier step leaves.
    ///
    /// - Parameter answers: what the learner answered before (``LessonProgress/answers``):
    ///   those quizzes and tasks show as answered and done, and the walk goes past them.
    public init(lesson: Lesson, step: Int = 0, initial: LessonState = LessonState(), answers: LessonAnswers = LessonAnswers()) {
        self.lesson = lesson
        self.state = initial
        self.answers = answers
        self.stepIndex = 0
        self.itemIndex = 0
        self.shown = []
        let target = min(max(0, step), max(0, lesson.steps.count - 1))
        for s in 0..<target { Self.fastForward(lesson.steps[s], &state) }
        self.stepIndex = target
        advance()
    }

    // MARK: - Where we are

    public var step: LessonStep { lesson.steps[stepIndex] }
    public var stepCount: Int { lesson.steps.count }
    public var isLastStep: Bool { stepIndex == lesson.steps.count - 1 }
    /// True when every item of the current step has been shown and nothing waits.
    public var stepFinished: Bool { waitingAt == nil && itemIndex >= step.items.count }
    /// True when the last step is finished.
    public var lessonFinished: Bool { isLastStep && stepFinished }

    /// The quiz waiting for an answer, if any.
    public var pendingQuiz: Quiz? {
        guard let w = waitingAt, case .quiz(let q, _) = shown[w] else { return nil }
        return q
    }

    /// The task waiting to be done, if any.
    public var pendingTask: LessonTask? {
        guard let w = waitingAt, case .task(let t, _) = shown[w] else { return nil }
        return t
    }

    // MARK: - Walking

    /// Shows and applies items until a quiz or task waits, or the step ends.
    ///
    /// - Returns: the actions applied, so a screen can mirror them (switch view, run).
    @discardableResult
    public mutating func advance() -> [LessonAction] {
        var applied: [LessonAction] = []
        guard waitingAt == nil else { return applied }
        while itemIndex < step.items.count {
            let item = step.items[itemIndex]
            // The reveal is the run of actions right after a quiz; prose or another question ends it.
            if case .prose = item { settleReveal() }
            if case .action(let a) = item, a.kind.isInteractive { settleReveal() }
            itemIndex += 1
            switch item {
            case .prose(let block):
                shown.append(.prose(block.rendered(in: state)))
            case .action(let action):
                switch action.kind {
                case .quiz(let q):
                    prompts[shown.count] = q.question.rendered(in: state)
                    keys[shown.count] = LessonAnswers.key(step: stepIndex, item: itemIndex - 1)
                    switch answers.items[keys[shown.count]!] {
                    case .answered(let typed, let attempts)? where q.grade(typed).isCorrect:
                        shown.append(.quiz(q, .answered(typed: typed, attempts: attempts)))
                        revealing = shown.count - 1
                    case .revealed?:
                        shown.append(.quiz(q, .revealed))
                        revealing = shown.count - 1
                    default:
                        shown.append(.quiz(q, .asking(attempts: 0, hints: 0)))
                        waitingAt = shown.count - 1
                        return applied
                    }
                case .task(let t):
                    prompts[shown.count] = t.prompt.rendered(in: state)
                    keys[shown.count] = LessonAnswers.key(step: stepIndex, item: itemIndex - 1)
                    if answers.items[keys[shown.count]!] == .solved {
                        for s in t.solution { try? state.apply(s.action) }
                        shown.append(.task(t, .done(bySolution: false)))
                        explanations[shown.count - 1] = t.explanation.rendered(in: state)
                        continue
                    }
                    shown.append(.task(t, .working(unmet: t.unmetGoals(in: state), hints: 0)))
                    waitingAt = shown.count - 1
                    return applied
                case .expect(let list):
                    let failures = list.compactMap { a -> String? in
                        do throws(LessonExpressionError) {
                            let o = try a.assertion.check(in: state)
                            return o.passed ? nil : o.explanation
                        } catch { return error.message }
                    }
                    shown.append(.checked(list.map(\.assertion.text), failures: failures))
                default:
                    do throws(LessonExpressionError) {
                        try state.apply(action.kind)
                        shown.append(.action(action))
                        applied.append(action)
                        self.applied.append(action)
                    } catch {
                        shown.append(.problem("\(action.kind.name): \(error.message)"))
                    }
                }
            }
        }
        settleReveal()
        return applied
    }

    /// The actions applied since the last call, oldest first.
    public mutating func takeApplied() -> [LessonAction] {
        defer { applied = [] }
        return applied
    }

    private mutating func settleReveal() {
        guard let r = revealing else { return }
        revealing = nil
        if case .quiz(let q, _) = shown[r] { explanations[r] = q.explanation.rendered(in: state) }
    }

    /// Grades an answer to the waiting quiz; a right answer runs the reveal.
    public mutating func answer(_ text: String) -> QuizGrade { answer(text, byLearner: true) }

    private mutating func answer(_ text: String, byLearner: Bool) -> QuizGrade {
        guard let w = waitingAt, case .quiz(let q, .asking(let attempts, let hints)) = shown[w] else {
            return .unreadable("there is no question to answer")
        }
        let grade = q.grade(text)
        switch grade {
        case .correct:
            shown[w] = .quiz(q, .answered(typed: text, attempts: attempts + 1))
            record(w, byLearner ? .answered(typed: text, attempts: attempts + 1) : .revealed)
            waitingAt = nil
            revealing = w
            advance()
        case .incorrect, .incorrectWithNote:
            shown[w] = .quiz(q, .asking(attempts: attempts + 1, hints: min(q.hints.count, max(hints, attempts + 1))))
        case .unreadable:
            break
        }
        return grade
    }

    /// Shows the next hint of the waiting quiz or task.
    public mutating func hint() {
        guard let w = waitingAt else { return }
        switch shown[w] {
        case .quiz(let q, .asking(let a, let h)): shown[w] = .quiz(q, .asking(attempts: a, hints: min(q.hints.count, h + 1)))
        case .task(let t, .working(let u, let h)): shown[w] = .task(t, .working(unmet: u, hints: min(t.hints.count, h + 1)))
        default: break
        }
    }

    /// Gives up on the waiting quiz: shows the answer and runs the reveal.
    public mutating func reveal() {
        guard let w = waitingAt, case .quiz(let q, _) = shown[w] else { return }
        shown[w] = .quiz(q, .revealed)
        record(w, .revealed)
        waitingAt = nil
        revealing = w
        advance()
    }

    /// Replaces the model with the learner's (the app's builder edits it during a task).
    public mutating func setModel(_ model: Model) {
        state.model = model
        if let w = waitingAt, case .task(let t, .working(_, let h)) = shown[w] {
            shown[w] = .task(t, .working(unmet: t.unmetGoals(in: state), hints: h))
        }
    }

    /// Applies one action the learner performed (from a task's solution or the command line).
    public mutating func perform(_ action: ActionKind) throws(LessonExpressionError) {
        try state.apply(action)
        setModel(state.model)
    }

    /// Checks the waiting task; when every goal holds, the walk goes on.
    ///
    /// - Returns: the goals still unmet (empty when the task is done).
    @discardableResult
    public mutating func checkTask() -> [String] {
        guard let w = waitingAt, case .task(let t, .working(_, let h)) = shown[w] else { return [] }
        let unmet = t.unmetGoals(in: state)
        if unmet.isEmpty {
            shown[w] = .task(t, .done(bySolution: false))
            record(w, .solved)
            explanations[w] = t.explanation.rendered(in: state)
            waitingAt = nil
            advance()
        } else {
            shown[w] = .task(t, .working(unmet: unmet, hints: h))
        }
        return unmet
    }

    /// Applies the waiting task's solution and goes on.
    public mutating func solveTask() {
        guard let w = waitingAt, case .task(let t, _) = shown[w] else { return }
        for s in t.solution { try? state.apply(s.action) }
        shown[w] = .task(t, t.unmetGoals(in: state).isEmpty ? .done(bySolution: true) : .working(unmet: t.unmetGoals(in: state), hints: 0))
        if case .task(_, .done) = shown[w] {
            record(w, .solved)
            explanations[w] = t.explanation.rendered(in: state)
            waitingAt = nil
            advance()
        }
    }

    /// Moves to the next step, finishing the current one as playback would.
    public mutating func nextStep() {
        guard !isLastStep else { return }
        finishStep()
        stepIndex += 1
        itemIndex = 0
        shown = []
        explanations = [:]
        prompts = [:]
        keys = [:]
        waitingAt = nil
        advance()
    }

    /// Goes back one step, rebuilding the state from the start.
    public mutating func previousStep() {
        guard stepIndex > 0 else { return }
        self = LessonSession(lesson: lesson, step: stepIndex - 1, answers: answers)
    }

    /// Runs the rest of the step with the right answers and the tasks' solutions.
    public mutating func finishStep() {
        while !stepFinished {
            if let q = pendingQuiz { _ = answer(q.answer.typedText, byLearner: false); if pendingQuiz == q { reveal() } }
            else if pendingTask != nil { solveTask(); if pendingTask != nil { skipTask() } }
            else { advance() }
        }
    }

    private mutating func record(_ shownIndex: Int, _ answer: LessonAnswer) {
        guard let key = keys[shownIndex] else { return }
        // A quiz answered once stays answered as it was first; skipping it later changes nothing.
        if case .answered? = answers.items[key], answer == .revealed { return }
        answers.items[key] = answer
    }

    /// Leaves a task whose solution doesn't meet its goal, so playback never hangs.
    mutating func skipTask() {
        guard let w = waitingAt, case .task(let t, _) = shown[w] else { return }
        shown[w] = .task(t, .done(bySolution: true))
        waitingAt = nil
        advance()
    }

    /// Applies a whole step without showing it: answers aside, every action, and task solutions.
    static func fastForward(_ step: LessonStep, _ state: inout LessonState) {
        for case .action(let a) in step.items {
            if case .task(let t) = a.kind {
                for s in t.solution { try? state.apply(s.action) }
            } else {
                try? state.apply(a.kind)
            }
        }
    }
}

/// One thing a step has shown.
public enum ShownItem: Sendable, Hashable {
    case prose(RenderedBlock)
    case action(LessonAction)
    case quiz(Quiz, QuizStatus)
    case task(LessonTask, TaskStatus)
    /// An `expect` block: its checks, and those that failed.
    case checked([String], failures: [String])
    /// Something went wrong while applying an action; shown, never fatal.
    case problem(String)
}

/// Where a quiz stands.
public enum QuizStatus: Sendable, Hashable {
    case asking(attempts: Int, hints: Int)
    case answered(typed: String, attempts: Int)
    case revealed
}

/// Where a task stands.
public enum TaskStatus: Sendable, Hashable {
    case working(unmet: [String], hints: Int)
    case done(bySolution: Bool)
}

/// What a learner answered in one lesson, by quiz and task: restored when they go back or resume.
///
/// Kept in ``LessonProgress/answers``. Keys name a step and an item of it
/// (`"2.5"`); an answer that no longer fits its item (the lesson changed) is ignored.
public struct LessonAnswers: Codable, Sendable, Hashable {
    public var items: [String: LessonAnswer]

    public init(items: [String: LessonAnswer] = [:]) { self.items = items }

    static func key(step: Int, item: Int) -> String { "\(step).\(item)" }

    /// Quizzes answered or revealed.
    public var quizzes: Int { items.values.filter { $0 != .solved }.count }
    /// Quizzes answered right at the first try.
    public var firstTry: Int {
        items.values.filter { if case .answered(_, 1) = $0 { true } else { false } }.count
    }
}

/// One recorded answer.
public enum LessonAnswer: Codable, Sendable, Hashable {
    /// A quiz answered right, with what was typed and after how many tries.
    case answered(typed: String, attempts: Int)
    /// A quiz whose answer was shown (or skipped).
    case revealed
    /// A task done.
    case solved
}
