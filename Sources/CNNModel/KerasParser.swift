import Foundation

/// Reads Keras model definitions written the way tutorials write them.
///
/// Accepts `keras.Sequential([...])` (optionally assigned, or from
/// `keras.models`), `model.add(...)` lines, the functional API
/// (`x = layers.Conv2D(...)(x)`, `layers.Add()([x, y])`, `keras.Model(inputs, outputs)`),
/// models built in functions, loops and conditionals, the `keras.layers.` /
/// `layers.` / `tf.keras.layers.` prefixes or none, and the plain Python
/// around them (`n_classes = 10`, `H, W = 32, 32`, arithmetic). Statements the
/// model doesn't depend on (imports, data loading, training, plotting) are
/// skipped whatever Python they hold.
public enum KerasParser {
    /// Parses a whole file or code block into a model.
    public static func parse(_ source: String) throws(ParseError) -> Model {
        // The keystroke path: a plain Sequential block, from lines read before.
        if let model = SequentialLines.parse(source) { return model }
        var reader = try ModelReader(source: source)
        do {
            return try reader.read()
        } catch {
            // A head without its base fails on the names the base would have set: say what is going on.
            if let loc = elidedBase(in: source) { throw elidedBaseError(at: loc) }
            throw error
        }
    }

    /// Parses one layer expression such as `Conv2D(32, 3, activation='relu')`.
    public static func parseLayer(_ text: String) throws(ParseError) -> LayerSpec {
        var parser = PythonParser(tokens: try PythonLexer.tokenize(text))
        if parser.atEnd { throw ParseError("type a layer, such as Conv2D(32, 3, activation='relu')", at: parser.current.location) }
        let expr = try parser.expression()
        if parser.current.kind != .newline, !parser.atEnd { throw parser.unexpected("expected the end of the layer") }
        var reader = ModelReader(parser: parser)
        switch try reader.evaluate(expr) {
        case .layer(let id): return reader.layerObjects[id].spec
        case .tensor(let node):
            if case .input = reader.nodes[node].kind {
                throw ParseError("Input sets the input shape; it is not a layer to add here", at: expr.location)
            }
            throw ParseError("give the layer alone, without calling it on a tensor", at: expr.location)
        default:
            if case .name(let path, let loc) = expr, LayerCall.isLayerPath(path) {
                throw ParseError("\(path.last!) needs parentheses: \(path.last!)(...)", at: loc)
            }
            throw ParseError("expected a layer such as keras.layers.Conv2D(32, 3)", at: expr.location)
        }
    }

    /// Parses an input shape such as `(224, 224, 3)`, `224,224,3` or `Input(shape=(32, 32, 1))`.
    public static func parseInputShape(_ text: String) throws(ParseError) -> [Int] {
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.hasPrefix("("), !trimmed.contains("Input") { trimmed = "(\(trimmed),)" }
        let parser = PythonParser(tokens: try PythonLexer.tokenize(trimmed))
        var reader = ModelReader(parser: parser)
        let expr = try reader.parser.expression()
        let value = try reader.evaluate(expr)
        if case .tensor(let node) = value, case .input(let shape, _, _, _) = reader.nodes[node].kind { return shape }
        return try LayerCall.shape(reader.plain(value, at: expr.location), at: expr.location)
    }
}

/// One parsed layer call: a layer, or the model's input.
enum ParsedLayer {
    case layer(LayerSpec, inputShape: [Int]?)
    case input([Int], name: String?, SourceLocation, batch: Int?)
}

/// A layer call's argument after evaluation.
struct EvaluatedArgument {
    var keyword: String?
    var keywordLocation: SourceLocation?
    var value: PythonValue
    var location: SourceLocation
}

/// Builds layer specs from evaluated calls, with Keras' argument rules.
enum LayerCall {
    static let layerPrefixes: [[String]] = [[], ["layers"], ["keras", "layers"], ["tf", "keras", "layers"],
                                            ["tensorflow", "keras", "layers"], ["keras", "src", "layers"]]
    static let inputPrefixes: [[String]] = layerPrefixes + [["keras"], ["tf", "keras"], ["tensorflow", "keras"]]
    static let sequentialPrefixes: [[String]] = [[], ["keras"], ["keras", "models"], ["models"], ["tf", "keras"],
                                                 ["tf", "keras", "models"], ["tensorflow", "keras"],
                                                 ["tensorflow", "keras", "models"]]

