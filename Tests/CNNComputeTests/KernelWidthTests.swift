import Testing
@testable import CNNCompute

/// The kernels' vector width follows the processor, and the tests' hook forces any width.
@Suite struct KernelWidthTests {
    @Test func theDetectedWidthFollowsTheFlags() {
        #if arch(x86_64) && os(Linux)
        let flags = CPUFeatures.flags
        #expect(!flags.isEmpty, "no flags read from /proc/cpuinfo")
        let expected: KernelWidth = flags.contains("avx512f") ? .w16
            : flags.contains("avx2") && flags.contains("fma") ? .w8 : .w4
        #expect(KernelWidth.detected == expected)
        #endif
    }

    @Test(arguments: KernelWidth.allCases)
    func aForcedWidthIsTheOneInUse(_ width: KernelWidth) {
        KernelWidth.$forced.withValue(width) { #expect(KernelWidth.current == width) }
    }

    /// The register tiles: 6 pixels at 8 lanes (16 AVX2 registers), 8 otherwise.
    @Test func tilesFitTheRegisters() {
        #expect(SIMD16<Float>.tilePixels == 8)
        #expect(SIMD8<Float>.tilePixels == 6)
        #expect(SIMD4<Float>.tilePixels == 8)
        #expect(SIMD8<Float>.lanes == 8)
    }

    /// The peak loop runs at every width and counts its flops (not a timing test:
    /// any positive figure passes).
    @Test(arguments: KernelWidth.allCases)
    func thePeakLoopRuns(_ width: KernelWidth) {
        #expect(FMAPeak.gflops(width: width, iterations: 1000) > 0)
    }
}
