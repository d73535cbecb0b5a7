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
                let value = ink * coverage + noise * rng.normal()
                pixels[row * width + col] = Float(min(max(value, 0), 1))
            }
        }
        return pixels
    }
}
