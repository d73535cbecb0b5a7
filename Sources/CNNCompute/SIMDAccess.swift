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

/// A vector of floats the kernels are generic over, one per ``KernelWidth``.
///
/// Each requirement forwards to the concrete `SIMDn<Float>` operation, so a
/// kernel specialised on `SIMD8<Float>` compiles to the same instructions as
/// one written for it by hand. Loads and stores need 16-byte alignment.
protocol FloatVector {
    static var lanes: Int { get }
    init()
    init(repeating: Float)
    static func load(_ p: UnsafePointer<Float>) -> Self
    func store(_ p: UnsafeMutablePointer<Float>)
    /// A load and a store at any address.
    static func loadUnaligned(_ p: UnsafePointer<Float>) -> Self
    func storeUnaligned(_ p: UnsafeMutablePointer<Float>)
    /// self + a · b, fused.
    func fma(_ a: Float, _ b: Self) -> Self
    func fma(_ a: Self, _ b: Self) -> Self
    static func + (l: Self, r: Self) -> Self
    static func - (l: Self, r: Self) -> Self
    /// The lane-wise maximum.
    func maximum(_ other: Self) -> Self
    /// Negative lanes set to zero.
    func relu() -> Self
    /// Lanes where `gate` is not positive set to zero: ReLU's backward, with `gate` its output.
    func gated(by gate: Self) -> Self
}

extension FloatVector {
    /// Pixels per register tile: 8 where there are 32 vector registers
    /// (AVX-512 at 16 lanes, NEON at 4), 6 where there are 16 (AVX2 at 8).
    static var tilePixels: Int { lanes == 8 ? 6 : 8 }

    /// self + bias, then ReLU when `relu`: a tile's store.
    @inline(__always) func finish(_ bias: Self, relu: Bool) -> Self {
        let s = self + bias
        return relu ? s.relu() : s
    }
}

// One implementation for every width; specialised on a concrete type, each
// compiles to that width's vector instructions (checked in the disassembly).
extension FloatVector where Self: SIMD, Self.Scalar == Float {
    static var lanes: Int { Self().scalarCount }
    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Self {
        UnsafeRawPointer(p).assumingMemoryBound(to: Self.self).pointee
    }
    @inline(__always) func store(_ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).assumingMemoryBound(to: Self.self).pointee = self
    }
    @inline(__always) static func loadUnaligned(_ p: UnsafePointer<Float>) -> Self {
        UnsafeRawPointer(p).loadUnaligned(as: Self.self)
    }
    @inline(__always) func storeUnaligned(_ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: self, as: Self.self)
    }
    @inline(__always) func fma(_ a: Float, _ b: Self) -> Self { addingProduct(a, b) }
    @inline(__always) func fma(_ a: Self, _ b: Self) -> Self { addingProduct(a, b) }
}

// Comparisons are written on each concrete type: there the standard library's
// `.<` and `.>` are single vector compares (`vmaxps` after selection), while
// the generic `SIMD` versions that the extension above would call compile,
// inside a large kernel, to a loop over the lanes through the stack, which
// cost the ReLU-fused convolutions more than their products.
extension SIMD16: FloatVector where Scalar == Float {
    @inline(__always) func maximum(_ other: Self) -> Self { replacing(with: other, where: other .> self) }
    @inline(__always) func relu() -> Self { replacing(with: 0, where: self .< 0) }
    @inline(__always) func gated(by gate: Self) -> Self { replacing(with: 0, where: gate .<= 0) }
}

extension SIMD8: FloatVector where Scalar == Float {
    @inline(__always) func maximum(_ other: Self) -> Self { replacing(with: other, where: other .> self) }
    @inline(__always) func relu() -> Self { replacing(with: 0, where: self .< 0) }
    @inline(__always) func gated(by gate: Self) -> Self { replacing(with: 0, where: gate .<= 0) }
}

extension SIMD4: FloatVector where Scalar == Float {
    @inline(__always) func maximum(_ other: Self) -> Self { replacing(with: other, where: other .> self) }
    @inline(__always) func relu() -> Self { replacing(with: 0, where: self .< 0) }
    @inline(__always) func gated(by gate: Self) -> Self { replacing(with: 0, where: gate .<= 0) }
}
