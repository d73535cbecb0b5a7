/// A token of the small language that `expect`, `check`, `goal` and `{{…}}` share.
enum LessonExpressionToken: Sendable, Hashable {
    case number(Double, text: String)
    case word(String)
    case string(String)
    /// `@name`: a saved model.
    case saved(String)
    case symbol(String)

    var text: String {
        switch self {
        case .number(_, let t): t
        case .word(let w): w
        case .string(let s): "'\(s)'"
        case .saved(let s): "@\(s)"
        case .symbol(let s): s
        }
    }
}

/// Why an expression couldn't be read or computed.
public struct LessonExpressionError: Error, Sendable, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// Splits expression text into tokens.
enum LessonExpressionLexer {
    static let symbols = ["==", "!=", "<=", ">=", "~=", "+-", "≈", "±", "<", ">", "+", "-", "*", "/", "(", ")", ",", "|", "=", "×"]

    static func tokens(_ text: String) throws(LessonExpressionError) -> [LessonExpressionToken] {
        let chars = Array(text)
        var out: [LessonExpressionToken] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isNumber) {
                let (value, text, end) = try number(chars, from: i)
                out.append(.number(value, text: text))
                i = end
                continue
            }
            if c.isLetter || c == "_" || c == "@" {
                var j = i + 1
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "." { j += 1 }
                let word = String(chars[(c == "@" ? i + 1 : i)..<j])
                if c == "@" {
                    guard !word.isEmpty else { throw LessonExpressionError("'@' needs a saved model's name") }
                    out.append(.saved(word))
                } else {
                    out.append(.word(word))
                }
                i = j
                continue
            }
            if c == "'" || c == "\"" {
                var j = i + 1
                while j < chars.count, chars[j] != c { j += 1 }
                guard j < chars.count else { throw LessonExpressionError("unclosed quote \(c)") }
                out.append(.string(String(chars[(i + 1)..<j])))
                i = j + 1
                continue
            }
            if let sym = symbols.first(where: { matches($0, chars, at: i) }) {
                out.append(.symbol(sym == "×" ? "*" : sym))
                i += sym.count
                continue
            }
            throw LessonExpressionError("unexpected character '\(c)'")
        }
        return out
    }

    private static func matches(_ s: String, _ chars: [Character], at i: Int) -> Bool {
        let t = Array(s)
        return i + t.count <= chars.count && Array(chars[i..<(i + t.count)]) == t
    }

    /// Reads `11,574,090`, `1_568`, `99.4`, `1e-3`, `15.2M`, `100k`.
    ///
    /// A comma groups digits only when exactly three digits follow it, so
    /// `(7,7,32)` stays a tuple.
    private static func number(_ chars: [Character], from start: Int) throws(LessonExpressionError) -> (Double, String, Int) {
        var digits = ""
        var i = start
        func isDigit(_ k: Int) -> Bool { k < chars.count && chars[k].isASCII && chars[k].isNumber }
        while i < chars.count {
            let c = chars[i]
            if isDigit(i) || c == "." { digits.append(c); i += 1; continue }
            if c == "_", isDigit(i + 1) { i += 1; continue }
            if c == ",", isDigit(i + 1), isDigit(i + 2), isDigit(i + 3), !isDigit(i + 4), !digits.contains(".") {
                i += 1; continue
            }
            if c == "e" || c == "E", isDigit(i + 1) || ((i + 2 < chars.count) && (chars[i + 1] == "-" || chars[i + 1] == "+") && isDigit(i + 2)) {
                digits.append("e"); digits.append(chars[i + 1]); i += 2; continue
            }
            break
        }
        guard var value = Double(digits) else { throw LessonExpressionError("'\(digits)' is not a number") }
        if i < chars.count, let scale = ["k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9][chars[i]],
           i + 1 >= chars.count || !(chars[i + 1].isLetter || chars[i + 1].isNumber) {
            value *= scale
            i += 1
        }
        return (value, String(chars[start..<i]), i)
    }
}
