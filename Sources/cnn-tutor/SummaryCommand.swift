import ArgumentParser
import CNNModel
import Foundation

/// `cnn-tutor summary`: the Keras summary of a model file, with more columns.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print a model's layers, output shapes and parameter counts, as Keras would.")

    @Argument(help: "A Python file with a keras.Sequential model, or - for standard input.")
    var model: String

    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    @Option(help: "Rebuild the same layers on another input shape, such as 64,64,3.")
    var inputShape: String?

    func run() throws {
        try reportingErrors {
            let source = try ModelSource(path: model)
            let shape = try inputShape.map(parseShapeOption)
            let parsed = try source.model(inputShape: shape)
            let summary = try source.summary(of: parsed, inputShape: shape)
            print(json ? summary.json : summary.table)
        }
    }
}
