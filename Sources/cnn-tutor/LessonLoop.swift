import Foundation
import LessonKit
import TerminalBackend
import TutorUI

/// Runs the lesson shell in the terminal or on a virtual clock, saving progress and recording as it goes.
enum LessonLoop {
    /// Runs the shell in the terminal until it exits.
    ///
    /// - Parameters:
    ///   - store: where progress is saved as it changes (nil for playback, which must not touch it).
    ///   - recordTo: writes an asciicast v2 recording there, frame by frame.
    ///   - fallback: the plain text to print when the terminal can't run the app.
    static func runInTerminal(_ initial: TutorShell, store: ProgressStore?, recordTo: String?, title: String,
                              fallback: () -> String) throws -> Int32 {
        let recording = try recordTo.map { try Recording(path: $0, title: title) }
        var saveWarning: String?
        let (outcome, final) = TerminalRun.run(initial, afterMessages: { shell in
            guard let warning = save(&shell, to: store) else { return }
            // Said once on screen, and again on the terminal after the app is gone.
            if saveWarning == nil { shell.warn(warning) }
            saveWarning = warning
        }, onFrame: { shell, buffer, t in recording?.frame(shell, buffer, at: t) })
        var shell = final
        if let warning = save(&shell, to: store) ?? saveWarning { printError(warning) }
        switch outcome {
        case .exited(let code): return code
        case .noTerminal(let reason):
            printError("cnn-tutor: \(reason); printing the lesson as text")
            print(fallback(), terminator: "")
            return 0
        }
    }

    /// Saves the shell's progress if it changed; returns a warning when it couldn't.
    static func save(_ shell: inout TutorShell, to store: ProgressStore?) -> String? {
        guard shell.progressChanged, let store else { return nil }
        shell.progressChanged = false
        do {
            try store.save(shell.progress)
            return nil
        } catch {
            return "cnn-tutor: your progress could not be saved: \(error)"
        }
    }

    /// Plays a lesson on a virtual clock with no terminal, optionally recording it.
    ///
    /// The same shell, loop and screens as in the terminal; forward passes and
    /// training are waited for, never timed. A lesson that would wait forever
    /// ends as `.stalled` with the reason.
    ///
    /// - Parameter maxSeconds: virtual seconds after which the lesson counts as never finishing.
    static func playVirtually(_ lesson: Lesson, step: Int = 0, speed: Double, width: Int, height: Int,
                              recordTo path: String? = nil, maxSeconds: Double = 4 * 3600) throws -> ProgramLoop.Outcome {
        var shell = TutorShell(menu: LessonMenu(lessons: [lesson], progress: LearnerProgress()), app: AppState(width: width, height: height))
        shell.exitAfterLesson = true
        shell.open(lesson, step: step, player: Autoplayer(speed: speed, summarySeconds: 5))
        let recording = try path.map { try Recording(path: $0, title: "cnn-tutor: \(lesson.title)", width: width, height: height) }
        let source = VirtualSource(width: width, height: height, maxSeconds: maxSeconds)
        let (outcome, _) = ProgramLoop.run(shell, source: source, onFrame: { shell, buffer, t in
            recording?.frame(shell, buffer, at: t)
        })
        return outcome
    }
}

/// An asciicast v2 file written as the lesson plays, with a marker at each step.
final class Recording {
    private let file: FileHandle
    private var recorder: AsciicastRecorder?
    private var lastStep: (String, Int)?
    let title: String

    init(path: String, title: String, width: Int? = nil, height: Int? = nil) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw RecordingError(path: path)
        }
        file = handle
        self.title = title
        if let width, let height { start(width: width, height: height) }
    }

    deinit { try? file.close() }

    private func start(width: Int, height: Int) {
        var r = AsciicastRecorder(width: width, height: height, title: title)
        let file = self.file
        r.stream { line in file.write(Data((line + "\n").utf8)) }
        recorder = r
    }

    /// Records a frame, and a marker when the lesson reached a new step.
    func frame(_ shell: TutorShell, _ buffer: ScreenBuffer, at t: Double) {
        if recorder == nil { start(width: buffer.width, height: buffer.height) }
        if case .lesson(let c) = shell.mode {
            let key = (c.session.lesson.id, c.session.stepIndex)
            if lastStep.map({ $0 != key }) ?? true {
                lastStep = key
                recorder?.marker("step \(c.session.stepIndex + 1)/\(c.session.stepCount): \(c.session.step.title)", at: t)
            }
        }
        recorder?.frame(buffer, at: t)
    }
}

struct RecordingError: Error, CustomStringConvertible {
    var path: String
    var description: String { "can't write the recording \(path): no such folder, or no permission" }
}
