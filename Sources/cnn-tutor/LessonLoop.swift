import Foundation
import LessonKit
import TerminalBackend
import TutorUI

/// Runs the lesson shell: in the terminal, or on a virtual clock for recordings.
enum LessonLoop {
    /// Runs the shell in the terminal until it exits.
    ///
    /// - Parameters:
    ///   - store: where progress is saved as it changes (nil for playback, which must not touch it).
    ///   - recordTo: writes an asciicast v2 recording of the session there.
    ///   - fallback: the plain text to print when the terminal can't run the app.
    static func runInTerminal(_ initial: TutorShell, store: ProgressStore?, recordTo: String?, title: String,
                              fallback: () -> String) -> Int32 {
        if let reason = TerminalCheck.reasonForPlainText() {
            FileHandle.standardError.write(Data("cnn-tutor: \(reason); printing the lesson as text\n".utf8))
            print(fallback(), terminator: "")
            return 0
        }
        SignalTrap.install()
        let terminal = CursesTerminal()
        do {
            try terminal.start(environment: ProcessEnvironment.current, inputTimeoutMs: 30)
        } catch {
            SignalTrap.uninstall()
            FileHandle.standardError.write(Data("cnn-tutor: \(error.reason); printing the lesson as text\n".utf8))
            print(fallback(), terminator: "")
            return 0
        }
        var shell = initial
        let runner = EffectRunner()
        var quitCode: Int32?
        func apply(_ effects: [Effect]) {
            for effect in effects {
                if case .quit(let code) = effect { quitCode = code } else { runner.run(effect) }
            }
        }
        apply(shell.handle(.setCapabilities(terminal.capabilities)))
        let size = terminal.size
        apply(shell.handle(.resize(width: size.width, height: size.height)))

        let start = Date()
        var recorder = recordTo.map { _ in AsciicastRecorder(width: size.width, height: size.height, title: title) }
        var markers = StepMarkers()
        var buffer = ScreenBuffer(width: size.width, height: size.height)
        shell.view(into: &buffer)
        terminal.draw(buffer)
        recorder?.frame(buffer, at: 0)
        if let label = markers.label(for: shell) { recorder?.marker(label, at: 0) }
        var last = Date()

        while quitCode == nil, shell.exitCode == nil {
            if let sig = SignalTrap.caught {
                quitCode = SignalTrap.exitCode(for: sig)
                break
            }
            var changed = false
            if let input = terminal.readInput() {
                changed = true
                switch input {
                case .key(let key): apply(shell.handle(.key(key)))
                case .mouse(let event): apply(shell.handle(.mouse(event)))
                case .paste(let text): apply(shell.handle(.paste(text)))
                case .resize:
                    let s = terminal.size
                    terminal.invalidate()
                    apply(shell.handle(.resize(width: s.width, height: s.height)))
                }
            }
            for msg in runner.takeMessages() {
                apply(shell.handle(msg))
                changed = true
            }
            let now = Date()
            if shell.isAnimating {
                apply(shell.tick(now.timeIntervalSince(last)))
                apply(shell.handle(.tick))
                changed = true
            }
            last = now
            if shell.progressChanged, let store {
                try? store.save(shell.progress)
                shell.progressChanged = false
            }
            if changed, quitCode == nil, shell.exitCode == nil {
                shell.view(into: &buffer)
                terminal.draw(buffer)
                let t = now.timeIntervalSince(start)
                if let label = markers.label(for: shell) { recorder?.marker(label, at: t) }
                recorder?.frame(buffer, at: t)
            }
        }
        terminal.stop()
        SignalTrap.uninstall()
        if shell.progressChanged, let store { try? store.save(shell.progress) }
        if let recorder, let path = recordTo { write(recorder.text, to: path) }
        return quitCode ?? shell.exitCode ?? 0
    }

    /// Plays a lesson on a virtual clock with no terminal and records it, frame by frame.
    ///
    /// The same shell and the same screens as in the terminal; forward passes
    /// are waited for, never timed.
    static func recordVirtually(_ lesson: Lesson, speed: Double, width: Int, height: Int, to path: String) -> Int32 {
        var shell = TutorShell(menu: LessonMenu(lessons: [lesson], progress: LearnerProgress()))
        shell.exitAfterLesson = true
        let runner = EffectRunner()
        func apply(_ effects: [Effect]) { for e in effects { if case .quit = e {} else { runner.run(e) } } }
        apply(shell.handle(.setCapabilities(.full)))
        apply(shell.handle(.resize(width: width, height: height)))
        shell.open(lesson, player: Autoplayer(speed: speed))
        var recorder = AsciicastRecorder(width: width, height: height, title: "cnn-tutor: \(lesson.title)")
        var markers = StepMarkers()
        var buffer = ScreenBuffer(width: width, height: height)
        let dt = 0.05
        var t = 0.0
        shell.view(into: &buffer)
        if let label = markers.label(for: shell) { recorder.marker(label, at: t) }
        recorder.frame(buffer, at: t)
        // A lesson that never ends would be a bug; four virtual hours is a safe bound.
        while shell.exitCode == nil, t < 4 * 3600 {
            apply(shell.tick(dt))
            if isForwardRunning(shell) {
                runner.waitUntilIdle()
                // A training run reports from its own thread; let it work instead of spinning.
                if isForwardRunning(shell) { usleep(20_000) }
            }
            for msg in runner.takeMessages() { apply(shell.handle(msg)) }
            t += dt
            shell.view(into: &buffer)
            if let label = markers.label(for: shell) { recorder.marker(label, at: t) }
            recorder.frame(buffer, at: t)
        }
        write(recorder.text, to: path)
        return shell.exitCode == 0 ? 0 : 1
    }

    static func isForwardRunning(_ shell: TutorShell) -> Bool {
        if case .lesson(let c) = shell.mode { return c.isWaitingForWork }
        return false
    }

    static func write(_ text: String, to path: String) {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            FileHandle.standardError.write(Data("cnn-tutor: can't write \(path): \(error.localizedDescription)\n".utf8))
        }
    }
}

/// Emits one marker each time the lesson reaches a new step.
struct StepMarkers {
    var last: (String, Int)?

    mutating func label(for shell: TutorShell) -> String? {
        guard case .lesson(let c) = shell.mode else { return nil }
        let key = (c.session.lesson.id, c.session.stepIndex)
        if let last, last == key { return nil }
        last = key
        return "step \(c.session.stepIndex + 1)/\(c.session.stepCount): \(c.session.step.title)"
    }
}
