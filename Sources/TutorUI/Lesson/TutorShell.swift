import Foundation
import LessonKit

/// The whole interactive program: the lesson menu, a lesson in progress, or the builder.
///
/// The terminal loop feeds it messages (ticks among them), draws it, and
/// saves ``progress`` whenever ``progressChanged`` is set.
public struct TutorShell: Program {
    public enum Mode: Sendable {
        case menu
        case lesson(LessonController)
        case builder
    }
    public internal(set) var mode: Mode
    public internal(set) var menu: LessonMenu
    /// The builder sandbox, kept between visits.
    public internal(set) var app: AppState
    public internal(set) var progress: LearnerProgress
    /// Set when progress changed since the loop last saved it.
    public var progressChanged = false
    public internal(set) var exitCode: Int32?
    /// Leave the program when the lesson ends instead of going back to the menu (`play`).
    public var exitAfterLesson = false
    /// Work a lesson opened before the loop ran asked for; ``start()`` hands it over.
    var opening: [Effect] = []

    public init(menu: LessonMenu, app: AppState = AppState()) {
        self.menu = menu
        self.app = app
        self.progress = menu.progress
        self.mode = .menu
    }

    /// Opens a lesson straight away (for `learn` and `play`); its first step's work starts with the loop.
    ///
    /// - Parameter fresh: start over, forgetting the answers given before (they come back otherwise).
    public mutating func open(_ lesson: Lesson, step: Int = 0, player: Autoplayer? = nil, fresh: Bool = false) {
        opening = openLesson(lesson, step: step, player: player, fresh: fresh)
    }

    /// Opens a lesson and returns the work its first step asks for.
    mutating func openLesson(_ lesson: Lesson, step: Int, player: Autoplayer? = nil, fresh: Bool = false) -> [Effect] {
        let lessonApp = AppState(width: app.width, height: app.height, caps: app.caps)
        // Playback shows the lesson as written, not the learner's answers.
        let answers = player == nil && !fresh ? progress.lessons[lesson.id]?.answers ?? LessonAnswers() : LessonAnswers()
        var controller = LessonController(lesson: lesson, step: step, app: lessonApp, answers: answers)
        if let player { controller.play(player) }
        let effects = controller.start()
        mode = .lesson(controller)
        record(controller)
        return effects
    }

    public mutating func start() -> [Effect] {
        defer { opening = [] }
        return opening
    }

    public var wantsTicks: Bool {
        switch mode {
        case .lesson(let c): return c.isAnimating
        case .builder: return app.wantsTicks
        case .menu: return false
        }
    }

    public var interruptIsKey: Bool {
        switch mode {
        case .lesson(let c): return c.app.interruptIsKey
        case .builder: return app.interruptIsKey
        case .menu: return false
        }
    }

    public var isWaitingForWork: Bool {
        switch mode {
        case .lesson(let c): return c.isWaitingForWork
        case .builder: return app.isWaitingForWork
        case .menu: return false
        }
    }

    /// Shows a warning where the learner is looking: the menu's list of problems, or the message line.
    public mutating func warn(_ text: String) {
        switch mode {
        case .menu:
            if !menu.warnings.contains(text) { menu.warnings.append(text) }
        case .builder:
            _ = update(&app, .warn(text))
        case .lesson(var c):
            _ = c.handle(.warn(text))
            mode = .lesson(c)
        }
    }

    /// True when a played lesson shows its summary: playback is over.
    public var showsSummary: Bool {
        if case .lesson(let c) = mode { return c.showsSummary }
        return false
    }

    // MARK: - Messages

    public mutating func handle(_ msg: Msg) -> [Effect] {
        switch mode {
        case .menu:
            switch msg {
            case .resize(let w, let h): app = resized(app, w, h)
            case .setCapabilities: _ = update(&app, msg)
            case .key(let key):
                switch menu.handle(key) {
                case .open(let i, let step, let fresh)?: return openLesson(menu.lessons[i], step: step, fresh: fresh)
                case .builder?: _ = update(&app, .show(.builder)); mode = .builder
                case .quit?: exitCode = key == .ctrl("c") ? 130 : 0
                case nil: break
                }
            default: break
            }
            return []
        case .builder:
            var effects = update(&app, msg)
            if let code = app.exitCode {
                // q in the builder goes back to the menu; Ctrl-C leaves.
                if code == 0 { app.exitCode = nil; effects.removeAll { if case .quit = $0 { true } else { false } }; mode = .menu }
                else { exitCode = code }
            }
            return effects
        case .lesson(var controller):
            if case .resize(let w, let h) = msg { app = resized(app, w, h) }
            if case .setCapabilities = msg { _ = update(&app, msg) }
            let effects = controller.handle(msg)
            return finish(controller, effects)
        }
    }

    mutating func finish(_ controller: LessonController, _ effects: [Effect]) -> [Effect] {
        record(controller)
        switch controller.exit {
        case .menu?:
            // The lesson's end leaves a one-lesson run; the menu asked for mid-lesson is the menu, where Enter resumes.
            if exitAfterLesson && controller.showsSummary { exitCode = 0 } else { mode = .menu }
            return effects.filter { if case .quit = $0 { false } else { true } }
        case .quit(let code)?:
            exitCode = code
            return effects
        case nil:
            mode = .lesson(controller)
            return effects
        }
    }

    /// Notes the controller's step and score in the progress.
    mutating func record(_ controller: LessonController) {
        let id = controller.session.lesson.id
        let p = controller.progress
        var entry = progress.lessons[id] ?? LessonProgress()
        let completed = entry.completed || p.completed
        let new = LessonProgress(step: p.step, completed: completed, quizzesRight: max(entry.quizzesRight, p.right),
                                 quizzesAnswered: max(entry.quizzesAnswered, p.answered), updated: entry.updated,
                                 answers: controller.session.answers)
        if new != entry || progress.lastLesson != id {
            entry = new
            entry.updated = Date()
            progress.lessons[id] = entry
            progress.lastLesson = id
            progressChanged = true
            menu.progress = progress
        }
    }

    func resized(_ a: AppState, _ w: Int, _ h: Int) -> AppState {
        var a = a
        _ = update(&a, .resize(width: w, height: h))
        return a
    }

    // MARK: - Drawing

    /// Draws the current mode.
    @discardableResult
    public func draw(into buffer: inout ScreenBuffer) -> (x: Int, y: Int)? {
        switch mode {
        case .menu:
            menu.draw(into: &buffer, width: app.width, height: app.height, theme: app.theme)
            return nil
        case .builder:
            return TutorUI.view(app, into: &buffer)
        case .lesson(let controller):
            return TutorUI.view(controller.app, into: &buffer)
        }
    }
}
