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
            // Show at most 100 characters around the column, printable only.
            let full = lines[line - 1].map { c -> Character in
                c == "\t" || c.unicodeScalars.contains(where: { $0.properties.generalCategory == .control
                    || $0 == "\u{FFFD}" }) ? " " : c
            }
            let start = max(0, min(column - 1 - 60, full.count - 100))
            let shown = String(full[start..<min(full.count, start + 100)])
            let caretColumn = column - 1 - start
            let available = max(1, shown.count - caretColumn)
            let underline = "^" + String(repeating: "~", count: max(0, min(length, available) - 1))
            text += "\n    " + shown + "\n    " + String(repeating: " ", count: max(0, caretColumn)) + underline
        }
        return text
    }
}
