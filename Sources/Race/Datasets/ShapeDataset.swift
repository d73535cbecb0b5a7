import CNNCompute
/// One split of the synthetic shapes: grayscale images, their labels, and how
/// each was drawn.
public struct ShapeDataset: Sendable {
    /// `train`, `test`, `shifted`, `large 48×48`, …
    public let name: String
    public let height: Int
    public let width: Int
    /// Every image's pixels, image after image, each row-major.
    public let pixels: [Float]
    public let samples: [GlyphSample]

    public init(name: String, height: Int, width: Int, samples: [GlyphSample]) {
        self.name = name
        self.height = height
        self.width = width
        self.samples = samples
        var pixels: [Float] = []
        pixels.reserveCapacity(samples.count * height * width)
        for sample in samples { pixels += sample.render(height: height, width: width) }
        self.pixels = pixels
    }

    public var count: Int { samples.count }
    public var labels: [Int] { samples.map(\.label) }
    /// The shape of one image without the batch axis: (H, W, 1).
    public var imageShape: [Int] { [height, width, 1] }

    // MARK: - Access

    /// One image's pixels, row-major.
    public func image(_ index: Int) -> ArraySlice<Float> {
        let n = height * width
        return pixels[index * n ..< (index + 1) * n]
    }

    /// The images at `indices` as an (N, H, W, 1) tensor, and their labels.
    public func batch<C: Collection>(_ indices: C) -> (images: Tensor, labels: [Int]) where C.Element == Int {
        let n = height * width
        var data: [Float] = []
        data.reserveCapacity(indices.count * n)
        var labels: [Int] = []
        labels.reserveCapacity(indices.count)
        for i in indices {
            data += image(i)
            labels.append(samples[i].label)
        }
        return (Tensor(shape: [indices.count, height, width, 1], data: data), labels)
    }

    /// How many images of each class, in label order.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: Glyph.allCases.count)
        for s in samples { counts[s.label] += 1 }
        return counts
    }

    // MARK: - Position statistics

    /// The brightness-weighted centre (x, y) of an image's pixels above
    /// `threshold`, measured from the pixels, not from how they were drawn.
    public func inkCentroid(_ index: Int, threshold: Float = 0.5) -> (x: Double, y: Double)? {
        var total = 0.0, sx = 0.0, sy = 0.0
        let img = image(index)
        var k = img.startIndex
        for row in 0..<height {
            for col in 0..<width {
                let v = img[k]
                k += 1
                guard v > threshold else { continue }
                total += Double(v)
                sx += Double(v) * (Double(col) + 0.5)
                sy += Double(v) * (Double(row) + 0.5)
            }
        }
        return total > 0 ? (sx / total, sy / total) : nil
    }

    /// How far, on average, each image's ink centre sits from the canvas
    /// centre along the farther axis, in pixels (the L∞ distance).
    public var meanCentreOffset: Double {
        var total = 0.0, n = 0
        for i in 0..<count {
            guard let c = inkCentroid(i) else { continue }
            total += max(abs(c.x - Double(width) / 2), abs(c.y - Double(height) / 2))
            n += 1
        }
        return n > 0 ? total / Double(n) : 0
    }
}
