/// A key press, decoded by the backend from whatever the terminal sent.
public enum Key: Hashable, Sendable {
    case char(Character)
    case enter, escape, backspace, delete, tab, backTab
    case up, down, left, right, home, end, pageUp, pageDown
    /// Ctrl plus a letter, lower case: `.ctrl("c")`.
    case ctrl(Character)
    case function(Int)

    /// Parses a readable key name as scripts write it: `a`, `Enter`, `Up`, `C-c`, `F1`, `Space`.
    public init?(name: String) {
        switch name.lowercased() {
        case "enter", "return": self = .enter
        case "esc", "escape": self = .escape
        case "backspace", "bs": self = .backspace
        case "delete", "del": self = .delete
        case "tab": self = .tab
        case "backtab", "s-tab": self = .backTab
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "home": self = .home
        case "end": self = .end
        case "pageup", "pgup": self = .pageUp
        case "pagedown", "pgdn": self = .pageDown
        case "space": self = .char(" ")
        default:
            let lower = name.lowercased()
            if lower.hasPrefix("c-"), name.count == 3 { self = .ctrl(Character(String(lower.last!))); return }
            if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...24).contains(n) { self = .function(n); return }
            guard name.count == 1 else { return nil }
            self = .char(Character(name))
        }
    }
}

/// A mouse event the backend reports, when the terminal has a mouse.
public enum MouseEvent: Hashable, Sendable {
    case click(x: Int, y: Int)
    case wheelUp(x: Int, y: Int)
    case wheelDown(x: Int, y: Int)
}
