import ArgumentParser
import CNNModel
import Foundation

/// Reads a model file (or `-` for standard input) and reports errors the way
/// a compiler does: `file:line:col`, the line, and a caret.
struct ModelSource {
    var path: String
    var text: String

    var displayName: String { path == "-" ? "<stdin>" : path }

    init(path: String) throws {
        self.path = path
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let read = FileManager.default.contents(atPath: path) else {
                throw CLIError("\(path): can't read the file")
            }
            data = read
        }
        text = String(decoding: data, as: UTF8.self)
    }

    /// Parses the model; a parse error becomes a CLI error with a caret.
    func model(inputShape: [Int]? = nil) throws -> Model {
        do {
            if let inputShape, KerasParser.elidedBase(in: text) != nil {
                let (model, notes) = try KerasParser.parseHead(text, inputShape: inputShape)
                for note in notes { FileHandle.standardError.write(Data("\(displayName): note: \(note)\n".utf8)) }
                return model
            }
            return try KerasParser.parse(text)
        } catch {
            throw CLIError(error.rendered(source: text, fileName: displayName))
        }
    }

    /// Summarises the model, naming the line and the layer when Keras would refuse it.
    func summary(of model: Model, inputShape: [Int]? = nil) throws -> ModelSummary {
        do {
            return try model.summary(inputShape: inputShape)
        } catch {
            let line = error.location.map { ":\($0.line):\($0.column)" } ?? ""
            var message = "\(displayName)\(line): error: "
            if let name = error.layerName, let type = error.layerType {
                message += "layer '\(name)' (\(type))"
                if let shape = error.inputShape { message += " with input shape \(ShapeFormat.keras(shape))" }
                message += ": "
            }
            message += error.reason
            throw CLIError(message)
        }
    }
}

/// An error that the command line prints on stderr before exiting with status 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs a command body, printing a ``CLIError`` on stderr and exiting with 1.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as CLIError {
        FileHandle.standardError.write(Data((error.description + "\n").utf8))
        throw ExitCode(1)
    }
}

/// Parses `224,224,3` or `(224, 224, 3)` for `--input-shape`.
func parseShapeOption(_ text: String) throws -> [Int] {
    do {
        return try KerasParser.parseInputShape(text)
    } catch {
        throw ValidationError("--input-shape: \(error.message) (write it as H,W,C, such as 224,224,3)")
    }
}
