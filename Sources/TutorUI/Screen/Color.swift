/// A terminal colour: the terminal's default, or an index into the 256-colour palette.
///
/// Indices 0–7 are the eight basic colours that every colour terminal has;
/// views pick them on 8-colour terminals and the full range on 256-colour ones.
public enum Color: Hashable, Sendable {
    case `default`
    case index(UInt8)

    public static let black = Color.index(0)
    public static let red = Color.index(1)
    public static let green = Color.index(2)
    public static let yellow = Color.index(3)
    public static let blue = Color.index(4)
    public static let magenta = Color.index(5)
    public static let cyan = Color.index(6)
    public static let white = Color.index(7)

    /// The palette index, or nil for the terminal's default.
    public var paletteIndex: Int? {
        if case .index(let i) = self { return Int(i) }
        return nil
    }
}
