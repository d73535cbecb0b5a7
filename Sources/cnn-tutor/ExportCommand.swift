import ArgumentParser
import CNNModel

/// `cnn-tutor export`: a model as Keras or PyTorch code.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export a model as Keras or PyTorch code.")

    enum Target: String, ExpressibleByArgument, CaseIterable {
        case keras, pytorch
    }

    @Argument(help: "A Python file with a keras.Sequential model, or - for standard input.")
    var model: String

    @Option(help: "keras or pytorch.")
    var to: Target = .keras

    func run() throws {
        try reportingErrors {
            let source = try ModelSource(path: model)
            let parsed = try source.model()
            let summary = try source.summary(of: parsed)
            switch to {
            case .keras:
                print(ModelFile.keras(parsed), terminator: "")
            case .pytorch:
                print(ModelFile.pyTorch(summary), terminator: "")
            }
        }
    }
}
