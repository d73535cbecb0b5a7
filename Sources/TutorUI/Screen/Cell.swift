/// One character cell of the screen.
///
/// A cell holds one Unicode scalar, not a `Character`: ``ScreenBuffer``
/// already reduces every character it writes to one scalar one column wide,
/// and a scalar keeps the cell a plain value (no reference counting, cheap
/// to compare), which is most of the cost of drawing a frame.
public struct Cell: Hashable, Sendable {
    public var scalar: Unicode.Scalar
    public var style: CellStyle

    public init(_ char: Character = " ", _ style: CellStyle = .plain) {
        self.scalar = char.unicodeScalars.first ?? " "
        self.style = style
    }

    public init(scalar: Unicode.Scalar, _ style: CellStyle = .plain) {
        self.scalar = scalar
        self.style = style
    }

    /// The cell's character.
    public var char: Character {
        get { Character(scalar) }
        set { scalar = newValue.unicodeScalars.first ?? " " }
    }

    public static let blank = Cell()
}
