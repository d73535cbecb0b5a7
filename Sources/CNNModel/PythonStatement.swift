/// A statement of the Python subset that model files use; everything else is kept as skipped code.
indirect enum PythonStatement {
    case expression(PythonExpression)
    /// `a = b = value`, `x, y = 1, 2`.
    case assign(targets: [PythonExpression], value: PythonExpression)
    /// `x += 1`: the operator without its `=`.
    case augmentedAssign(target: PythonExpression, op: String, value: PythonExpression)
    case function(PythonFunction)
    case forLoop(target: PythonExpression, iterable: PythonExpression, body: [PythonStatement], buildsLayers: Bool,
                 SourceLocation)
    /// `if`/`elif` branches in order, then the `else` body.
    case ifBlock(branches: [(condition: PythonExpression, body: [PythonStatement])], orElse: [PythonStatement],
                 buildsLayers: Bool)
    case returnValue(PythonExpression?, SourceLocation)
    /// The body of `with …:` or `try:`, run as it stands.
    case block([PythonStatement])
    /// `import a.b as c`, `from a import b as c`: each name bound and the dotted path it stands for.
    case importNames([(name: String, path: [String])])
    /// `break` (true) or `continue` (false).
    case loopControl(isBreak: Bool)
    /// Code the reader does not run: classes, `while`, and what doesn't parse.
    case skipped(SkippedCode)
}

/// A `def` with its parameters (`name`, default) and body.
struct PythonFunction {
    var name: String
    var parameters: [(name: String, defaultValue: PythonExpression?)]
    var body: [PythonStatement]
    var location: SourceLocation
}

/// Code passed over: why (when it didn't parse) and the names in it, so the reader
/// can tell whether it touched the model after all.
struct SkippedCode {
    var error: ParseError?
    var names: Set<String>
    /// The name a skipped `class` defines.
    var defines: String?
}

/// Splits tokens into statements by their lines' indentation (the column of each line's first token).
extension PythonParser {
    /// Names that mark code as building a model.
    static func buildsLayers(_ names: Set<String>) -> Bool {
        names.contains { LayerCatalog.signature($0) != nil || modelNames.contains($0) }
    }

    static let modelNames: Set<String> = ["Input", "InputLayer", "Sequential", "Model", "add"]

    /// Statements at `indent` and deeper, until a line starts left of it.
    mutating func statements(indent: Int, top: Bool = false) -> [PythonStatement] {
        var out: [PythonStatement] = []
        var indent = indent
        while !atEnd {
            if current.kind == .newline || isPunct(";") { advance(); continue }
            let column = current.location.column
            let lineStart = position == 0 || tokens[position - 1].kind == .newline
            if lineStart, column < indent {
                if !top { break }
                indent = column  // a pasted block that starts indented
            }
            if lineStart, column > indent {
                // An unexpected indent: part of what came before.
                out.append(.skipped(SkippedCode(error: nil, names: skipLines(deeperThan: indent))))
                continue
            }
            out.append(statement())
        }
        return out
    }

    /// One statement; what doesn't parse becomes skipped code covering its line and any block under it.
    mutating func statement() -> PythonStatement {
        let start = position
        let column = current.location.column
        do {
            return try parseStatement()
        } catch {
            position = start
            var names = skipLine()
            names.formUnion(skipLines(deeperThan: column))
            return .skipped(SkippedCode(error: error, names: names))
        }
    }

    /// Skips one logical line and returns the names in it.
    mutating func skipLine() -> Set<String> {
        var names: Set<String> = []
        while current.kind != .newline, current.kind != .end {
            if case .name(let n) = current.kind { names.insert(n) }
            advance()
        }
        if current.kind == .newline { advance() }
        return names
    }

    /// Skips the lines indented deeper than `column` (a block's body).
    mutating func skipLines(deeperThan column: Int) -> Set<String> {
        var names: Set<String> = []
        while !atEnd, current.location.column > column {
            names.formUnion(skipLine())
        }
        return names
    }

