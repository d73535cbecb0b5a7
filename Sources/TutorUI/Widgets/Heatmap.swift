/// A 2-D map of values drawn as coloured half blocks, shades or ASCII.
///
/// With 256 colours and UTF-8 each cell shows two pixels stacked: `▀` with the
/// upper pixel in the foreground and the lower one in the background. Without
/// them each cell shows one pixel from the shade ramp ` ░▒▓█` (UTF-8) or the
/// ASCII ramp ` .:-=+*#%@`.
public enum Heatmap {
    /// Dark to bright, a magma-like ramp in the 256-colour palette.
    public static let palette256: [UInt8] = [16, 17, 18, 54, 55, 91, 127, 163, 199, 204, 209, 215, 221, 227, 228, 230, 231]
    public static let shades: [Character] = [" ", "░", "▒", "▓", "█"]
    public static let asciiRamp: [Character] = [" ", ".", ":", "-", "=", "+", "*", "#", "%", "@"]

    /// Pixels per cell vertically for these capabilities (2 for half blocks, else 1).
    public static func pixelsPerCell(_ caps: Capabilities) -> Int {
        caps.colors == .full256 && caps.unicode ? 2 : 1
    }

    /// Draws `values` (`rows` × `cols`, row-major) scaled to fill `rect`.
    ///
    /// - Parameter range: the values mapped to dark and bright; defaults to the map's own min and max.
    public static func draw(_ values: [Float], rows: Int, cols: Int, in rect: Rect, range: ClosedRange<Float>? = nil,
                            caps: Capabilities, into buffer: inout ScreenBuffer) {
        guard rows > 0, cols > 0, values.count >= rows * cols, !rect.isEmpty else { return }
        let r = range ?? bounds(values)
        let span = r.upperBound - r.lowerBound
        let perCell = pixelsPerCell(caps)
        let pixelRows = rect.height * perCell
        func level(_ v: Float) -> Float {
            guard span > 0, v.isFinite else { return 0 }
            return min(1, max(0, (v - r.lowerBound) / span))
        }
        // Area average over the source pixels each target pixel covers.
        func sample(_ px: Int, _ py: Int) -> Float {
            let x0 = px * cols / rect.width, x1 = max(x0 + 1, (px + 1) * cols / rect.width)
            let y0 = py * rows / pixelRows, y1 = max(y0 + 1, (py + 1) * rows / pixelRows)
            var sum: Float = 0
            for y in y0..<min(y1, rows) { for x in x0..<min(x1, cols) { sum += values[y * cols + x] } }
            return sum / Float((min(y1, rows) - y0) * (min(x1, cols) - x0))
        }
        for cy in 0..<rect.height {
            for cx in 0..<rect.width {
                let cell: Cell
                if perCell == 2 {
                    let top = color(level(sample(cx, cy * 2)))
                    let bottom = color(level(sample(cx, cy * 2 + 1)))
                    cell = Cell("▀", CellStyle(fg: .index(top), bg: .index(bottom)))
                } else {
                    let l = level(sample(cx, cy))
                    let ramp = caps.unicode ? shades : asciiRamp
                    cell = Cell(ramp[min(ramp.count - 1, Int(l * Float(ramp.count - 1) + 0.5))])
                }
                buffer[rect.x + cx, rect.y + cy] = cell
            }
        }
    }

    /// The palette index for a level in 0…1.
    public static func color(_ level: Float) -> UInt8 {
        palette256[min(palette256.count - 1, max(0, Int(level * Float(palette256.count - 1) + 0.5)))]
    }

    /// The smallest and largest finite value (0…0 when there are none).
    public static func bounds(_ values: [Float]) -> ClosedRange<Float> {
        var lo = Float.infinity, hi = -Float.infinity
        for v in values where v.isFinite { lo = min(lo, v); hi = max(hi, v) }
        return lo <= hi ? lo...hi : 0...0
    }

    /// One row of values as a strip of cells: colour blocks, shades or ASCII.
    public static func strip(_ values: [Float], range: ClosedRange<Float>, caps: Capabilities) -> [Cell] {
        let span = range.upperBound - range.lowerBound
        return values.map { v in
            let l: Float = span > 0 && v.isFinite ? min(1, max(0, (v - range.lowerBound) / span)) : 0
            if caps.colors == .full256 && caps.unicode {
                return Cell("█", CellStyle(fg: .index(color(l))))
            }
            let ramp = caps.unicode ? shades : asciiRamp
            return Cell(ramp[min(ramp.count - 1, Int(l * Float(ramp.count - 1) + 0.5))])
        }
    }
}
