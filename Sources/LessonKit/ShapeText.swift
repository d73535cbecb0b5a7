/// Reads shapes the way people type them: `(None, 222, 222, 32)`, `222, 222, 32`, `222x222x32`.
public enum ShapeText {
    /// The sizes, without a leading `None` batch axis; nil if the text isn't a shape.
    public static func parse(_ text: String) -> [Int]? {
        var s = text.trimmingSpaces()
        if s.hasPrefix("("), s.hasSuffix(")") { s = String(s.dropFirst().dropLast()) }
        else if s.hasPrefix("["), s.hasSuffix("]") { s = String(s.dropFirst().dropLast()) }
        let separators: Set<Character> = [",", "x", "X", "×", " ", "*"]
        let parts = s.split(whereSeparator: { separators.contains($0) }).map(String.init)
        guard !parts.isEmpty else { return nil }
        var dims = parts
        if dims.first == "None" || dims.first == "none" || dims.first == "?" { dims.removeFirst() }
        var out: [Int] = []
        for d in dims {
            guard let n = Int(d), n >= 0 else { return nil }
            out.append(n)
        }
        return out.isEmpty ? nil : out
    }

    /// True if the text looks like a shape rather than a single number.
    public static func looksLikeShape(_ text: String) -> Bool {
        let t = text.trimmingSpaces()
        return t.hasPrefix("(") || t.hasPrefix("[") || t.contains("x") || t.contains("×")
            || (t.contains(",") && !NumberText.isGroupedNumber(t))
    }
}

/// Reads numbers the way people type them: `11,574,090`, `11574090`, `66_602`, `15.2M`, `100k`.
public enum NumberText {
    public static func parse(_ text: String) -> Double? {
        var t = text.trimmingSpaces().replacingAll(",", "").replacingAll("_", "").replacingAll(" ", "")
        var scale = 1.0
        if let last = t.last, let s = ["k": 1e3, "K": 1e3, "M": 1e6, "m": 1e6, "G": 1e9][last] {
            scale = s
            t.removeLast()
        }
        if t.hasSuffix("%") { t.removeLast() }
        guard let x = Double(t) else { return nil }
        return x * scale
    }

    /// Arithmetic on numbers alone, as a learner types it: `53*53*64`, `53 × 53 × 64`, `(3*3*3 + 1) * 32`.
    ///
    /// Nil when the text is a plain number (``parse(_:)`` reads those) or anything but numbers and `+ - * / ( )`.
    public static func arithmetic(_ text: String) -> Double? {
        let t = text.trimmingSpaces()
        guard t.contains(where: { "*×/+".contains($0) }) || t.dropFirst().contains("-") else { return nil }
        guard t.allSatisfy({ $0.isNumber || " .,_*×/+-()".contains($0) }) else { return nil }
        let written = t.replacingAll("×", "*")
        guard let expression = try? LessonExpression.parse(written), expression.isArithmetic,
              case .number(let x)? = try? expression.evaluate(in: LessonState()) else { return nil }
        return x
    }

    /// `11,574,090` (digit groups of three) rather than a tuple like `7,7,32`.
    static func isGroupedNumber(_ text: String) -> Bool {
        let groups = text.split(separator: ",", omittingEmptySubsequences: false)
        guard groups.count > 1, let first = groups.first, (1...3).contains(first.count), first.allSatisfy(\.isNumber) else { return false }
        return groups.dropFirst().allSatisfy { $0.count == 3 && $0.allSatisfy(\.isNumber) }
    }
}

extension String {
    func replacingAll(_ target: Character, _ replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
