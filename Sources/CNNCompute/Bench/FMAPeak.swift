import Foundation

/// The machine's own peak: fused multiply-adds on registers only, on every
/// core, at the widest vector width the processor has, so that a kernel's
/// GFLOP/s can be given as a share of it on any machine.
public enum FMAPeak {
    /// `fma_peak_gflops`: the median of 5 repeats.
    public static var workload: BenchWorkload {
        BenchWorkload(name: "fma_peak_gflops", unit: "GFLOP/s", repeats: 5) {
            { gflops(width: KernelWidth.detected, iterations: 20_000_000) }
        }
    }

    /// GFLOP/s of `iterations` rounds of 10 independent FMAs on each of
    /// ``Parallel/threads`` threads.
    public static func gflops(width: KernelWidth, iterations: Int) -> Double {
        let threads = Parallel.threads
        let sinks = UnsafeMutablePointer<Float>.allocate(capacity: threads)
        defer { sinks.deallocate() }
        let out = SharedPointer(sinks)
        let t = BenchWorkload.seconds {
            WorkerPool.shared.run(threads) { i in
                switch width {
                case .w16: out.base[i] = chains(SIMD16<Float>.self, iterations)
                case .w8: out.base[i] = chains(SIMD8<Float>.self, iterations)
                case .w4: out.base[i] = chains(SIMD4<Float>.self, iterations)
                }
            }
        }
        // The sums are read so that the loops are not dropped.
        let check = (0..<threads).reduce(Float(0)) { $0 + sinks[$1] }
        guard check.isFinite else { return 0 }
        return 2.0 * Double(width.rawValue) * 10 * Double(iterations) * Double(threads) / t / 1e9
    }

    /// Ten dependency chains, enough to cover an FMA's latency (4 cycles) on
    /// two pipes, and few enough to stay in 16 registers with the operands.
    @inline(never)
    static func chains<V: FloatVector>(_: V.Type, _ iterations: Int) -> Float {
        let b = V(repeating: 0.999_999), c = V(repeating: 1e-7)
        var a0 = V(repeating: 0), a1 = V(repeating: 1), a2 = V(repeating: 2), a3 = V(repeating: 3)
        var a4 = V(repeating: 4), a5 = V(repeating: 5), a6 = V(repeating: 6), a7 = V(repeating: 7)
        var a8 = V(repeating: 8), a9 = V(repeating: 9)
        for _ in 0..<iterations {
            a0 = a0.fma(b, c); a1 = a1.fma(b, c); a2 = a2.fma(b, c); a3 = a3.fma(b, c)
            a4 = a4.fma(b, c); a5 = a5.fma(b, c); a6 = a6.fma(b, c); a7 = a7.fma(b, c)
            a8 = a8.fma(b, c); a9 = a9.fma(b, c)
        }
        var s = a0 + a1 + a2 + a3 + a4
        s = s + a5 + a6 + a7 + a8 + a9
        var total: Float = 0
        let p = UnsafeMutablePointer<Float>.allocate(capacity: V.lanes)
        defer { p.deallocate() }
        s.store(p)
        for i in 0..<V.lanes { total += p[i] }
        return total
    }
}
