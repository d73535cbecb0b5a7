import Foundation

/// Reads Keras model definitions written the way tutorials write them.
///
/// Accepts `keras.Sequential([...])` (optionally assigned, or from
/// `keras.models`), `model.add(...)` lines, the `keras.layers.` / `layers.` /
/// `tf.keras.layers.` prefixes or none, and simple variables
/// (`num_classes = 10`). Imports, `model.summary()`, `model.compile(...)` and
/// other statements that don't define the model are skipped.
public enum KerasParser {
    /// Parses a whole file or code block into a model.
    public static func parse(_ source: String) throws(ParseError) -> Model {
        // The keystroke path: a plain Sequential block, from lines read before.
        if let model = SequentialLines.parse(source) { return model }
        var reader = try StatementReader(source: source)
        return try reader.read()
    }

    /// Parses one layer expression such as `Conv2D(32, 3, activation='relu')`.
    public static func parseLayer(_ text: String) throws(ParseError) -> LayerSpec {
        var parser = PythonParser(tokens: try PythonLexer.tokenize(text))
        if parser.atEnd { throw ParseError("type a layer, such as Conv2D(32, 3, activation='relu')", at: parser.current.location) }
        let expr = try parser.expression()
        if parser.current.kind != .newline, !parser.atEnd { throw parser.unexpected("expected the end of the layer") }
        switch try StatementReader.layer(from: expr, variables: [:]) {
        case .layer(let spec, _): return spec
        case .input(_, let location):
            throw ParseError("Input sets the input shape; it is not a layer to add here", at: location)
        }
    }

    /// Parses an input shape such as `(224, 224, 3)`, `224,224,3` or `Input(shape=(32, 32, 1))`.
    public static func parseInputShape(_ text: String) throws(ParseError) -> [Int] {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.hasPrefix("("), !trimmed.contains("Input") { trimmed = "(\(trimmed),)" }
        var parser = PythonParser(tokens: try PythonLexer.tokenize(trimmed))
        let expr = try parser.expression()
        if case .call = expr, case .input(let shape, _) = try StatementReader.layer(from: expr, variables: [:]) {
            return shape
        }
        return try StatementReader.shape(PythonValue.evaluate(expr, variables: [:]), at: expr.location)
    }
}

/// One parsed layer expression: a layer, or the model's input.
enum ParsedLayer {
    case layer(LayerSpec, inputShape: [Int]?)
    case input([Int], SourceLocation)
}

/// Walks the statements of a file and assembles the model.
struct StatementReader {
    var parser: PythonParser
    var variables: [String: PythonValue] = [:]
    var model: Model?
    var modelVariable: String?

    init(source: String) throws(ParseError) {
        parser = PythonParser(tokens: try PythonLexer.tokenize(source))
    }

    static let layerPrefixes: [[String]] = [[], ["layers"], ["keras", "layers"], ["tf", "keras", "layers"],
                                            ["tensorflow", "keras", "layers"], ["keras", "src", "layers"]]
    static let inputPrefixes: [[String]] = layerPrefixes + [["keras"], ["tf", "keras"], ["tensorflow", "keras"]]
    static let sequentialPrefixes: [[String]] = [[], ["keras"], ["keras", "models"], ["models"], ["tf", "keras"],
                                                 ["tf", "keras", "models"], ["tensorflow", "keras"]]

    mutating func read() throws(ParseError) -> Model {
        while !parser.atEnd {
            if parser.current.kind == .newline || parser.isPunct(";") { parser.advance(); continue }
            if case .name(let keyword) = parser.current.kind, ["import", "from", "print", "def", "class", "return",
                                                              "if", "for", "while", "with", "assert", "pass"].contains(keyword) {
                if ["def", "class", "if", "for", "while", "with"].contains(keyword) {
                    throw ParseError("'\(keyword)' blocks are not supported in a model definition; write the layers "
                                     + "in keras.Sequential([...]) or model.add(...) lines", at: parser.current.location)
                }
                parser.skipLine()
                continue
            }
            let expr = try parser.expression()
            if parser.isPunct("=") {
                parser.advance()
                let value = try parser.expression()
                try assign(expr, value)
            } else {
                try statement(expr)
            }
            guard parser.current.kind == .newline || parser.atEnd || parser.isPunct(";") else {
                throw parser.unexpected("expected the end of the statement")
            }
        }
        guard let model else {
            throw ParseError("no model found: write keras.Sequential([...]) or model = keras.Sequential() with "
                             + "model.add(...) lines", at: SourceLocation(line: 1, column: 1))
        }
        return model
    }

    // MARK: - Statements

