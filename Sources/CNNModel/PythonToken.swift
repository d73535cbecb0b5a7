/// A token of the Python subset that Keras model definitions use.
struct PythonToken: Equatable {
    enum Kind: Equatable {
        case name(String)
        case int(Int)
        case float(Double)
        case string(String)
        /// An f-string's text, `{fields}` unexpanded.
        case fstring(String)
        case punct(String)
        case newline
        case end
    }
    var kind: Kind
    var location: SourceLocation
}

/// Splits source into tokens; newlines inside brackets are not line ends.
struct PythonLexer {
    static let maxSourceBytes = 1_000_000

    static func tokenize(_ source: String) throws(ParseError) -> [PythonToken] {
        if source.utf8.count > maxSourceBytes {
            throw ParseError("the file is \(source.utf8.count) bytes; a model definition is at most \(maxSourceBytes)",
                             at: SourceLocation(line: 1, column: 1))
        }
        let chars = Array(source.unicodeScalars)
        if chars.contains(where: { $0 == "\u{0}" || $0 == "\u{FFFD}" }) {
            var line = 1
            for c in chars {
                if c == "\u{0}" || c == "\u{FFFD}" { break }
                if c == "\n" { line += 1 }
            }
            throw ParseError("this is not a UTF-8 text file (binary data at line \(line)); give Keras Python code",
                             at: SourceLocation(line: line, column: 1))
        }
        var tokens: [PythonToken] = []
        tokens.reserveCapacity(chars.count / 3)
        var i = 0, line = 1, column = 1, depth = 0
        func location(_ length: Int = 1) -> SourceLocation { SourceLocation(line: line, column: column, length: length) }
        func advance(_ n: Int = 1) { i += n; column += n }

        while i < chars.count {
            let c = chars[i]
            switch c {
            case "\n":
                if depth == 0, let last = tokens.last, last.kind != .newline {
                    tokens.append(PythonToken(kind: .newline, location: location()))
                }
                i += 1; line += 1; column = 1
            case " ", "\t", "\r", "\u{FEFF}":
                advance()
            case "\\" where i + 1 < chars.count && chars[i + 1] == "\n":
                i += 2; line += 1; column = 1
            case "#":
                while i < chars.count, chars[i] != "\n" { advance() }
            case "'", "\"":
                let start = location()
                let (text, _) = try lexString(chars, &i, &line, &column, raw: false, start: start)
                tokens.append(PythonToken(kind: .string(text), location: start))
            case _ where Self.isStringPrefix(chars, i):
                // r'…', b'…', f'…': a prefixed string; an f-string keeps its {fields} for the reader.
                let start = i
                while chars[i] != "'", chars[i] != "\"" { advance() }
                var prefix = String.UnicodeScalarView(); prefix.append(contentsOf: chars[start..<i])
                let raw = String(prefix).lowercased()
                let startLoc = SourceLocation(line: line, column: column - (i - start))
                let (text, _) = try lexString(chars, &i, &line, &column, raw: raw.contains("r"), start: startLoc)
                tokens.append(PythonToken(kind: raw.contains("f") ? .fstring(text) : .string(text), location: startLoc))
            case _ where isIdentifierStart(c):
                let start = i, startLoc = location()
                while i < chars.count, isIdentifierContinue(chars[i]) { advance() }
                var loc = startLoc; loc.length = i - start
                tokens.append(PythonToken(kind: .name(text(chars[start..<i])), location: loc))
            case _ where ("0"..."9").contains(c) || (c == "." && i + 1 < chars.count && ("0"..."9").contains(chars[i + 1])):
                let start = i, startLoc = location()
                while i < chars.count, ("0"..."9").contains(chars[i]) || chars[i] == "." || chars[i] == "_"
                    || chars[i] == "e" || chars[i] == "E"
                    || ((chars[i] == "-" || chars[i] == "+") && (chars[i - 1] == "e" || chars[i - 1] == "E")) {
                    advance()
                }
                let spelled = text(chars[start..<i])
                let literal = spelled.utf8.contains(95) ? String(spelled.filter { $0 != "_" }) : spelled  // 95 is "_"
                var loc = startLoc; loc.length = i - start
                if let n = Int(literal) {
                    tokens.append(PythonToken(kind: .int(n), location: loc))
                } else if let x = Double(literal), x.isFinite, literal.contains(where: { ".eE".contains($0) }) {
                    tokens.append(PythonToken(kind: .float(x), location: loc))
                } else {
                    throw ParseError("'\(literal)' is not a number this parser can read (too large, or malformed)", at: loc)
                }
            case "(", "[", "{":
                depth += 1
                tokens.append(PythonToken(kind: .punct(String(c)), location: location())); advance()
            case ")", "]", "}":
                if depth == 0 { throw ParseError("unmatched '\(c)'", at: location()) }
                depth -= 1
                tokens.append(PythonToken(kind: .punct(String(c)), location: location())); advance()
            case ",", "=", ".", ":", "+", "-", "*", "/", "%", "@", "<", ">", "!", "~", "&", "|", "^", ";":
                // Python's two- and three-character operators, longest first.
                var length = 1
                if i + 1 < chars.count, Self.isOperatorPair(c, chars[i + 1]) {
                    length = 2
                    if c == chars[i + 1], "*/<>".unicodeScalars.contains(c), i + 2 < chars.count, chars[i + 2] == "=" {
                        length = 3
                    }
                }
                var text = String(c)
                if length > 1 { for k in 1..<length { text.unicodeScalars.append(chars[i + k]) } }
                tokens.append(PythonToken(kind: .punct(text), location: location(length))); advance(length)
            default:
                let shown = c.properties.isWhitespace || c.value < 32 ? String(format: "U+%04X", c.value) : String(c)
                throw ParseError("unexpected character '\(shown)'", at: location())
            }
        }
        if depth > 0 {
            // Point at the bracket that was never closed.
            var open: [PythonToken] = []
            for t in tokens {
                if case .punct(let p) = t.kind {
                    if "([{".contains(p) { open.append(t) } else if ")]}".contains(p) { _ = open.popLast() }
                }
            }
            if let unclosed = open.last, case .punct(let p) = unclosed.kind {
                throw ParseError("'\(p)' was never closed", at: unclosed.location)
            }
        }
        if let last = tokens.last, last.kind != .newline {
            tokens.append(PythonToken(kind: .newline, location: location()))
        }
        tokens.append(PythonToken(kind: .end, location: location()))
        return tokens
    }

