import CNNCompute
import Race

/// An expression over the model state: `total_params`, `layer dense params / total_params * 100`.
///
/// The same language is used by `expect` lines, quiz `check:` fields, task
/// goals and `{{…}}` templates. See `Lessons/README.md` for the vocabulary.
public indirect enum LessonExpression: Sendable, Hashable {
    case literal(LessonValue)
    /// A query on the current model, or on a saved one (`@vgg16 total_params`).
    case query(Query, saved: String?)
    case binary(String, LessonExpression, LessonExpression)
    case negate(LessonExpression)
    case tuple([LessonExpression])
    /// `product SHAPE`: the number of values in a shape.
    case product(LessonExpression)
}

/// A fact the engine computes about a model.
public enum Query: Sendable, Hashable {
    case totalParams, trainableParams, nonTrainableParams, multAdds, activationBytes
    case inputShape, outputShape, layerCount, lastLayerType, largestLayer
    /// Convolution layers of every kind (Conv, DepthwiseConv, SeparableConv).
    case convolutions
    /// `yes` when the model ends in global pooling, then only Dropout or Activation layers, then its last Dense.
    case pooledHead
    case layer(LayerRef, LayerProperty)
    /// Layers whose Keras type name starts with the prefix (`count Global`).
    case count(String)
    /// A number from the seeded experiment run (`experiment gap test_accuracy`).
    case experiment(ExperimentHead, ExperimentProperty)
    /// A setting of the seeded experiment run (`experiment epochs`).
    case experimentSetting(String)
    /// One value of a layer's output as the feature maps compute it (`cell conv2d 0 0 5`:
    /// row, column, channel; `cell flatten 142`: an index of a vector).
    case cell(LayerRef, [Int])

    static let simple: [String: Query] = [
        "total_params": .totalParams, "trainable_params": .trainableParams,
        "non_trainable_params": .nonTrainableParams, "mult_adds": .multAdds,
        "activation_bytes": .activationBytes, "input_shape": .inputShape,
        "output_shape": .outputShape, "layer_count": .layerCount,
        "last_layer_type": .lastLayerType, "largest_layer": .largestLayer,
        "convolutions": .convolutions, "pooled_head": .pooledHead,
    ]
}

/// A layer by Keras name (`conv2d_1`) or by 0-based index (`-1` is the last).
public enum LayerRef: Sendable, Hashable, CustomStringConvertible {
    case name(String)
    case index(Int)
    public var description: String {
        switch self {
        case .name(let n): n
        case .index(let i): String(i)
        }
    }
}

/// What to read from one layer's summary row.
public enum LayerProperty: String, Sendable, Hashable, CaseIterable {
    case params, trainable_params, non_trainable_params
    case output_shape, input_shape, output_size, input_size
    case height, width, channels
    case type, name, mult_adds, output_bytes, receptive_field
    /// The distance in input pixels between two neighbouring positions of the layer's output (the effective stride).
    case stride
    /// The activation a Conv, Dense, Activation, ReLU or Softmax layer applies (`softmax`); `none` for other layers.
    case activation
}

extension LessonExpression {
    /// True when the expression holds numbers and `+ - * /` alone, no query.
    var isArithmetic: Bool {
        switch self {
        case .literal(.number): true
        case .binary(_, let l, let r): l.isArithmetic && r.isArithmetic
        case .negate(let e): e.isArithmetic
        default: false
        }
    }
}

// MARK: - Parsing

extension LessonExpression {
    /// Parses a whole expression.
    ///
    /// - Parameter wordsAsText: read an unknown bare word as text (for the
    ///   right side of `last_layer_type == Dense`).
    public static func parse(_ text: String, wordsAsText: Bool = false) throws(LessonExpressionError) -> LessonExpression {
        var parser = LessonExpressionParser(tokens: try LessonExpressionLexer.tokens(text), wordsAsText: wordsAsText)
        let expr = try parser.expression()
        if let extra = parser.peek { throw LessonExpressionError("unexpected '\(extra.text)' after the expression") }
        return expr
    }

    static func parse(tokens: [LessonExpressionToken], wordsAsText: Bool = false) throws(LessonExpressionError) -> LessonExpression {
        guard !tokens.isEmpty else { throw LessonExpressionError("empty expression") }
        var parser = LessonExpressionParser(tokens: tokens, wordsAsText: wordsAsText)
        let expr = try parser.expression()
        if let extra = parser.peek { throw LessonExpressionError("unexpected '\(extra.text)' after the expression") }
        return expr
    }
}

/// A recursive-descent parser: sums of products of factors.
struct LessonExpressionParser {
    var tokens: [LessonExpressionToken]
    var position = 0
    var wordsAsText: Bool

