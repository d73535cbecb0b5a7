import CNNModel
import LessonKit

extension LessonController {
    /// Carries the session's new actions into the app (model, screens, runs), then redraws the text.
    ///
    /// - Parameter follow: the shown item (a quiz just answered, say) to bring into view with what follows it.
    mutating func sync(follow: Int? = nil) -> [Effect] {
        var effects: [Effect] = []
        for action in session.takeApplied() {
            switch action.kind {
            case .view(let name, _):
                let screen = Self.screen(for: name)
                // The compare screen puts the lesson's own Flatten model against the builder's, as the prose does.
                app.compareFlatten = screen == .compare ? session.state.compareFlatten : nil
                _ = update(&app, .show(screen))
                if screen != .lesson {
                    // Set even without a player: one may start playing this step (``play(_:)``).
                    // The way back needs no message: the status bar's first hint is "Esc back to the lesson".
                    awayFor = Autoplayer.awayTime
                }
            case .step(let layer, let at):
                effects += carryModel()
                _ = update(&app, .show(.featureMaps))
                awayFor = Autoplayer.awayTime
                if player == nil { app.message = StatusMessage("Esc closes the step-by-step view; Esc again returns to the lesson.") }
                effects += update(&app, .runFeatureMaps)
                if let i = app.model.layerNames.firstIndex(of: layer) {
                    _ = update(&app, .showStep(StepState(output: i, row: at[0], col: at[1], channel: at[2])))
                }
            case .run:
                effects += carryModel()
                if app.screen == .experiment {
                    // The race the lesson's prose describes, with its settings.
                    effects += update(&app, .experiment(.start(session.state.experiment)))
                    trainingRequested = true
                } else {
                    effects += update(&app, .runFeatureMaps)
                }
            default: break
            }
        }
        effects += carryModel()
        if session.pendingTask == nil { lessonModel = session.state.model }
        if app.screen == .lesson { awayFor = nil }
        return effects + refresh(follow: follow)
    }

    /// Gives the app the session's model when the lesson changed it (undo keeps the old one).
    private mutating func carryModel() -> [Effect] {
        let model = session.state.model
        guard app.model != model, model.inputShape != nil || !model.layers.isEmpty else { return [] }
        let effects = update(&app, .setModel(model))
        _ = update(&app, .select(app.rowCount - 1))
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

    /// Recomputes the lesson pane for the app to draw.
    ///
    /// - Parameter follow: a shown item to bring into view: the text scrolls down to
    ///   the newest lines, but never past that item's first line.
    @discardableResult
    mutating func refresh(follow: Int? = nil) -> [Effect] {
        // The pane's size depends on what the lesson screen shows, so that goes first.
        if app.lesson == nil { app.lesson = LessonPane(title: "", text: "") }
        app.lesson?.showsModel = showsModel
        var layout = paneLayout()
        if let follow { scroll = layout.following(item: follow) }
        scroll = layout.clamp(scroll)
        layout.scroll = scroll
        // Set directly: the `.setLesson` message would also bring the lesson screen to the front.
        app.lesson = pane(layout)
        settleLayout(&app)
        return []
    }

    /// The text of the step, wrapped to the pane the app will draw it in.
    func paneLayout() -> LessonPaneLayout {
        let paragraphs = LessonPaneText.paragraphs(session, answer: answer.string, feedback: feedback)
        let (w, h) = AppLayout.lessonPaneInnerSize(app)
        return LessonPaneLayout(paragraphs, width: w, rows: h, theme: app.theme)
    }

    func pane(_ layout: LessonPaneLayout) -> LessonPane {
        let lesson = session.lesson
        // The step first: a narrow pane cuts the end of the title.
        let title = "\(session.stepIndex + 1)/\(session.stepCount) \(session.step.title) \(app.theme.dot) \(lesson.meta.order). \(lesson.title)"
        if showsSummary {
            return LessonPane(title: title, text: LessonPaneText.summary(session), scroll: 0,
                              keys: LessonKeys.hints(for: .summary, player: player), showsModel: false)
        }
        return LessonPane(title: title, text: layout.text, scroll: layout.scroll,
                          keys: LessonKeys.hints(for: keyContext, player: player), showsModel: showsModel)
    }

    /// Which keys the lesson screen answers to now.
    var keyContext: LessonKeys.Context {
        if showsSummary { return .summary }
        if showsModel { return .model }
        if session.pendingQuiz != nil { return .quiz }
        if session.pendingTask != nil { return .task }
        if session.lessonFinished { return .lastStep }
        return .reading
    }
}
