/// A problem in Keras source, at a line and column, with a caret to show it.
public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var line: Int
    public var column: Int
    /// How many characters to underline.
    public var length: Int

    public init(_ message: String, at location: SourceLocation) {
        self.message = message
        self.line = location.line
        self.column = location.column
        self.length = location.length
    }

    public var description: String { "\(line):\(column): \(message)" }

    /// `file:line:col: error: message`, the source line, and a caret under the place.
    public func rendered(source: String, fileName: String? = nil) -> String {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        var text = "\(fileName.map { $0 + ":" } ?? "")\(line):\(column): error: \(message)"
        if line >= 1, line <= lines.count {
            let sourceLine = String(lines[line - 1]).replacingOccurrences(of: "\t", with: " ")
            let available = max(1, sourceLine.count - column + 1)
            let underline = "^" + String(repeating: "~", count: max(0, min(length, available) - 1))
            text += "\n    " + sourceLine + "\n    " + String(repeating: " ", count: max(0, column - 1)) + underline
        }
        return text
    }
}
