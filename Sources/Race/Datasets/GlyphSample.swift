import CNNCompute
import Foundation

/// How one image of the dataset was drawn: which glyph, where, how big, and
/// how noisy. Rendering it again gives the same pixels.
public struct GlyphSample: Sendable, Equatable, Codable {
    public var glyph: Glyph
    /// The glyph's centre in pixels from the top-left corner (x right, y down).
    public var x: Double
    public var y: Double
    /// The half-size in pixels.
    public var r: Double
    /// The line width in pixels (outlines and lines).
    public var stroke: Double
    /// The rotation in radians.
    public var angle: Double
    /// The glyph's brightness in (0, 1].
    public var ink: Double
    /// The standard deviation of the Gaussian pixel noise.
    public var noise: Double
    /// The seed of this image's noise.
    public var noiseSeed: UInt64
    /// Distractors drawn under the glyph: short strokes and dots that belong to no class.
    public var clutter: [ClutterMark] = []

    public init(glyph: Glyph, x: Double, y: Double, r: Double, stroke: Double, angle: Double, ink: Double,
                noise: Double, noiseSeed: UInt64, clutter: [ClutterMark] = []) {
        self.glyph = glyph
        self.x = x
        self.y = y
        self.r = r
        self.stroke = stroke
        self.angle = angle
        self.ink = ink
        self.noise = noise
        self.noiseSeed = noiseSeed
        self.clutter = clutter
    }

    public var label: Int { glyph.rawValue }

    // MARK: - Rendering

    /// The grayscale pixels, row-major, in [0, 1], on a `height`×`width` canvas.
    public func render(height: Int, width: Int) -> [Float] {
        var pixels = [Float](repeating: 0, count: height * width)
        var rng = DatasetRandom(seed: noiseSeed, stream: 7)
        let c = Foundation.cos(-angle), s = Foundation.sin(-angle)
        for row in 0..<height {
            for col in 0..<width {
                let dx = Double(col) + 0.5 - x, dy = Double(row) + 0.5 - y
                let u = c * dx - s * dy, v = s * dx + c * dy
                let d = glyph.distance(x: u, y: v, r: r, stroke: stroke)
                // A one-pixel linear ramp across the edge: cheap anti-aliasing.
                let coverage = min(max(0.5 - d, 0), 1)
                var value = ink * coverage
                for mark in clutter {
                    let m = mark.ink * min(max(0.5 - mark.distance(x: Double(col) + 0.5, y: Double(row) + 0.5), 0), 1)
                    value = max(value, m)
                }
                value += noise * rng.normal()
                pixels[row * width + col] = Float(min(max(value, 0), 1))
            }
        }
        return pixels
    }
}

/// A distractor in a synthetic image: a short stroke (a dot when its ends meet).
public struct ClutterMark: Sendable, Equatable, Codable {
    public var x0: Double
    public var y0: Double
    public var x1: Double
    public var y1: Double
    /// The stroke's width in pixels.
    public var width: Double
    /// Its brightness, dimmer than the glyphs'.
    public var ink: Double

    public init(x0: Double, y0: Double, x1: Double, y1: Double, width: Double, ink: Double) {
        self.x0 = x0
        self.y0 = y0
        self.x1 = x1
        self.y1 = y1
        self.width = width
        self.ink = ink
    }

    /// The signed distance in pixels from (x, y) to the stroke.
    func distance(x: Double, y: Double) -> Double {
        let px = x - x0, py = y - y0, dx = x1 - x0, dy = y1 - y0
        let len = dx * dx + dy * dy
        let t = len > 0 ? min(max((px * dx + py * dy) / len, 0), 1) : 0
        let ex = px - t * dx, ey = py - t * dy
        return (ex * ex + ey * ey).squareRoot() - width / 2
    }
}
