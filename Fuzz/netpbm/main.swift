import CNNCompute
import TutorUI

/// libFuzzer's entry: the bytes as a PGM/PPM image for the feature-map view
/// (through the race's reader, which its image folders use too), then fitted to a small input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNetpbm(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let image = try? SampleImage.netpbm(Array(UnsafeBufferPointer(start: start, count: count)), name: "fuzz.pgm") else { return 0 }
    _ = image.fitted(width: 8, height: 8, channels: 3)
    return 0
}
