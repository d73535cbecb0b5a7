/// Number and size formatting shared by the summary table, the app and lessons.
public enum KerasFormat {
    /// `11574090` → `11,574,090`.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// Bytes as Keras prints them: `44.15 MB`, `768.00 B`.
    public static func bytes(_ n: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB", "PB", "EB"]
        var value = Double(n), unit = 0
        while value >= 1024, unit < units.count - 1 { value /= 1024; unit += 1 }
        return formatFixed(value, decimals: 2) + " " + units[unit]
    }

    /// A large count made short: `1.2G`, `340.5M`, `12.3K`, `999`.
    public static func short(_ n: Int) -> String {
        let x = Double(n)
        for (limit, suffix) in [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "K")] where x >= limit {
            return formatFixed(x / limit, decimals: 1) + suffix
        }
        return String(n)
    }

    /// A fixed-point decimal without Foundation's locale-dependent formatting.
    public static func formatFixed(_ x: Double, decimals: Int) -> String {
        guard x.isFinite else { return String(x) }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        guard scaled < 9e18 else { return String(x) }
        let whole = Int(scaled) / Int(scale), frac = Int(scaled) % Int(scale)
        var text = String(whole)
        if decimals > 0 {
            let f = String(frac)
            text += "." + String(repeating: "0", count: decimals - f.count) + f
        }
        return (x < 0 && scaled > 0 ? "-" : "") + text
    }
}
