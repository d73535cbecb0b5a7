import ArgumentParser

/// `cnn-tutor app`: Open the lesson menu, resuming where you left off.
struct AppCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "app", abstract: "Open the lesson menu, resuming where you left off.")

    func run() throws {
        throw ValidationError("'app' is not built yet")
    }
}
