import CNNCompute
import Race

extension SampleImage {
    /// Reads a binary or ASCII PGM (P2/P5) or PPM (P3/P6) file's bytes (the race's reader).
    public static func netpbm(_ data: [UInt8], name: String) throws(LoadError) -> SampleImage {
        do {
            let image = try NetpbmImage.decode(data, name: name)
            return SampleImage(name: name, width: image.width, height: image.height, channels: image.channels,
                               pixels: image.pixels)
        } catch {
            throw LoadError(error.description)
        }
    }
}
