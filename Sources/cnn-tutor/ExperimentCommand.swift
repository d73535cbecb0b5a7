import ArgumentParser

/// `cnn-tutor experiment`: Race a Flatten head against a global-pooling head.
struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "experiment", abstract: "Race a Flatten head against a global-pooling head.")

    func run() throws {
        throw ValidationError("'experiment' is not built yet")
    }
}
