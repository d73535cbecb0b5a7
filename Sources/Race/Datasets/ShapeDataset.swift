import CNNCompute
/// One split of the race's images: pixels in 0…1, their labels and, for the
/// synthetic shapes, how each was drawn. Real datasets (IDX, CIFAR-10, image
/// folders) fill the same type, with no drawing records.
public struct ShapeDataset: Sendable {
    /// `train`, `test`, `shifted`, `large 48×48`, …
    public let name: String
    public let height: Int
    public let width: Int
    /// 1 for grayscale, 3 for colour.
    public let channels: Int
    /// Every image's pixels, image after image, each row-major, height × width × channels, in 0…1.
    ///
    /// Real data keep their bytes (a quarter of the memory) and become floats
    /// only here, in ``image(_:)`` and in ``batch(_:)``.
    public var pixels: [Float] { bytes.isEmpty ? floats : bytes.map { Float($0) / 255 } }
    /// The synthetic shapes' pixels; empty when the split holds bytes.
    private let floats: [Float]
    /// A real dataset's pixels as read, 0…255; empty when the split holds floats.
    private let bytes: [UInt8]
    /// Every image's class, from 0.
    public let labels: [Int]
    /// How many classes the labels count from (some may have no images).
    public let classCount: Int
    /// How each synthetic image was drawn; empty for real data.
    public let samples: [GlyphSample]

    /// Renders the synthetic shapes of `samples` (grayscale).
    public init(name: String, height: Int, width: Int, samples: [GlyphSample]) {
        self.name = name
        self.height = height
        self.width = width
        self.channels = 1
        self.samples = samples
        self.labels = samples.map(\.label)
        self.classCount = Glyph.allCases.count
        var pixels: [Float] = []
        pixels.reserveCapacity(samples.count * height * width)
        for sample in samples { pixels += sample.render(height: height, width: width) }
        self.floats = pixels
        self.bytes = []
    }

    /// Images already in memory: `pixels` holds `labels.count` images of height × width × channels.
    public init(name: String, height: Int, width: Int, channels: Int, pixels: [Float], labels: [Int], classCount: Int) {
        self.init(name: name, height: height, width: width, channels: channels, floats: pixels, bytes: [],
                  labels: labels, classCount: classCount)
    }

    /// Images as bytes (0…255, as files hold them): `bytes` holds `labels.count` images of height × width × channels.
    public init(name: String, height: Int, width: Int, channels: Int, bytes: [UInt8], labels: [Int], classCount: Int) {
        self.init(name: name, height: height, width: width, channels: channels, floats: [], bytes: bytes,
                  labels: labels, classCount: classCount)
    }

    private init(name: String, height: Int, width: Int, channels: Int, floats: [Float], bytes: [UInt8],
                 labels: [Int], classCount: Int) {
        precondition(floats.count + bytes.count == labels.count * height * width * channels, "pixels and labels disagree")
        self.name = name
        self.height = height
        self.width = width
        self.channels = channels
        self.floats = floats
        self.bytes = bytes
        self.labels = labels
        self.classCount = classCount
        self.samples = []
    }

    /// A new split of `count` images of `height`×`width`, each pixel copied from
    /// `source(k, row, col)`, an (image, row, col) of this split, or black when
    /// that is nil; bytes stay bytes.
    func remapped(name: String, count: Int, height H: Int, width W: Int, labels: [Int],
                  source: (_ k: Int, _ row: Int, _ col: Int) -> (image: Int, row: Int, col: Int)?) -> ShapeDataset {
        let c = channels, h = height, w = width
        func copy<T: Numeric>(_ from: [T]) -> [T] {
            var out = [T](repeating: 0, count: count * H * W * c)
            for k in 0..<count {
                for row in 0..<H {
                    for col in 0..<W {
                        guard let s = source(k, row, col) else { continue }
                        let to = ((k * H + row) * W + col) * c, at = ((s.image * h + s.row) * w + s.col) * c
                        for ch in 0..<c { out[to + ch] = from[at + ch] }
                    }
                }
            }
            return out
        }
        return bytes.isEmpty
            ? ShapeDataset(name: name, height: H, width: W, channels: c, pixels: copy(floats), labels: labels, classCount: classCount)
            : ShapeDataset(name: name, height: H, width: W, channels: c, bytes: copy(bytes), labels: labels, classCount: classCount)
    }

    public var count: Int { labels.count }
    /// The shape of one image without the batch axis: (H, W, C).
    public var imageShape: [Int] { [height, width, channels] }
    /// Values in one image.
    public var imageSize: Int { height * width * channels }

    // MARK: - Access

    /// One image's pixels, row-major, in 0…1.
    public func image(_ index: Int) -> [Float] {
        let n = imageSize, range = index * n ..< (index + 1) * n
        return bytes.isEmpty ? Array(floats[range]) : bytes[range].map { Float($0) / 255 }
    }

    /// The images at `indices` as an (N, H, W, C) tensor, and their labels.
    public func batch<C: Collection>(_ indices: C) -> (images: Tensor, labels: [Int]) where C.Element == Int {
        let n = imageSize
        var data: [Float] = []
        data.reserveCapacity(indices.count * n)
        var labels: [Int] = []
        labels.reserveCapacity(indices.count)
        for i in indices {
            let range = i * n ..< (i + 1) * n
            if bytes.isEmpty { data += floats[range] } else { data += bytes[range].lazy.map { Float($0) / 255 } }
            labels.append(self.labels[i])
        }
        return (Tensor(shape: [indices.count, height, width, channels], data: data), labels)
    }

    /// One image as gray levels (the channels' mean), row-major: what the screen draws.
    public func gray(_ index: Int) -> [Float] {
        let img = image(index)
        guard channels > 1 else { return img }
        return (0..<(height * width)).map { p in
            var s: Float = 0
            for c in 0..<channels { s += img[p * channels + c] }
            return s / Float(channels)
        }
    }

    /// How many images of each class, in label order.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels where label < classCount { counts[label] += 1 }
        return counts
    }

    // MARK: - Position statistics

    /// The brightness-weighted centre (x, y) of an image's pixels above
    /// `threshold` (the channels' mean), measured from the pixels, not from how they were drawn.
    public func inkCentroid(_ index: Int, threshold: Float = 0.5) -> (x: Double, y: Double)? {
        var total = 0.0, sx = 0.0, sy = 0.0
        let img = image(index)
        var k = 0
        for row in 0..<height {
            for col in 0..<width {
                var v: Float = 0
                for _ in 0..<channels { v += img[k]; k += 1 }
                v /= Float(channels)
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
