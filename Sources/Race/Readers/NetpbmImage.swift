/// A PGM or PPM image (netpbm P2, P3, P5, P6): pixels in 0…1, laid out
/// height × width × channels. The race's image folders and the feature-map
/// view's own images both read through it.
public struct NetpbmImage: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// 1 for PGM, 3 for PPM.
    public var channels: Int
    public var pixels: [Float]

    public init(width: Int, height: Int, channels: Int, pixels: [Float]) {
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// Reads a binary or ASCII PGM (P2/P5) or PPM (P3/P6) file's bytes.
    ///
    /// - Parameter name: the file, as errors name it.
    public static func decode(_ data: [UInt8], name: String) throws(DataError) -> NetpbmImage {
        var i = 0
        func fail(_ why: String) -> DataError { DataError(file: name, why) }
        func token() throws(DataError) -> String {
            while i < data.count {
                if data[i] == UInt8(ascii: "#") { while i < data.count, data[i] != 10 { i += 1 } }
                else if [9, 10, 13, 32].contains(data[i]) { i += 1 }
                else { break }
            }
            var s = ""
            while i < data.count, ![9, 10, 13, 32].contains(data[i]) { s.append(Character(Unicode.Scalar(data[i]))); i += 1 }
            if s.isEmpty { throw fail("the file ends in the middle of its header") }
            return s
        }
        let magic = try token()
        guard ["P2", "P3", "P5", "P6"].contains(magic) else {
            throw fail("not a PGM or PPM image (it starts with '\(magic.prefix(8))', expected P2, P3, P5 or P6)")
        }
        guard let w = Int(try token()), let h = Int(try token()), let maxValue = Int(try token()),
              w > 0, h > 0, w <= 8192, h <= 8192, maxValue > 0, maxValue < 65536 else {
            throw fail("the header's width, height or maximum value is not valid")
        }
        let channels = (magic == "P3" || magic == "P6") ? 3 : 1
        let count = w * h * channels
        let binary = magic == "P5" || magic == "P6"
        if binary { i += 1 }  // the single whitespace after the maximum value
        // Checked before allocating: a 20-byte header may claim 8192×8192×3 values.
        let bytesPer = binary ? (maxValue < 256 ? 1 : 2) : 2  // ASCII: at least a digit and a space each
        guard data.count - i >= count * bytesPer - (binary ? 0 : 1) else {
            throw fail("the image is cut short: \(w)×\(h)×\(channels) values need \(binary ? "" : "at least ")"
                + "\(count * bytesPer - (binary ? 0 : 1)) bytes, found \(max(0, data.count - i))")
        }
        var pixels = [Float](repeating: 0, count: count)
        if binary {
            for k in 0..<count {
                let v = bytesPer == 1 ? Int(data[i + k]) : Int(data[i + 2 * k]) << 8 | Int(data[i + 2 * k + 1])
                pixels[k] = Float(v) / Float(maxValue)
            }
        } else {
            for k in 0..<count {
                guard let v = Int(try token()) else { throw fail("value \(k + 1) is not a number") }
                pixels[k] = Float(min(max(0, v), maxValue)) / Float(maxValue)
            }
        }
        return NetpbmImage(width: w, height: h, channels: channels, pixels: pixels)
    }

    /// The image as a binary PGM (one channel) or PPM (three), 8 bits a value.
    public var encoded: [UInt8] {
        var bytes = Array("\(channels == 3 ? "P6" : "P5")\n\(width) \(height)\n255\n".utf8)
        bytes += pixels.map { UInt8((min(max($0, 0), 1) * 255).rounded()) }
        return bytes
    }
}