    mutating func parseStatement() throws(ParseError) -> PythonStatement {
        let column = current.location.column
        let loc = current.location
        if isPunct("@") {
            return .skipped(SkippedCode(error: nil, names: skipLine()))
        }
        if case .name(let keyword) = current.kind {
            switch keyword {
            case "import", "from":
                return .importNames(try importStatement())
            case "break", "continue":
                advance()
                try endOfSimpleStatement()
                return .loopControl(isBreak: keyword == "break")
            case "pass", "global", "nonlocal", "del", "assert", "raise":
                _ = skipLine()
                return .skipped(SkippedCode(error: nil, names: []))
            case "class", "while", "async", "match":
                var defines: String?
                if keyword == "class", case .name(let n) = tokens[position + 1].kind { defines = n }
                var names = skipLine()
                names.formUnion(skipLines(deeperThan: column))
                return .skipped(SkippedCode(error: nil, names: keyword == "while" ? names : [], defines: defines))
            case "def":
                return .function(try functionDefinition(column: column))
            case "return":
                advance()
                let value = current.kind == .newline || atEnd || isPunct(";") ? nil : try expressionList()
                try endOfSimpleStatement()
                return .returnValue(value, loc)
            case "for":
                advance()
                let target = try targetList()
                guard current.kind == .name("in") else { throw unexpected("expected 'in' in the for loop") }
                advance()
                let iterable = try expressionList()
                let bodyStart = position
                let body = try suite(column: column)
                let builds = Self.buildsLayers(names(from: bodyStart, to: position))
                if current.kind == .name("else"), current.location.column == column {
                    advance(); _ = try suite(column: column)
                }
                return .forLoop(target: target, iterable: iterable, body: body, buildsLayers: builds, loc)
            case "if":
                var branches: [(condition: PythonExpression, body: [PythonStatement])] = []
                var orElse: [PythonStatement] = []
                let bodyStart = position
                advance()
                let condition = try expression()
                branches.append((condition, try suite(column: column)))
                while current.location.column == column, current.kind == .name("elif") {
                    advance()
                    let c = try expression()
                    branches.append((c, try suite(column: column)))
                }
                if current.location.column == column, current.kind == .name("else") {
                    advance()
                    orElse = try suite(column: column)
                }
                let builds = Self.buildsLayers(names(from: bodyStart, to: position))
                return .ifBlock(branches: branches, orElse: orElse, buildsLayers: builds)
            case "with":
                try skipHeader()
                return .block(try suite(column: column, headerSkipped: true))
            case "try":
                advance()
                let body = try suite(column: column)
                while current.location.column == column,
                      case .name(let k) = current.kind, ["except", "else", "finally"].contains(k) {
                    try skipHeader()
                    _ = try suite(column: column, headerSkipped: true)
                }
                return .block(body)
            default:
                break
            }
        }
        let first = try expressionList()
        if case .punct(let op) = current.kind, op.count >= 2, op.hasSuffix("="), !Self.comparisons.contains(op) {
            advance()
            let value = try expressionList()
            try endOfSimpleStatement()
            return .augmentedAssign(target: first, op: String(op.dropLast()), value: value)
        }
        if isPunct(":") {
            // An annotation: `x: int = 3`.
            advance()
            _ = try expression()
        }
        var targets: [PythonExpression] = []
        var value = first
        while isPunct("=") {
            advance()
            targets.append(value)
            value = try expressionList()
        }
        try endOfSimpleStatement()
        return targets.isEmpty ? .expression(value) : .assign(targets: targets, value: value)
    }

    /// The names an import binds: `import keras` binds `keras`, `from keras import layers as L` binds `L`.
    mutating func importStatement() throws(ParseError) -> [(name: String, path: [String])] {
        let isFrom = current.kind == .name("from")
        advance()
        func dotted() throws(ParseError) -> [String] {
            var parts: [String] = []
            while isPunct(".") { advance() }  // relative imports
            while case .name(let n) = current.kind {
                parts.append(n)
                advance()
                if isPunct(".") { advance() } else { break }
            }
            if parts.isEmpty { throw unexpected("expected a module name") }
            return parts
        }
        var base: [String] = []
        if isFrom {
            base = try dotted()
            guard current.kind == .name("import") else { throw unexpected("expected 'import'") }
            advance()
        }
        var out: [(name: String, path: [String])] = []
        let parenthesised = isPunct("(")
        if parenthesised { advance() }
        while true {
            if isPunct("*") { advance(); break }
            let path = base + (try dotted())
            var name = isFrom ? path.last! : path[0]
            var bound = isFrom ? path : [path[0]]
            if current.kind == .name("as") {
                advance()
                guard case .name(let alias) = current.kind else { throw unexpected("expected a name after 'as'") }
                name = alias
                bound = path
                advance()
            }
            out.append((name, bound))
            if isPunct(",") { advance(); if parenthesised, isPunct(")") { break } } else { break }
        }
        if parenthesised { try expect(")", "to close the import list") }
        try endOfSimpleStatement()
        return out
    }

