/// One character cell of the screen.
public struct Cell: Hashable, Sendable {
    public var char: Character
    public var style: CellStyle

    public init(_ char: Character = " ", _ style: CellStyle = .plain) {
        self.char = char
        self.style = style
    }

    public static let blank = Cell()
}
