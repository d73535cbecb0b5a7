import Testing
import CNNCompute
@testable import Race

/// The synthetic shapes: reproducible for a seed, balanced, and with splits
/// whose objects really sit where they are meant to.
@Suite struct DatasetTests {
    static let config = SyntheticShapes.Configuration(seed: 7, trainCount: 200, testCount: 100,
                                                      shiftedCount: 100, largeCount: 20)
    static let data = SyntheticShapes(config)

    // MARK: - Determinism

    @Test func sameSeedSameImages() {
        let again = SyntheticShapes(DatasetTests.config)
        for (a, b) in zip([DatasetTests.data.train, DatasetTests.data.test, DatasetTests.data.shifted] + DatasetTests.data.large,
                          [again.train, again.test, again.shifted] + again.large) {
            #expect(a.samples == b.samples)
            #expect(a.pixels == b.pixels)
        }
    }

    @Test func otherSeedOtherImages() {
        var c = DatasetTests.config
        c.seed = 8
        let other = SyntheticShapes(c)
        #expect(other.train.pixels != DatasetTests.data.train.pixels)
        #expect(other.shifted.pixels != DatasetTests.data.shifted.pixels)
    }

    /// Each split draws from its own stream: more training images leave the test split alone.
    @Test func splitsAreIndependentOfEachOthersSize() {
        var c = DatasetTests.config
        c.trainCount = 300
        let other = SyntheticShapes(c)
        #expect(other.test.pixels == DatasetTests.data.test.pixels)
        #expect(other.train.pixels != DatasetTests.data.train.pixels)
    }

    @Test func splitsDiffer() {
        #expect(Array(DatasetTests.data.train.pixels.prefix(1024 * 100)) != DatasetTests.data.test.pixels)
    }

