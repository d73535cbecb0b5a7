/// Vector loads and stores for the kernels.
///
/// `loadUnaligned` and `storeBytes` are not always inlined inside large
/// kernels, and each outlined call spills every accumulator; a typed
/// `pointee` access is a single `vmovups`. Every address passed here is a
/// multiple of 16 bytes (Swift's alignment of `SIMD16<Float>`): channel
/// blocks start at multiples of 16 floats in 16-byte-aligned buffers.
@inline(__always)
func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).assumingMemoryBound(to: SIMD16<Float>.self).pointee
}

@inline(__always)
func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).assumingMemoryBound(to: SIMD16<Float>.self).pointee = v
}