    mutating func assign(_ target: PythonExpression, _ value: PythonExpression) throws(ParseError) {
        if isSequential(value) {
            guard case .name(let parts, _) = target, parts.count == 1 else {
                throw ParseError("assign the model to a plain name, such as model = keras.Sequential(...)", at: target.location)
            }
            if model != nil {
                throw ParseError("a second Sequential model; cnn-tutor reads one model per file", at: value.location)
            }
            modelVariable = parts[0]
            model = try sequential(value)
            return
        }
        if case .call(let callee, _, let loc) = value {
            if case .call = callee {
                throw ParseError("the functional API (layer(...)(x)) is not supported; write keras.Sequential([...])", at: loc)
            }
            if let path = callee.dottedName, Self.isLayerPath(path) {
                throw ParseError("the functional API is not supported; write the layers in keras.Sequential([...])", at: loc)
            }
            return  // history = model.fit(...), opt = keras.optimizers.Adam(), …
        }
        if case .name(let parts, _) = target, parts.count == 1,
           let v = try? PythonValue.evaluate(value, variables: variables) {
            variables[parts[0]] = v
        }
    }

    mutating func statement(_ expr: PythonExpression) throws(ParseError) {
        if isSequential(expr) {
            if model != nil { throw ParseError("a second Sequential model; cnn-tutor reads one model per file", at: expr.location) }
            model = try sequential(expr)
            return
        }
        guard case .call(let callee, let args, let loc) = expr, let path = callee.dottedName else { return }
        if path.count == 2, path[1] == "add" {
            guard model != nil, path[0] == modelVariable else {
                throw ParseError("'\(path[0])' is not a model; create it first with \(path[0]) = keras.Sequential()", at: loc)
            }
            guard args.count == 1, args[0].keyword == nil else {
                throw ParseError("add takes exactly one layer", at: loc)
            }
            try append(args[0].value)
            return
        }
        if Self.isLayerPath(path) {
            throw ParseError("a layer on its own does nothing; put it in keras.Sequential([...]) or model.add(...)", at: loc)
        }
        // model.summary(), model.compile(...), print(...): not part of the model.
    }

    mutating func append(_ expr: PythonExpression) throws(ParseError) {
        switch try Self.layer(from: expr, variables: variables) {
        case .input(let shape, let loc):
            if model!.inputShape != nil || !model!.layers.isEmpty {
                throw ParseError("Input must come first, and only once", at: loc)
            }
            model!.inputShape = shape
            model!.inputLocation = loc
        case .layer(let spec, let inputShape):
            if let inputShape {
                if model!.inputShape != nil || !model!.layers.isEmpty {
                    throw ParseError("`input_shape` belongs on the first layer only", at: spec.location ?? expr.location)
                }
                model!.inputShape = inputShape
                model!.inputLocation = spec.location
            }
            model!.layers.append(spec)
        }
    }

    func isSequential(_ expr: PythonExpression) -> Bool {
        guard case .call(let callee, _, _) = expr, let path = callee.dottedName, path.last == "Sequential" else { return false }
        return Self.sequentialPrefixes.contains(Array(path.dropLast()))
    }

    mutating func sequential(_ expr: PythonExpression) throws(ParseError) -> Model {
        guard case .call(_, let args, let loc) = expr else { fatalError("checked by isSequential") }
        model = Model()
        var layerList: PythonExpression?
        for (i, arg) in args.enumerated() {
            switch arg.keyword {
            case nil where i == 0, "layers": layerList = arg.value
            case "name", "trainable": continue
            default:
                throw ParseError("Sequential takes a list of layers and an optional name", at: arg.keywordLocation ?? arg.value.location)
            }
        }
        if let layerList {
            switch layerList {
            case .list(let items, _), .tuple(let items, _):
                for item in items { try append(item) }
            case .none: break
            default:
                throw ParseError("Sequential expects a list of layers in [ ... ]", at: layerList.location)
            }
        }
        _ = loc
        let built = model!
        model = nil
        return built
    }

    // MARK: - Layers

    static func isLayerPath(_ path: [String]) -> Bool {
        guard let last = path.last else { return false }
        return LayerCatalog.signature(last) != nil || last == "Input" || last == "InputLayer"
    }

