import ArgumentParser

/// `cnn-tutor forward`: Run a model on inputs and write every layer's output.
struct ForwardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "forward", abstract: "Run a model on inputs and write every layer's output.")

    func run() throws {
        throw ValidationError("'forward' is not built yet")
    }
}
