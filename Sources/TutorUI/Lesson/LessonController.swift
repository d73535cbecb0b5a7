import CNNModel
import LessonKit

/// Runs a lesson inside the app: the lesson pane beside the builder, quizzes, tasks and playback.
///
/// It owns the ``AppState`` and a ``LessonSession``. Every lesson action
/// reaches the app as a ``Msg`` (set the model, show a screen, run the
/// forward pass), so the screen is the same whether a learner or the
/// ``Autoplayer`` drives it.
public struct LessonController: Sendable {
    public internal(set) var session: LessonSession
    public internal(set) var app: AppState
    public internal(set) var player: Autoplayer?
    /// What the learner (or the player) is typing for a quiz or task.
    var answer = LineEditor()
    var feedback: String?
    /// Seconds left on another screen before playback returns to the lesson.
    var awayFor: Double?
    /// Set when the lesson started a training run; playback waits until it is over.
    var trainingRequested = false
    /// Paragraphs of the step hidden below the pane by PgUp (0 shows the newest).
    var paneScroll = 0

    /// Why the controller wants to stop.
    public enum Exit: Hashable, Sendable {
        case menu
        case quit(Int32)
    }
    public internal(set) var exit: Exit?

    /// Opens a lesson at a step on the given app.
    public init(lesson: Lesson, step: Int = 0, app: AppState, player: Autoplayer? = nil) {
        self.session = LessonSession(lesson: lesson, step: step)
        self.app = app
        self.player = player
        _ = update(&self.app, .show(.lesson))
        _ = sync()
    }

    /// True while playback needs ticks (it is playing, or waiting for a forward pass).
    public var isAnimating: Bool { player.map { !$0.paused } ?? false || forwardRunning }

    /// True while playback waits for the app's work (a forward pass or a training run).
    public var isWaitingForWork: Bool { forwardRunning }

    /// True while the app computes something playback must wait for: a forward pass or a training run.
    var forwardRunning: Bool {
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

    /// Handles a message: lesson keys here, the rest to the app.
    public mutating func handle(_ msg: Msg) -> [Effect] {
        guard case .key(let key) = msg else {
            var effects = update(&app, msg)
            effects += afterApp()
            // The pane's text is fitted to its size, so a resize refits it.
            if case .resize = msg { effects += sync() }
            return effects
        }
        if player != nil { return autoKey(key) }
        if app.prompt != nil || app.showHelp { return passToApp(msg) }
        if app.screen != .lesson {
            if key == .escape { _ = update(&app, .show(.lesson)); return sync() }
            return passToApp(msg)
        }
        switch key {
        case .pageUp:
            paneScroll = min(paneScroll + 1, max(0, LessonPaneText.paragraphs(session, typing: nil, feedback: nil).count - 1))
            return sync()
        case .pageDown:
            paneScroll = max(0, paneScroll - 1)
            return sync()
        default:
            paneScroll = 0
        }
        if session.pendingQuiz != nil { return quizKey(key) }
        switch key {
        case .char("n"), .right:
            if session.stepFinished {
                if session.isLastStep { exit = .menu; return [] }
                session.nextStep()
                feedback = nil
            } else if session.pendingTask != nil {
                feedback = "Finish the task in the builder, or press s to see a solution."
            }
            return sync()
        case .char("p"), .left:
            session.previousStep()
            feedback = nil
            return sync()
        case .char("s") where session.pendingTask != nil:
            session.solveTask()
            feedback = nil
            return sync()
        case .char("t") where session.pendingTask != nil:
            session.hint()
            return sync()
        case .char("m"), .escape:
            exit = .menu
            return []
        default:
            return passToApp(msg)
        }
    }

    mutating func passToApp(_ msg: Msg) -> [Effect] {
        var effects = update(&app, msg)
        effects += afterApp()
        return effects
    }

    /// After the app changed: a quit, or a learner's edit that may finish a task.
    mutating func afterApp() -> [Effect] {
        if let code = app.exitCode { exit = .quit(code) }
        if session.pendingTask != nil, app.model != session.state.model {
            session.setModel(app.model)
            session.checkTask()
            return sync()
        }
        return []
    }

    mutating func quizKey(_ key: Key) -> [Effect] {
        switch key {
        case .enter:
            let text = answer.string
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                // An empty answer asks for a hint; with none left, it reveals.
                if case .quiz(let q, .asking(_, let hints))? = session.waitingAt.map({ session.shown[$0] }), hints < q.hints.count {
                    session.hint()
                } else {
                    session.reveal()
                    feedback = nil
                }
                return sync()
            }
            return submit(text)
        case .tab:
            session.hint()
            return sync()
        case .escape:
            if answer.string.isEmpty { exit = .menu; return [] }
            answer.set("")
            return sync()
        case .ctrl("c"):
            exit = .quit(130)
            return []
        default:
            _ = answer.handle(key)
            return sync()
        }
    }

