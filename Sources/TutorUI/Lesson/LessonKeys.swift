import LessonKit

/// The lesson screen's keys: what each does, and the status line drawn from the same list.
enum LessonKeys {
    /// What a key asks of the lesson.
    enum Action: Sendable, Hashable {
        case next, back, hint, solution, swap, menu, quit
    }

    /// How the text scrolls.
    enum Scroll: Sendable, Hashable {
        case lineUp, lineDown, pageUp, pageDown, top, bottom
    }

    /// What the learner is doing, which decides the keys.
    enum Context: Sendable, Hashable {
        /// Reading a step; `n` moves on once nothing waits.
        case reading
        /// Typing an answer to a quiz.
        case quiz
        /// Editing the model to reach a task's goal.
        case task
        /// The model fills the screen (Tab back to the text).
        case model
        /// The last step is done; `n` shows the summary.
        case lastStep
        /// The lesson's summary, until any key.
        case summary
    }

    static let scrolling = KeySection<Scroll>(title: "Lesson text", bindings: [
        KeyBinding([.up], .lineUp, "↑ ↓", "scroll the text a line", short: "scroll", shortKey: "↑↓"),
        KeyBinding([.down], .lineDown, "↓", "scroll the text down a line"),
        KeyBinding([.pageUp], .pageUp, "PgUp PgDn", "scroll the text a page"),
        KeyBinding([.pageDown], .pageDown, "PgDn", "scroll the text down a page"),
        KeyBinding([.home], .top, "Home End", "the start / the end of the step"),
        KeyBinding([.end], .bottom, "End", "the end of the step"),
    ])

    static let lesson = KeySection<Action>(title: "Lesson", bindings: [
        KeyBinding([.char("n"), .right], .next, "n", "next step, once nothing waits", short: "next"),
        KeyBinding([.char("p"), .left], .back, "p", "the step before, with your answers", short: "back"),
        KeyBinding([.tab], .swap, "Tab", "swap the text for the whole model, and back", short: "model"),
        KeyBinding([.char("m"), .escape], .menu, "m Esc", "the lesson menu (your progress is kept)", short: "menu"),
        KeyBinding([.char("q"), .ctrl("c")], .quit, "q", "quit", short: "quit"),
    ])

    static let task = KeySection<Action>(title: "Task", bindings: [
        KeyBinding([.char("t")], .hint, "t", "a hint for the task", short: "hint"),
        KeyBinding([.char("s")], .solution, "s", "show the solution", short: "solution"),
    ])

    /// The scroll a key asks for (the same in every context but the summary).
    static func scrollAction(_ key: Key) -> Scroll? { scrolling.action(for: key) }

    /// The lesson action of a key outside a quiz.
    static func action(for key: Key, task pending: Bool) -> Action? {
        if pending, let a = task.action(for: key) { return a }
        return lesson.action(for: key)
    }

    static let quiz = KeySection<QuizKey>(title: "Quiz", bindings: [
        KeyBinding([.enter], .check, "Enter", "check the answer; empty: a hint, then the answer", short: "check"),
        KeyBinding([.tab], .hint, "Tab", "a hint", short: "hint"),
        KeyBinding([.escape], .clear, "Esc", "clear the answer; when empty, the lesson menu", short: "clear/menu"),
    ])

    /// What a key does while a quiz waits (any other key types).
    enum QuizKey: Sendable, Hashable { case check, hint, clear }

    /// The viewer's keys while a lesson plays by itself.
    static let playback = KeySection<PlaybackKey>(title: "Playback", bindings: [
        KeyBinding([.char(" ")], .pause, "Space", "pause / play", short: "pause"),
        KeyBinding([.char("n"), .right], .next, "n p", "next / previous step", short: "step", shortKey: "n/p"),
        KeyBinding([.char("p"), .left], .back, "p", "previous step"),
        KeyBinding([.char("+"), .char("=")], .faster, "+ -", "faster / slower", short: "speed", shortKey: "+/-"),
        KeyBinding([.char("-"), .char("_")], .slower, "-", "slower"),
        KeyBinding([.char("q"), .escape, .ctrl("c")], .quit, "q", "quit", short: "quit"),
    ])

    enum PlaybackKey: Sendable, Hashable { case pause, next, back, faster, slower, quit }

    /// The status line for a context; during playback, the viewer's keys.
    static func hints(for context: Context, player: Autoplayer?) -> [KeyHint] {
        if context == .summary { return [KeyHint("any key", player == nil ? "back to the menu" : "leave")] }
        if let player {
            var hints = playback.hints
            hints[0].what = player.paused ? "play" : "pause"
            hints[2].what = "speed ×" + NumberFormat.fixed(player.speed, decimals: 1)
            return hints
        }
        let scroll = scrolling.hints
        switch context {
        case .summary: return []  // answered before the switch
        case .quiz: return quiz.hints + scroll
        case .task: return task.hints + KeyMap.builder.hints.prefix(3) + [KeyHint(":", "command")] + lesson.hints.dropFirst(2) + scroll
        case .model: return [KeyHint("Tab", "back to the text")] + KeyMap.builder.hints + KeyMap.global.hints.prefix(1)
        case .lastStep:
            var hints = lesson.hints
            hints[0].what = "finish"
            return hints + scroll
        case .reading: return lesson.hints + scroll
        }
    }
}
