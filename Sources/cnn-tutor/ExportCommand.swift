import ArgumentParser

/// `cnn-tutor export`: Export a model as Keras or PyTorch code.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export a model as Keras or PyTorch code.")

    func run() throws {
        throw ValidationError("'export' is not built yet")
    }
}
