/// How one cell is drawn: colours and attributes.
public struct CellStyle: Hashable, Sendable {
    public var fg: Color
    public var bg: Color
    public var bold: Bool
    public var reverse: Bool
    public var dim: Bool
    public var underline: Bool

    public init(fg: Color = .default, bg: Color = .default, bold: Bool = false,
                reverse: Bool = false, dim: Bool = false, underline: Bool = false) {
        self.fg = fg
        self.bg = bg
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
        self.underline = underline
    }

    /// The terminal's default look.
    public static let plain = CellStyle()
    public static let bold = CellStyle(bold: true)
    public static let reverse = CellStyle(reverse: true)
    public static let dim = CellStyle(dim: true)
    public static let underline = CellStyle(underline: true)

    /// This style with `reverse` set.
    public var reversed: CellStyle { var s = self; s.reverse = true; return s }
}
