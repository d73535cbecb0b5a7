import Foundation

/// The command line's text, cursor and history, with Emacs-style editing keys.
///
/// Pure: ``handle(_:)`` changes the text and says when a line was submitted
/// or the edit cancelled. Lines whose brackets are still open continue on
/// the next line, as in a Python prompt, so a pasted `keras.Sequential([...])`
/// block arrives whole.
public struct LineEditor: Hashable, Sendable {
    /// The line being edited.
    public var text: [Character] = []
    /// The cursor, 0…text.count.
    public var cursor: Int = 0
    /// Lines already entered above this one while brackets stay open.
    public var pending: [String] = []
    /// Earlier submissions, oldest first.
    public var history: [String] = []
    /// Position while browsing history; nil when editing a new line.
    public var historyIndex: Int?
    private var draft: [Character] = []

    public init(text: String = "", history: [String] = []) {
        self.text = Array(text)
        cursor = self.text.count
        self.history = history
    }

    /// What a key did to the line.
    public enum Outcome: Hashable, Sendable {
        case edited
        /// Enter on a complete line: the whole text, continued lines joined by newlines.
        case submitted(String)
        case cancelled
        /// The key means nothing here.
        case ignored
    }

    public var string: String { String(text) }

    /// Replaces the text and puts the cursor at its end.
    public mutating func set(_ s: String) {
        text = Array(s)
        cursor = text.count
    }

    /// Inserts text at the cursor; newlines in it act like Enter between lines.
    @discardableResult
    public mutating func insert(_ s: String) -> Outcome {
        var outcome = Outcome.edited
        for ch in s {
            if ch == "\n" || ch == "\r" {
                outcome = enter()
                if case .submitted = outcome { return outcome }
            } else if ch == "\t" {
                insert(" ")
            } else {
                text.insert(ch, at: cursor)
                cursor += 1
            }
        }
        return outcome
    }

    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .char(let c): text.insert(c, at: cursor); cursor += 1
        case .enter: return enter()
        case .escape, .ctrl("g"): return .cancelled
        case .ctrl("c"): return .cancelled
        case .backspace, .ctrl("h"):
            if cursor > 0 { text.remove(at: cursor - 1); cursor -= 1 }
            else if let last = pending.popLast() { text = Array(last); cursor = text.count }
        case .delete, .ctrl("d"): if cursor < text.count { text.remove(at: cursor) }
        case .left, .ctrl("b"): cursor = max(0, cursor - 1)
        case .right, .ctrl("f"): cursor = min(text.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = text.count
        case .ctrl("k"): text.removeSubrange(cursor...)
        case .ctrl("u"): text.removeSubrange(..<cursor); cursor = 0
        case .ctrl("w"):
            var i = cursor
            while i > 0, text[i - 1] == " " { i -= 1 }
            while i > 0, text[i - 1] != " " { i -= 1 }
            text.removeSubrange(i..<cursor)
            cursor = i
        case .up, .ctrl("p"): browse(-1)
        case .down, .ctrl("n"): browse(1)
        default: return .ignored
        }
        return .edited
    }

    private mutating func enter() -> Outcome {
        let all = (pending + [string]).joined(separator: "\n")
        if LineEditor.openBrackets(all) > 0 {
            pending.append(string)
            set("")
            return .edited
        }
        pending = []
        set("")
        historyIndex = nil
        let trimmed = all.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty, history.last != all { history.append(all) }
        if history.count > 200 { history.removeFirst(history.count - 200) }
        return .submitted(all)
    }

    private mutating func browse(_ step: Int) {
        guard !history.isEmpty else { return }
        if historyIndex == nil {
            guard step < 0 else { return }
            draft = text
            historyIndex = history.count
        }
        let next = historyIndex! + step
        if next >= history.count {
            historyIndex = nil
            text = draft
        } else {
            historyIndex = max(0, next)
            text = Array(history[historyIndex!].replacingOccurrences(of: "\n", with: " "))
        }
        cursor = text.count
    }

    /// How many `(`, `[` and `{` are still open, ignoring quoted strings and comments.
    public static func openBrackets(_ s: String) -> Int {
        var depth = 0
        var quote: Character?
        var comment = false
        for c in s {
            if c == "\n" { comment = false; continue }
            if comment { continue }
            if let q = quote { if c == q { quote = nil }; continue }
            switch c {
            case "'", "\"": quote = c
            case "#": comment = true
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth -= 1
            default: break
            }
        }
        return max(0, depth)
    }
}
