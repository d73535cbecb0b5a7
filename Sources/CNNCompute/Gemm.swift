/// Single-precision matrix multiply with a packed micro-kernel at the
/// ``KernelWidth`` in use.
///
/// `C (m×n) = [C +] op(A) (m×k) · op(B) (k×n)`, every matrix row-major with a
/// leading dimension. A is packed into panels of `mr` rows and B into panels
/// of `nr` = 2 vectors of columns, so that the micro-kernel streams both from
/// cache while it holds an mr × nr block of C in registers: 8 × 32 in sixteen
/// `SIMD16<Float>` (AVX-512), 6 × 16 in twelve `SIMD8<Float>` (AVX2, 16
/// registers), 8 × 8 in sixteen `SIMD4<Float>`.
enum Gemm {
    static let kc = 256

    /// The register tile for a vector type: (rows of A, columns of B).
    @inline(__always)
    static func tile<V: FloatVector>(_: V.Type) -> (mr: Int, nr: Int) { (V.tilePixels, 2 * V.lanes) }

    /// Multiplies, splitting the rows (or, for short and wide products, the
    /// columns) of C over the threads when the product is large enough.
    static func multiply(m: Int, n: Int, k: Int,
                         a: UnsafePointer<Float>, lda: Int, transA: Bool,
                         b: UnsafePointer<Float>, ldb: Int, transB: Bool,
                         c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool,
                         parallel: Bool = true) {
        switch KernelWidth.current {
        case .w16:
            multiply(SIMD16<Float>.self, m: m, n: n, k: k, a: a, lda: lda, transA: transA, b: b, ldb: ldb, transB: transB,
                     c: c, ldc: ldc, accumulate: accumulate, parallel: parallel)
        case .w8:
            multiply(SIMD8<Float>.self, m: m, n: n, k: k, a: a, lda: lda, transA: transA, b: b, ldb: ldb, transB: transB,
                     c: c, ldc: ldc, accumulate: accumulate, parallel: parallel)
        case .w4:
            multiply(SIMD4<Float>.self, m: m, n: n, k: k, a: a, lda: lda, transA: transA, b: b, ldb: ldb, transB: transB,
                     c: c, ldc: ldc, accumulate: accumulate, parallel: parallel)
        }
    }

