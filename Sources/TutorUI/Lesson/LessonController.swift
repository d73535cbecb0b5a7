import CNNCompute
import Race
import CNNModel
import LessonKit

/// Runs a lesson inside the app: the lesson text beside the builder, quizzes, tasks and playback.
///
/// It owns the ``AppState`` and a ``LessonSession``. The app's model is the
/// one model: the learner's edits reach the session as soon as they are
/// made, and the lesson's actions reach the app as ``Msg``s, so the builder
/// and the text never disagree. Playback (``Autoplayer``) presses the same
/// keys a learner would.
public struct LessonController: Sendable {
    public internal(set) var session: LessonSession
    public internal(set) var app: AppState
    public internal(set) var player: Autoplayer?
    /// What the learner (or the player) is typing for a quiz.
    var answer = LineEditor()
    var feedback: String?
    /// The text's scroll position, in wrapped lines from the top of the step.
    var scroll = 0
    /// True while the model fills the lesson screen instead of the text (Tab swaps).
    var showsModel = false
    /// The model as the lesson last left it; a new step starts from it.
    var lessonModel: Model
    /// Seconds left on another screen before playback returns to the lesson.
    var awayFor: Double?
    /// Set when the lesson started a training run; playback waits until it is over.
    var trainingRequested = false
    /// Shown once the last step is done: the lesson's summary, until a key closes it.
    public internal(set) var showsSummary = false
    /// Effects the first step asked for, started by ``start()``.
    var opening: [Effect] = []

    /// Why the controller wants to stop.
    public enum Exit: Hashable, Sendable {
        case menu
        case quit(Int32)
    }
    public internal(set) var exit: Exit?

    /// Opens a lesson at a step on the given app; ``start()`` returns the work the step asks for.
    ///
    /// - Parameter answers: what the learner answered before, shown answered again.
    public init(lesson: Lesson, step: Int = 0, app: AppState, player: Autoplayer? = nil, answers: LessonAnswers = LessonAnswers()) {
        self.session = LessonSession(lesson: lesson, step: step, answers: answers)
        self.app = app
        self.player = player
        self.lessonModel = session.state.model
        _ = update(&self.app, .show(.lesson))
        opening = sync()
        lessonModel = session.state.model
    }

    /// The work the opening step asked for (a forward pass, a training run), and the lesson's
    /// experiments to train in the background; call it once.
    public mutating func start() -> [Effect] {
        defer { opening = [] }
        let experiments = session.lesson.steps.flatMap(\.actions).compactMap { a -> ExperimentConfiguration? in
            if case .experiment(let c) = a.kind { return c }
            return nil
        }
        return opening + (experiments.isEmpty ? [] : [.prepareLessonExperiments(experiments)])
    }

    /// True while the controller needs ticks: playback, or a computation showing progress.
    public var isAnimating: Bool {
        guard let player, !player.paused else { return isWaitingForWork }
        // The summary of a class demo waits for a key, with no timer running.
        return !(showsSummary && player.summarySeconds == nil)
    }

    /// True while the app computes something the lesson waits for: a forward pass or a training run.
    public var isWaitingForWork: Bool {
        if case .running = app.features.status { return true }
        if trainingRequested { return !Self.isOver(app.experiment.status) }
        return app.experiment.status == .running
    }

    static func isOver(_ status: ExperimentState.Status) -> Bool {
        switch status {
        case .finished, .cancelled, .failed: return true
        case .idle, .running, .paused: return false
        }
    }

    /// The lesson's progress: the step to resume and whether it is done.
    public var progress: (step: Int, completed: Bool, right: Int, answered: Int) {
        (session.stepIndex, session.lessonFinished, session.score.firstTry, session.score.answered)
    }

    // MARK: - Messages

    /// Handles a message: keys by what is on screen, the rest to the app.
    public mutating func handle(_ msg: Msg) -> [Effect] {
        switch msg {
        case .key(let key):
            if player != nil { return viewerKey(key) }
            return learnerKey(key)
        case .paste(let text) where session.pendingQuiz != nil && app.screen == .lesson:
            _ = answer.insert(text.replacingOccurrences(of: "\n", with: " "))
            return refresh()
        case .tick(let seconds):
            var effects = passToApp(msg)
            effects += tick(seconds)
            return effects
        default:
            return passToApp(msg)
        }
    }

