import Foundation

/// A dataset on disk for the race: MNIST or Fashion-MNIST as IDX files
/// (plain or gzip), CIFAR-10 as binary batches, or a folder of PGM/PPM
/// images with one sub-folder per class. ``detect(_:)`` tells which from the path.
public enum DataFolder {
    /// The formats the race reads.
    public enum Format: String, Sendable, Equatable {
        case idx = "IDX"
        case cifar = "CIFAR-10 binary"
        case imageFolder = "image folder"
    }

    /// Every image of one split as bytes, height × width × channels each.
    public struct Images: Sendable, Equatable {
        public var height: Int
        public var width: Int
        public var channels: Int
        public var values: [UInt8]
        public var labels: [Int]
        public var count: Int { labels.count }
    }

    /// A dataset as read: its train and test splits and its class names.
    public struct Contents: Sendable, Equatable {
        public var format: Format
        /// `MNIST`, `Fashion-MNIST`, `CIFAR-10` or the folder's name.
        public var name: String
        public var classNames: [String]
        public var train: Images
        public var test: Images
    }

    // MARK: - Detecting

    /// Which format `path` holds, and the folder its files are in.
    public static func detect(_ path: String) throws(DataError) -> (format: Format, folder: String) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError(file: path, "no such file or folder")
        }
        var folder = path
        if !isDirectory.boolValue {
            let name = (path as NSString).lastPathComponent
            guard name.contains("idx") || name.hasSuffix(".bin") else {
                throw DataError(file: path, "not a dataset: give the folder of MNIST's IDX files, of CIFAR-10's "
                    + "binary batches, or of one sub-folder of PGM/PPM images per class")
            }
            folder = (path as NSString).deletingLastPathComponent
            if folder.isEmpty { folder = "." }
        }
        let names = (try? fm.contentsOfDirectory(atPath: folder)) ?? []
        if idxFile(in: names, split: "train", kind: "images") != nil || idxFile(in: names, split: "t10k", kind: "images") != nil {
            return (.idx, folder)
        }
        if names.contains(where: { $0.hasPrefix("data_batch_") && $0.hasSuffix(".bin") }) || names.contains("test_batch.bin") {
            return (.cifar, folder)
        }
        if names.contains("cifar-10-batches-bin") { return (.cifar, (folder as NSString).appendingPathComponent("cifar-10-batches-bin")) }
        if !classFolders(folder).isEmpty || ["train", "test"].allSatisfy({ names.contains($0) }) {
            return (.imageFolder, folder)
        }
        throw DataError(file: path, "found no dataset: expected MNIST's IDX files (train-images-idx3-ubyte[.gz] …), "
            + "CIFAR-10's data_batch_1.bin … test_batch.bin, or one sub-folder of PGM/PPM images per class")
    }

    /// Reads the dataset at `path`, whatever its format.
    public static func load(_ path: String) throws(DataError) -> Contents {
        let (format, folder) = try detect(path)
        switch format {
        case .idx: return try loadIDX(folder)
        case .cifar: return try loadCIFAR(folder)
        case .imageFolder: return try loadImageFolder(folder)
        }
    }

    // MARK: - IDX

    static let fashionNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    /// The file of one split and kind: `train-images-idx3-ubyte`, `t10k-labels.idx1-ubyte.gz`, …
    static func idxFile(in names: [String], split: String, kind: String) -> String? {
        names.filter { $0.hasPrefix("\(split)-\(kind)") && $0.contains("idx") }.sorted { a, b in
            // The plain file before the gzip one, when both are there.
            a.hasSuffix(".gz") == b.hasSuffix(".gz") ? a < b : !a.hasSuffix(".gz")
        }.first
    }

    static func loadIDX(_ folder: String) throws(DataError) -> Contents {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        func split(_ split: String) throws(DataError) -> Images {
            guard let imageName = idxFile(in: names, split: split, kind: "images") else {
                throw DataError(file: folder, "has no \(split)-images-idx3-ubyte (or .gz)")
            }
            guard let labelName = idxFile(in: names, split: split, kind: "labels") else {
                throw DataError(file: folder, "has no \(split)-labels-idx1-ubyte (or .gz) for its \(imageName)")
            }
            let imagePath = (folder as NSString).appendingPathComponent(imageName)
            let labelPath = (folder as NSString).appendingPathComponent(labelName)
            let images = try IDXFile.decode(try read(imagePath), file: imagePath)
            let labels = try IDXFile.decode(try read(labelPath), file: labelPath)
            guard images.shape.count == 3, images.shape[1] > 0, images.shape[2] > 0 else {
                throw DataError(file: imagePath, "an image file needs 3 axes (count, rows, columns), this one has "
                    + "\(images.shape.count): \(images.shape)")
            }
            guard labels.shape.count == 1 else {
                throw DataError(file: labelPath, "a label file needs 1 axis (count), this one has \(labels.shape.count)")
            }
            guard images.shape[0] == labels.shape[0] else {
                throw DataError(file: labelPath, "\(labels.shape[0]) labels for the \(images.shape[0]) images of \(imageName)")
            }
            if let bad = labels.values.firstIndex(where: { $0 > 9 }) {
                throw DataError(file: labelPath, "label \(bad + 1) is \(labels.values[bad]); MNIST's labels are 0 to 9")
            }
            return Images(height: images.shape[1], width: images.shape[2], channels: 1, values: images.values,
                          labels: labels.values.map(Int.init))
        }
        let train = try split("train"), test = try split("t10k")
        try sameSize(train, test, folder: folder)
        let fashion = folder.lowercased().contains("fashion")
        return Contents(format: .idx, name: fashion ? "Fashion-MNIST" : "MNIST",
                        classNames: fashion ? fashionNames : (0..<10).map(String.init), train: train, test: test)
    }

    // MARK: - CIFAR-10

    static func loadCIFAR(_ folder: String) throws(DataError) -> Contents {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let trainNames = names.filter { $0.hasPrefix("data_batch_") && $0.hasSuffix(".bin") }.sorted()
        guard !trainNames.isEmpty else { throw DataError(file: folder, "has no data_batch_1.bin … data_batch_5.bin") }
        guard names.contains("test_batch.bin") else { throw DataError(file: folder, "has no test_batch.bin") }
        func batches(_ files: [String]) throws(DataError) -> Images {
            var all = Images(height: 32, width: 32, channels: 3, values: [], labels: [])
            // One allocation for all the batches: growing by doubling would briefly hold 1.5 times as much.
            let paths = files.map { (folder as NSString).appendingPathComponent($0) }
            let bytes = paths.reduce(0) { total, path in
                total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
            }
            all.values.reserveCapacity(bytes / CIFARBatch.recordSize * (CIFARBatch.recordSize - 1))
            all.labels.reserveCapacity(bytes / CIFARBatch.recordSize)
            for name in files {
                let path = (folder as NSString).appendingPathComponent(name)
                let batch = try CIFARBatch.decode(try read(path), file: path)
                all.values += batch.pixels
                all.labels += batch.labels
            }
            return all
        }
        var classNames = CIFARBatch.classNames
        let meta = (folder as NSString).appendingPathComponent("batches.meta.txt")
        if let text = try? String(contentsOfFile: meta, encoding: .utf8) {
            let listed = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if listed.count == 10 { classNames = listed }
        }
        return Contents(format: .cifar, name: "CIFAR-10", classNames: classNames,
                        train: try batches(trainNames), test: try batches(["test_batch.bin"]))
    }

    // MARK: - Image folders

    /// The sub-folders of `folder` that hold at least one PGM or PPM image, sorted.
    static func classFolders(_ folder: String) -> [String] {
        let fm = FileManager.default
        let names = ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        return names.filter { name in
            let files = (try? fm.contentsOfDirectory(atPath: (folder as NSString).appendingPathComponent(name))) ?? []
            return files.contains(where: isImage)
        }
    }

    static func isImage(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower.hasSuffix(".pgm") || lower.hasSuffix(".ppm")
    }

    /// `folder/CLASS/*.pgm`, or `folder/train/CLASS/…` and `folder/test/CLASS/…`.
    /// Without train/ and test/, every fifth image of each class (in name order) is a test image.
    static func loadImageFolder(_ folder: String) throws(DataError) -> Contents {
        let fm = FileManager.default
        let trainFolder = (folder as NSString).appendingPathComponent("train")
        let testFolder = (folder as NSString).appendingPathComponent("test")
        let split = !classFolders(trainFolder).isEmpty && !classFolders(testFolder).isEmpty
        let classes = split ? classFolders(trainFolder) : classFolders(folder)
        guard classes.count >= 2 else {
            throw DataError(file: folder, "needs at least two class folders of PGM/PPM images (found \(classes.count))")
        }
        if split {
            let testClasses = classFolders(testFolder)
            guard testClasses == classes else {
                throw DataError(file: testFolder, "its class folders (\(testClasses.joined(separator: ", "))) are not "
                    + "train/'s (\(classes.joined(separator: ", ")))")
            }
        }
        var first: (path: String, image: NetpbmImage)?
        func images(in root: String, keep: (Int) -> Bool) throws(DataError) -> Images {
            var out = Images(height: 0, width: 0, channels: 0, values: [], labels: [])
            for (label, name) in classes.enumerated() {
                let dir = (root as NSString).appendingPathComponent(name)
                let files = ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).filter(isImage).sorted()
                for (k, file) in files.enumerated() where keep(k) {
                    let path = (dir as NSString).appendingPathComponent(file)
                    let image = try NetpbmImage.decode(try read(path), name: path)
                    if let first {
                        guard image.width == first.image.width, image.height == first.image.height,
                              image.channels == first.image.channels else {
                            throw DataError(file: path, "is \(image.width)×\(image.height)×\(image.channels), but "
                                + "\(first.path) is \(first.image.width)×\(first.image.height)×\(first.image.channels); "
                                + "every image must have one size")
                        }
                    } else {
                        first = (path, image)
                    }
                    out.height = image.height
                    out.width = image.width
                    out.channels = image.channels
                    out.values += image.pixels.map { UInt8((min(max($0, 0), 1) * 255).rounded()) }
                    out.labels.append(label)
                }
            }
            return out
        }
        let train = try split ? images(in: trainFolder) { _ in true } : images(in: folder) { $0 % 5 != 4 }
        let test = try split ? images(in: testFolder) { _ in true } : images(in: folder) { $0 % 5 == 4 }
        guard train.count > 0 else { throw DataError(file: folder, "has no training images") }
        guard test.count > 0 else {
            throw DataError(file: folder, "has no test images: give each class at least five images, or train/ and test/ folders")
        }
        return Contents(format: .imageFolder, name: (folder as NSString).lastPathComponent, classNames: classes,
                        train: train, test: test)
    }

    // MARK: - Helpers

    static func read(_ path: String) throws(DataError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError(file: path, "can't be read (no such file, or no permission)")
        }
        return [UInt8](data)
    }

    static func sameSize(_ train: Images, _ test: Images, folder: String) throws(DataError) {
        guard train.height == test.height, train.width == test.width, train.channels == test.channels else {
            throw DataError(file: folder, "the train images are \(train.height)×\(train.width)×\(train.channels) but the "
                + "test images \(test.height)×\(test.width)×\(test.channels)")
        }
    }
}
