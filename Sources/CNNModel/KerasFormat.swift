/// The one number and size formatting of the project: the summary table,
/// the app, the lessons and the experiment report all print through it.
///
/// It follows Keras' summary, which prints `11,574,090 (44.15 MB)`: commas
/// between thousands, and sizes in powers of 1024 labelled B, KB, MB, GB.
/// Nothing here depends on the locale.
public enum KerasFormat {
    /// `11574090` → `11,574,090`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude).utf8
        // Bytes, not Characters: every table row groups a count on every frame.
        var out: [UInt8] = n < 0 ? [45] : []  // 45 is "-"
        out.reserveCapacity(digits.count + digits.count / 3 + 1)
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(44) }  // 44 is ","
            out.append(c)
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Decimals

    /// A fixed number of decimals: `fixed(0.8734, decimals: 3)` → `0.873`;
    /// with `grouping`, thousands get commas (`1,234.5`).
    public static func fixed(_ x: Double, decimals: Int, grouping: Bool = false) -> String {
        guard x.isFinite else { return x.isNaN ? "NaN" : (x > 0 ? "∞" : "-∞") }
        let decimals = max(0, decimals)
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        // Past Int's range the digits are the float's own.
        guard scaled < 9e18 else { return String(x) }
        let units = Int(scaled), power = Int(scale)
        let whole = units / power, fraction = units % power
        // Appended in place: the table formats a few numbers a row on every frame.
        var text = x < 0 && units > 0 ? "-" : ""
        text += grouping ? grouped(whole) : String(whole)
        if decimals > 0 {
            let f = String(fraction)
            text += "."
            for _ in f.utf8.count..<max(decimals, f.utf8.count) { text += "0" }
            text += f
        }
        return text
    }

    /// A fraction as a percentage: `0.873` → `87.3%`.
    public static func percent(_ fraction: Double, decimals: Int = 1) -> String {
        fixed(fraction * 100, decimals: decimals) + "%"
    }

    /// A large count made short: `1.2G`, `340.5M`, `12.3K`, `999`.
    public static func short(_ n: Int) -> String {
        let x = Double(n)
        for (limit, suffix) in shortUnits where x >= limit {
            return fixed(x / limit, decimals: 1) + suffix
        }
        return String(n)
    }

    static let shortUnits: [(Double, String)] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "K")]

    // MARK: - Sizes

    static let byteUnits = ["B", "KB", "MB", "GB", "TB", "PB", "EB"]

    /// Bytes as Keras' summary prints them: `44.15 MB`, `768.00 B`.
    public static func bytes(_ n: Int) -> String {
        let (value, unit) = scaled(n)
        return fixed(value, decimals: 2) + " " + byteUnits[unit]
    }

    /// Bytes in a narrow cell, one decimal: `44.2 MB`, `768 B`.
    public static func shortBytes(_ n: Int) -> String {
        let (value, unit) = scaled(n)
        var text = unit == 0 ? String(n) : fixed(value, decimals: 1)
        text += " "
        text += byteUnits[unit]
        return text
    }

    /// Bytes in megabytes (1024 × 1024 bytes) whatever their size, one decimal: `44.2 MB`, `0.6 MB`.
    public static func megabytes(_ bytes: Double) -> String {
        fixed(bytes / 1_048_576, decimals: 1) + " MB"
    }

    /// `n` bytes as a value below 1024 and the index of its unit.
    static func scaled(_ n: Int) -> (value: Double, unit: Int) {
        var value = Double(n), unit = 0
        while value >= 1024, unit < byteUnits.count - 1 {
            value /= 1024
            unit += 1
        }
        return (value, unit)
    }
}
