import ArgumentParser

/// `cnn-tutor learn`: Open a lesson by id or path.
struct LearnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "learn", abstract: "Open a lesson by id or path.")

    func run() throws {
        throw ValidationError("'learn' is not built yet")
    }
}
