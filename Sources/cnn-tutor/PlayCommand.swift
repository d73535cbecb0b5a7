import ArgumentParser
import Foundation
import LessonKit
import TerminalBackend
import TutorUI

/// `cnn-tutor play`: play a lesson back, for a class or for CI.
struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Play a lesson back: typed answers and solutions, step by step.",
        discussion: """
        --auto plays with no one at the keyboard, at reading pace, and ends on a summary that waits
        for a key: space pauses, n/p step, +/- change the speed, q quits.
        --headless prints a plain-text transcript of every step's screen, with no terminal control.
        --record FILE.cast writes an asciicast v2 recording as the lesson plays; with --headless (or
        without a terminal) the lesson is played on a virtual clock, so the recording is the same on
        any machine. Playback never changes your saved progress.
        """)

    @Argument(help: "A lesson id, order number or path to a lesson .md file.")
    var lesson: String

    @Flag(help: "Play with no one at the keyboard.")
    var auto = false

    @Option(help: "Playback speed factor (2 is twice as fast).")
    var speed: Double = 1

    @Option(help: "Start at this step (1 is the first).")
    var from: Int = 1

    @Flag(help: "Print a plain-text transcript of every step's screen to stdout.")
    var headless = false

    @Option(help: "Write an asciicast v2 recording to this file.")
    var record: String?

    @Flag(help: "With --headless, print the app's screen at the end of each step instead of the transcript.")
    var frames = false

    @Option(help: "Width in columns of the transcript or the virtual recording.")
    var width: Int = 80

    @Option(help: "Height in rows of the virtual recording.")
    var height: Int = 24

    func validate() throws {
        guard speed > 0, speed.isFinite else { throw ValidationError("--speed must be a positive number, such as 2") }
        guard from >= 1 else { throw ValidationError("--from counts steps from 1") }
        guard (40...400).contains(width) else { throw ValidationError("--width must be between 40 and 400") }
        guard (AppState.minimumHeight...200).contains(height) else { throw ValidationError("--height must be between \(AppState.minimumHeight) and 200") }
    }

    func run() throws {
        let found: Lesson
        do throws(LessonErrors) {
            found = try LessonLibrary.find(lesson, in: LessonLibrary.locate())
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
        guard from <= found.steps.count else {
            printError("\(found.id) has \(found.steps.count) steps; --from \(from) is past the last")
            throw ExitCode(1)
        }
        let noTerminal = TerminalCheck.reasonForPlainText() != nil
        if let record, headless || noTerminal {
            let outcome = try LessonLoop.playVirtually(found, step: from - 1, speed: speed, width: max(width, AppState.minimumWidth),
                                                       height: height, recordTo: record)
            if headless { print(LessonTranscript.render(found, width: width), terminator: "") }
            if case .stalled(let why) = outcome {
                printError("\(found.id): playback stopped: \(why)")
                throw ExitCode(1)
            }
            return
        }
        if headless {
            let problems = LessonValidator.validate(found)
            if frames {
                for (i, frame) in LessonController.stepFrames(found, width: max(width, AppState.minimumWidth), height: height).enumerated() {
                    print("── step \(i + 1)/\(found.steps.count) " + String(repeating: "─", count: max(0, width - 14)))
                    print(frame)
                }
            } else {
                print(LessonTranscript.render(found, width: width), terminator: "")
            }
            for p in problems { printError(p.description) }
            if !problems.isEmpty { throw ExitCode(1) }
            return
        }
        var shell = TutorShell(menu: LessonMenu(lessons: [found], progress: LearnerProgress()))
        shell.exitAfterLesson = true
        shell.open(found, step: from - 1, player: auto ? Autoplayer(speed: speed) : nil)
        let code = try LessonLoop.runInTerminal(shell, store: nil, recordTo: record, title: "cnn-tutor: \(found.title)") {
            LessonTranscript.render(found, width: width)
        }
        if code != 0 { throw ExitCode(code) }
    }
}
