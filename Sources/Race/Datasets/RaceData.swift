import CNNCompute

/// The images the race trains and tests on: the synthetic shapes, or a real
/// dataset read from disk, in the same four kinds of split.
public struct RaceData: Sendable {
    /// `synthetic shapes`, `MNIST`, `CIFAR-10`, or an image folder's name.
    public let name: String
    public let classNames: [String]
    /// Objects where training puts them.
    public let train: ShapeDataset
    /// Like train, from other images.
    public let test: ShapeDataset
    /// The test images moved towards an edge (real data), or shapes drawn there (synthetic).
    public let shifted: ShapeDataset
    /// The test distribution on each larger canvas.
    public let large: [ShapeDataset]
    /// Real data only: how far the shifted split moves each test image, in pixels.
    public let shift: Int?
    /// Real data only: how many train and test images the files hold.
    public let available: (train: Int, test: Int)?

    /// True for the embedded synthetic shapes.
    public var isSynthetic: Bool { available == nil }

    /// The synthetic shapes, as drawn.
    public init(_ shapes: SyntheticShapes) {
        name = "synthetic shapes"
        classNames = Glyph.names
        train = shapes.train
        test = shapes.test
        shifted = shapes.shifted
        large = shapes.large
        shift = nil
        available = nil
    }

    /// A dataset read from disk: seeded subsets of `trainCount` and
    /// `testCount` images, the shifted split made by translating test images
    /// by a quarter of their side towards a random edge, and the large splits
    /// by placing them in the middle of bigger, black canvases.
    public init(_ contents: DataFolder.Contents, seed: UInt64, trainCount: Int, testCount: Int,
                shiftedCount: Int, largeCount: Int, largeCanvases: [Int]) {
        name = contents.name
        classNames = contents.classNames
        let classes = contents.classNames.count
        available = (contents.train.count, contents.test.count)
        train = RaceData.subset(contents.train, count: trainCount, seed: seed, stream: 1, name: "train", classes: classes)
        let test = RaceData.subset(contents.test, count: testCount, seed: seed, stream: 2, name: "test", classes: classes)
        self.test = test
        let side = min(test.height, test.width)
        let shift = max(1, Int((Double(side) * 0.25).rounded()))
        self.shift = shift
        shifted = RaceData.translated(test, count: shiftedCount, by: shift, seed: seed)
        large = largeCanvases.filter { $0 >= max(test.height, test.width) }.map { canvas in
            let n = min(largeCount, test.count)
            return test.padded(height: canvas, width: canvas, name: "large \(canvas)×\(canvas)", count: n)
        }
    }

    // MARK: - Making splits

    /// A seeded random choice of `count` images (all of them when there are fewer), as floats in 0…1.
    static func subset(_ images: DataFolder.Images, count: Int, seed: UInt64, stream: UInt64, name: String,
                       classes: Int) -> ShapeDataset {
        var order = Array(0..<images.count)
        var rng = DatasetRandom(seed: seed, stream: 500 + stream)
        rng.shuffle(&order)
        let picked = order.prefix(max(0, min(count, images.count)))
        let size = images.height * images.width * images.channels
        var bytes: [UInt8] = []
        bytes.reserveCapacity(picked.count * size)
        for i in picked { bytes += images.values[(i * size)..<((i + 1) * size)] }
        return ShapeDataset(name: name, height: images.height, width: images.width, channels: images.channels,
                            bytes: bytes, labels: picked.map { images.labels[$0] }, classCount: classes)
    }

    /// `count` test images (cycling when there are fewer), each moved `by` pixels
    /// up, down, left or right (seeded), the uncovered border black.
    static func translated(_ set: ShapeDataset, count: Int, by shift: Int, seed: UInt64) -> ShapeDataset {
        var rng = DatasetRandom(seed: seed, stream: 503)
        let moves = (0..<count).map { _ in [(0, -shift), (0, shift), (-shift, 0), (shift, 0)][rng.below(4)] }
        let h = set.height, w = set.width
        return set.remapped(name: "shifted", count: count, height: h, width: w,
                            labels: (0..<count).map { set.labels[$0 % set.count] }) { k, row, col in
            let (dy, dx) = moves[k], from = row - dy, fromCol = col - dx
            guard from >= 0, from < h, fromCol >= 0, fromCol < w else { return nil }
            return (k % set.count, from, fromCol)
        }
    }
}

extension ShapeDataset {
    /// The first `count` images (all when nil) in the middle of a black
    /// `height`×`width` canvas (cropped when it is smaller).
    public func padded(height H: Int, width W: Int, name: String? = nil, count: Int? = nil) -> ShapeDataset {
        let n = min(count ?? self.count, self.count)
        let top = (H - height) / 2, left = (W - width) / 2, h = height, w = width
        return remapped(name: name ?? self.name, count: n, height: H, width: W, labels: Array(labels.prefix(n))) { k, row, col in
            let r = row - top, c = col - left
            guard r >= 0, r < h, c >= 0, c < w else { return nil }
            return (k, r, c)
        }
    }
}
