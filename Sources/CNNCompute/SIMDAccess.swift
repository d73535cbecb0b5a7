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
    /// The lane-wise maximum.
    func maximum(_ other: Self) -> Self
    /// Negative lanes set to zero.
    func relu() -> Self
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
    @inline(__always) func maximum(_ other: Self) -> Self { replacing(with: other, where: other .> self) }
}

// ReLU on the bits, one width at a time: inlined into a large kernel, a
// float comparison's mask (`replacing(with: 0, where: self .< 0)`) is built
// lane by lane through the stack, which cost the direct convolution half its
// time at 8 lanes; integer vector ops stay vector ops. A lane is cleared when
// it is negative and not a NaN (as int32: negative, and at most −∞'s pattern),
// so NaNs pass through as Keras' relu passes them; −0 becomes +0.
extension SIMD16: FloatVector where Scalar == Float {
    @inline(__always) func relu() -> Self {
        let b = unsafeBitCast(self, to: SIMD16<Int32>.self)
        return unsafeBitCast(b & ~((b & (b &+ 8_388_607)) &>> 31), to: Self.self)
    }
}

extension SIMD8: FloatVector where Scalar == Float {
    @inline(__always) func relu() -> Self {
        let b = unsafeBitCast(self, to: SIMD8<Int32>.self)
        return unsafeBitCast(b & ~((b & (b &+ 8_388_607)) &>> 31), to: Self.self)
    }
}

extension SIMD4: FloatVector where Scalar == Float {
    @inline(__always) func relu() -> Self {
        let b = unsafeBitCast(self, to: SIMD4<Int32>.self)
        return unsafeBitCast(b & ~((b & (b &+ 8_388_607)) &>> 31), to: Self.self)
    }
}
