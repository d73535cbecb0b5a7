import Foundation
import Testing
@testable import Race

/// The dataset readers: files the tests write in each format read back the
/// same, and truncated or inconsistent files are refused with the file and the reason.
@Suite struct DataReaderTests {
    // MARK: - Files

    /// A fresh folder under the temporary directory.
    static func folder(_ name: String = #function) throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("race-data-\(getpid())-\(UUID().uuidString.prefix(8))-" + name.filter(\.isLetter))
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func write(_ bytes: [UInt8], _ folder: String, _ name: String) throws {
        let path = (folder as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// A gzip file of stored (uncompressed) DEFLATE blocks of at most `block` bytes.
    static func gzipStored(_ bytes: [UInt8], block: Int = 65535) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        var start = 0
        repeat {
            let end = min(start + block, bytes.count)
            let n = end - start
            out.append(end == bytes.count ? 1 : 0)
            out += [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += bytes[start..<end]
            start = end
        } while start < bytes.count
        let crc = CRC32.checksum(bytes), size = UInt32(bytes.count)
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(crc >> UInt32(shift) & 0xFF)) }
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(size >> UInt32(shift) & 0xFF)) }
        return out
    }

    static func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex {
            let j = s.index(i, offsetBy: 2)
            out.append(UInt8(s[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    /// `n` images of `side`×`side` whose pixels depend on the image and the position, and their labels.
    static func mnistLike(_ n: Int, side: Int, labelOffset: Int = 0) -> (images: IDXFile, labels: IDXFile) {
        let values = (0..<(n * side * side)).map { UInt8(($0 * 31 + $0 / (side * side) * 7) % 256) }
        let labels = (0..<n).map { UInt8(($0 + labelOffset) % 10) }
        return (IDXFile(shape: [n, side, side], values: values), IDXFile(shape: [n], values: labels))
    }

    static func writeMNIST(_ folder: String, train: Int = 12, test: Int = 6, side: Int = 16, gzip: Bool = false) throws {
        for (split, n) in [("train", train), ("t10k", test)] {
            let (images, labels) = mnistLike(n, side: side, labelOffset: split == "train" ? 0 : 3)
            let suffix = gzip ? ".gz" : ""
            try write(gzip ? gzipStored(images.encoded, block: 100) : images.encoded, folder, "\(split)-images-idx3-ubyte" + suffix)
            try write(gzip ? gzipStored(labels.encoded) : labels.encoded, folder, "\(split)-labels-idx1-ubyte" + suffix)
        }
    }

    /// The error's text, or a failure when nothing was thrown.
    static func refusal(_ body: () throws -> Void) -> String {
        do {
            try body()
        } catch {
            return "\(error)"
        }
        Issue.record("expected an error")
        return ""
    }

    // MARK: - Inflate and gzip

    /// A fixed-Huffman stream, as Python's gzip.compress wrote it for a 60-label IDX file.
    static let fixedHuffman = hex("1f8b08000000000002036360e060646060b06166606761e46065e264239d0500ad0f295244000000")

    @Test func fixedHuffmanGzipFromZlib() throws {
        let bytes = try Gzip.decompress(Self.fixedHuffman, file: "labels.gz")
        #expect(bytes.count == 68)
        #expect(Array(bytes.prefix(8)) == [0, 0, 8, 1, 0, 0, 0, 60])
        let labels: [UInt8] = (0..<60).map { (i: Int) -> UInt8 in UInt8((i * 7 + 3) % 10) }
        #expect(Array(bytes.dropFirst(8)) == labels)
    }

    /// A dynamic-Huffman stream with back-references, from Python's gzip at level 9.
    @Test func dynamicHuffmanGzipFromZlib() throws {
        let g = Self.hex(DynamicSample.gzipHex)
        #expect((g[10] >> 1) & 3 == 2, "the sample is a dynamic block")
        let bytes = try Gzip.decompress(g, file: "images.gz")
        let expected: [UInt8] = (0..<(60 * 16)).map { (i: Int) -> UInt8 in
            i % 3 != 0 ? UInt8((i * 37 + (i / 16) * 11) % 256) : 0
        }
        #expect(bytes.count == 976)
        #expect(Array(bytes.dropFirst(16)) == expected)
    }

    @Test func storedBlocksAcrossSeveralBlocks() throws {
        let data = (0..<1000).map { UInt8($0 % 251) }
        #expect(try Gzip.decompress(Self.gzipStored(data, block: 300), file: "x.gz") == data)
    }

    @Test func crcOfAKnownString() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func badCRCIsRefusedWithTheFile() {
        var g = Self.fixedHuffman
        g[g.count - 8] ^= 0x01
        let why = Self.refusal { _ = try Gzip.decompress(g, file: "labels.gz") }
        #expect(why.hasPrefix("labels.gz: "))
        #expect(why.contains("CRC-32"))
    }

    @Test func truncatedGzipIsRefused() {
        let why = Self.refusal { _ = try Gzip.decompress(Array(Self.fixedHuffman.prefix(30)), file: "cut.gz") }
        #expect(why.hasPrefix("cut.gz: "))
        #expect(why.contains("ends early") || why.contains("cut short"))
    }

    @Test func damagedDeflateIsRefusedNotCrashed() {
        // Every single-byte change of the compressed body either decodes to
        // something whose CRC fails or is refused; none may crash.
        let g = Self.hex(DynamicSample.gzipHex)
        for i in stride(from: 10, to: g.count - 8, by: 7) {
            var bad = g
            bad[i] ^= 0x5A
            #expect(throws: DataError.self) { _ = try Gzip.decompress(bad, file: "x.gz") }
        }
    }

    // MARK: - IDX

    @Test func idxPlainReadsBack() throws {
        let dir = try Self.folder()
        try Self.writeMNIST(dir)
        let data = try DataFolder.load(dir)
        let (images, labels) = Self.mnistLike(12, side: 16)
        #expect(data.format == .idx)
        #expect(data.name == "MNIST")
        #expect(data.classNames.count == 10)
        #expect(data.train.values == images.values)
        #expect(data.train.labels == labels.values.map(Int.init))
        #expect(data.test.count == 6)
        #expect([data.train.height, data.train.width, data.train.channels] == [Int]([16, 16, 1]))
    }

    @Test func idxGzipReadsTheSameAsPlain() throws {
        let plain = try Self.folder(), zipped = try Self.folder("fashion-mnist")
        try Self.writeMNIST(plain)
        try Self.writeMNIST(zipped, gzip: true)
        let a = try DataFolder.load(plain), b = try DataFolder.load(zipped)
        #expect(a.train == b.train)
        #expect(a.test == b.test)
        #expect(b.name == "Fashion-MNIST", "a folder named fashion gets Fashion-MNIST's class names")
        #expect(b.classNames[9] == "Ankle boot")
    }

    @Test func idxWrongMagic() throws {
        var bytes = Self.mnistLike(2, side: 16).images.encoded
        bytes[0] = 0x50
        let why = Self.refusal { _ = try IDXFile.decode(bytes, file: "train-images-idx3-ubyte") }
        #expect(why == "train-images-idx3-ubyte: not an IDX file: wrong magic number (it starts with 80 0, expected 0 0)")
    }

    @Test func idxCountDisagreesWithSize() throws {
        let bytes = Self.mnistLike(3, side: 16).images.encoded.dropLast(10)
        let why = Self.refusal { _ = try IDXFile.decode(Array(bytes), file: "t10k-images-idx3-ubyte") }
        #expect(why.hasPrefix("t10k-images-idx3-ubyte: the header says 3 × 16 × 16 = 768 values, but the file holds 758"))
    }

    @Test func idxLabelOutOfRange() throws {
        let dir = try Self.folder()
        try Self.writeMNIST(dir)
        try Self.write(IDXFile(shape: [12], values: [1, 2, 3, 4, 5, 12, 0, 0, 0, 0, 0, 0]).encoded, dir, "train-labels-idx1-ubyte")
        let why = Self.refusal { _ = try DataFolder.load(dir) }
        #expect(why.hasSuffix("train-labels-idx1-ubyte: label 6 is 12; MNIST's labels are 0 to 9"))
    }

    @Test func idxImageAndLabelCountsDisagree() throws {
        let dir = try Self.folder()
        try Self.writeMNIST(dir)
        try Self.write(IDXFile(shape: [5], values: [1, 2, 3, 4, 5]).encoded, dir, "t10k-labels-idx1-ubyte")
        let why = Self.refusal { _ = try DataFolder.load(dir) }
        #expect(why.contains("t10k-labels-idx1-ubyte: 5 labels for the 6 images of t10k-images-idx3-ubyte"))
    }

    @Test func idxGzipWithBadCRCNamesTheFile() throws {
        let dir = try Self.folder()
        try Self.writeMNIST(dir, gzip: true)
        var bad = Self.gzipStored(Self.mnistLike(6, side: 16, labelOffset: 3).labels.encoded)
        bad[bad.count - 6] ^= 0xFF
        try Self.write(bad, dir, "t10k-labels-idx1-ubyte.gz")
        let why = Self.refusal { _ = try DataFolder.load(dir) }
        #expect(why.contains("t10k-labels-idx1-ubyte.gz: not a valid gzip file: the CRC-32 check failed"))
    }

    @Test func idxMissingLabels() throws {
        let dir = try Self.folder()
        try Self.writeMNIST(dir)
        try FileManager.default.removeItem(atPath: (dir as NSString).appendingPathComponent("train-labels-idx1-ubyte"))
        let why = Self.refusal { _ = try DataFolder.load(dir) }
        #expect(why.contains("has no train-labels-idx1-ubyte"))
    }

    // MARK: - CIFAR-10

    static func cifarRecords(_ n: Int, seed: Int) -> (bytes: [UInt8], images: [[Float]], labels: [Int]) {
        var bytes: [UInt8] = [], images: [[Float]] = [], labels: [Int] = []
        for r in 0..<n {
            let image = (0..<(32 * 32 * 3)).map { Float(($0 * 13 + r * 29 + seed) % 256) / 255 }
            let label = (r + seed) % 10
            bytes += CIFARBatch.record(label: UInt8(label), pixels: image)
            images.append(image)
            labels.append(label)
        }
        return (bytes, images, labels)
    }

    @Test func cifarReadsBack() throws {
        let dir = try Self.folder()
        let one = Self.cifarRecords(3, seed: 1), two = Self.cifarRecords(2, seed: 5), test = Self.cifarRecords(2, seed: 9)
        try Self.write(one.bytes, dir, "cifar-10-batches-bin/data_batch_1.bin")
        try Self.write(two.bytes, dir, "cifar-10-batches-bin/data_batch_2.bin")
        try Self.write(test.bytes, dir, "cifar-10-batches-bin/test_batch.bin")
        let data = try DataFolder.load(dir)
        #expect(data.format == .cifar)
        #expect(data.train.count == 5)
        #expect(data.train.labels == one.labels + two.labels)
        #expect(data.classNames[0] == "airplane")
        // Channels last: pixel (row 0, col 1)'s green value is the record's byte 1 + 1024 + 1.
        let expected = (one.images + two.images).flatMap { $0 }.map { UInt8(($0 * 255).rounded()) }
        #expect(data.train.values == expected)
        #expect(data.test.labels == test.labels)
    }

    @Test func cifarRecordLayoutIsPlanar() {
        var image = [Float](repeating: 0, count: 32 * 32 * 3)
        image[1 * 3 + 1] = 1  // pixel (0, 1), green
        let record = CIFARBatch.record(label: 4, pixels: image)
        #expect(record[0] == 4)
        #expect(record[1 + 1024 + 1] == 255)
        #expect(record.filter { $0 != 0 }.count == 2)
    }

    @Test func cifarTruncated() throws {
        let bytes = Self.cifarRecords(2, seed: 1).bytes.dropLast(100)
        let why = Self.refusal { _ = try CIFARBatch.decode(Array(bytes), file: "data_batch_1.bin") }
        #expect(why.hasPrefix("data_batch_1.bin: 6046 bytes is not a whole number of 3073-byte records"))
    }

    @Test func cifarLabelOutOfRange() throws {
        var bytes = Self.cifarRecords(2, seed: 1).bytes
        bytes[3073] = 10
        let why = Self.refusal { _ = try CIFARBatch.decode(bytes, file: "test_batch.bin") }
        #expect(why == "test_batch.bin: record 2 has label 10; CIFAR-10's labels are 0 to 9")
    }

    @Test func cifarWithoutTestBatch() throws {
        let dir = try Self.folder()
        try Self.write(Self.cifarRecords(1, seed: 1).bytes, dir, "data_batch_1.bin")
        let why = Self.refusal { _ = try DataFolder.load(dir) }
        #expect(why.hasSuffix("has no test_batch.bin"))
    }

    // MARK: - Image folders

    static func pgm(_ side: Int, _ k: Int) -> NetpbmImage {
        NetpbmImage(width: side, height: side, channels: 1,
                    pixels: (0..<(side * side)).map { Float(($0 * 3 + k * 17) % 256) / 255 })
    }

    @Test func imageFolderReadsBackWithEveryFifthImageForTesting() throws {
        let dir = try Self.folder()
        for (c, name) in ["cat", "dog", "owl"].enumerated() {
            for k in 0..<5 { try Self.write(Self.pgm(16, c * 10 + k).encoded, dir, "\(name)/\(k).pgm") }
        }
        let data = try DataFolder.load(dir)
        #expect(data.format == .imageFolder)
        #expect(data.classNames == ["cat", "dog", "owl"])
        #expect(data.train.count == 12)
        #expect(data.test.labels == [0, 1, 2])
        let firstOwlTest = Self.pgm(16, 24).pixels.map { UInt8(($0 * 255).rounded()) }
        #expect(Array(data.test.values.suffix(256)) == firstOwlTest)
    }

    @Test func imageFolderWithTrainAndTestAndColour() throws {
        let dir = try Self.folder()
        let ppm = NetpbmImage(width: 16, height: 16, channels: 3, pixels: (0..<768).map { Float($0 % 256) / 255 })
        for split in ["train", "test"] {
            for name in ["a", "b"] { try Self.write(ppm.encoded, dir, "\(split)/\(name)/x.ppm") }
        }
        let data = try DataFolder.load(dir)
        #expect(data.train.count == 2)
        #expect(data.test.count == 2)
        #expect(data.train.channels == 3)
    }

    @Test func imageFolderRefusesMixedSizes() throws {
        let dir = try Self.folder()
        try Self.write(Self.pgm(16, 1).encoded, dir, "a/1.pgm")
        try Self.write(Self.pgm(20, 1).encoded, dir, "b/1.pgm")
        let why = Self.refusal { _ = try DataFolder.load(dir) }
        #expect(why.contains("b/1.pgm: is 20×20×1, but"))
        #expect(why.contains("every image must have one size"))
    }

    @Test func imageFolderRefusesATruncatedImage() throws {
        let dir = try Self.folder()
        try Self.write(Self.pgm(16, 1).encoded, dir, "a/1.pgm")
        try Self.write(Array(Self.pgm(16, 2).encoded.dropLast(5)), dir, "b/1.pgm")
        let why = Self.refusal { _ = try DataFolder.load(dir) }
        #expect(why.contains("b/1.pgm: the image is cut short"))
    }

    @Test func nothingToReadIsSaid() throws {
        let dir = try Self.folder()
        let why = Self.refusal { _ = try DataFolder.load(dir) }
        #expect(why.contains("found no dataset"))
        #expect(Self.refusal { _ = try DataFolder.load(dir + "/missing") }.hasSuffix("missing: no such file or folder"))
    }

    // MARK: - The race's splits from real data

    @Test func shiftedSplitTranslatesTestImages() throws {
        let side = 16
        // One bright pixel in the middle of each test image.
        var values = [UInt8](repeating: 0, count: 4 * side * side)
        for k in 0..<4 { values[k * side * side + 8 * side + 8] = 255 }
        let images = DataFolder.Images(height: side, width: side, channels: 1, values: values, labels: [0, 1, 2, 3])
        let contents = DataFolder.Contents(format: .idx, name: "MNIST", classNames: (0..<10).map(String.init),
                                           train: images, test: images)
        let data = RaceData(contents, seed: 1, trainCount: 4, testCount: 4, shiftedCount: 8, largeCount: 2, largeCanvases: [32])
        #expect(data.shift == 4)
        for k in 0..<8 {
            let image = Array(data.shifted.image(k))
            let lit = image.indices.filter { image[$0] > 0 }
            #expect(lit.count == 1)
            let row = lit[0] / side, col = lit[0] % side
            #expect(abs(row - 8) + abs(col - 8) == 4, "moved 4 px along one axis")
            #expect(data.shifted.labels[k] == data.test.labels[k % 4])
        }
        #expect(data.large[0].imageShape == [32, 32, 1])
        #expect(data.large[0].pixels.filter { $0 > 0 }.count == 2)
    }

    @Test func theRaceTrainsOnAFolderOfIDXFiles() throws {
        let dir = try Self.folder()
        try Self.writeMNIST(dir, train: 8, test: 4, gzip: true)
        let c = ExperimentConfiguration(seed: 2, epochs: 1, batchSize: 4, trainCount: 100, testCount: 100,
                                        shiftedCount: 4, largeCount: 2, largeCanvases: [32], dataPath: dir)
        let result = try ExperimentRun.run(c)
        #expect(result.dataset.name == "MNIST")
        #expect(result.dataset.imageShape == [16, 16, 1])
        #expect(result.dataset.availableTrain == 8)
        #expect(result.heads.allSatisfy { $0.epochs.count == 1 && $0.shifted?.images == 4 })
        #expect(result.text.contains("MNIST from"))
    }
}

/// A dynamic-Huffman gzip sample written by Python's gzip.compress(level 9):
/// a 60-image 4×4 IDX file with a repeating pattern.
enum DynamicSample {
    static let gzipHex = "1f8b08000000000002034dcd51281e001886d127ffacbf341191522222a54444a4341191522222a54444a49488c8522222529a8848291191a5341191522222522222529ac8d66ebef7e25c1f703a80c47fbefc1792c1c00a8e30ea86b8fc4a612b3b8fc41733bd876f223f9620849a01ce1d64d5f1eb92d8422677f08ea77d9a675faafa38858c1a56ce09cb62680bcf585a2779f4a6b89dbd67d2aa583ab5a5799c7b4f598e094aa34f96fc66b6ee6de959e02348965ba2f31997a5a287e30f5b4637708f96e58d940a1664691ce5d6dd96b9430252647123b7910d59bae6780bb065fd9ac85c59fc29ebe250969175dc226d397825b94c96081a46b89665f600ff645bae9ce434c89244e72cafb2ac5d119163cb8b1fa59db26433bc865396fd17924a6d710da77e58961266f6f193e5c295ec7a5b7c12e89891a596d50bc26579f2a1a4c396d04c0657656963f78904595c42a91db425ae88a95d59fa3973215316af38daa66c49af66f94c96091ebc289225389dfe655b0a5ad87e906591cf60aa6589296062db96ca5e4e3e65d9c423861659522b593cb1a5698c3b0f598e084ca55796bc2636ef6ce99ee73d50961ba2f21893a5bc9ba3775b7efee65b942c7ff85ecebc2d7f01cf6bacf8d0030000"
}
