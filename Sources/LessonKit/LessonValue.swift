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

    /// A fixed number of decimals, without Foundation's locale.
    public static func fixed(_ x: Double, decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<max(0, decimals) { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        let whole = Int(scaled / scale)
        let frac = Int(scaled - Double(whole) * scale)
        var text = grouped(whole)
        if decimals > 0 {
            let f = String(frac)
            text += "." + String(repeating: "0", count: decimals - f.count) + f
        }
        return (x < 0 && scaled != 0 ? "-" : "") + text
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
