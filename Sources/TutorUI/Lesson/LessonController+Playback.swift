import LessonKit

extension LessonController {
    /// Starts automatic playback (or replaces the player).
    public mutating func play(_ player: Autoplayer) {
        var p = player
        p.wait = Autoplayer.readingTime(words: wordsShown())
        self.player = p
        app.message = nil
        _ = sync()
    }

    /// Keys during playback: space pauses, n/p step, +/- change the speed, q quits.
    mutating func autoKey(_ key: Key) -> [Effect] {
        guard var p = player else { return [] }
        switch key {
        case .char(" "): p.paused.toggle()
        case .char("+"), .char("="): p.faster()
        case .char("-"), .char("_"): p.slower()
        case .char("n"), .right:
            player = p
            return skipForward()
        case .char("p"), .left:
            session.previousStep()
            p = Autoplayer(speed: p.speed)
            p.paused = player?.paused ?? false
            p.wait = Autoplayer.readingTime(words: 0)
            player = p
            feedback = nil
            return sync()
        case .char("q"), .escape, .ctrl("c"):
            exit = .quit(key == .ctrl("c") ? 130 : 0)
            return []
        default: break
        }
        player = p
        return sync()
    }

    /// Finishes the step with the right answers and moves to the next one.
    mutating func skipForward() -> [Effect] {
        guard var p = player else { return [] }
        session.finishStep()
        if session.isLastStep {
            exit = .quit(0)
            return sync()
        }
        session.nextStep()
        p.typing = []; p.typed = ""; p.solutionIndex = 0; p.readStep = false
        player = p
        var effects = sync()
        let words = wordsShown()
        player?.wait = Autoplayer.readingTime(words: words)
        effects += sync()
        return effects
    }

    /// Moves playback on by `seconds` of wall time.
    ///
    /// Does nothing while paused or while a forward pass runs: playback waits
    /// for the work, it doesn't guess how long it takes.
    public mutating func tick(_ seconds: Double) -> [Effect] {
        if trainingRequested, Self.isOver(app.experiment.status) { trainingRequested = false }
        guard var p = player, !p.paused, exit == nil, !forwardRunning else { return [] }
        if let away = awayFor {
            awayFor = away - seconds * p.speed
            if awayFor! <= 0 {
                awayFor = nil
                _ = update(&app, .show(.lesson))
                return sync()
            }
            return []
        }
        p.wait -= seconds * p.speed
        guard p.wait <= 0 else { player = p; return [] }
        player = p
        return beat()
    }

    /// One step of playback: type a character, press Enter, or move on.
    mutating func beat() -> [Effect] {
        guard var p = player else { return [] }
        if !p.typing.isEmpty {
            p.typed.append(p.typing.removeFirst())
            p.wait = Autoplayer.perChar
            player = p
            return sync()
        }
        let before = wordsShown()
        if !p.typed.isEmpty {
            let text = p.typed
            p.typed = ""
            player = p
            if let quiz = session.pendingQuiz {
                if session.answer(text) != .correct, session.pendingQuiz == quiz { session.reveal() }
            } else if let task = session.pendingTask {
                let step = task.solution[min(player!.solutionIndex, task.solution.count - 1)]
                try? session.perform(step.action)
                player!.solutionIndex += 1
                if player!.solutionIndex >= task.solution.count {
                    if !session.checkTask().isEmpty { session.solveTask() }
                    player!.solutionIndex = 0
                }
            }
            var effects = sync()
            let added = max(0, wordsShown() - before)
            player!.wait = Autoplayer.beat + Autoplayer.readingTime(words: added)
            effects += sync()
            return effects
        }
        if let quiz = session.pendingQuiz {
            p.typing = Array(quiz.answer.typedText)
            p.wait = Autoplayer.beat
            player = p
            return sync()
        }
        if let task = session.pendingTask, !task.solution.isEmpty {
            let command = task.solution[min(p.solutionIndex, task.solution.count - 1)].typed
            // A whole model is pasted rather than typed letter by letter.
            if command.contains("\n") { p.typed = command } else { p.typing = Array(command) }
            p.wait = Autoplayer.beat / 2
            player = p
            return sync()
        }
        if let _ = session.pendingTask {
            session.solveTask()
            return sync()
        }
        if session.stepFinished {
            if session.isLastStep {
                exit = .quit(0)
                return sync()
            }
            return skipForward()
        }
        session.advance()
        return sync()
    }

    /// The words on the pane, to pace reading.
    func wordsShown() -> Int {
        LessonPaneText.paragraphs(session, typing: nil, feedback: nil)
            .reduce(0) { $0 + $1.split(whereSeparator: { $0 == " " || $0 == "\n" }).count }
    }
}