    func names(from start: Int, to end: Int) -> Set<String> {
        var names: Set<String> = []
        for t in tokens[start..<end] { if case .name(let n) = t.kind { names.insert(n) } }
        return names
    }

    mutating func endOfSimpleStatement() throws(ParseError) {
        if isPunct(";") { advance(); return }
        guard current.kind == .newline || atEnd else { throw unexpected("expected the end of the statement") }
        advance()
    }

    /// Expressions separated by commas: a tuple without parentheses.
    mutating func expressionList() throws(ParseError) -> PythonExpression {
        let loc = current.location
        if isPunct("*") { advance() }
        let first = try expression()
        guard isPunct(",") else { return first }
        var items = [first]
        while isPunct(",") {
            advance()
            if current.kind == .newline || atEnd || isPunct("=") || isPunct(")") || isPunct(";") { break }
            if isPunct("*") { advance() }
            items.append(try expression())
        }
        return .tuple(items, loc)
    }

    /// The target of a for loop: names and tuples of names, without `in` taken as a comparison.
    mutating func targetList() throws(ParseError) -> PythonExpression {
        let loc = current.location
        var items = [try arithmetic()]
        while isPunct(",") {
            advance()
            if current.kind == .name("in") { break }
            items.append(try arithmetic())
        }
        return items.count == 1 ? items[0] : .tuple(items, loc)
    }

    /// Skips a compound statement's header up to its `:`.
    mutating func skipHeader() throws(ParseError) {
        var depth = 0
        while true {
            if atEnd || current.kind == .newline { throw unexpected("expected ':'") }
            if isPunct("(") || isPunct("[") || isPunct("{") { depth += 1 }
            if isPunct(")") || isPunct("]") || isPunct("}") { depth -= 1 }
            if depth == 0, isPunct(":") { return }
            advance()
        }
    }

    /// A block after `:`: the indented lines below, or the rest of the line.
    mutating func suite(column: Int, headerSkipped: Bool = false) throws(ParseError) -> [PythonStatement] {
        try expect(":", "to open the block")
        if current.kind != .newline {
            var body: [PythonStatement] = []
            while current.kind != .newline, !atEnd {
                body.append(try parseStatement())
                if position > 0, tokens[position - 1].kind == .newline { break }
            }
            return body
        }
        advance()
        let indent = current.location.column
        guard indent > column, !atEnd else { throw unexpected("expected an indented block") }
        return statements(indent: indent)
    }

    mutating func functionDefinition(column: Int) throws(ParseError) -> PythonFunction {
        let loc = current.location
        advance()
        guard case .name(let name) = current.kind else { throw unexpected("expected the function's name") }
        advance()
        try expect("(", "after the function's name")
        var parameters: [(name: String, defaultValue: PythonExpression?)] = []
        while !isPunct(")") {
            if isPunct("*") || isPunct("**") || isPunct("/") { advance(); if isPunct(",") { advance() }; continue }
            guard case .name(let p) = current.kind else { throw unexpected("expected a parameter name") }
            advance()
            if isPunct(":") { advance(); _ = try expression() }
            var value: PythonExpression?
            if isPunct("=") { advance(); value = try expression() }
            parameters.append((p, value))
            if isPunct(",") { advance() } else if !isPunct(")") { throw unexpected("expected ',' or ')' in the parameters") }
        }
        advance()
        if isPunct("->") { advance(); _ = try expression() }
        return PythonFunction(name: name, parameters: parameters, body: try suite(column: column), location: loc)
    }
}
