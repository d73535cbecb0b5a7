/// A 1-based line and column in Keras source, with the length to underline.
public struct SourceLocation: Sendable, Hashable {
    public var line: Int
    public var column: Int
    public var length: Int
    public init(line: Int, column: Int, length: Int = 1) {
        self.line = line
        self.column = column
        self.length = max(1, length)
    }
}