    /// A key as the learner presses it; playback presses keys through here too.
    mutating func learnerKey(_ key: Key) -> [Effect] {
        if showsSummary {
            exit = key == .ctrl("c") ? .quit(130) : .menu
            return []
        }
        // Too small to draw anything: only leaving makes sense.
        if app.tooSmall {
            if key == .char("q") || key == .ctrl("c") { exit = .quit(key == .ctrl("c") ? 130 : 0) }
            return []
        }
        if app.prompt != nil || app.showHelp { return passToApp(.key(key)) }
        if app.screen != .lesson {
            // Esc closes the step-by-step view first, as outside a lesson; the next Esc goes back to the text.
            if key == .escape, !(app.screen == .featureMaps && app.features.step != nil) { return backToLesson() }
            return passToApp(.key(key))
        }
        if showsModel {
            if key == .tab || key == .escape { showsModel = false; return refresh() }
            return passToApp(.key(key))
        }
        if let action = LessonKeys.scrollAction(key) { return scrollText(action) }
        if session.pendingQuiz != nil { return quizKey(key) }
        switch LessonKeys.action(for: key, task: session.pendingTask != nil) {
        case .next?: return nextStep()
        case .back?: return previousStep()
        case .solution?:
            let task = session.waitingAt
            session.solveTask()
            feedback = nil
            return sync(follow: task)
        case .hint?:
            session.hint()
            return refresh(follow: session.waitingAt)
        case .swap?:
            showsModel = true
            return refresh()
        case .menu?:
            exit = .menu
            return []
        case .quit?:
            exit = .quit(key == .ctrl("c") ? 130 : 0)
            return []
        case nil:
            // Enter with nothing to answer must not open the builder's edit prompt.
            if key == .enter { return refresh() }
            return passToApp(.key(key))
        }
    }

    mutating func nextStep() -> [Effect] {
        if !session.stepFinished {
            feedback = session.pendingTask != nil
                ? "Finish the task in the model (a add, x delete, : command), or press s to see a solution."
                : nil
            return refresh()
        }
        if session.isLastStep {
            showsSummary = true
            if let seconds = player?.summarySeconds { player?.wait = seconds; player?.pending = [] }
            return refresh()
        }
        feedback = nil
        // A new step starts from the lesson's model; the learner's own edits stay one undo away.
        if session.state.model != lessonModel {
            session.setModel(lessonModel)
            app.message = StatusMessage("This step starts from the lesson's model; u brings yours back.")
        }
        session.nextStep()
        scroll = 0
        return sync()
    }

    mutating func previousStep() -> [Effect] {
        guard session.stepIndex > 0 else { return refresh() }
        session.previousStep()
        feedback = nil
        scroll = 0
        return sync()
    }

    mutating func backToLesson() -> [Effect] {
        _ = update(&app, .show(.lesson))
        app.message = nil
        awayFor = nil
        return refresh()
    }

    mutating func passToApp(_ msg: Msg) -> [Effect] {
        var effects = update(&app, msg)
        effects += afterApp()
        if case .resize = msg { _ = refresh() }
        return effects
    }

    /// After the app changed: a quit, or a learner's edit, which the session takes as its model.
    mutating func afterApp() -> [Effect] {
        if let code = app.exitCode { exit = .quit(code) }
        guard app.model != session.state.model else { return [] }
        session.setModel(app.model)
        if let task = session.waitingAt, session.pendingTask != nil {
            session.checkTask()
            if session.pendingTask == nil { lessonModel = session.state.model }
            return sync(follow: task)
        }
        return refresh()
    }

    mutating func quizKey(_ key: Key) -> [Effect] {
        if key == .ctrl("c") {
            exit = .quit(130)
            return []
        }
        switch LessonKeys.quiz.action(for: key) {
        case .check?:
            let text = answer.string
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                // An empty answer asks for a hint; with none left, it reveals.
                let asked = session.waitingAt
                if case .quiz(let q, .asking(_, let hints))? = asked.map({ session.shown[$0] }), hints < q.hints.count {
                    session.hint()
                } else {
                    session.reveal()
                    feedback = nil
                }
                return sync(follow: asked)
            }
            return submit(text)
        case .hint?:
            session.hint()
            return refresh(follow: session.waitingAt)
        case .clear?:
            if answer.string.isEmpty { exit = .menu; return [] }
            answer.set("")
            return refresh()
        case nil:
            _ = answer.handle(key)
            return refresh(follow: session.waitingAt)
        }
    }

    /// Grades an answer and shows the outcome.
    mutating func submit(_ text: String) -> [Effect] {
        let asked = session.waitingAt
        switch session.answer(text) {
        case .correct:
            feedback = nil
            answer.set("")
        case .incorrect:
            feedback = "Not quite: `\(text)`. Try again, Tab for a hint, or an empty Enter to see the answer."
            answer.set("")
        case .incorrectWithNote(let note):
            feedback = "Not quite: \(note)."
            answer.set("")
        case .unreadable(let why):
            feedback = why.prefix(1).uppercased() + why.dropFirst() + "."
        }
        return sync(follow: asked)
    }

    // MARK: - Scrolling

    mutating func scrollText(_ action: LessonKeys.Scroll) -> [Effect] {
        let layout = paneLayout()
        let page = max(1, layout.rows - 1)
        switch action {
        case .lineUp: scroll -= 1
        case .lineDown: scroll += 1
        case .pageUp: scroll -= page
        case .pageDown: scroll += page
        case .top: scroll = 0
        case .bottom: scroll = layout.lineCount
        }
        scroll = layout.clamp(scroll)
        return refresh()
    }
}
