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
    /// `not x`.
    case not(PythonExpression, SourceLocation)
    /// `a and b`, `a or b`.
    case logical(op: String, PythonExpression, PythonExpression, SourceLocation)
    /// `a == b`, `a < b`, `a in b`, `a is not b`, …
    case compare(op: String, PythonExpression, PythonExpression, SourceLocation)
    /// `a if condition else b`.
    case conditional(PythonExpression, condition: PythonExpression, orElse: PythonExpression, SourceLocation)
    /// `a[…]`: only a constant index is read.
    case item(PythonExpression, index: PythonExpression?, SourceLocation)
    /// `f"…"` with its `{fields}`.
    case fstring(String, SourceLocation)

    var location: SourceLocation {
        switch self {
        case .name(_, let l), .int(_, let l), .float(_, let l), .string(_, let l), .bool(_, let l), .none(let l),
             .tuple(_, let l), .list(_, let l), .dict(let l), .call(_, _, let l), .attribute(_, _, let l),
             .binary(_, _, _, let l), .negate(_, let l), .not(_, let l), .logical(_, _, _, let l),
             .compare(_, _, _, let l), .conditional(_, _, _, let l), .item(_, _, let l), .fstring(_, let l):
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
        case .string(let s), .fstring(let s): found = "'\(s)'"
        case .punct(let p): found = "'\(p)'"
        case .newline: found = "the end of the line"
        case .end: found = "the end of the input"
        }
        return ParseError("\(message), found \(found)", at: current.location)
    }


    // MARK: - Expressions

    /// A full expression: conditionals, `or`, `and`, `not`, comparisons, arithmetic.
    mutating func expression() throws(ParseError) -> PythonExpression {
        if current.kind == .name("lambda") { throw unexpected("a lambda is not supported here") }
        let value = try disjunction()
        if current.kind == .name("if") {
            let loc = current.location
            advance()
            let condition = try disjunction()
            guard current.kind == .name("else") else { throw unexpected("expected 'else' in the conditional expression") }
            advance()
            return .conditional(value, condition: condition, orElse: try expression(), loc)
        }
        return value
    }

    mutating func disjunction() throws(ParseError) -> PythonExpression {
        var lhs = try conjunction()
        while current.kind == .name("or") {
            let loc = current.location
            advance()
            lhs = .logical(op: "or", lhs, try conjunction(), loc)
        }
        return lhs
    }

    mutating func conjunction() throws(ParseError) -> PythonExpression {
        var lhs = try negation()
        while current.kind == .name("and") {
            let loc = current.location
            advance()
            lhs = .logical(op: "and", lhs, try negation(), loc)
        }
        return lhs
    }

    mutating func negation() throws(ParseError) -> PythonExpression {
        if current.kind == .name("not") {
            let loc = current.location
            advance()
            return .not(try negation(), loc)
        }
        return try comparison()
    }

    static let comparisons: Set<String> = ["==", "!=", "<", ">", "<=", ">="]

    mutating func comparison() throws(ParseError) -> PythonExpression {
        var lhs = try arithmetic()
        while true {
            let loc = current.location
            var op: String
            switch current.kind {
            case .punct(let p) where Self.comparisons.contains(p): op = p
            case .name("in"): op = "in"
            case .name("is"): op = "is"
            case .name("not") where tokens[position + 1].kind == .name("in"): op = "not in"; advance()
            default: return lhs
            }
            advance()
            if op == "is", current.kind == .name("not") { op = "is not"; advance() }
            lhs = .compare(op: op, lhs, try arithmetic(), loc)
        }
    }

    /// `+` and `-`, over `*`, `/`, `//`, `%`, `@`, over unary minus, over `**`.
    mutating func arithmetic() throws(ParseError) -> PythonExpression {
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
        while case .punct(let op) = current.kind, op == "*" || op == "/" || op == "%" || op == "//" || op == "@" {
            let loc = current.location
            advance()
            lhs = .binary(op: op, lhs, try unary(), loc)
        }
        return lhs
    }

    mutating func unary() throws(ParseError) -> PythonExpression {
        if isPunct("-") {
            let loc = current.location
            advance()
            return .negate(try unary(), loc)
        }
        if isPunct("+") || isPunct("~") { advance(); return try unary() }
        return try power()
    }

    mutating func power() throws(ParseError) -> PythonExpression {
        let base = try postfix()
        if isPunct("**") {
            let loc = current.location
            advance()
            return .binary(op: "**", base, try unary(), loc)
        }
        return base
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
                // Only a plain index is kept; slices are skipped over.
                let loc = current.location
                advance()
                var index: PythonExpression?
                if !isPunct(":") { index = try expression() }
                if !isPunct("]") {
                    index = nil
                    var depth = 0
                    while depth > 0 || !isPunct("]") {
                        if atEnd { throw unexpected("expected ']'") }
                        if isPunct("[") || isPunct("(") || isPunct("{") { depth += 1 }
                        if isPunct("]") || isPunct(")") || isPunct("}") { depth -= 1 }
                        advance()
                    }
                }
                advance()
                expr = .item(expr, index: index, loc)
            } else {
                return expr
            }
        }
    }

    mutating func arguments() throws(ParseError) -> [PythonArgument] {
        var args: [PythonArgument] = []
        while !isPunct(")") {
            if isPunct("*") || isPunct("**") { advance() }
            if case .name(let n) = current.kind, tokens[position + 1].kind == .punct("=") {
                let loc = current.location
                advance(); advance()
                args.append(PythonArgument(keyword: n, keywordLocation: loc, value: try expression()))
            } else {
                if atEnd || current.kind == .newline { throw unexpected("expected ')' to close the call") }
                args.append(PythonArgument(keyword: nil, keywordLocation: nil, value: try expression()))
                if current.kind == .name("for") { throw unexpected("a generator expression is not supported here") }
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
            if isPunct("*") { advance() }
            items.append(try expression())
            if current.kind == .name("for") { throw unexpected("a comprehension is not supported here") }
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
        case .fstring(var s):
            advance()
            while case .string(let more) = current.kind { s += more; advance() }
            return .fstring(s, loc)
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
