/// One CIFAR-10 binary batch (`data_batch_1.bin` … `test_batch.bin`): records
/// of one label byte then 3,072 pixel bytes, the red plane, the green, the
/// blue, each 32×32 row-major.
public enum CIFARBatch {
    public static let side = 32
    public static let recordSize = 1 + 3 * 32 * 32
    /// The class names, in label order, as batches.meta.txt lists them.
    public static let classNames = ["airplane", "automobile", "bird", "cat", "deer",
                                    "dog", "frog", "horse", "ship", "truck"]

    /// The batch's images as 32×32×3 bytes (channels last) and its labels.
    public static func decode(_ bytes: [UInt8], file: String) throws(DataError) -> (pixels: [UInt8], labels: [Int]) {
        guard !bytes.isEmpty else { throw DataError(file: file, "the file is empty") }
        guard bytes.count % recordSize == 0 else {
            throw DataError(file: file, "\(bytes.count) bytes is not a whole number of \(recordSize)-byte records "
                + "(one label byte and 32×32×3 pixels each): cut short, or not a CIFAR-10 binary batch")
        }
        let n = bytes.count / recordSize, plane = side * side
        var pixels = [UInt8](repeating: 0, count: n * plane * 3)
        var labels: [Int] = []
        labels.reserveCapacity(n)
        for r in 0..<n {
            let base = r * recordSize
            let label = Int(bytes[base])
            guard label < classNames.count else {
                throw DataError(file: file, "record \(r + 1) has label \(label); CIFAR-10's labels are 0 to 9")
            }
            labels.append(label)
            for p in 0..<plane {
                for c in 0..<3 { pixels[(r * plane + p) * 3 + c] = bytes[base + 1 + c * plane + p] }
            }
        }
        return (pixels, labels)
    }

    /// One record's bytes, from a 32×32×3 image (channels last, in 0…1).
    public static func record(label: UInt8, pixels: [Float]) -> [UInt8] {
        let plane = side * side
        var bytes = [label]
        for c in 0..<3 {
            for p in 0..<plane { bytes.append(UInt8((min(max(pixels[p * 3 + c], 0), 1) * 255).rounded())) }
        }
        return bytes
    }
}
