import LessonKit

extension LessonController {
    /// Starts automatic playback (or replaces the player).
    public mutating func play(_ player: Autoplayer) {
        self.player = player
        app.message = nil
        refresh()
    }

    /// The viewer's keys during playback: pause, step, speed, quit.
    mutating func viewerKey(_ key: Key) -> [Effect] {
        guard var p = player else { return [] }
        if showsSummary {
            exit = key == .ctrl("c") ? .quit(130) : .quit(0)
            return []
        }
        switch LessonKeys.playback.action(for: key) {
        case .pause?: p.paused.toggle()
        case .faster?: p.faster()
        case .slower?: p.slower()
        case .next?:
            session.finishStep()
            player = Self.reset(p)
            return nextStep()
        case .back?:
            player = Self.reset(p)
            return previousStep()
        case .quit?:
            exit = .quit(key == .ctrl("c") ? 130 : 0)
            return []
        case nil: break
        }
        player = p
        return refresh()
    }

    /// The player for a new step: nothing read, nothing typed, same speed and pause state.
    static func reset(_ p: Autoplayer) -> Autoplayer {
        var fresh = p
        fresh.wait = 0
        fresh.pending = []
        fresh.readLines = 0
        fresh.solutionIndex = 0
        return fresh
    }

    /// Moves playback on by `seconds` of wall (or virtual) time.
    ///
    /// Waits while paused and while the app computes: playback never guesses
    /// how long work takes.
    mutating func tick(_ seconds: Double) -> [Effect] {
        if trainingRequested, Self.isOver(app.experiment.status) { trainingRequested = false }
        guard var p = player, !p.paused, exit == nil, !isWaitingForWork else { return [] }
        if let away = awayFor {
            let left = away - seconds * p.speed
            if left > 0 { awayFor = left; return [] }
            return backToLesson()
        }
        p.wait -= seconds * p.speed
        player = p
        guard p.wait <= 0 else { return [] }
        return beat()
    }

    /// One beat of playback: press the next key, or decide which to press.
    mutating func beat() -> [Effect] {
        guard var p = player else { return [] }
        if showsSummary {
            // The summary's own time has passed (see ``nextStep()``).
            exit = .quit(0)
            return []
        }
        if !p.pending.isEmpty {
            let key = p.pending.removeFirst()
            p.wait = p.pending.isEmpty ? Autoplayer.afterResult : Autoplayer.perChar
            player = p
            return press(key)
        }
        // Read what is on screen before anything else.
        let layout = paneLayout()
        let shownEnd = min(layout.lineCount, scroll + layout.rows)
        if p.readLines < shownEnd {
            p.wait = max(Autoplayer.beat, Autoplayer.readingTime(words: Self.words(layout.text, lines: p.readLines..<shownEnd,
                                                                                    width: AppLayout.lessonPaneInnerSize(app).width, theme: app.theme)))
            p.readLines = shownEnd
            player = p
            return []
        }
        if shownEnd < layout.lineCount {
            p.wait = Autoplayer.beat / 2
            player = p
            return press(.pageDown)
        }
        p.wait = Autoplayer.beat
        if let quiz = session.pendingQuiz {
            p.pending = Array(quiz.answer.typedText).map { Key.char($0) } + [.enter]
            p.wait = Autoplayer.thinking
        } else if let task = session.pendingTask {
            if p.solutionIndex < task.solution.count {
                let command = task.solution[p.solutionIndex].typed
                p.solutionIndex += 1
                player = p
                // A whole model is pasted, as a learner would; a command is typed at the command line.
                if command.contains("\n") { return passToApp(.paste(command)) }
                p.pending = [.char(":")] + command.map { Key.char($0) } + [.enter]
            } else {
                p.pending = [.char("s")]
            }
        } else {
            p.pending = [.char("n")]
        }
        player = p
        return []
    }

    /// Presses a key as the learner would, and keeps the player's reading place when the step changes.
    mutating func press(_ key: Key) -> [Effect] {
        let step = session.stepIndex
        let effects = learnerKey(key)
        if session.stepIndex != step, let p = player { player = Self.reset(p) }
        return effects
    }

    /// The words in some of the wrapped lines, to pace reading.
    static func words(_ text: String, lines: Range<Int>, width: Int, theme: Theme) -> Int {
        RichText.wrap(text, width: width, theme: theme)[lines].reduce(0) { n, line in
            n + line.map(\.text).joined().split(separator: " ").count
        }
    }
}
