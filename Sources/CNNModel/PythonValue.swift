import Foundation

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
    /// A library call kept as Keras code, such as `keras.regularizers.l2(0.01)`.
    case call(String)

    /// `a op b` as Python computes it on numbers, strings and tuples.
    static func binary(_ op: String, _ a: PythonValue, _ b: PythonValue, at loc: SourceLocation) throws(ParseError) -> PythonValue {
        switch (a, b) {
        case (.int(let x), .int(let y)):
            let result: (Int, Bool)
            switch op {
            case "+": result = x.addingReportingOverflow(y)
            case "-": result = x.subtractingReportingOverflow(y)
            case "*": result = x.multipliedReportingOverflow(by: y)
            case "//" where y != 0: result = (CheckedMath.floorDiv(x, y), false)
            case "%" where y != 0: result = (x - CheckedMath.floorDiv(x, y) * y, false)
            case "/" where y != 0: return .float(Double(x) / Double(y))
            case "**" where y >= 0:
                var r = (1, false)
                for _ in 0..<min(y, 64) where !r.1 { r = r.0.multipliedReportingOverflow(by: x) }
                if y > 64, abs(x) > 1 { r.1 = true }
                result = r
            case "**": return .float(pow(Double(x), Double(y)))
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
            case "//" where y != 0: return .float((x / y).rounded(.down))
            case "**": return .float(pow(x, y))
            default: break
            }
        case (.string(let x), .string(let y)) where op == "+": return .string(x + y)
        case (.tuple(let x), .tuple(let y)) where op == "+": return .tuple(x + y)
        case (.tuple(let x), .int(let n)) where op == "*" && n >= 0 && x.count * n <= 10_000:
            return .tuple(Array(repeating: x, count: n).flatMap { $0 })
        case (.string(let x), .int(let n)) where op == "*" && n >= 0 && x.count * n <= 10_000:
            return .string(String(repeating: x, count: n))
        default: break
        }
        throw ParseError("can't compute \(a.pythonDescription) \(op) \(b.pythonDescription)", at: loc)
    }

    /// `a op b` for Python's comparisons.
    static func compare(_ op: String, _ a: PythonValue, _ b: PythonValue, at loc: SourceLocation) throws(ParseError) -> Bool {
        switch op {
        case "==", "is": return a == b || (a.number != nil && a.number == b.number)
        case "!=", "is not": return !(a == b || (a.number != nil && a.number == b.number))
        case "in", "not in":
            let found: Bool
            switch b {
            case .tuple(let items): found = items.contains(a)
            case .string(let text): if case .string(let part) = a { found = text.contains(part) } else { fallthrough }
            default: throw ParseError("can't look for \(a.pythonDescription) in \(b.pythonDescription)", at: loc)
            }
            return op == "in" ? found : !found
        default:
            let order: Bool
            if let x = a.number, let y = b.number {
                order = op == "<" ? x < y : op == ">" ? x > y : op == "<=" ? x <= y : x >= y
            } else if case .string(let x) = a, case .string(let y) = b {
                order = op == "<" ? x < y : op == ">" ? x > y : op == "<=" ? x <= y : x >= y
            } else {
                throw ParseError("can't compare \(a.pythonDescription) \(op) \(b.pythonDescription)", at: loc)
            }
            return order
        }
    }

    /// Python's truth value.
    var isTrue: Bool {
        switch self {
        case .int(let n): return n != 0
        case .float(let x): return x != 0
        case .string(let s): return !s.isEmpty
        case .bool(let b): return b
        case .none: return false
        case .tuple(let t): return !t.isEmpty
        case .reference, .call: return true
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
        case .call(let code): return code
        }
    }
}