    /// Builds a layer spec (or the input) from a call expression.
    static func layer(from expr: PythonExpression, variables: [String: PythonValue]) throws(ParseError) -> ParsedLayer {
        guard case .call(let callee, let args, _) = expr, case .name(let path, let pathLoc) = callee else {
            if case .name(let path, let loc) = expr, isLayerPath(path) {
                throw ParseError("\(path.last!) needs parentheses: \(path.last!)(...)", at: loc)
            }
            throw ParseError("expected a layer such as keras.layers.Conv2D(32, 3)", at: expr.location)
        }
        let typeName = path.last!
        // Underline the class name itself, not its prefix.
        var nameLoc = pathLoc
        if pathLoc.length >= typeName.count {
            nameLoc.column = pathLoc.column + pathLoc.length - typeName.count
        }
        nameLoc.length = typeName.count
        let prefix = Array(path.dropLast())
        let isInput = typeName == "Input" || typeName == "InputLayer"
        guard isInput || LayerCatalog.signature(typeName) != nil else {
            let hint = Suggestion.closest(to: typeName, in: LayerCatalog.layerNames + Array(LayerCatalog.aliases.keys))
                .map { "; did you mean '\($0)'?" } ?? ""
            throw ParseError("unknown layer '\(typeName)'\(hint)", at: nameLoc)
        }
        guard (isInput ? inputPrefixes : layerPrefixes).contains(prefix) else {
            var loc = pathLoc
            loc.length = max(1, pathLoc.length - typeName.count - 1)
            throw ParseError("unknown module '\(prefix.joined(separator: "."))'; write keras.layers.\(typeName), "
                             + "layers.\(typeName) or \(typeName)", at: loc)
        }

        // Match arguments to the signature.
        let signature = LayerCatalog.signature(typeName)
        let positional = signature?.positional ?? ["shape", "batch_size", "dtype", "sparse", "batch_shape", "name", "tensor"]
        let accepted = signature?.allNames ?? positional + ["input_shape", "optional", "input_tensor", "ragged"]
        var values: [String: (value: PythonValue, location: SourceLocation)] = [:]
        var seenKeyword = false
        for (i, arg) in args.enumerated() {
            let key: String
            let keyLoc: SourceLocation
            if let keyword = arg.keyword {
                seenKeyword = true
                keyLoc = arg.keywordLocation ?? arg.value.location
                guard accepted.contains(keyword) else {
                    let hint = Suggestion.closest(to: keyword, in: accepted).map { "; did you mean '\($0)'?" } ?? ""
                    throw ParseError("\(typeName) has no argument '\(keyword)'\(hint)", at: keyLoc)
                }
                key = keyword
            } else {
                keyLoc = arg.value.location
                if seenKeyword { throw ParseError("a positional argument can't follow a keyword argument", at: keyLoc) }
                guard i < positional.count else {
                    throw ParseError("\(typeName) takes at most \(positional.count) positional arguments", at: keyLoc)
                }
                key = positional[i]
            }
            if values[key] != nil { throw ParseError("\(typeName) got `\(key)` twice", at: keyLoc) }
            values[key] = (try PythonValue.evaluate(arg.value, variables: variables), arg.value.location)
        }
        let arguments = LayerArguments(typeName: typeName, callLocation: nameLoc, values: values)

        if isInput {
            let key = arguments.has("shape") ? "shape" : arguments.has("input_shape") ? "input_shape" : "batch_shape"
            guard let raw = values[key], raw.value != .none else {
                throw ParseError("\(typeName) is missing the required argument `shape`, e.g. shape=(224, 224, 3)", at: nameLoc)
            }
            var shape = try Self.shape(raw.value, at: raw.location, allowBatch: key == "batch_shape")
            if key == "batch_shape" { shape.removeFirst() }
            return .input(shape, nameLoc)
        }

        var name: String?
        if let raw = values["name"], raw.value != .none {
            guard case .string(let s) = raw.value, !s.isEmpty else {
                throw ParseError("`name` must be a non-empty string", at: raw.location)
            }
            name = s
        }
        var inputShape: [Int]?
        if let raw = values["input_shape"], raw.value != .none {
            inputShape = try Self.shape(raw.value, at: raw.location)
        }
        let kind = try signature!.build(arguments)
        return .layer(LayerSpec(kind, name: name, location: nameLoc), inputShape: inputShape)
    }

    /// A shape tuple of positive sizes; `None` sizes are refused with a reason.
    static func shape(_ value: PythonValue, at loc: SourceLocation, allowBatch: Bool = false) throws(ParseError) -> [Int] {
        let items: [PythonValue]
        switch value {
        case .int: items = [value]
        case .tuple(let t): items = t
        default: throw ParseError("a shape is a tuple of sizes such as (224, 224, 3), got \(value.pythonDescription)", at: loc)
        }
        var shape: [Int] = []
        for (i, item) in items.enumerated() {
            switch item {
            case .int(let n) where n > 0: shape.append(n)
            case .none where allowBatch && i == 0: shape.append(0)
            case .none:
                throw ParseError("a shape with None sizes is not supported; give every size, such as (224, 224, 3)", at: loc)
            default:
                throw ParseError("sizes in a shape must be positive integers, got \(value.pythonDescription)", at: loc)
            }
        }
        if shape.isEmpty { throw ParseError("a shape needs at least one size", at: loc) }
        return shape
    }
}
