/// Single-precision matrix multiply with a packed SIMD16 micro-kernel.
///
/// `C (m×n) = [C +] op(A) (m×k) · op(B) (k×n)`, every matrix row-major with a
/// leading dimension. A is packed into 8-row panels and B into 32-column
/// panels so that the micro-kernel streams both from cache while it holds an
/// 8×32 block of C in sixteen `SIMD16<Float>` registers.
enum Gemm {
    static let mr = 8
    static let nr = 32
    static let kc = 256
    static let mc = 128

    /// Multiplies, splitting the rows (or, for short and wide products, the
    /// columns) of C over the threads when the product is large enough.
    static func multiply(m: Int, n: Int, k: Int,
                         a: UnsafePointer<Float>, lda: Int, transA: Bool,
                         b: UnsafePointer<Float>, ldb: Int, transB: Bool,
                         c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool,
                         parallel: Bool = true) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            if !accumulate { for i in 0..<m { (c + i &* ldc).update(repeating: 0, count: n) } }
            return
        }
        let work = 2 &* m &* n &* k
        let threads = parallel ? Parallel.threadCount(2, work: work) : 1
        if threads == 1 || (m < 2 * mr && n < 2 * nr) {
            single(m: m, n: n, k: k, a: a, lda: lda, transA: transA, b: b, ldb: ldb, transB: transB,
                   c: c, ldc: ldc, accumulate: accumulate)
            return
        }
        let cs = SharedPointer(c)
        if m >= n || n < 2 * nr {
            // Row halves, in whole 8-row panels.
            let panels = (m + mr - 1) / mr
            Parallel.chunks(panels, work: work) { r in
                let lo = r.lowerBound * mr, hi = min(m, r.upperBound * mr)
                let aRow = transA ? a + lo : a + lo &* lda
                single(m: hi - lo, n: n, k: k, a: aRow, lda: lda, transA: transA, b: b, ldb: ldb, transB: transB,
                       c: cs.base + lo &* ldc, ldc: ldc, accumulate: accumulate)
            }
        } else {
            let panels = (n + nr - 1) / nr
            Parallel.chunks(panels, work: work) { r in
                let lo = r.lowerBound * nr, hi = min(n, r.upperBound * nr)
                let bCol = transB ? b + lo &* ldb : b + lo
                single(m: m, n: hi - lo, k: k, a: a, lda: lda, transA: transA, b: bCol, ldb: ldb, transB: transB,
                       c: cs.base + lo, ldc: ldc, accumulate: accumulate)
            }
        }
    }

    /// The single-threaded blocked product.
    static func single(m: Int, n: Int, k: Int,
                       a: UnsafePointer<Float>, lda: Int, transA: Bool,
                       b: UnsafePointer<Float>, ldb: Int, transB: Bool,
                       c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        let nPanels = (n + nr - 1) / nr
        let kcMax = min(kc, k)
        let packedB = UnsafeMutablePointer<Float>.allocate(capacity: nPanels &* nr &* kcMax)
        let packedA = UnsafeMutablePointer<Float>.allocate(capacity: ((min(mc, m) + mr - 1) / mr) &* mr &* kcMax)
        defer { packedB.deallocate(); packedA.deallocate() }
        var edge = [Float](repeating: 0, count: mr * nr)

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
                    packB(k0: p0, kb: kb, n: n - fullPanels * nr, b: b + fullPanels * nr, ldb: ldb, transB: false,
                          into: packedB + fullPanels &* kb &* nr)
                }
            } else {
                packB(k0: p0, kb: kb, n: n, b: b, ldb: ldb, transB: transB, into: packedB)
            }
            var i0 = 0
            while i0 < m {
                let mb = min(mc, m - i0)
                packA(i0: i0, mb: mb, k0: p0, kb: kb, a: a, lda: lda, transA: transA, into: packedA)
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
                            kernel(kb, ap, bp, bStride, cp, ldc, add)
                        } else {
                            edge.withUnsafeMutableBufferPointer { e in
                                let ep = e.baseAddress!
                                kernel(kb, ap, bp, bStride, ep, nr, false)
                                for r in 0..<rows {
                                    let dst = cp + r &* ldc, src = ep + r &* nr
                                    if add {
                                        for j in 0..<cols { dst[j] += src[j] }
                                    } else {
                                        for j in 0..<cols { dst[j] = src[j] }
                                    }
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

    /// Packs rows k0..<k0+kb of op(B) into 32-wide panels, zero-padded on the right.
    @inline(__always)
    static func packB(k0: Int, kb: Int, n: Int, b: UnsafePointer<Float>, ldb: Int, transB: Bool,
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

    /// Packs rows i0..<i0+mb, columns k0..<k0+kb of op(A) into 8-tall panels.
    @inline(__always)
    static func packA(i0: Int, mb: Int, k0: Int, kb: Int, a: UnsafePointer<Float>, lda: Int, transA: Bool,
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

    // MARK: - Micro-kernel

    /// C[8×32] (+)= Apanel[kb×8]ᵀ · B[kb×32], B's rows `bStride` apart (32 when packed).
    @inline(__always)
    static func kernel(_ kb: Int, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ bStride: Int,
                       _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ accumulate: Bool) {
        var c00 = SIMD16<Float>(), c01 = SIMD16<Float>()
        var c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
        var c20 = SIMD16<Float>(), c21 = SIMD16<Float>()
        var c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
        var c40 = SIMD16<Float>(), c41 = SIMD16<Float>()
        var c50 = SIMD16<Float>(), c51 = SIMD16<Float>()
        var c60 = SIMD16<Float>(), c61 = SIMD16<Float>()
        var c70 = SIMD16<Float>(), c71 = SIMD16<Float>()
        var ap = a
        var bp = b
        for _ in 0..<kb {
            let b0 = load16(bp), b1 = load16(bp + 16)
            bp += bStride
            c00 = c00.addingProduct(ap[0], b0); c01 = c01.addingProduct(ap[0], b1)
            c10 = c10.addingProduct(ap[1], b0); c11 = c11.addingProduct(ap[1], b1)
            c20 = c20.addingProduct(ap[2], b0); c21 = c21.addingProduct(ap[2], b1)
            c30 = c30.addingProduct(ap[3], b0); c31 = c31.addingProduct(ap[3], b1)
            c40 = c40.addingProduct(ap[4], b0); c41 = c41.addingProduct(ap[4], b1)
            c50 = c50.addingProduct(ap[5], b0); c51 = c51.addingProduct(ap[5], b1)
            c60 = c60.addingProduct(ap[6], b0); c61 = c61.addingProduct(ap[6], b1)
            c70 = c70.addingProduct(ap[7], b0); c71 = c71.addingProduct(ap[7], b1)
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

    @inline(__always)
    static func store(_ v0: SIMD16<Float>, _ v1: SIMD16<Float>, _ c: UnsafeMutablePointer<Float>, _ accumulate: Bool) {
        // C rows may start anywhere (ldc is arbitrary), so these stay unaligned.
        let raw = UnsafeMutableRawPointer(c)
        if accumulate {
            raw.storeBytes(of: v0 + raw.loadUnaligned(as: SIMD16<Float>.self), as: SIMD16<Float>.self)
            raw.storeBytes(of: v1 + raw.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self),
                           toByteOffset: 64, as: SIMD16<Float>.self)
        } else {
            raw.storeBytes(of: v0, as: SIMD16<Float>.self)
            raw.storeBytes(of: v1, toByteOffset: 64, as: SIMD16<Float>.self)
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
