import Foundation

/// A line plot of one or more series, in braille dots or ASCII marks.
///
/// Each cell holds 2×4 braille dots in UTF-8; in ASCII each cell is one
/// point, marked with the series' own character.
public struct Plot {
    /// One line of the plot.
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var mark: Character
        public init(name: String, points: [(x: Double, y: Double)], mark: Character) {
            self.name = name
            self.points = points
            self.mark = mark
        }
    }

    public var series: [Series]
    public var xRange: ClosedRange<Double>
    public var yRange: ClosedRange<Double>
    /// Plot y on a log10 scale (values must be positive).
    public var logY: Bool
    /// An x value to mark with a vertical line of dots (the current input size).
    public var marker: Double?

    public init(series: [Series], xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, logY: Bool, marker: Double? = nil) {
        self.series = series
        self.xRange = xRange
        self.yRange = yRange
        self.logY = logY
        self.marker = marker
    }

    /// Draws the plot area into `rect` (no axes; callers label them).
    public func draw(in rect: Rect, theme: Theme, into buffer: inout ScreenBuffer) {
        guard !rect.isEmpty else { return }
        let unicode = theme.caps.unicode
        let dotsX = rect.width * (unicode ? 2 : 1), dotsY = rect.height * (unicode ? 4 : 1)
        var bits = Array(repeating: UInt8(0), count: rect.width * rect.height)
        var owner = Array(repeating: -1, count: rect.width * rect.height)
        let y0 = logY ? log10(max(yRange.lowerBound, 1e-12)) : yRange.lowerBound
        let y1 = logY ? log10(max(yRange.upperBound, 1e-12)) : yRange.upperBound
        func dot(_ v: (x: Double, y: Double)) -> (Int, Int)? {
            guard v.y.isFinite, !logY || v.y > 0 else { return nil }
            let yv = logY ? log10(v.y) : v.y
            let fx = (v.x - xRange.lowerBound) / max(1e-12, xRange.upperBound - xRange.lowerBound)
            let fy = (yv - y0) / max(1e-12, y1 - y0)
            let px = Int((fx * Double(dotsX - 1)).rounded())
            let py = dotsY - 1 - Int((fy * Double(dotsY - 1)).rounded())
            return (min(dotsX - 1, max(0, px)), min(dotsY - 1, max(0, py)))
        }
        func set(_ px: Int, _ py: Int, _ s: Int) {
            let cx = unicode ? px / 2 : px, cy = unicode ? py / 4 : py
            let i = cy * rect.width + cx
            guard i >= 0, i < bits.count else { return }
            if unicode { bits[i] |= Plot.brailleBit(px % 2, py % 4) }
            owner[i] = s
        }
        if let marker, let (mx, _) = dot((marker, logY ? pow(10, y0) : y0)) {
            for py in stride(from: 0, to: dotsY, by: 2) { set(mx, py, -2) }
        }
        for (s, series) in series.enumerated() {
            var last: (Int, Int)?
            for p in series.points {
                guard let d = dot(p) else { last = nil; continue }
                if let l = last { Plot.line(from: l, to: d) { set($0, $1, s) } } else { set(d.0, d.1, s) }
                last = d
            }
        }
        for cy in 0..<rect.height {
            for cx in 0..<rect.width {
                let i = cy * rect.width + cx
                let o = owner[i]
                guard o != -1 else { continue }
                let style = o >= 0 ? theme.series(o) : theme.muted
                let ch: Character
                if unicode { ch = Character(Unicode.Scalar(0x2800 + UInt32(bits[i]))!) }
                else { ch = o >= 0 ? series[o].mark : ":" }
                buffer[rect.x + cx, rect.y + cy] = Cell(ch, style)
            }
        }
    }

    /// The braille bit for dot column `dx` (0–1) and row `dy` (0–3).
    static func brailleBit(_ dx: Int, _ dy: Int) -> UInt8 {
        let table: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
        return table[dy][dx]
    }

    /// Bresenham's line between two dots.
    static func line(from a: (Int, Int), to b: (Int, Int), _ plot: (Int, Int) -> Void) {
        var (x, y) = a
        let dx = abs(b.0 - x), dy = -abs(b.1 - y)
        let sx = x < b.0 ? 1 : -1, sy = y < b.1 ? 1 : -1
        var err = dx + dy
        while true {
            plot(x, y)
            if x == b.0 && y == b.1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }
}