    /// `==`, `!=`, `<=`, `>=`, `**`, `//`, `->`, `<<`, `>>` and the augmented assignments (`+=`, …).
    static func isOperatorPair(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
        switch (a, b) {
        case ("*", "*"), ("/", "/"), ("-", ">"), ("<", "<"), (">", ">"): return true
        case (_, "="): return "=!<>+-*/%:&|^@".unicodeScalars.contains(a)
        default: return false
        }
    }

    /// Whether a string prefix (`r`, `b`, `f`, `rb`, …) followed by a quote starts at `i`.
    static func isStringPrefix(_ chars: [Unicode.Scalar], _ i: Int) -> Bool {
        switch chars[i] {
        case "r", "R", "b", "B", "f", "F", "u", "U": break
        default: return false
        }
        var j = i
        while j < chars.count, j - i < 2, "rRbBfFuU".unicodeScalars.contains(chars[j]) { j += 1 }
        guard j > i, j < chars.count, chars[j] == "'" || chars[j] == "\"" else { return false }
        return i == 0 || !isIdentifierContinue(chars[i - 1])
    }

    /// Reads one quoted string starting at `i` (single or triple quotes); `raw` keeps backslashes.
    static func lexString(_ chars: [Unicode.Scalar], _ i: inout Int, _ line: inout Int, _ column: inout Int,
                          raw: Bool, start: SourceLocation) throws(ParseError) -> (String, Bool) {
        func advance(_ n: Int = 1) { i += n; column += n }
        let quote = chars[i]
        let triple = i + 2 < chars.count && chars[i + 1] == quote && chars[i + 2] == quote
        advance(triple ? 3 : 1)
        var text = String.UnicodeScalarView()
        while i < chars.count {
            if triple, chars[i] == quote, i + 2 < chars.count, chars[i + 1] == quote, chars[i + 2] == quote {
                advance(3); return (String(text), triple)
            }
            if !triple, chars[i] == quote { advance(); return (String(text), triple) }
            if !triple, chars[i] == "\n" { break }
            if chars[i] == "\\", i + 1 < chars.count {
                if raw { text.append(chars[i]) }
                if chars[i + 1] == "\n" { line += 1; column = -1 }
                text.append(chars[i + 1]); advance(2); continue
            }
            if chars[i] == "\n" { line += 1; column = 0 }
            text.append(chars[i]); advance()
        }
        throw ParseError("unterminated string", at: start)
    }

    /// The text of some scalars; ASCII (names, numbers) is copied byte by byte,
    /// which costs a tenth of appending scalars to a `UnicodeScalarView`.
    static func text(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        guard scalars.allSatisfy({ $0.isASCII }) else {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            return String(view)
        }
        return String(unsafeUninitializedCapacity: scalars.count) { buffer in
            for (k, c) in scalars.enumerated() { buffer[k] = UInt8(truncatingIfNeeded: c.value) }
            return scalars.count
        }
    }

    // ASCII first: Unicode property look-ups dominate the parse time otherwise.
    static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x41...0x5A, 0x61...0x7A, 0x5F: return true
        case 0..<0x80: return false
        default: return c.properties.isXIDStart
        }
    }

    static func isIdentifierContinue(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x41...0x5A, 0x61...0x7A, 0x5F, 0x30...0x39: return true
        case 0..<0x80: return false
        default: return c.properties.isXIDContinue
        }
    }
}
