import Foundation

/// The keystroke path's parse: a `keras.Sequential([...])` block written one
/// layer a line, read line by line, each line's meaning kept from earlier
/// parses, so an edit re-reads only the lines it changed.
///
/// Only the plain layout is read here: imports, comments and blank lines, then
/// `NAME = <prefix>.Sequential([` (or without `NAME =`) on a line of its own, one layer call a line
/// (the last comma optional), `])`, and optionally `NAME.summary()`. Anything
/// else, and any line that doesn't read alone (a variable, a layer across
/// lines, an error), returns nil, and ``KerasParser/parse(_:)`` reads the whole
/// file: the model is then exactly the one the full parser builds, and errors
/// keep its wording. A line is read by the full parser's own pieces
/// (``PythonLexer``, ``PythonParser``, ``ModelReader``)
/// at line 1, then moved to where it sits.
enum SequentialLines {
    /// What one line is, read at line 1 with its indentation removed.
    enum Line {
        case skipped
        case open(variable: String?)
        case close
        case layer(ParsedLayer, comma: Bool)
        case summary(variable: String)
    }

    /// The model `source` defines, or nil when the full parser must read it.
    static func parse(_ source: String) -> Model? {
        // Bytes, not Characters: splitting a String into lines walks its graphemes.
        let bytes = Array(source.utf8)
        // NUL, and 0xEF (which starts U+FFFD and the BOM): the full lexer's checks.
        if bytes.count > PythonLexer.maxSourceBytes || bytes.contains(where: { $0 == 0 || $0 == 0xEF }) { return nil }
        var ranges: [Range<Int>] = []
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 10 { end += 1 }
            ranges.append(start..<end)
            start = end + 1
        }
        // The last source read here: a line with the same bytes at the same
        // place (or as far from the end) and stage means what it meant then.
        let previous = last.withLock { $0 }
        let shift = previous.lines.count - ranges.count
        func earlier(_ range: Range<Int>, at k: Int, stage: Int) -> Line? {
            func same(_ j: Int) -> Bool {
                guard j >= 0, j < previous.lines.count else { return false }
                let old = previous.lines[j]
                return old.stage == stage && bytes[range].elementsEqual(previous.bytes[old.range])
            }
            if same(k) { return previous.lines[k].line }
            if shift != 0, same(k + shift) { return previous.lines[k + shift].line }
            return nil
        }
        var read: [ReadLine] = []
        read.reserveCapacity(ranges.count)
        var model = Model()
        model.layers.reserveCapacity(ranges.count)
        var variable: String?
        var stage = 0  // 0 before the block, 1 inside it, 2 after it
        var needsComma = false
        for (k, range) in ranges.enumerated() {
            let lineNumber = k + 1
            var first = range.lowerBound
            while first < range.upperBound, bytes[first] == 32 || bytes[first] == 9 { first += 1 }
            let indent = first - range.lowerBound
            let line: Line
            if let known = earlier(range, at: k, stage: stage) {
                line = known
            } else {
                guard let fresh = self.line(String(decoding: bytes[first..<range.upperBound], as: UTF8.self), stage: stage)
                else { return nil }
                line = fresh
            }
            read.append(ReadLine(range: range, stage: stage, line: line))
            switch (line, stage) {
            case (.skipped, _):
                continue
            case (.open(let name), 0) where indent == 0:
                variable = name
                stage = 1
            case (.close, 1) where indent == 0:
                stage = 2
            case (.layer(let parsed, let comma), 1):
                if needsComma { return nil }
                needsComma = !comma
                guard place(parsed, line: lineNumber, column: indent, into: &model) else { return nil }
            case (.summary(let name), 2) where variable != nil && name == variable && indent == 0:
                continue
            default:
                return nil
            }
        }
        guard stage == 2 else { return nil }
        last.withLock { $0 = ReadSource(bytes: bytes, lines: read) }
        return model
    }

    /// One line of a source read here: where it is, the stage it was read at, and what it is.
    struct ReadLine {
        var range: Range<Int>
        var stage: Int
        var line: Line
    }

    /// A source read here line by line.
    struct ReadSource {
        var bytes: [UInt8] = []
        var lines: [ReadLine] = []
    }

    /// The last source read line by line.
    static let last = Locked(ReadSource())

    /// Adds one layer (or the input) moved to `line`, shifted `column` columns
    /// right; false where the full parser would refuse the order.
    static func place(_ parsed: ParsedLayer, line: Int, column: Int, into model: inout Model) -> Bool {
        func moved(_ loc: SourceLocation) -> SourceLocation {
            SourceLocation(line: loc.line + line - 1, column: loc.column + column, length: loc.length)
        }
        switch parsed {
        case .input(let shape, _, let loc, let batch):
            if model.inputShape != nil || !model.layers.isEmpty { return false }
            model.inputShape = shape
            model.batchSize = batch
            model.inputLocation = moved(loc)
        case .layer(var spec, let inputShape):
            spec.location = spec.location.map(moved)
            if let inputShape {
                if model.inputShape != nil || !model.layers.isEmpty { return false }
                model.inputShape = inputShape
                model.inputLocation = spec.location
            }
            model.layers.append(spec)
        }
        return true
    }

    /// Reads one line alone; nil when it can't be read alone.
    static func read(_ text: String, stage: Int) -> Line? {
        let trimmed = trimmedASCII(text)
        if trimmed.isEmpty || trimmed.hasPrefix("#") { return .skipped }
        if trimmed == "])" { return .close }
        if stage == 0, let name = opening(String(trimmed)) { return .open(variable: name) }
        guard let tokens = try? PythonLexer.tokenize(text) else { return nil }
        var parser = PythonParser(tokens: tokens)
        if stage == 0, case .name(let keyword) = parser.current.kind, keyword == "import" || keyword == "from",
           !tokens.contains(where: { $0.kind == .punct(";") }) {
            return .skipped
        }
        guard let expr = try? parser.expression() else { return nil }
        if stage == 2 {
            guard parser.current.kind == .newline || parser.atEnd,
                  case .call(let callee, let args, _) = expr, args.isEmpty,
                  let path = callee.dottedName, path.count == 2, path[1] == "summary" else { return nil }
            return .summary(variable: path[0])
        }
        let comma = parser.isPunct(",")
        if comma { parser.advance() }
        guard parser.current.kind == .newline || parser.atEnd,
              let parsed = layer(expr, parser: parser) else { return nil }
        return .layer(parsed, comma: comma)
    }

    /// `text` without the ASCII spaces, tabs and line ends around it. A line
    /// with other white space is left to the lexer, which refuses it (and the
    /// full parser then reads the file).
    static func trimmedASCII(_ text: String) -> Substring {
        let utf8 = text.utf8
        func blank(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 13 || c == 10 || c == 11 || c == 12 }
        guard let first = utf8.firstIndex(where: { !blank($0) }) else { return "" }
        let last = utf8.lastIndex(where: { !blank($0) })!
        return text[first...last]
    }

    /// One layer call (or the Input) evaluated alone by the full reader; nil when it needs more than itself.
    static func layer(_ expr: PythonExpression, parser: PythonParser) -> ParsedLayer? {
        var reader = ModelReader(parser: parser)
        switch try? reader.evaluate(expr) {
        case .layer(let id)?:
            let object = reader.layerObjects[id]
            return .layer(object.spec, inputShape: object.inputShape)
        case .tensor(let node)?:
            guard case .input(let shape, let name, let loc, let batch) = reader.nodes[node].kind else { return nil }
            return .input(shape, name: name, loc, batch: batch)
        default:
            return nil
        }
    }

    /// `NAME = PREFIX.Sequential([` or `PREFIX.Sequential([`, when the prefix is
    /// one Keras has: `.some(NAME)` or `.some(nil)`.
    static func opening(_ line: String) -> String?? {
        guard line.hasSuffix("Sequential([") else { return nil }
        let eq = line.firstIndex(of: "=")
        let name = eq.map { line[..<$0].trimmingCharacters(in: .whitespaces) }
        let start = eq.map { line.index(after: $0) } ?? line.startIndex
        let path = line[start...]
            .dropLast("Sequential([".count).trimmingCharacters(in: .whitespaces)
        let identifier = { (s: Substring) in
            !s.isEmpty && s.utf8.allSatisfy { ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 || $0 == 95 || ($0 >= 48 && $0 <= 57) }
                && !(s.utf8.first! >= 48 && s.utf8.first! <= 57)
        }
        if let name, !identifier(Substring(name)) { return nil }
        var prefix: [String] = []
        if !path.isEmpty {
            guard path.hasSuffix(".") else { return nil }
            let parts = path.dropLast().split(separator: ".", omittingEmptySubsequences: false)
            guard parts.allSatisfy(identifier) else { return nil }
            prefix = parts.map(String.init)
        }
        return LayerCall.sequentialPrefixes.contains(prefix) ? .some(name) : nil
    }

    /// Reads one line, or takes what an earlier parse read from the same text at the same stage.
    static func line(_ text: String, stage: Int) -> Line? {
        let key = stage == 1 ? text : "\(stage)\u{1}" + text
        if let known = cache.withLock({ $0[key] }) { return known }
        let line = read(text, stage: stage)
        cache.withLock { lines in
            if lines.count >= 4096 { lines.removeAll(keepingCapacity: true) }
            lines[key] = .some(line)
        }
        return line
    }

    /// Lines read before, by their text and stage; cleared when it grows large.
    static let cache = Locked<[String: Line?]>([:])
}

extension KerasParser {
    /// Forgets the lines and layer rows kept from earlier parses and
    /// summaries (for `bench`'s figures of work done afresh).
    public static func forgetLines() {
        SequentialLines.cache.withLock { $0.removeAll() }
        SequentialLines.last.withLock { $0 = SequentialLines.ReadSource() }
        LayerRows.recent.withLock { $0.removeAll() }
    }
}
