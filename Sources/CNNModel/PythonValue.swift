/// A Python literal after evaluation: what a layer argument can hold.
enum PythonValue: Equatable {
    case int(Int)
    case float(Double)
    case string(String)
    case bool(Bool)
    case none
    case tuple([PythonValue])
    /// A dotted name that is not a variable, such as `tf.nn.relu`.
    case reference([String])

    /// Evaluates literals, tuples, lists, variables and integer arithmetic.
    static func evaluate(_ expr: PythonExpression, variables: [String: PythonValue]) throws(ParseError) -> PythonValue {
        switch expr {
        case .int(let n, _): return .int(n)
        case .float(let x, _): return .float(x)
        case .string(let s, _): return .string(s)
        case .bool(let b, _): return .bool(b)
        case .none: return .none
        case .tuple(let items, _), .list(let items, _):
            var values: [PythonValue] = []
            for item in items { values.append(try evaluate(item, variables: variables)) }
            return .tuple(values)
        case .name(let parts, let loc):
            if parts.count == 1, let v = variables[parts[0]] { return v }
            if parts.count == 1 {
                throw ParseError("'\(parts[0])' is not defined; give a number, a string or a tuple", at: loc)
            }
            return .reference(parts)
        case .negate(let inner, let loc):
            switch try evaluate(inner, variables: variables) {
            case .int(let n): return .int(-n)
            case .float(let x): return .float(-x)
            default: throw ParseError("only a number can be negated", at: loc)
            }
        case .binary(let op, let lhs, let rhs, let loc):
            let a = try evaluate(lhs, variables: variables), b = try evaluate(rhs, variables: variables)
            switch (a, b) {
            case (.int(let x), .int(let y)):
                let result: (Int, Bool)
                switch op {
                case "+": result = x.addingReportingOverflow(y)
                case "-": result = x.subtractingReportingOverflow(y)
                case "*": result = x.multipliedReportingOverflow(by: y)
                case "//" where y != 0: result = (CheckedMath.floorDiv(x, y), false)
                case "/" where y != 0: return .float(Double(x) / Double(y))
                default: throw ParseError("can't compute \(x) \(op) \(y)", at: loc)
                }
                if result.1 { throw ParseError("\(x) \(op) \(y) overflows", at: loc) }
                return .int(result.0)
            case (.float, _), (_, .float):
                guard let x = a.number, let y = b.number else { break }
                switch op {
                case "+": return .float(x + y)
                case "-": return .float(x - y)
                case "*": return .float(x * y)
                case "/" where y != 0: return .float(x / y)
                default: break
                }
            default: break
            }
            throw ParseError("can't compute '\(op)' on these values", at: loc)
        case .call(_, _, let loc):
            throw ParseError("a call is not allowed here; give a number, a string or a tuple", at: loc)
        case .attribute(_, _, let loc), .dict(let loc):
            throw ParseError("expected a number, a string or a tuple", at: loc)
        }
    }

    var number: Double? {
        switch self {
        case .int(let n): return Double(n)
        case .float(let x): return x
        default: return nil
        }
    }

    /// How Python would print it, for error messages.
    var pythonDescription: String {
        switch self {
        case .int(let n): return String(n)
        case .float(let x): return String(x)
        case .string(let s): return "'\(s)'"
        case .bool(let b): return b ? "True" : "False"
        case .none: return "None"
        case .tuple(let items):
            return items.count == 1 ? "(\(items[0].pythonDescription),)"
                : "(" + items.map(\.pythonDescription).joined(separator: ", ") + ")"
        case .reference(let parts): return parts.joined(separator: ".")
        }
    }
}
