import CNNCompute
import Foundation

/// One of the ten shapes of the synthetic dataset; its raw value is the class label.
///
/// Each glyph is a signed distance function in pixels (negative inside), so
/// it renders anti-aliased at any position, size, stroke and small rotation.
public enum Glyph: Int, CaseIterable, Sendable, Codable {
    case disc, ring, square, frame, triangle, cross, plus, hbars, vbars, diamond

    /// The class name shown next to predictions.
    public var name: String {
        switch self {
        case .disc: "disc"
        case .ring: "ring"
        case .square: "square"
        case .frame: "frame"
        case .triangle: "triangle"
        case .cross: "cross"
        case .plus: "plus"
        case .hbars: "h-bars"
        case .vbars: "v-bars"
        case .diamond: "diamond"
        }
    }

    /// The class names in label order.
    public static var names: [String] { allCases.map(\.name) }

    // MARK: - Geometry

    /// The signed distance from (x, y) to the glyph, centred at the origin
    /// with half-size `r` and line width `stroke` (outlines and lines only).
    public func distance(x: Double, y: Double, r: Double, stroke: Double) -> Double {
        let half = stroke / 2
        switch self {
        case .disc:
            return (x * x + y * y).squareRoot() - r
        case .ring:
            return abs((x * x + y * y).squareRoot() - (r - half)) - half
        case .square:
            return Glyph.box(x, y, r * 0.85)
        case .frame:
            return abs(Glyph.box(x, y, r * 0.85 - half)) - half
        case .triangle:
            // An upward equilateral triangle inscribed in the circle of radius r:
            // the largest of the distances to its three edges' lines.
            let s = 0.5, c = 3.0.squareRoot() / 2
            let bottom = y - r * s
            let left = -c * x - s * y - r * s
            let right = c * x - s * y - r * s
            return max(bottom, max(left, right))
        case .cross:
            let a = Glyph.segment(x, y, -r * 0.8, -r * 0.8, r * 0.8, r * 0.8)
            let b = Glyph.segment(x, y, -r * 0.8, r * 0.8, r * 0.8, -r * 0.8)
            return min(a, b) - half
        case .plus:
            let a = Glyph.segment(x, y, -r, 0, r, 0)
            let b = Glyph.segment(x, y, 0, -r, 0, r)
            return min(a, b) - half
        case .hbars:
            return Glyph.bars(along: x, across: y, r: r) - half
        case .vbars:
            return Glyph.bars(along: y, across: x, r: r) - half
        case .diamond:
            return (abs(x) + abs(y) - r) / 2.0.squareRoot()
        }
    }

    /// How far the glyph reaches from its centre at any rotation, stroke included.
    public func extent(r: Double, stroke: Double) -> Double {
        switch self {
        case .square, .frame: r * 0.85 * 2.0.squareRoot()
        case .cross: r * 0.8 * 2.0.squareRoot() + stroke / 2
        case .plus: r + stroke / 2
        case .hbars, .vbars: r * (0.85 * 0.85 + 0.75 * 0.75).squareRoot() + stroke / 2
        default: r
        }
    }

    // MARK: - Distance helpers

    /// An axis-aligned filled square of half-size `h`.
    private static func box(_ x: Double, _ y: Double, _ h: Double) -> Double {
        let dx = abs(x) - h, dy = abs(y) - h
        let outside = (max(dx, 0) * max(dx, 0) + max(dy, 0) * max(dy, 0)).squareRoot()
        return outside + min(max(dx, dy), 0)
    }

    /// The distance from a point to the segment from (ax, ay) to (bx, by).
    private static func segment(_ x: Double, _ y: Double, _ ax: Double, _ ay: Double,
                                _ bx: Double, _ by: Double) -> Double {
        let px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay
        let t = min(max((px * dx + py * dy) / (dx * dx + dy * dy), 0), 1)
        let ex = px - t * dx, ey = py - t * dy
        return (ex * ex + ey * ey).squareRoot()
    }

    /// Three parallel lines of length 1.7r, spaced 0.75r apart across them.
    private static func bars(along: Double, across: Double, r: Double) -> Double {
        var best = Double.infinity
        for offset in [-0.75 * r, 0, 0.75 * r] {
            best = min(best, segment(along, across, -0.85 * r, offset, 0.85 * r, offset))
        }
        return best
    }
}
