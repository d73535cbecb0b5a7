import TutorUI

/// Turns ScreenBuffers into ANSI escape sequences: the whole frame, or only what changed.
///
/// Used by the asciicast recorder; a terminal emulator replaying the output
/// shows exactly what the ncurses backend showed.
public struct ANSIRenderer {
    private var last: ScreenBuffer?

    public init() {}

    /// The escape sequences that turn the previous frame into `buffer`.
    public mutating func render(_ buffer: ScreenBuffer) -> String {
        var out = ""
        // A full repaint also hides the cursor: the view draws its own.
        if FrameDiff.isFull(from: last, to: buffer) { out += "\u{1B}[0m\u{1B}[?25l\u{1B}[2J" }
        var current: CellStyle?
        var cursor: (x: Int, y: Int)?
        for (x, y) in FrameDiff.changes(from: last, to: buffer) {
            let cell = buffer[x, y]
            if cursor.map({ $0.x != x || $0.y != y }) ?? true { out += "\u{1B}[\(y + 1);\(x + 1)H" }
            if current != cell.style {
                out += ANSIRenderer.sgr(cell.style)
                current = cell.style
            }
            out.append(cell.char)
            cursor = (x + 1, y)
        }
        if current != nil { out += "\u{1B}[0m" }
        last = buffer
        return out
    }

    /// The SGR sequence that sets exactly this style.
    public static func sgr(_ s: CellStyle) -> String {
        var codes = ["0"]
        if s.bold { codes.append("1") }
        if s.dim { codes.append("2") }
        if s.underline { codes.append("4") }
        if s.reverse { codes.append("7") }
        if let f = s.fg.paletteIndex { codes.append(f < 8 ? "\(30 + f)" : "38;5;\(f)") }
        if let b = s.bg.paletteIndex { codes.append(b < 8 ? "\(40 + b)" : "48;5;\(b)") }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }
}
