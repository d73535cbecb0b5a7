import Foundation
import Race

/// An image for the feature maps: pixels in 0…1, laid out height × width × channels.
public struct SampleImage: Hashable, Sendable {
    public var name: String
    public var width: Int
    public var height: Int
    public var channels: Int
    public var pixels: [Float]

    public init(name: String, width: Int, height: Int, channels: Int, pixels: [Float]) {
        self.name = name
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// A procedural scene: a gradient sky, a sun, a house with a window and a striped field.
    ///
    /// Edges in several directions and flat areas give the convolutions something to find.
    public static func procedural(width: Int = 64, height: Int = 64) -> SampleImage {
        var pixels = [Float](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let u = Float(x) / Float(max(1, width - 1)), v = Float(y) / Float(max(1, height - 1))
                var rgb: (Float, Float, Float) = (0.35 + 0.3 * v, 0.55 + 0.25 * v, 0.95 - 0.2 * v)
                if v > 0.7 {  // the field, with diagonal stripes
                    let stripe = Int((u + v) * 14) % 2 == 0
                    rgb = stripe ? (0.2, 0.6, 0.15) : (0.35, 0.75, 0.25)
                }
                let sun = (u - 0.78) * (u - 0.78) + (v - 0.2) * (v - 0.2)
                if sun < 0.012 { rgb = (1.0, 0.85, 0.2) }
                if u > 0.15, u < 0.55, v > 0.45, v < 0.8 { rgb = (0.8, 0.3, 0.2) }  // walls
                let roof = v > 0.2 && v <= 0.45 && abs(u - 0.35) < (v - 0.2) * 0.9
                if roof { rgb = (0.45, 0.2, 0.15) }
                if u > 0.24, u < 0.34, v > 0.52, v < 0.64 { rgb = (0.95, 0.95, 0.7) }  // window
                if u > 0.4, u < 0.48, v > 0.6, v < 0.8 { rgb = (0.3, 0.15, 0.05) }  // door
                let i = (y * width + x) * 3
                pixels[i] = rgb.0
                pixels[i + 1] = rgb.1
                pixels[i + 2] = rgb.2
            }
        }
        return SampleImage(name: "procedural scene", width: width, height: height, channels: 3, pixels: pixels)
    }

    /// This image resized (bilinear) to `width` × `height` with `channels` channels.
    ///
    /// One channel averages the colours; more channels than the image has repeat its last one.
    public func fitted(width w: Int, height h: Int, channels c: Int) -> SampleImage {
        guard w > 0, h > 0, c > 0, width > 0, height > 0 else {
            return SampleImage(name: name, width: max(0, w), height: max(0, h), channels: max(0, c), pixels: [])
        }
        var out = [Float](repeating: 0, count: w * h * c)
        for y in 0..<h {
            let sy = (Float(y) + 0.5) * Float(height) / Float(h) - 0.5
            let y0 = max(0, min(height - 1, Int(sy.rounded(.down)))), y1 = min(height - 1, y0 + 1)
            let fy = max(0, min(1, sy - Float(y0)))
            for x in 0..<w {
                let sx = (Float(x) + 0.5) * Float(width) / Float(w) - 0.5
                let x0 = max(0, min(width - 1, Int(sx.rounded(.down)))), x1 = min(width - 1, x0 + 1)
                let fx = max(0, min(1, sx - Float(x0)))
                func at(_ yy: Int, _ xx: Int, _ ch: Int) -> Float {
                    if c == 1 && channels > 1 {
                        var s: Float = 0
                        for k in 0..<channels { s += pixels[(yy * width + xx) * channels + k] }
                        return s / Float(channels)
                    }
                    return pixels[(yy * width + xx) * channels + min(ch, channels - 1)]
                }
                for ch in 0..<c {
                    let top = at(y0, x0, ch) * (1 - fx) + at(y0, x1, ch) * fx
                    let bottom = at(y1, x0, ch) * (1 - fx) + at(y1, x1, ch) * fx
                    out[(y * w + x) * c + ch] = top * (1 - fy) + bottom * fy
                }
            }
        }
        return SampleImage(name: name, width: w, height: h, channels: c, pixels: out)
    }

    // MARK: - PGM / PPM

    /// Reads a binary or ASCII PGM (P2/P5) or PPM (P3/P6) file's bytes (the race's reader).
    public static func netpbm(_ data: [UInt8], name: String) throws(LoadError) -> SampleImage {
        do {
            let image = try NetpbmImage.decode(data, name: name)
            return SampleImage(name: name, width: image.width, height: image.height, channels: image.channels,
                               pixels: image.pixels)
        } catch {
            throw LoadError(error.description)
        }
    }
}
