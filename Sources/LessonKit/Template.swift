import CNNModel

/// A `{{…}}` in prose: a number the engine computes, optionally checked against the text.
///
/// - `{{total_params}}` shows the computed value (`11,574,090`).
/// - `{{total_params == 11,574,090}}` shows `11,574,090` and fails validation
///   if the engine disagrees, so the file reads well on GitHub too.
/// - `{{@vgg_gap total_params ≈ 15.2M}}` shows `15.2M`, checked to the last digit written.
/// - `{{layer dense params / total_params | pct}}` formats the value (see ``TemplateFormat``).
public struct Template: Sendable, Hashable {
    public var expression: LessonExpression
    /// The claim written in the prose, checked by `lessons validate`.
    public var assertion: Assertion?
    public var format: TemplateFormat?
    public var source: String
    /// The file line, filled in by the lesson parser.
    public var line: Int?

    /// Parses the text between `{{` and `}}`.
    public static func parse(_ body: String) throws(LessonExpressionError) -> Template {
        var text = body
        var format: TemplateFormat?
        if let bar = text.lastIndex(of: "|") {
            let spec = String(text[text.index(after: bar)...]).trimmingSpaces()
            guard let f = TemplateFormat(rawValue: spec) ?? TemplateFormat.decimals(spec) else {
                throw LessonExpressionError("unknown format '\(spec)'; use one of \(TemplateFormat.names)")
            }
            format = f
            text = String(text[..<bar])
        }
        let tokens = try LessonExpressionLexer.tokens(text)
        let hasComparison = tokens.contains { if case .symbol(let s) = $0 { Assertion.operators.contains(s) } else { false } }
        if hasComparison {
            let assertion = try Assertion.parse(text)
            return Template(expression: assertion.lhs, assertion: assertion, format: format, source: body, line: nil)
        }
        return Template(expression: try LessonExpression.parse(tokens: tokens), assertion: nil, format: format, source: body, line: nil)
    }

    /// The text shown in place of the template.
    public func render(in state: LessonState) throws(LessonExpressionError) -> String {
        if let assertion, format == nil {
            let outcome = try assertion.check(in: state)
            guard outcome.passed else { throw LessonExpressionError(outcome.explanation) }
            return assertion.rhsText
        }
        let value = try expression.evaluate(in: state)
        if let assertion {
            let outcome = try assertion.check(in: state)
            guard outcome.passed else { throw LessonExpressionError(outcome.explanation) }
        }
        return (format ?? .auto).render(value)
    }
}

extension Template {
    /// The text a screen shows: the rendered template, else the computed value, else `?`.
    public func shownText(in state: LessonState) -> String {
        if let text = try? render(in: state) { return text }
        if let value = try? expression.evaluate(in: state) { return (format ?? .auto).render(value) }
        return "?"
    }
}

/// How a template shows its value.
public enum TemplateFormat: Sendable, Hashable {
    /// Integers grouped, decimals trimmed, shapes as tuples.
    case auto
    /// Digits with no grouping: `11574090`.
    case raw
    /// Millions with one decimal: `15.2M`.
    case millions
    /// Thousands with one decimal: `66.6k`.
    case thousands
    /// Bytes as megabytes of 1024 × 1024 bytes, as Keras counts them, with one decimal: `44.2 MB`.
    case megabytes
    /// A fraction as a percentage with one decimal: `99.4%`.
    case percent
    /// A shape with the batch axis: `(None, 7, 7, 32)`.
    case keras
    /// A fixed number of decimals (`.2f`).
    case fixed(Int)

    static let names = "raw, M, k, MB, pct, keras, .Nf"

    init?(rawValue: String) {
        switch rawValue {
        case "auto", "": self = .auto
        case "raw": self = .raw
        case "M": self = .millions
        case "k": self = .thousands
        case "MB": self = .megabytes
        case "pct", "%": self = .percent
        case "keras": self = .keras
        default: return nil
        }
    }

    static func decimals(_ spec: String) -> TemplateFormat? {
        guard spec.hasPrefix("."), spec.hasSuffix("f"), let n = Int(spec.dropFirst().dropLast()), n >= 0, n < 10 else { return nil }
        return .fixed(n)
    }

    func render(_ value: LessonValue) -> String {
        switch (self, value) {
        case (.raw, .number(let x)): return x == x.rounded() ? String(Int(x)) : String(x)
        case (.millions, .number(let x)): return NumberFormat.fixed(x / 1e6, decimals: 1) + "M"
        case (.thousands, .number(let x)): return NumberFormat.fixed(x / 1e3, decimals: 1) + "k"
        case (.megabytes, .number(let x)): return KerasFormat.megabytes(x)
        case (.percent, .number(let x)): return NumberFormat.fixed(x * 100, decimals: 1) + "%"
        case (.fixed(let n), .number(let x)): return NumberFormat.fixed(x, decimals: n)
        case (.keras, .shape(let s)): return "(" + (["None"] + s.map(String.init)).joined(separator: ", ") + ")"
        default: return value.description
        }
    }
}
