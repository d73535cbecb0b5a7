/// What the terminal can show: colours and character set.
///
/// Part of the app state, so that a snapshot test can render each
/// combination without a terminal.
public struct Capabilities: Hashable, Sendable {
    /// How many colours the views may use.
    public enum ColorDepth: Hashable, Sendable {
        /// 256 colours: half-block heatmaps in colour.
        case full256
        /// The eight basic colours.
        case basic8
        /// Attributes only (also what NO_COLOR asks for).
        case mono
    }

    public var colors: ColorDepth
    /// True when the locale is UTF-8: box lines, `▀`, braille and shades.
    public var unicode: Bool
    /// True when the terminal reports mouse clicks.
    public var mouse: Bool

    public init(colors: ColorDepth = .full256, unicode: Bool = true, mouse: Bool = false) {
        self.colors = colors
        self.unicode = unicode
        self.mouse = mouse
    }

    /// 256 colours and UTF-8.
    public static let full = Capabilities()
    /// No colour, ASCII only: the lowest common denominator.
    public static let ascii = Capabilities(colors: .mono, unicode: false)

    /// Decides the capabilities from the environment and what ncurses reports.
    ///
    /// `NO_COLOR` (any non-empty value, per no-color.org) turns colour off.
    public static func detect(environment: [String: String], terminalColors: Int, utf8Locale: Bool) -> Capabilities {
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        let depth: ColorDepth
        if noColor || terminalColors < 8 { depth = .mono }
        else if terminalColors >= 256 { depth = .full256 }
        else { depth = .basic8 }
        return Capabilities(colors: depth, unicode: utf8Locale)
    }
}
