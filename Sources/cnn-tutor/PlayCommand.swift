import ArgumentParser
import Foundation
import LessonKit

/// `cnn-tutor play`: play a lesson back, for a class or for CI.
struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Play a lesson back: typed answers and solutions, step by step.",
        discussion: """
        --auto plays with no one at the keyboard: space pauses, n/p step, +/- change the speed, q quits.
        --headless prints a plain-text transcript of every step's screen, with no terminal control.
        """)

    @Argument(help: "A lesson id, order number or path to a lesson .md file.")
    var lesson: String

    @Flag(help: "Play with no one at the keyboard.")
    var auto = false

    @Option(help: "Playback speed factor (2 is twice as fast).")
    var speed: Double = 1

    @Flag(help: "Print a plain-text transcript of every step's screen to stdout.")
    var headless = false

    @Option(help: "Write an asciicast v2 recording to this file.")
    var record: String?

    @Option(help: "Transcript width in columns (headless).")
    var width: Int = 80

    func validate() throws {
        guard speed > 0, speed.isFinite else { throw ValidationError("--speed must be a positive number, such as 2") }
        guard (40...400).contains(width) else { throw ValidationError("--width must be between 40 and 400") }
    }

    func run() throws {
        let found: Lesson
        do throws(LessonErrors) {
            found = try LessonLibrary.find(lesson, in: LessonLibrary.locateDirectory())
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
        if headless {
            let problems = LessonValidator.validate(found)
            print(LessonTranscript.render(found, width: width), terminator: "")
            for p in problems { printError(p.description) }
            if !problems.isEmpty { throw ExitCode(1) }
            return
        }
        printError("interactive playback needs the terminal app, which is not built yet; use --headless")
        throw ExitCode(1)
    }
}
