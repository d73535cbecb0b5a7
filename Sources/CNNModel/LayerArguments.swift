/// A layer call's arguments, matched to the layer's signature and read with
/// Keras' conversions (an int or a tuple for sizes, case-insensitive padding, …).
struct LayerArguments {
    let typeName: String
    let callLocation: SourceLocation
    private(set) var values: [String: (value: PythonValue, location: SourceLocation)] = [:]

    init(typeName: String, callLocation: SourceLocation, values: [String: (value: PythonValue, location: SourceLocation)]) {
        self.typeName = typeName
        self.callLocation = callLocation
        self.values = values
    }

    func has(_ name: String) -> Bool {
        if let v = values[name] { return v.value != .none }
        return false
    }

    private func error(_ name: String, _ message: String) -> ParseError {
        ParseError("\(typeName): `\(name)` \(message)", at: values[name]?.location ?? callLocation)
    }

    func required(_ name: String) throws(ParseError) -> PythonValue {
        guard let v = values[name], v.value != .none else {
            throw ParseError("\(typeName) is missing the required argument `\(name)`", at: callLocation)
        }
        return v.value
    }

    func int(_ name: String, default value: Int? = nil, minimum: Int = 1) throws(ParseError) -> Int {
        let raw: PythonValue
        if let v = values[name], v.value != .none { raw = v.value } else if let value { return value } else {
            raw = try required(name)
        }
        var n: Int
        // As Keras: a float is refused even when whole (`Dense(10.0)`), since it would end up in a weight's shape.
        switch raw {
        case .int(let i): n = i
        case .tuple(let items) where items.count == 1:
            guard case .int(let i) = items[0] else { fallthrough }
            n = i
        default: throw error(name, "must be an integer, got \(raw.pythonDescription)")
        }
        if n < minimum {
            throw error(name, "must be \(minimum == 1 ? "a strictly positive" : "at least \(minimum)") integer, got \(n)")
        }
        return n
    }

    /// An int repeated `rank` times, or a tuple of `rank` ints (at least `minimum`).
    ///
    /// - Parameter wholeFloats: a whole float inside a tuple counts as its int (`pool_size=(2, 2.0)`), as Keras
    ///   takes it where the value never becomes a weight's shape (pool sizes, strides, dilation).
    func ints(_ name: String, rank: Int, default value: [Int]? = nil, minimum: Int = 1,
              wholeFloats: Bool = false) throws(ParseError) -> [Int] {
        let raw: PythonValue
        if let v = values[name], v.value != .none { raw = v.value } else if let value { return value } else {
            raw = try required(name)
        }
        switch raw {
        case .int(let n):
            if n < minimum { throw error(name, "must be at least \(minimum), got \(n)") }
            return Array(repeating: n, count: rank)
        case .tuple(let items):
            guard items.count == rank else {
                throw error(name, "must be an integer or a tuple of \(rank) integers, got \(raw.pythonDescription)")
            }
            var out: [Int] = []
            for item in items {
                var item = item
                if wholeFloats, case .float(let x) = item, x.rounded() == x, abs(x) < 1e15 { item = .int(Int(x)) }
                guard case .int(let n) = item, n >= minimum else {
                    throw error(name, "must hold integers of at least \(minimum), got \(raw.pythonDescription)")
                }
                out.append(n)
            }
            return out
        default:
            throw error(name, "must be an integer or a tuple of \(rank) integers, got \(raw.pythonDescription)")
        }
    }

    /// A number or a list of numbers (Normalization's mean and variance), nil when absent.
    func numbers(_ name: String) throws(ParseError) -> [Double]? {
        guard let v = values[name], v.value != .none else { return nil }
        if let x = v.value.number { return [x] }
        guard case .tuple(let items) = v.value, !items.isEmpty else {
            throw error(name, "must be a number or a list of numbers, got \(v.value.pythonDescription)")
        }
        var out: [Double] = []
        for item in items {
            guard let x = item.number else { throw error(name, "must hold numbers, got \(v.value.pythonDescription)") }
            out.append(x)
        }
        return out
    }

    func double(_ name: String, default value: Double) throws(ParseError) -> Double {
        guard let v = values[name], v.value != .none else { return value }
        guard let x = v.value.number else { throw error(name, "must be a number, got \(v.value.pythonDescription)") }
        return x
    }

    func optionalDouble(_ name: String) throws(ParseError) -> Double? {
        guard let v = values[name], v.value != .none else { return nil }
        guard let x = v.value.number else { throw error(name, "must be a number, got \(v.value.pythonDescription)") }
        return x
    }

    func optionalInt(_ name: String) throws(ParseError) -> Int? {
        has(name) ? try int(name, minimum: Int.min) : nil
    }

    func bool(_ name: String, default value: Bool) throws(ParseError) -> Bool {
        guard let v = values[name], v.value != .none else { return value }
        guard case .bool(let b) = v.value else { throw error(name, "must be True or False, got \(v.value.pythonDescription)") }
        return b
    }

    func padding(_ name: String = "padding", allowCausal: Bool = false) throws(ParseError) -> Padding {
        guard let v = values[name], v.value != .none else { return .valid }
        guard case .string(let s) = v.value, let p = Padding(rawValue: s.lowercased()), p != .causal || allowCausal else {
            let options = allowCausal ? "'valid', 'same' or 'causal'" : "'valid' or 'same'"
            throw error(name, "must be \(options), got \(v.value.pythonDescription)")
        }
        return p
    }

    func activation(_ name: String = "activation") throws(ParseError) -> Activation {
        guard let v = values[name] else { return .linear }
        let text: String
        switch v.value {
        case .none: return .linear
        // Keras matches activation names exactly: 'Relu' is refused.
        case .string(let s): text = s
        case .reference(let parts): text = parts.last!
        default: throw error(name, "must be an activation name such as 'relu', got \(v.value.pythonDescription)")
        }
        if let a = Activation(rawValue: text) { return a }
        let names = Activation.allCases.map(\.rawValue)
        let hint = Suggestion.closest(to: text, in: names).map { "; did you mean '\($0)'?" }
            ?? " (known: \(names.joined(separator: ", ")))"
        throw error(name, "names an unknown activation '\(text)'\(hint)")
    }

    /// An `axis` argument: an int or a list or tuple of ints, default -1.
    func axes(_ name: String = "axis") throws(ParseError) -> [Int] {
        guard let v = values[name], v.value != .none else { return [-1] }
        switch v.value {
        case .int(let n): return [n]
        case .tuple(let items) where !items.isEmpty:
            var out: [Int] = []
            for item in items {
                guard case .int(let n) = item else { throw error(name, "must hold integers, got \(v.value.pythonDescription)") }
                out.append(n)
            }
            return out
        default: throw error(name, "must be an integer or a tuple of integers, got \(v.value.pythonDescription)")
        }
    }

    /// Keras accepts only channels_last here; channels_first would need NCHW.
    func checkDataFormat() throws(ParseError) {
        guard let v = values["data_format"], v.value != .none else { return }
        guard v.value == .string("channels_last") else {
            throw error("data_format", "must be 'channels_last' (cnn-tutor works in channels_last, Keras' default)")
        }
    }
}
