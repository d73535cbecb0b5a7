/// The app's styles and glyphs for one set of terminal capabilities.
///
/// Views ask the theme for a role (`title`, `selected`, `error`, …) instead of
/// naming colours, so that 256 colours, 8 colours, monochrome and ASCII all
/// come out of the same view code.
public struct Theme: Sendable {
    public let caps: Capabilities

    public init(_ caps: Capabilities) { self.caps = caps }

    private var hasColor: Bool { caps.colors != .mono }

    // MARK: - Roles

    /// The top title bar.
    public var title: CellStyle { hasColor ? CellStyle(fg: .black, bg: .cyan, bold: true) : CellStyle(bold: true, reverse: true) }
    /// Column headers of a table.
    public var header: CellStyle { CellStyle(bold: true, underline: true) }
    /// The selected row.
    public var selected: CellStyle { CellStyle(reverse: true) }
    /// Secondary text.
    public var muted: CellStyle { CellStyle(dim: true) }
    /// Errors.
    public var error: CellStyle { hasColor ? CellStyle(fg: .red, bold: true) : CellStyle(bold: true) }
    /// Something to notice: big numbers, the Flatten bottleneck.
    public var warning: CellStyle { hasColor ? CellStyle(fg: .yellow, bold: true) : CellStyle(bold: true) }
    /// Good news: the pooled head.
    public var good: CellStyle { hasColor ? CellStyle(fg: .green, bold: true) : CellStyle(bold: true) }
    /// Inline code and numbers in formulas.
    public var code: CellStyle { hasColor ? CellStyle(fg: .cyan) : CellStyle(underline: true) }
    /// Key names in hints.
    public var key: CellStyle { hasColor ? CellStyle(fg: .yellow, bold: true) : CellStyle(bold: true) }
    /// The status line.
    public var status: CellStyle { CellStyle(reverse: true) }
    /// A box's border.
    public var border: CellStyle { hasColor ? CellStyle(fg: .blue) : CellStyle.plain }
    /// The prompt of the command line.
    public var prompt: CellStyle { hasColor ? CellStyle(fg: .green, bold: true) : CellStyle(bold: true) }

    /// The bar of a row whose share of parameters is `share` (0…1).
    public func bar(share: Double) -> CellStyle {
        guard hasColor else { return share >= 0.5 ? CellStyle(bold: true) : .plain }
        if share >= 0.5 { return CellStyle(fg: .red, bold: true) }
        if share >= 0.1 { return CellStyle(fg: .yellow) }
        return CellStyle(fg: .green)
    }

    /// The colour of the first and second series of a plot.
    public func series(_ i: Int) -> CellStyle {
        guard hasColor else { return i == 0 ? CellStyle(bold: true) : .plain }
        return i == 0 ? CellStyle(fg: .red, bold: true) : CellStyle(fg: .green, bold: true)
    }

    // MARK: - Glyphs

    /// Box-drawing characters: light lines in UTF-8, `+-|` in ASCII.
    public var box: BoxGlyphs { caps.unicode ? .light : .ascii }

    /// The separator between items in a line of hints.
    public var dot: String { caps.unicode ? "·" : "|" }
    /// A right arrow.
    public var arrow: String { caps.unicode ? "→" : "->" }
    /// The multiplication sign in shapes and formulas.
    public var times: String { caps.unicode ? "×" : "x" }
    /// An ellipsis.
    public var ellipsis: String { caps.unicode ? "…" : "~" }

    /// A key as the status line and the help write it: arrows become words in ASCII (`↑↓` is `Up/Dn`).
    public func key(_ label: String) -> String {
        guard !caps.unicode else { return label }
        let words: [Character: String] = ["↑": "Up", "↓": "Dn", "←": "Lt", "→": "Rt"]
        var out = ""
        for c in label {
            if let w = words[c] {
                if let last = out.last, last != " " { out += "/" }
                out += w
            } else {
                out.append(c)
            }
        }
        return out
    }
}

/// The characters of a box's corners and edges.
public struct BoxGlyphs: Sendable {
    public var topLeft, topRight, bottomLeft, bottomRight, horizontal, vertical: Character

    public static let light = BoxGlyphs(topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘", horizontal: "─", vertical: "│")
    public static let ascii = BoxGlyphs(topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+", horizontal: "-", vertical: "|")
}
