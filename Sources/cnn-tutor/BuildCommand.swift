import ArgumentParser
import CNNModel
import TutorUI

/// `cnn-tutor build`: the builder sandbox, optionally starting from a model file.
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Open the builder sandbox, optionally starting from a model file.",
        discussion: "MODEL.py holds keras.Sequential([...]) or model.add(...) lines, as tutorials write them.")

    @Argument(help: "A Python file with a Keras Sequential model.")
    var model: String?

    @Option(help: "Start with this input shape instead of the file's, such as 128,128,3.")
    var inputShape: String?

    func run() throws {
        try reportingErrors {
            var state = AppState()
            if let path = model {
                let source = try ModelSource(path: path)
                var m = try source.model()
                if m.inputShape == nil { m.inputShape = [224, 224, 3] }
                state = AppState(model: m, fileName: path)
            }
            if let inputShape {
                _ = update(&state, .setInputShape(try parseShapeOption(inputShape)))
            }
            try launchApp(state)
        }
    }
}
