import ArgumentParser

/// `cnn-tutor bench`: Measure the compute core and the UI.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Measure the compute core and the UI.")

    func run() throws {
        throw ValidationError("'bench' is not built yet")
    }
}
