import CNNModel

/// What a query or template computes: a number, a shape or a word.
public enum LessonValue: Sendable, Hashable, CustomStringConvertible {
    case number(Double)
    case shape([Int])
    case text(String)

    /// The default rendering: integers grouped (`11,574,090`), decimals
    /// trimmed, shapes as tuples (`(7, 7, 32)`).
    public var description: String {
        switch self {
        case .number(let x): return NumberFormat.plain(x)
        case .shape(let s): return ShapeFormat.tuple(s)
        case .text(let t): return t
        }
    }

    /// The kind, for error messages.
    var kindName: String {
        switch self {
        case .number: "a number"
        case .shape: "a shape"
        case .text: "a word"
        }
    }
}

/// Number formatting shared by templates, quizzes and transcripts.
public enum NumberFormat {
    /// `11574090` → `11,574,090`; `99.4123` → `99.41`.
    public static func plain(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "∞" : "-∞" }
        if x == x.rounded(), abs(x) < 1e15 { return grouped(Int(x)) }
        return fixed(x, decimals: 2).replacingTrailingZeros()
    }

    /// Groups thousands with commas, as Keras' summary prints them.
    public static func grouped(_ n: Int) -> String { KerasFormat.grouped(n) }

    /// A fixed number of decimals with thousands grouped: `1,234.50`.
    public static func fixed(_ x: Double, decimals: Int) -> String {
        KerasFormat.fixed(x, decimals: decimals, grouping: true)
    }
}

extension String {
    /// `12.50` → `12.5`, `3.00` → `3`.
    func replacingTrailingZeros() -> String {
        guard contains(".") else { return self }
        var s = self
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
