#if canImport(Glibc)
/// glibc's `mallopt`, which the Glibc module does not export (it lives in malloc.h).
@_silgen_name("mallopt")
private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
private let M_TRIM_THRESHOLD: Int32 = -1
private let M_TOP_PAD: Int32 = -2
private let M_MMAP_THRESHOLD: Int32 = -3
#endif

/// Keeps large freed blocks in the heap so that the next layer's output
/// reuses them instead of faulting in fresh pages.
///
/// glibc hands blocks over 128 KB to `mmap` and returns them on `free`; a
/// 50 MB feature map then costs ~25 ms of page faults every time it is
/// allocated, more than the convolution that fills it.
///
/// A thread other than the main one (where the app and `bench` compute)
/// allocates from an arena of 64 MB heaps, and glibc unmaps a heap as soon
/// as it is empty unless the top padding is at least a heap: without it,
/// each Flatten-head inference at 224×224 faulted its maps in afresh
/// (64–100 img/s instead of 120). The padding is address space, not memory.
enum Memory {
    static let configured: Bool = {
        #if canImport(Glibc)
        _ = mallopt(M_MMAP_THRESHOLD, 1 << 30)
        _ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
        _ = mallopt(M_TOP_PAD, 64 << 20)
        #endif
        return true
    }()
}

extension Tensor {
    /// A tensor whose values the caller overwrites entirely before reading.
    init(uninitialized shape: [Int]) {
        let count = shape.reduce(1, *)
        self.init(shape: shape, data: [Float](unsafeUninitializedCapacity: count) { _, n in n = count })
    }
}
