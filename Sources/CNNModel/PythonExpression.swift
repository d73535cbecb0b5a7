/// An expression of the Python subset that Keras model definitions use.
indirect enum PythonExpression {
    /// A dotted name such as `keras.layers.Conv2D`.
    case name([String], SourceLocation)
    case int(Int, SourceLocation)
    case float(Double, SourceLocation)
    case string(String, SourceLocation)
    case bool(Bool, SourceLocation)
    case none(SourceLocation)
    case tuple([PythonExpression], SourceLocation)
    case list([PythonExpression], SourceLocation)
    /// A dict or set display; kept only so that `compile(...)` lines parse.
    case dict(SourceLocation)
    case call(callee: PythonExpression, arguments: [PythonArgument], location: SourceLocation)
    case attribute(base: PythonExpression, name: String, SourceLocation)
    case binary(op: String, PythonExpression, PythonExpression, SourceLocation)
    case negate(PythonExpression, SourceLocation)

    var location: SourceLocation {
        switch self {
        case .name(_, let l), .int(_, let l), .float(_, let l), .string(_, let l), .bool(_, let l), .none(let l),
             .tuple(_, let l), .list(_, let l), .dict(let l), .call(_, _, let l), .attribute(_, _, let l),
             .binary(_, _, _, let l), .negate(_, let l):
            return l
        }
    }

    /// The dotted path of a name, or nil.
    var dottedName: [String]? {
        if case .name(let parts, _) = self { return parts }
        return nil
    }
}

/// One argument of a call: positional when `keyword` is nil.
struct PythonArgument {
    var keyword: String?
    var keywordLocation: SourceLocation?
    var value: PythonExpression
}

/// Recursive-descent parser over ``PythonToken``s.
struct PythonParser {
    var tokens: [PythonToken]
    var position = 0

    init(tokens: [PythonToken]) { self.tokens = tokens }

    var current: PythonToken { tokens[position] }
    var atEnd: Bool { current.kind == .end }

    mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    func isPunct(_ p: String) -> Bool { current.kind == .punct(p) }

    mutating func expect(_ p: String, _ context: String) throws(ParseError) {
        guard isPunct(p) else { throw unexpected("expected '\(p)' \(context)") }
        advance()
    }

    func unexpected(_ message: String) -> ParseError {
        let found: String
        switch current.kind {
        case .name(let n): found = "'\(n)'"
        case .int(let n): found = "\(n)"
        case .float(let x): found = "\(x)"
        case .string(let s): found = "'\(s)'"
        case .punct(let p): found = "'\(p)'"
        case .newline: found = "the end of the line"
        case .end: found = "the end of the input"
        }
        return ParseError("\(message), found \(found)", at: current.location)
    }

    /// Skips to the token after the next logical line end.
    mutating func skipLine() {
        while current.kind != .newline, current.kind != .end { advance() }
        if current.kind == .newline { advance() }
    }

    // MARK: - Expressions

    mutating func expression() throws(ParseError) -> PythonExpression {
        var lhs = try term()
        while case .punct(let op) = current.kind, op == "+" || op == "-" {
            let loc = current.location
            advance()
            lhs = .binary(op: op, lhs, try term(), loc)
        }
        return lhs
    }

    mutating func term() throws(ParseError) -> PythonExpression {
        var lhs = try unary()
        while case .punct(let op) = current.kind, op == "*" || op == "/" || op == "%" {
            let loc = current.location
            advance()
            var op2 = op
            if op == "/" || op == "*", isPunct(op) { advance(); op2 = op + op }
            lhs = .binary(op: op2, lhs, try unary(), loc)
        }
        return lhs
    }

    mutating func unary() throws(ParseError) -> PythonExpression {
        if isPunct("-") {
            let loc = current.location
            advance()
            return .negate(try unary(), loc)
        }
        if isPunct("+") { advance(); return try unary() }
        return try postfix()
    }

    mutating func postfix() throws(ParseError) -> PythonExpression {
        var expr = try primary()
        while true {
            if isPunct(".") {
                advance()
                guard case .name(let n) = current.kind else { throw unexpected("expected a name after '.'") }
                let loc = current.location
                advance()
                if case .name(let parts, let start) = expr {
                    var merged = start
                    merged.length = max(1, loc.column + loc.length - start.column)
                    if loc.line != start.line { merged = loc }
                    expr = .name(parts + [n], merged)
                } else {
                    expr = .attribute(base: expr, name: n, loc)
                }
            } else if isPunct("(") {
                let loc = expr.location
                advance()
                expr = .call(callee: expr, arguments: try arguments(), location: loc)
            } else if isPunct("[") {
                // Subscripts only appear in lines we skip; parse and drop them.
                advance()
                _ = try sequence(closing: "]")
            } else {
                return expr
            }
        }
    }

    mutating func arguments() throws(ParseError) -> [PythonArgument] {
        var args: [PythonArgument] = []
        while !isPunct(")") {
            if isPunct("*") { advance(); if isPunct("*") { advance() } }
            if case .name(let n) = current.kind, tokens[position + 1].kind == .punct("=") {
                let loc = current.location
                advance(); advance()
                args.append(PythonArgument(keyword: n, keywordLocation: loc, value: try expression()))
            } else {
                if atEnd || current.kind == .newline { throw unexpected("expected ')' to close the call") }
                args.append(PythonArgument(keyword: nil, keywordLocation: nil, value: try expression()))
            }
            if isPunct(",") { advance() } else if !isPunct(")") {
                throw unexpected("expected ',' or ')' in the argument list")
            }
        }
        advance()
        return args
    }

    mutating func sequence(closing: String) throws(ParseError) -> (items: [PythonExpression], trailingComma: Bool) {
        var items: [PythonExpression] = []
        var trailingComma = false
        while !isPunct(closing) {
            if atEnd { throw unexpected("expected '\(closing)'") }
            items.append(try expression())
            trailingComma = false
            if isPunct(",") { advance(); trailingComma = true } else if !isPunct(closing) {
                throw unexpected("expected ',' or '\(closing)'")
            }
        }
        advance()
        return (items, trailingComma)
    }

    mutating func primary() throws(ParseError) -> PythonExpression {
        let token = current
        let loc = token.location
        switch token.kind {
        case .int(let n): advance(); return .int(n, loc)
        case .float(let x): advance(); return .float(x, loc)
        case .string(var s):
            advance()
            while case .string(let more) = current.kind { s += more; advance() }
            return .string(s, loc)
        case .name("True"): advance(); return .bool(true, loc)
        case .name("False"): advance(); return .bool(false, loc)
        case .name("None"): advance(); return .none(loc)
        case .name(let n): advance(); return .name([n], loc)
        case .punct("("):
            advance()
            let (items, trailing) = try sequence(closing: ")")
            if items.count == 1, !trailing { return items[0] }
            return .tuple(items, loc)
        case .punct("["):
            advance()
            return .list(try sequence(closing: "]").items, loc)
        case .punct("{"):
            advance()
            var depth = 1
            while depth > 0 {
                if atEnd { throw unexpected("expected '}'") }
                if isPunct("{") { depth += 1 } else if isPunct("}") { depth -= 1 }
                advance()
            }
            return .dict(loc)
        default:
            throw unexpected("expected a value")
        }
    }
}