    /// Grades an answer and shows the outcome.
    mutating func submit(_ text: String) -> [Effect] {
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
        return sync()
    }

    // MARK: - Keeping the app in step

    /// Mirrors the session into the app: the model, screens and runs, and the pane text.
    mutating func sync() -> [Effect] {
        var effects: [Effect] = []
        for action in session.takeApplied() {
            switch action.kind {
            case .view(let name, _):
                let screen = Self.screen(for: name)
                _ = update(&app, .show(screen))
                if screen != .lesson {
                    awayFor = 4
                    if player == nil { app.message = StatusMessage("Esc returns to the lesson.") }
                }
            case .run:
                if app.model != session.state.model { effects += update(&app, .setModel(session.state.model)) }
                if app.screen == .experiment {
                    effects += update(&app, .experiment(.start(nil)))
                    trainingRequested = true
                } else {
                    effects += update(&app, .runFeatureMaps)
                }
            default: break
            }
        }
        if app.model != session.state.model, session.state.model.inputShape != nil || !session.state.model.layers.isEmpty {
            effects += update(&app, .setModel(session.state.model))
            _ = update(&app, .select(app.rowCount - 1))
        }
        // Set directly: the `.setLesson` message would also bring the lesson screen to the front.
        app.lesson = pane()
        if app.screen == .lesson || awayFor == nil { awayFor = nil }
        return effects
    }

    static func screen(for view: String) -> Screen {
        switch view {
        case "compare": return .compare
        case "feature-maps": return .featureMaps
        case "experiment": return .experiment
        default: return .lesson
        }
    }

    /// The lesson pane for the current state, sized to the pane it will be drawn in.
    func pane() -> LessonPane {
        let typing: LessonPaneText.Typing? = (session.pendingQuiz != nil || player?.typing.isEmpty == false || !(player?.typed.isEmpty ?? true))
            ? LessonPaneText.Typing(text: player != nil ? (player?.typed ?? "") : answer.string, automatic: player != nil)
            : nil
        let paragraphs = LessonPaneText.paragraphs(session, typing: typing, feedback: feedback)
        let (w, h) = AppLayout.lessonPaneInnerSize(app)
        let shown = Array(paragraphs.dropLast(min(paneScroll, max(0, paragraphs.count - 1))))
        var body = LessonPaneText.fitted(shown, width: w, height: max(1, h - 1 - (paneScroll > 0 ? 1 : 0)), theme: app.theme)
        if paneScroll > 0 { body += "\n…" }
        let lesson = session.lesson
        let title = "\(lesson.meta.order). \(lesson.title) · \(session.stepIndex + 1)/\(session.stepCount) \(session.step.title)"
        return LessonPane(title: title, body: body, footer: footer())
    }

    func footer() -> String {
        let dot = " \(app.theme.dot) "
        if let player {
            let state = player.paused ? "paused" : "playing"
            return ["\(state) ×\(NumberFormat.fixed(player.speed, decimals: 1))", "space pause", "n/p step", "+/- speed", "q quit"].joined(separator: dot)
        }
        if session.pendingQuiz != nil { return ["type your answer, Enter", "Tab hint", "empty Enter: hint or answer", "PgUp scroll", "Esc menu"].joined(separator: dot) }
        if session.pendingTask != nil { return ["edit the model: a add, x delete, i input", "t hint", "s solution", "Esc menu"].joined(separator: dot) }
        if session.lessonFinished { return ["lesson complete", "n menu", "p back", "q quit"].joined(separator: dot) }
        return ["n next", "p back", "PgUp/PgDn scroll", "Esc menu", "q quit"].joined(separator: dot)
    }

}

import Foundation