    @Test func generatorIsReproducible() {
        var a = DatasetRandom(seed: 42, stream: 3), b = DatasetRandom(seed: 42, stream: 3)
        var c = DatasetRandom(seed: 42, stream: 4)
        let xs = (0..<5).map { _ in a.next() }
        #expect(xs == (0..<5).map { _ in b.next() })
        #expect(xs != (0..<5).map { _ in c.next() })
        var d = DatasetRandom(seed: 1)
        for n in [1, 2, 3, 10, 1000] { #expect((0..<50).allSatisfy { _ in (0..<n).contains(d.below(n)) }) }
    }

    // MARK: - Labels and pixels

    @Test func labelsAreBalanced() {
        for split in [DatasetTests.data.train, DatasetTests.data.test, DatasetTests.data.shifted] {
            #expect(split.classCounts == Array(repeating: split.count / 10, count: 10))
        }
        let odd = SyntheticShapes.split(.test, count: 25, configuration: DatasetTests.config)
        #expect(odd.classCounts.allSatisfy { $0 == 2 || $0 == 3 })
        #expect(odd.classCounts.reduce(0, +) == 25)
    }

    @Test func labelsAreShuffled() {
        let labels = DatasetTests.data.train.labels
        #expect(labels != labels.sorted())
        #expect(labels != (0..<labels.count).map { $0 % 10 })
    }

    @Test func pixelsAreGrayscaleInUnitRange() {
        let d = DatasetTests.data
        #expect(d.train.pixels.count == 200 * 32 * 32)
        #expect(d.train.pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(d.large.map(\.width) == [48, 64])
        #expect(d.large[1].pixels.count == 20 * 64 * 64)
        let (x, y) = d.test.batch(3..<7)
        #expect(x.shape == [4, 32, 32, 1])
        #expect(y == Array(d.test.labels[3..<7]))
        #expect(Array(x.data[1024..<2048]) == Array(d.test.image(4)))
    }

    /// Every image has distractors, and they stay dimmer than the glyphs.
    @Test func imagesHaveClutter() {
        let samples = DatasetTests.data.train.samples
        #expect(samples.allSatisfy { (2...5).contains($0.clutter.count) })
        #expect(samples.allSatisfy { $0.clutter.allSatisfy { $0.ink <= 0.5 } && $0.ink >= 0.6 })
        var plain = samples[0]
        plain.clutter = []
        #expect(plain.render(height: 32, width: 32) != samples[0].render(height: 32, width: 32))
    }

    /// Sizes vary: the largest glyphs are more than twice the smallest, within the configured range.
    @Test func sizesVary() {
        let radii = DatasetTests.data.train.samples.map(\.r)
        let range = DatasetTests.config.radius
        #expect(radii.allSatisfy { range.contains($0) })
        #expect((radii.max() ?? 0) > 2 * (radii.min() ?? 1), "radii \(radii.min() ?? 0)…\(radii.max() ?? 0)")
    }

    /// Every glyph, drawn noise-free at the same place, gives its own picture.
    @Test func glyphsLookDifferent() {
        let images = Glyph.allCases.map {
            GlyphSample(glyph: $0, x: 16, y: 16, r: 6, stroke: 2, angle: 0, ink: 1, noise: 0, noiseSeed: 0)
                .render(height: 32, width: 32)
        }
        for i in images.indices {
            #expect(images[i].reduce(0, +) > 10, "\(Glyph.allCases[i].name) has almost no ink")
            for j in images.indices where j > i {
                let diff = zip(images[i], images[j]).reduce(Float(0)) { $0 + abs($1.0 - $1.1) }
                #expect(diff > 10, "\(Glyph.allCases[i].name) and \(Glyph.allCases[j].name) look alike")
            }
        }
    }

    // MARK: - Where the objects sit

    /// Offsets measured from the pixels (the ink's centre), not from how they were drawn.
    static func offsets(_ d: ShapeDataset) -> [Double] {
        (0..<d.count).compactMap { i in
            d.inkCentroid(i).map { max(abs($0.x - Double(d.width) / 2), abs($0.y - Double(d.height) / 2)) }
        }
    }

    @Test func trainAndTestStayNearTheCentre() {
        for d in [DatasetTests.data.train, DatasetTests.data.test] + DatasetTests.data.large {
            let off = DatasetTests.offsets(d)
            #expect(off.count == d.count)
            // The centre moves by the jitter at most; anti-aliasing, noise and clutter move the ink centre a little.
            #expect(off.allSatisfy { $0 < DatasetTests.config.centreJitter + 1.5 }, "\(d.name): \(off.max() ?? 0)")
        }
    }

    @Test func shiftedSitsNearTheEdges() {
        let train = DatasetTests.offsets(DatasetTests.data.train)
        let shifted = DatasetTests.offsets(DatasetTests.data.shifted)
        #expect(shifted.count == DatasetTests.data.shifted.count)
        // Nine in ten shifted images sit further out than nine in ten training images.
        let s = shifted.sorted(), t = train.sorted()
        #expect(s[s.count / 10] > t[t.count * 9 / 10], "shifted 10th percentile \(s[s.count / 10]) vs train 90th \(t[t.count * 9 / 10])")
        let mean = { (xs: [Double]) in xs.reduce(0, +) / Double(xs.count) }
        #expect(mean(shifted) > 2 * mean(train), "shifted \(mean(shifted)) vs train \(mean(train))")
        #expect(abs(DatasetTests.data.shifted.meanCentreOffset - mean(shifted)) < 1e-9)
    }

    /// Shifted glyphs go to all four edges, about equally often.
    @Test func shiftedUsesEveryEdge() {
        let d = DatasetTests.data.shifted
        var sides = [0, 0, 0, 0]
        for i in 0..<d.count {
            guard let c = d.inkCentroid(i) else { continue }
            let dx = c.x - 16, dy = c.y - 16
            if abs(dx) >= abs(dy) { sides[dx < 0 ? 0 : 1] += 1 } else { sides[dy < 0 ? 2 : 3] += 1 }
        }
        #expect(sides.allSatisfy { $0 >= 10 }, "\(sides)")
    }

    /// The glyph stays whole: no ink on the outermost pixels beyond noise.
    @Test func shiftedGlyphsAreNotClipped() {
        let d = DatasetTests.data.shifted
        for i in 0..<d.count {
            let img = Array(d.image(i))
            var border: [Float] = []
            for k in 0..<32 {
                border += [img[k], img[31 * 32 + k], img[k * 32], img[k * 32 + 31]]
            }
            #expect(border.filter { $0 > 0.6 }.count <= 1, "image \(i) touches the edge")
        }
    }
}
