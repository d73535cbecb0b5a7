/// A horizontal bar for a fraction, in eighths of a cell where UTF-8 allows.
public enum Bar {
    private static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]

    /// The bar's text for `fraction` (clamped to 0…1) in `width` cells.
    ///
    /// A non-zero fraction always shows at least a sliver, so a layer with a
    /// few parameters is told apart from one with none.
    public static func text(_ fraction: Double, width: Int, unicode: Bool) -> String {
        guard width > 0 else { return "" }
        let f = fraction.isFinite ? min(1, max(0, fraction)) : 0
        if unicode {
            var units = Int((f * Double(width * 8)).rounded())
            if f > 0 && units == 0 { units = 1 }
            let full = units / 8, rest = units % 8
            var s = String(repeating: "█", count: full)
            if rest > 0 { s.append(eighths[rest - 1]) }
            return s
        } else {
            var units = Int((f * Double(width)).rounded())
            if f > 0 && units == 0 { return "." }
            units = min(units, width)
            return String(repeating: "#", count: units)
        }
    }
}
