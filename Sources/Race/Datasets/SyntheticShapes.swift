import CNNCompute
import Foundation

/// The synthetic shapes dataset: ten glyphs on grayscale canvases, with a
/// centred train/test split, a *shifted* split near the edges and a *large*
/// split on bigger canvases. The same seed gives the same images everywhere.
///
/// ```swift
/// let data = SyntheticShapes(.init(seed: 1, trainCount: 2000))
/// let (x, y) = data.train.batch(0..<32)       // (32, 32, 32, 1), 32 labels
/// ```
public struct SyntheticShapes: Sendable {
    public let configuration: Configuration
    /// Objects near the centre, for training.
    public let train: ShapeDataset
    /// Objects near the centre, drawn like `train` from other random numbers.
    public let test: ShapeDataset
    /// Objects near the edges, where training never put them.
    public let shifted: ShapeDataset
    /// The test distribution on each larger canvas, in `largeCanvases` order.
    public let large: [ShapeDataset]

    public init(_ configuration: Configuration) {
        self.configuration = configuration
        let c = configuration
        train = SyntheticShapes.split(.train, count: c.trainCount, configuration: c)
        test = SyntheticShapes.split(.test, count: c.testCount, configuration: c)
        shifted = SyntheticShapes.split(.shifted, count: c.shiftedCount, configuration: c)
        large = c.largeCanvases.map { SyntheticShapes.split(.large(canvas: $0), count: c.largeCount, configuration: c) }
    }

    // MARK: - Configuration

    /// What to draw, and how many.
    public struct Configuration: Sendable, Equatable, Codable {
        public var seed: UInt64
        /// The side of the square training canvas.
        public var canvas: Int = 32
        public var trainCount: Int = 2000
        public var testCount: Int = 500
        public var shiftedCount: Int = 500
        /// Images per larger canvas.
        public var largeCount: Int = 200
        public var largeCanvases: [Int] = [48, 64]
        /// The glyphs' half-size in pixels: the largest is two and a half times the smallest.
        public var radius: ClosedRange<Double> = 3.0...7.5
        public var stroke: ClosedRange<Double> = 1.5...3.0
        public var ink: ClosedRange<Double> = 0.6...1.0
        public var noise: ClosedRange<Double> = 0.02...0.12
        /// The largest rotation either way, in degrees.
        public var maxRotation: Double = 12
        /// Train, test and large: the centre moves at most this far along each axis.
        public var centreJitter: Double = 6
        /// Shifted: the glyph stops at most this far from one edge.
        public var edgeMargin: Double = 1.0
        /// How many distractor strokes and dots each image gets.
        public var clutter: ClosedRange<Int> = 2...5
        /// The distractors' brightness: below the glyphs' ink, so they never pass for a glyph.
        public var clutterInk: ClosedRange<Double> = 0.25...0.5
        /// The distractors' length in pixels (0 gives a dot).
        public var clutterLength: ClosedRange<Double> = 0...5

        public init(seed: UInt64, trainCount: Int = 2000, testCount: Int = 500,
                    shiftedCount: Int = 500, largeCount: Int = 200) {
            self.seed = seed
            self.trainCount = trainCount
            self.testCount = testCount
            self.shiftedCount = shiftedCount
            self.largeCount = largeCount
        }
    }

    /// Which split an image belongs to; each draws from its own random stream.
    public enum Split: Sendable, Equatable {
        case train, test, shifted
        case large(canvas: Int)

        var stream: UInt64 {
            switch self {
            case .train: 1
            case .test: 2
            case .shifted: 3
            case .large(let canvas): 100 + UInt64(canvas)
            }
        }

        var name: String {
            switch self {
            case .train: "train"
            case .test: "test"
            case .shifted: "shifted"
            case .large(let canvas): "large \(canvas)×\(canvas)"
            }
        }
    }

    // MARK: - Drawing

    /// Draws one split: `count` images, the classes as balanced as the count
    /// allows (each appears ⌊count/10⌋ or ⌈count/10⌉ times), in shuffled order.
    public static func split(_ split: Split, count: Int, configuration c: Configuration) -> ShapeDataset {
        let side: Int
        if case .large(let canvas) = split { side = canvas } else { side = c.canvas }
        var order = DatasetRandom(seed: c.seed, stream: split.stream)
        var glyphs = (0..<max(count, 0)).map { Glyph.allCases[$0 % Glyph.allCases.count] }
        order.shuffle(&glyphs)
        let samples = glyphs.enumerated().map { i, glyph in
            var rng = DatasetRandom(seed: DatasetRandom.mix(c.seed ^ (split.stream << 48)) ^ UInt64(i), stream: split.stream)
            return sample(glyph, split: split, side: Double(side), configuration: c, rng: &rng)
        }
        return ShapeDataset(name: split.name, height: side, width: side, samples: samples)
    }

    /// One glyph's random size, stroke, rotation, brightness, noise and place.
    static func sample(_ glyph: Glyph, split: Split, side: Double, configuration c: Configuration,
                       rng: inout DatasetRandom) -> GlyphSample {
        let r = rng.uniform(c.radius.lowerBound, c.radius.upperBound)
        let stroke = rng.uniform(c.stroke.lowerBound, c.stroke.upperBound)
        let angle = rng.uniform(-c.maxRotation, c.maxRotation) * Double.pi / 180
        let ink = rng.uniform(c.ink.lowerBound, c.ink.upperBound)
        let noise = rng.uniform(c.noise.lowerBound, c.noise.upperBound)
        // Half a pixel more for the anti-aliased edge: the glyph stays whole.
        let reach = glyph.extent(r: r, stroke: stroke) + 0.5
        var x = side / 2, y = side / 2
        switch split {
        case .train, .test, .large:
            x += rng.uniform(-c.centreJitter, c.centreJitter)
            y += rng.uniform(-c.centreJitter, c.centreJitter)
        case .shifted:
            // Against one of the four edges, anywhere along it.
            let near = reach + rng.uniform(0, c.edgeMargin)
            let along = rng.uniform(reach, max(side - reach, reach))
            switch rng.below(4) {
            case 0: (x, y) = (near, along)
            case 1: (x, y) = (side - near, along)
            case 2: (x, y) = (along, near)
            default: (x, y) = (along, side - near)
            }
        }
        let noiseSeed = rng.next()
        var clutter: [ClutterMark] = []
        let marks = c.clutter.lowerBound + rng.below(c.clutter.upperBound - c.clutter.lowerBound + 1)
        for _ in 0..<marks {
            // Two pixels from the border: a distractor never reaches the edge.
            let x0 = rng.uniform(2, side - 2), y0 = rng.uniform(2, side - 2)
            let length = rng.uniform(c.clutterLength.lowerBound, c.clutterLength.upperBound)
            let direction = rng.uniform(0, 2 * Double.pi)
            let x1 = min(max(x0 + length * Foundation.cos(direction), 2), side - 2)
            let y1 = min(max(y0 + length * Foundation.sin(direction), 2), side - 2)
            clutter.append(ClutterMark(x0: x0, y0: y0, x1: x1, y1: y1, width: rng.uniform(1, 2),
                                       ink: rng.uniform(c.clutterInk.lowerBound, c.clutterInk.upperBound)))
        }
        return GlyphSample(glyph: glyph, x: x, y: y, r: r, stroke: stroke, angle: angle,
                           ink: ink, noise: noise, noiseSeed: noiseSeed, clutter: clutter)
    }
}
