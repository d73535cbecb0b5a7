/// An IDX file, the format of MNIST and Fashion-MNIST: a magic number that
/// gives the value type and the number of axes, the axes' sizes (big-endian
/// 32-bit), then the values. gzip-compressed files are read too.
public struct IDXFile: Sendable, Equatable {
    /// The axes' sizes: (N, rows, cols) for images, (N) for labels.
    public var shape: [Int]
    /// The values, row-major (unsigned bytes: the type MNIST uses).
    public var values: [UInt8]

    public init(shape: [Int], values: [UInt8]) {
        self.shape = shape
        self.values = values
    }

    /// Reads the bytes of an IDX file, gunzipping them first when they are gzip.
    public static func decode(_ raw: [UInt8], file: String) throws(DataError) -> IDXFile {
        let bytes = Gzip.isGzip(raw) ? try Gzip.decompress(raw, file: file) : raw
        func fail(_ why: String) -> DataError { DataError(file: file, why) }
        guard bytes.count >= 4 else { throw fail("too short for an IDX file (\(bytes.count) bytes)") }
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw fail("not an IDX file: wrong magic number (it starts with \(bytes[0]) \(bytes[1]), expected 0 0)")
        }
        guard bytes[2] == 0x08 else {
            throw fail("IDX value type 0x\(String(bytes[2], radix: 16)) is not unsigned bytes (0x08), the type MNIST uses")
        }
        let axes = Int(bytes[3])
        guard (1...4).contains(axes) else { throw fail("an IDX file with \(axes) axes; expected 1 to 4") }
        guard bytes.count >= 4 + 4 * axes else { throw fail("the header is cut short") }
        var shape: [Int] = []
        for a in 0..<axes {
            let p = 4 + 4 * a
            shape.append(Int(bytes[p]) << 24 | Int(bytes[p + 1]) << 16 | Int(bytes[p + 2]) << 8 | Int(bytes[p + 3]))
        }
        let header = 4 + 4 * axes
        let (expected, overflow) = shape.reduce((1, false)) { acc, n in
            let (v, o) = acc.0.multipliedReportingOverflow(by: n)
            return (v, acc.1 || o)
        }
        guard !overflow, expected == bytes.count - header else {
            throw fail("the header says \(shape.map(String.init).joined(separator: " × ")) = \(overflow ? "too many" : String(expected)) "
                + "values, but the file holds \(bytes.count - header) after its \(header)-byte header"
                + (bytes.count - header < expected ? " (cut short?)" : ""))
        }
        return IDXFile(shape: shape, values: Array(bytes[header...]))
    }

    /// The file's bytes: the header, then the values, uncompressed.
    public var encoded: [UInt8] {
        var bytes: [UInt8] = [0, 0, 0x08, UInt8(shape.count)]
        for n in shape { bytes += [UInt8(n >> 24 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] }
        return bytes + values
    }
}
