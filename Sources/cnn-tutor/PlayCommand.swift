import ArgumentParser

/// `cnn-tutor play`: Play a lesson back.
struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "play", abstract: "Play a lesson back.")

    func run() throws {
        throw ValidationError("'play' is not built yet")
    }
}