    static func multiply<V: FloatVector>(_: V.Type, m: Int, n: Int, k: Int,
                                         a: UnsafePointer<Float>, lda: Int, transA: Bool,
                                         b: UnsafePointer<Float>, ldb: Int, transB: Bool,
                                         c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool,
                                         parallel: Bool) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            if !accumulate { for i in 0..<m { (c + i &* ldc).update(repeating: 0, count: n) } }
            return
        }
        let (mr, nr) = tile(V.self)
        let work = 2 &* m &* n &* k
        let threads = parallel ? Parallel.threadCount(2, work: work, perThread: 1, minimum: Parallel.minimumChunkWork) : 1
        if threads == 1 || (m < 2 * mr && n < 2 * nr) {
            single(V.self, m: m, n: n, k: k, a: a, lda: lda, transA: transA, b: b, ldb: ldb, transB: transB,
                   c: c, ldc: ldc, accumulate: accumulate)
            return
        }
        let cs = SharedPointer(c)
        if m >= n || n < 2 * nr {
            // Row halves, in whole mr-row panels.
            let panels = (m + mr - 1) / mr
            Parallel.chunks(panels, work: work) { r in
                let lo = r.lowerBound * mr, hi = min(m, r.upperBound * mr)
                let aRow = transA ? a + lo : a + lo &* lda
                single(V.self, m: hi - lo, n: n, k: k, a: aRow, lda: lda, transA: transA, b: b, ldb: ldb, transB: transB,
                       c: cs.base + lo &* ldc, ldc: ldc, accumulate: accumulate)
            }
        } else {
            let panels = (n + nr - 1) / nr
            Parallel.chunks(panels, work: work) { r in
                let lo = r.lowerBound * nr, hi = min(n, r.upperBound * nr)
                let bCol = transB ? b + lo &* ldb : b + lo
                single(V.self, m: m, n: hi - lo, k: k, a: a, lda: lda, transA: transA, b: bCol, ldb: ldb, transB: transB,
                       c: cs.base + lo, ldc: ldc, accumulate: accumulate)
            }
        }
    }

    /// The single-threaded blocked product.
    static func single<V: FloatVector>(_: V.Type, m: Int, n: Int, k: Int,
                                       a: UnsafePointer<Float>, lda: Int, transA: Bool,
                                       b: UnsafePointer<Float>, ldb: Int, transB: Bool,
                                       c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        let (mr, nr) = tile(V.self)
        let mc = 16 * mr
        let nPanels = (n + nr - 1) / nr
        let kcMax = min(kc, k)
        let packedB = UnsafeMutablePointer<Float>.allocate(capacity: nPanels &* nr &* kcMax)
        let packedA = UnsafeMutablePointer<Float>.allocate(capacity: ((min(mc, m) + mr - 1) / mr) &* mr &* kcMax)
        let edge = UnsafeMutablePointer<Float>.allocate(capacity: mr * nr)
        defer { packedB.deallocate(); packedA.deallocate(); edge.deallocate() }

        // With few rows of A, B is read once whatever its layout, so packing it
        // would double its memory traffic (a Flatten head's kernel is 46 MB):
        // full panels are then read in place and only the last one is packed.
        let direct = !transB && m <= 2 * mr && ldb % 4 == 0 && Int(bitPattern: b) % 16 == 0
        let fullPanels = direct ? n / nr : 0
        var p0 = 0
        while p0 < k {
            let kb = min(kc, k - p0)
            if direct {
                if fullPanels < nPanels {
                    packB(nr: nr, k0: p0, kb: kb, n: n - fullPanels * nr, b: b + fullPanels * nr, ldb: ldb, transB: false,
                          into: packedB + fullPanels &* kb &* nr)
                }
            } else {
                packB(nr: nr, k0: p0, kb: kb, n: n, b: b, ldb: ldb, transB: transB, into: packedB)
            }
            var i0 = 0
            while i0 < m {
                let mb = min(mc, m - i0)
                packA(mr: mr, i0: i0, mb: mb, k0: p0, kb: kb, a: a, lda: lda, transA: transA, into: packedA)
                let mPanels = (mb + mr - 1) / mr
                for jp in 0..<nPanels {
                    let cols = min(nr, n - jp * nr)
                    let inPlace = jp < fullPanels
                    let bp = inPlace ? b + (p0 &* ldb &+ jp &* nr) : UnsafePointer(packedB + jp &* kb &* nr)
                    let bStride = inPlace ? ldb : nr
                    for ip in 0..<mPanels {
                        let rows = min(mr, mb - ip * mr)
                        let ap = UnsafePointer(packedA + ip &* kb &* mr)
                        let cp = c + (i0 + ip * mr) &* ldc + jp * nr
                        let add = accumulate || p0 > 0
                        if rows == mr && cols == nr {
                            kernel(V.self, kb, ap, bp, bStride, cp, ldc, add)
                        } else {
                            kernel(V.self, kb, ap, bp, bStride, edge, nr, false)
                            for r in 0..<rows {
                                let dst = cp + r &* ldc, src = edge + r &* nr
                                if add {
                                    for j in 0..<cols { dst[j] += src[j] }
                                } else {
                                    for j in 0..<cols { dst[j] = src[j] }
                                }
                            }
                        }
                    }
                }
                i0 += mb
            }
            p0 += kb
        }
    }

    // MARK: - Packing

    /// Packs rows k0..<k0+kb of op(B) into nr-wide panels, zero-padded on the right.
    @inline(__always)
    static func packB(nr: Int, k0: Int, kb: Int, n: Int, b: UnsafePointer<Float>, ldb: Int, transB: Bool,
                      into out: UnsafeMutablePointer<Float>) {
        let nPanels = (n + nr - 1) / nr
        for jp in 0..<nPanels {
            let j0 = jp &* nr
            let cols = min(nr, n &- j0)
            let panel = out + jp &* kb &* nr
            if !transB {
                for p in 0..<kb {
                    let src = b + ((k0 &+ p) &* ldb &+ j0)
                    let dst = panel + p &* nr
                    if cols == nr {
                        dst.update(from: src, count: nr)
                    } else {
                        for j in 0..<cols { dst[j] = src[j] }
                        for j in cols..<nr { dst[j] = 0 }
                    }
                }
            } else {
                for j in 0..<nr {
                    if j < cols {
                        let src = b + ((j0 &+ j) &* ldb &+ k0)
                        for p in 0..<kb { panel[p &* nr &+ j] = src[p] }
                    } else {
                        for p in 0..<kb { panel[p &* nr &+ j] = 0 }
                    }
                }
            }
        }
    }

    /// Packs rows i0..<i0+mb, columns k0..<k0+kb of op(A) into mr-tall panels.
    @inline(__always)
    static func packA(mr: Int, i0: Int, mb: Int, k0: Int, kb: Int, a: UnsafePointer<Float>, lda: Int, transA: Bool,
                      into out: UnsafeMutablePointer<Float>) {
        let mPanels = (mb + mr - 1) / mr
        for ip in 0..<mPanels {
            let r0 = i0 &+ ip &* mr
            let rows = min(mr, i0 &+ mb &- r0)
            let panel = out + ip &* kb &* mr
            if transA {
                for p in 0..<kb {
                    let src = a + ((k0 &+ p) &* lda &+ r0)
                    let dst = panel + p &* mr
                    for i in 0..<rows { dst[i] = src[i] }
                    for i in rows..<mr { dst[i] = 0 }
                }
            } else {
                for i in 0..<mr {
                    if i < rows {
                        let src = a + ((r0 &+ i) &* lda &+ k0)
                        for p in 0..<kb { panel[p &* mr &+ i] = src[p] }
                    } else {
                        for p in 0..<kb { panel[p &* mr &+ i] = 0 }
                    }
                }
            }
        }
    }

    // MARK: - Micro-kernels

    /// C[mr × nr] (+)= Apanel[kb × mr]ᵀ · B[kb × nr], B's rows `bStride` apart (nr when packed).
    @inline(__always)
    static func kernel<V: FloatVector>(_: V.Type, _ kb: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                       _ bStride: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool) {
        if V.tilePixels == 8 {
            kernel8x2(V.self, kb, a, b, bStride, c, ldc, accumulate)
        } else {
            kernel6x2(V.self, kb, a, b, bStride, c, ldc, accumulate)
        }
    }

    /// 8 rows × 2 vectors: 16 accumulators (32 registers: AVX-512, NEON).
    @inline(__always)
    static func kernel8x2<V: FloatVector>(_: V.Type, _ kb: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                          _ bStride: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool) {
        let L = V.lanes
        var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V(), c30 = V(), c31 = V()
        var c40 = V(), c41 = V(), c50 = V(), c51 = V(), c60 = V(), c61 = V(), c70 = V(), c71 = V()
        var ap = a
        var bp = b
        for _ in 0..<kb {
            let b0 = V.load(bp), b1 = V.load(bp + L)
            bp += bStride
            c00 = c00.fma(ap[0], b0); c01 = c01.fma(ap[0], b1)
            c10 = c10.fma(ap[1], b0); c11 = c11.fma(ap[1], b1)
            c20 = c20.fma(ap[2], b0); c21 = c21.fma(ap[2], b1)
            c30 = c30.fma(ap[3], b0); c31 = c31.fma(ap[3], b1)
            c40 = c40.fma(ap[4], b0); c41 = c41.fma(ap[4], b1)
            c50 = c50.fma(ap[5], b0); c51 = c51.fma(ap[5], b1)
            c60 = c60.fma(ap[6], b0); c61 = c61.fma(ap[6], b1)
            c70 = c70.fma(ap[7], b0); c71 = c71.fma(ap[7], b1)
            ap += 8
        }
        store(c00, c01, c, accumulate)
        store(c10, c11, c + ldc, accumulate)
        store(c20, c21, c + 2 &* ldc, accumulate)
        store(c30, c31, c + 3 &* ldc, accumulate)
        store(c40, c41, c + 4 &* ldc, accumulate)
        store(c50, c51, c + 5 &* ldc, accumulate)
        store(c60, c61, c + 6 &* ldc, accumulate)
        store(c70, c71, c + 7 &* ldc, accumulate)
    }

    /// 6 rows × 2 vectors: 12 accumulators, which leave room in 16 registers
    /// (AVX2) for B's two vectors and a broadcast value of A.
    @inline(__always)
    static func kernel6x2<V: FloatVector>(_: V.Type, _ kb: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                          _ bStride: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool) {
        let L = V.lanes
        var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
        var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()
        var ap = a
        var bp = b
        for _ in 0..<kb {
            let b0 = V.load(bp), b1 = V.load(bp + L)
            bp += bStride
            c00 = c00.fma(ap[0], b0); c01 = c01.fma(ap[0], b1)
            c10 = c10.fma(ap[1], b0); c11 = c11.fma(ap[1], b1)
            c20 = c20.fma(ap[2], b0); c21 = c21.fma(ap[2], b1)
            c30 = c30.fma(ap[3], b0); c31 = c31.fma(ap[3], b1)
            c40 = c40.fma(ap[4], b0); c41 = c41.fma(ap[4], b1)
            c50 = c50.fma(ap[5], b0); c51 = c51.fma(ap[5], b1)
            ap += 6
        }
        store(c00, c01, c, accumulate)
        store(c10, c11, c + ldc, accumulate)
        store(c20, c21, c + 2 &* ldc, accumulate)
        store(c30, c31, c + 3 &* ldc, accumulate)
        store(c40, c41, c + 4 &* ldc, accumulate)
        store(c50, c51, c + 5 &* ldc, accumulate)
    }

    @inline(__always)
    static func store<V: FloatVector>(_ v0: V, _ v1: V, _ c: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
        // C rows may start anywhere (ldc is arbitrary), so these stay unaligned.
        let L = V.lanes
        if accumulate {
            (v0 + V.loadUnaligned(c)).storeUnaligned(c)
            (v1 + V.loadUnaligned(c + L)).storeUnaligned(c + L)
        } else {
            v0.storeUnaligned(c)
            v1.storeUnaligned(c + L)
        }
    }
}

// MARK: - Array conveniences

extension Gemm {
    /// `C = [C +] op(A) · op(B)` on arrays; shapes are given as (rows, cols) of op(·).
    static func multiply(_ a: [Float], _ b: [Float], into c: inout [Float], m: Int, n: Int, k: Int,
                         transA: Bool = false, transB: Bool = false, accumulate: Bool = false) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            if !accumulate { for i in 0..<(m * n) { c[i] = 0 } }
            return
        }
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    multiply(m: m, n: n, k: k, a: ap.baseAddress!, lda: transA ? m : k, transA: transA,
                             b: bp.baseAddress!, ldb: transB ? k : n, transB: transB,
                             c: cp.baseAddress!, ldc: n, accumulate: accumulate)
                }
            }
        }
    }
}
