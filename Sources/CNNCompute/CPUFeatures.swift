import Foundation

/// The vector width the compute kernels use, chosen once from what the
/// processor has: AVX-512 → 16 floats, AVX2 with FMA → 8, otherwise 4 (NEON,
/// SSE).
///
/// The kernels are generic over ``FloatVector`` and specialised for each
/// width, so the register blocking follows: 8 pixels × 2 vectors of
/// accumulators where there are 32 vector registers (AVX-512; NEON at 4
/// lanes), 6 × 2 where there are 16 (AVX2). `CNN_SIMD=16|8|4` forces a width
/// (the tests run every one; the build is `-target-cpu native`, so a wider
/// width than the processor's still runs, as several narrower instructions).
public enum KernelWidth: Int, Sendable, CaseIterable {
    case w4 = 4, w8 = 8, w16 = 16

    /// The width in use: ``forced`` inside `KernelWidth.$forced.withValue(…)`
    /// (the tests' hook), else `CNN_SIMD` when set, else the processor's widest.
    public static var current: KernelWidth { forced ?? chosen }

    /// A width for the kernels called inside `withValue` on this task.
    @TaskLocal public static var forced: KernelWidth?

    private static let chosen: KernelWidth = {
        if let text = ProcessInfo.processInfo.environment["CNN_SIMD"], let n = Int(text),
           let forced = KernelWidth(rawValue: n) {
            return forced
        }
        return detected
    }()

    /// The processor's widest vector of floats with fused multiply-add.
    public static let detected: KernelWidth = {
        #if arch(x86_64)
        let flags = CPUFeatures.flags
        if flags.contains("avx512f") { return .w16 }
        if flags.contains("avx2") && flags.contains("fma") { return .w8 }
        return .w4
        #else
        return .w4
        #endif
    }()



}

/// The processor's feature flags, as the operating system reports them.
public enum CPUFeatures {
    /// Lower-case flag names: `/proc/cpuinfo`'s `flags` line on Linux,
    /// `sysctl` `hw.optional.*` on macOS; empty where neither answers.
    public static let flags: Set<String> = {
        #if os(Linux)
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return [] }
        for line in text.split(separator: "\n") where line.hasPrefix("flags") || line.hasPrefix("Features") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return Set(line[line.index(after: colon)...].split(separator: " ").map { $0.lowercased() })
        }
        return []
        #elseif os(macOS)
        var found: Set<String> = []
        for (key, flag) in [("hw.optional.avx512f", "avx512f"), ("hw.optional.avx2_0", "avx2"),
                            ("hw.optional.fma", "fma"), ("hw.optional.neon", "neon")] {
            var value: Int32 = 0
            var size = MemoryLayout<Int32>.size
            if sysctlbyname(key, &value, &size, nil, 0) == 0, value != 0 { found.insert(flag) }
        }
        return found
        #else
        return []
        #endif
    }()
}
