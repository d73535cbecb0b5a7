import ArgumentParser

/// `cnn-tutor build`: Open the builder sandbox, optionally starting from a model file.
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "build", abstract: "Open the builder sandbox, optionally starting from a model file.")

    func run() throws {
        throw ValidationError("'build' is not built yet")
    }
}
