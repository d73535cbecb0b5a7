/// A problem in a lesson file, with the file and line it comes from.
///
/// Renders as `file:line: message`, the form compilers use, so editors and CI
/// logs can jump to it.
public struct LessonError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The lesson file's path as it was given (or a label such as `<string>`).
    public var file: String
    /// 1-based line in the lesson file.
    public var line: Int
    public var message: String

    public init(file: String, line: Int, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): \(message)" }
}

/// Several lesson problems found in one pass.
public struct LessonErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [LessonError]
    public init(_ errors: [LessonError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
