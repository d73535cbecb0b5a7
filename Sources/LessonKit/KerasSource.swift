import CNNModel

/// Reads the Keras code inside lesson blocks, reporting errors at the lesson file's line.
enum KerasSource {
    /// A whole model; `firstLine` is the file line of the source's first line.
    static func model(_ source: String, file: String, firstLine: Int) throws(LessonError) -> Model {
        do {
            return try KerasParser.parse(source)
        } catch {
            throw LessonError(file: file, line: firstLine + error.line - 1, "model: \(error.message) (column \(error.column))")
        }
    }

    /// One layer expression, written on `line` of the file.
    static func layer(_ code: String, file: String, line: Int) throws(LessonError) -> LayerSpec {
        do {
            return try KerasParser.parseLayer(code)
        } catch {
            throw LessonError(file: file, line: line + error.line - 1, "in '\(code)': \(error.message) (column \(error.column))")
        }
    }

    /// An input shape such as `224, 224, 3`.
    static func inputShape(_ text: String, file: String, line: Int) throws(LessonError) -> [Int] {
        if let s = ShapeText.parse(text), !s.isEmpty, s.allSatisfy({ $0 > 0 }) { return s }
        do {
            return try KerasParser.parseInputShape(text)
        } catch {
            throw LessonError(file: file, line: line, "input: '\(text)' is not a shape such as 224, 224, 3 (\(error.message))")
        }
    }
}