    // MARK: - Layers

    static func isLayerPath(_ path: [String]) -> Bool {
        guard let last = path.last else { return false }
        return LayerCatalog.signature(last) != nil || last == "Input" || last == "InputLayer"
    }

    /// Builds a layer spec (or the input) from a call of `path` with evaluated arguments.
    static func layer(path: [String], at pathLoc: SourceLocation, arguments args: [EvaluatedArgument]) throws(ParseError) -> ParsedLayer {
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
                keyLoc = arg.keywordLocation ?? arg.location
                if keyword == "input_shape", !accepted.contains(keyword) {
                    throw ParseError("\(typeName) takes no `input_shape` (Keras raises a TypeError: its __init__ has no "
                                     + "**kwargs); start the model with keras.Input(shape=...)", at: keyLoc)
                }
                guard accepted.contains(keyword) else {
                    let hint = Suggestion.closest(to: keyword, in: accepted).map { "; did you mean '\($0)'?" } ?? ""
                    throw ParseError("\(typeName) has no argument '\(keyword)'\(hint)", at: keyLoc)
                }
                key = keyword
            } else {
                keyLoc = arg.location
                if seenKeyword { throw ParseError("a positional argument can't follow a keyword argument", at: keyLoc) }
                guard i < positional.count else {
                    throw ParseError("\(typeName) takes at most \(positional.count) positional arguments", at: keyLoc)
                }
                key = positional[i]
            }
            if values[key] != nil { throw ParseError("\(typeName) got `\(key)` twice", at: keyLoc) }
            values[key] = (arg.value, arg.location)
        }
        let arguments = LayerArguments(typeName: typeName, callLocation: nameLoc, values: values)

        if isInput {
            let key = arguments.has("shape") ? "shape" : arguments.has("input_shape") ? "input_shape" : "batch_shape"
            guard let raw = values[key], raw.value != .none else {
                throw ParseError("\(typeName) is missing the required argument `shape`, e.g. shape=(224, 224, 3)", at: nameLoc)
            }
            var shape = try Self.shape(raw.value, at: raw.location, allowBatch: key == "batch_shape")
            var batch = arguments.has("batch_size") ? try arguments.int("batch_size") : nil
            if key == "batch_shape" { batch = shape.removeFirst(); if batch == 0 { batch = nil } }
            var name: String?
            if let raw = values["name"], case .string(let s) = raw.value, !s.isEmpty { name = s }
            return .input(shape, name: name, nameLoc, batch: batch)
        }

        var name: String?
        if let raw = values["name"], raw.value != .none {
            guard case .string(let s) = raw.value, !s.contains("/") else {
                throw ParseError("`name` must be a string and cannot contain the character `/`, got "
                                 + raw.value.pythonDescription, at: raw.location)
            }
            name = s
        }
        var inputShape: [Int]?
        if let raw = values["input_shape"], raw.value != .none {
            inputShape = try Self.shape(raw.value, at: raw.location)
        }
        let kind = try signature!.build(arguments)
        var spec = LayerSpec(kind, name: name, location: nameLoc, trainable: try arguments.bool("trainable", default: true))
        for arg in args {
            if let keyword = arg.keyword, signature!.ignored.contains(keyword), arg.value != .none {
                spec.extraArguments.append("\(keyword)=\(arg.value.pythonDescription)")
            }
        }
        return .layer(spec, inputShape: inputShape)
    }

    /// A shape tuple of positive sizes; `None` sizes are refused with a reason.
    static func shape(_ value: PythonValue, at loc: SourceLocation, allowBatch: Bool = false) throws(ParseError) -> [Int] {
        let items: [PythonValue]
        switch value {
        case .int(let n):
            // Keras can't convert a bare int to a shape.
            throw ParseError("a shape is a tuple: write (\(n),), not \(n)", at: loc)
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
