import ArgumentParser
import CNNModel
import Foundation
import TerminalBackend
import TutorUI

/// `cnn-tutor app`: the app, opened on the lesson menu (`b` there opens the builder).
struct AppCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "app", abstract: "Open the app: the lesson menu, resuming where you left off.")

    func run() throws {
        let code = try openLessons(nil)
        if code != 0 { throw ExitCode(code) }
    }
}

/// Runs the full-screen builder on a state and exits with its status.
///
/// Without a usable terminal it prints the plain summary and the reason, and
/// exits 0. `CNN_TUTOR_EXIT_AFTER_FIRST_FRAME=1` leaves right after the first
/// frame, which is how `bench` measures start-up.
func launchApp(_ state: AppState) throws {
    let exitEarly = ProcessInfo.processInfo.environment["CNN_TUTOR_EXIT_AFTER_FIRST_FRAME"] == "1"
    switch TerminalRun.run(state, exitAfterFirstFrame: exitEarly).0 {
    case .noTerminal(let reason):
        print(PlainTextReport.text(for: state, reason: reason), terminator: "")
    case .exited(let code):
        if code != 0 { throw ExitCode(code) }
    }
}
