import CNNCompute
import Foundation

/// libFuzzer's entry: the bytes as a safetensors file, decoded, then every
/// tensor converted as `forward` would (floats, integer labels).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensors(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard let tensors = try? SafeTensors.decode(Data(bytes: start, count: count)) else { return 0 }
    for (_, t) in tensors {
        _ = t.floatTensor
        _ = t.integers
    }
    return 0
}