    init(tokens: [LessonExpressionToken], wordsAsText: Bool) {
        self.tokens = tokens
        self.wordsAsText = wordsAsText
    }

    var peek: LessonExpressionToken? { position < tokens.count ? tokens[position] : nil }

    mutating func next() -> LessonExpressionToken? {
        defer { position += 1 }
        return peek
    }

    mutating func expression() throws(LessonExpressionError) -> LessonExpression {
        var lhs = try term()
        while case .symbol(let s) = peek, s == "+" || s == "-" {
            position += 1
            lhs = .binary(s, lhs, try term())
        }
        return lhs
    }

    mutating func term() throws(LessonExpressionError) -> LessonExpression {
        var lhs = try factor()
        while case .symbol(let s) = peek, s == "*" || s == "/" {
            position += 1
            lhs = .binary(s, lhs, try factor())
        }
        return lhs
    }

    mutating func factor() throws(LessonExpressionError) -> LessonExpression {
        guard let token = next() else { throw LessonExpressionError("the expression ends too early") }
        switch token {
        case .number(let x, _):
            return .literal(.number(x))
        case .string(let s):
            return .literal(.text(s))
        case .symbol("-"):
            return .negate(try factor())
        case .symbol("("):
            var items = [try expression()]
            var sawComma = false
            while case .symbol(",") = peek {
                position += 1
                sawComma = true
                if case .symbol(")") = peek { break }
                items.append(try expression())
            }
            guard case .symbol(")") = next() else { throw LessonExpressionError("missing ')'") }
            if !sawComma, items.count == 1 { return items[0] }
            // `(None, 7, 7, 32)` is written with the batch axis; shapes never hold it.
            if case .literal(.text("None")) = items.first { items.removeFirst() }
            return .tuple(items)
        case .saved(let name):
            guard case .word(let w) = next() else { throw LessonExpressionError("'@\(name)' must be followed by a query such as total_params") }
            return .query(try query(w), saved: name)
        case .word("None"):
            return .literal(.text("None"))
        case .word("product"):
            return .product(try factor())
        case .word(let w):
            if wordsAsText, Query.simple[w] == nil, w != "layer", w != "count", w != "experiment", w != "cell" { return .literal(.text(w)) }
            return .query(try query(w), saved: nil)
        case .symbol(let s):
            throw LessonExpressionError("unexpected '\(s)'")
        }
    }

    mutating func query(_ word: String) throws(LessonExpressionError) -> Query {
        if let q = Query.simple[word] { return q }
        switch word {
        case "layer":
            let ref: LayerRef
            switch next() {
            case .word(let name)?: ref = .name(name)
            case .number(let x, _)?: ref = .index(Int(x))
            case .symbol("-")?:
                guard case .number(let x, _)? = next() else { throw LessonExpressionError("'layer -' needs an index such as -1") }
                ref = .index(-Int(x))
            default: throw LessonExpressionError("'layer' needs a layer name or index, as in 'layer conv2d params'")
            }
            guard case .word(let p)? = next() else {
                throw LessonExpressionError("'layer \(ref)' needs a property: \(LayerProperty.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let prop = LayerProperty(rawValue: p) else {
                throw LessonExpressionError("unknown layer property '\(p)'; use one of \(LayerProperty.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .layer(ref, prop)
        case "experiment":
            return try experimentQuery()
        case "count":
            guard case .word(let prefix)? = next() else { throw LessonExpressionError("'count' needs a layer type, as in 'count Flatten'") }
            return .count(prefix)
        case "cell":
            let ref: LayerRef
            switch next() {
            case .word(let name)?: ref = .name(name)
            case .number(let x, _)?: ref = .index(Int(x))
            default: throw LessonExpressionError("'cell' needs a layer name, as in 'cell conv2d 0 0 5' (row, column, channel)")
            }
            var at: [Int] = []
            while case .number(let x, _)? = peek, at.count < 3 {
                position += 1
                at.append(Int(x))
            }
            guard at.count == 1 || at.count == 3 else {
                throw LessonExpressionError("'cell \(ref)' needs a row, a column and a channel (or one index of a vector), as in 'cell conv2d 0 0 5'")
            }
            return .cell(ref, at)
        default:
            let known = Query.simple.keys.sorted() + ["layer NAME PROPERTY", "count TYPE", "product SHAPE", "experiment HEAD PROPERTY", "cell LAYER ROW COL CHANNEL"]
            throw LessonExpressionError("unknown query '\(word)'; known: \(known.joined(separator: ", "))")
        }
    }
}
