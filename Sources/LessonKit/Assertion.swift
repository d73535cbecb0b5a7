import CNNModel
import Foundation

/// A claim about the model state: `total_params == 11,574,090`, `layer flatten output_shape == (1568,)`.
///
/// Written one per line in `expect` blocks and task goals, and inside
/// `{{… == …}}` templates.
public struct Assertion: Sendable, Hashable, CustomStringConvertible {
    public var lhs: LessonExpression
    /// `==`, `!=`, `<`, `<=`, `>`, `>=` or `≈`.
    public var op: String
    public var rhs: LessonExpression
    /// The allowed difference for `≈`; nil means "half a unit of the last digit written".
    public var tolerance: Double?
    /// The right side as written, for display (`15.2M`).
    public var rhsText: String
    public var text: String

    public var description: String { text }

    static let operators: Set<String> = ["==", "=", "!=", "<", "<=", ">", ">=", "≈", "~="]

    /// Parses `LHS OP RHS [± TOLERANCE]`.
    public static func parse(_ text: String) throws(LessonExpressionError) -> Assertion {
        let tokens = try LessonExpressionLexer.tokens(text)
        var depth = 0
        var split: Int?
        for (i, t) in tokens.enumerated() {
            if case .symbol(let s) = t {
                if s == "(" { depth += 1 } else if s == ")" { depth -= 1 }
                else if depth == 0, operators.contains(s) { split = i; break }
            }
        }
        guard let split, case .symbol(let written) = tokens[split] else {
            throw LessonExpressionError("expected a comparison such as 'total_params == 66,602' (operators: == != < <= > >= ≈)")
        }
        var op = written
        if op == "=" { op = "==" }
        if op == "~=" { op = "≈" }
        var rhsText = ""
        if let r = text.range(of: written) {
            rhsText = String(text[r.upperBound...])
            if let pm = rhsText.range(of: "±") ?? rhsText.range(of: "+-") { rhsText = String(rhsText[..<pm.lowerBound]) }
            rhsText = rhsText.trimmingSpaces()
        }
        var right = Array(tokens[(split + 1)...])
        var tolerance: Double?
        if let pm = right.firstIndex(where: { $0 == .symbol("±") || $0 == .symbol("+-") }) {
            let tolExpr = try LessonExpression.parse(tokens: Array(right[(pm + 1)...]))
            guard case .literal(.number(let t)) = tolExpr else { throw LessonExpressionError("the tolerance after ± must be a number") }
            tolerance = t
            right = Array(right[..<pm])
        }
        let lhs = try LessonExpression.parse(tokens: Array(tokens[..<split]))
        let rhs = try LessonExpression.parse(tokens: right, wordsAsText: true)
        if op == "≈", tolerance == nil, right.count == 1, case .number(_, let literal) = right[0] {
            tolerance = Self.halfUnit(of: literal)
        }
        return Assertion(lhs: lhs, op: op, rhs: rhs, tolerance: tolerance,
                         rhsText: rhsText, text: text.trimmingSpaces())
    }

    /// Half a unit of the last written digit: `15.2M` → 50,000; `99.4` → 0.05.
    static func halfUnit(of literal: String) -> Double {
        var unit = 1.0
        if let dot = literal.firstIndex(of: ".") {
            let decimals = literal[literal.index(after: dot)...].filter { $0.isNumber }.count
            for _ in 0..<decimals { unit /= 10 }
        }
        switch literal.last {
        case "k", "K": unit *= 1e3
        case "M": unit *= 1e6
        case "G": unit *= 1e9
        default: break
        }
        return unit / 2
    }

    /// The outcome of checking an assertion.
    public struct Outcome: Sendable, Hashable {
        public var passed: Bool
        public var actual: LessonValue
        public var expected: LessonValue
        /// `total_params is 66,602, expected < 50,000`.
        public var explanation: String
    }

    /// Evaluates both sides on the state and compares them.
    public func check(in state: LessonState) throws(LessonExpressionError) -> Outcome {
        let a = try lhs.evaluate(in: state)
        let b = try rhs.evaluate(in: state)
        let passed: Bool
        switch (a, b, op) {
        case (.number(let x), .number(let y), _):
            let tol = op == "≈" ? (tolerance ?? 0) : 1e-9 * max(1, abs(y))
            switch op {
            case "==", "≈": passed = abs(x - y) <= tol
            case "!=": passed = abs(x - y) > tol
            case "<": passed = x < y
            case "<=": passed = x <= y
            case ">": passed = x > y
            default: passed = x >= y
            }
        case (.shape, .shape, "=="), (.text, .text, "=="):
            passed = a == b
        case (.shape, .shape, "!="), (.text, .text, "!="):
            passed = a != b
        default:
            throw LessonExpressionError("can't compare \(a.kindName) (\(a)) with \(b.kindName) (\(b)) using '\(op)'")
        }
        let shownOp = op == "≈" ? "≈" : op
        let tol = (op == "≈" && tolerance != nil) ? " ± \(NumberFormat.plain(tolerance!))" : ""
        return Outcome(passed: passed, actual: a, expected: b,
                       explanation: "\(lhs.sourceText(default: text)) is \(a), expected \(shownOp) \(b)\(tol)")
    }
}

extension LessonExpression {
    /// A short name for messages; falls back to the whole assertion text.
    func sourceText(default fallback: String) -> String {
        switch self {
        case .query(let q, let saved): return (saved.map { "@\($0) " } ?? "") + q.sourceText
        default: return "the left side"
        }
    }
}

extension Query {
    var sourceText: String {
        if let (name, _) = Query.simple.first(where: { $0.value == self }) { return name }
        switch self {
        case .layer(let ref, let prop): return "layer \(ref) \(prop.rawValue)"
        case .count(let p): return "count \(p)"
        case .experiment(let head, let prop): return "experiment \(head.rawValue) \(prop.sourceText)"
        case .experimentSetting(let name): return "experiment \(name)"
        case .cell(let ref, let at): return "cell \(ref) " + at.map(String.init).joined(separator: " ")
        default: return "query"
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
