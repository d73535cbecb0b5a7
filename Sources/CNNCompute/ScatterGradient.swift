/// The input gradient of a stride-1 2D convolution by scattering: each tile
/// of dy pixels, for each kernel tap, adds dy · Wᵀ into the input pixels the
/// tap came from, at the ``KernelWidth`` in use (8 pixels × 2 vectors of
/// input channels at 16 and 4 lanes, 6 × 2 at 8 lanes, as ``DirectConv``).
///
/// Unlike the "full" convolution (``DirectConv/fullGradient(_:kernel:geometry:)``)
/// it multiplies no padding: on a 12×12 map under a 3×3 kernel the full
/// convolution spends 43% of its products on zeros. The price is one
/// read-modify-write of the tile's block per tap, small next to the
/// out-channels-long sum that fills it.
enum ScatterGradient {
    static func supports(_ g: WindowGeometry) -> Bool {
        g.kernel[0] == 1 && g.input.d == 1 && g.strides == [1, 1, 1] && g.dilation == [1, 1, 1]
            && g.input.c % 16 == 0 && g.input.c > 0 && g.output.c > 0
    }

    static func inputGradient(_ dy: Tensor, kernel: Tensor, geometry g: WindowGeometry) -> Tensor? {
        guard supports(g) else { return nil }
        switch KernelWidth.current {
        case .w16: return inputGradient(SIMD16<Float>.self, dy, kernel: kernel, geometry: g)
        case .w8: return inputGradient(SIMD8<Float>.self, dy, kernel: kernel, geometry: g)
        case .w4: return inputGradient(SIMD4<Float>.self, dy, kernel: kernel, geometry: g)
        }
    }

    static func inputGradient<V: FloatVector>(_: V.Type, _ dy: Tensor, kernel: Tensor, geometry g: WindowGeometry) -> Tensor {
        let I = g.input, O = g.output
        let kh = g.kernel[1], kw = g.kernel[2], inC = I.c, outC = O.c
        let top = g.padBefore[1], left = g.padBefore[2]
        // transposed[i][j][co][ci] = kernel[i][j][ci][co], so input channels are contiguous.
        var transposed = [Float](repeating: 0, count: kernel.count)
        kernel.data.withUnsafeBufferPointer { k in
            for cell in 0..<(kh * kw) {
                let base = cell * inC * outC
                for ci in 0..<inC {
                    for co in 0..<outC { transposed[base + co * inC + ci] = k[base + ci * outC + co] }
                }
            }
        }
        // Zeroed per image inside the parallel loop.
        var dx = Tensor(uninitialized: [I.n, I.h, I.w, inC])
        let perImage = O.h * O.w
        let P = V.tilePixels, L = V.lanes
        let groups = (perImage + P - 1) / P
        let work = 2 * O.n * perImage * kh * kw * inC * outC
        let silentRow = [Float](repeating: 0, count: outC)
        dy.data.withUnsafeBufferPointer { db in
            transposed.withUnsafeBufferPointer { wb in
                silentRow.withUnsafeBufferPointer { zb in
                    dx.data.withUnsafeMutableBufferPointer { xb in
                        guard let dp = db.baseAddress, let wp = wb.baseAddress, let zp = zb.baseAddress,
                              let xBase = xb.baseAddress else { return }
                        let xs = SharedPointer(xBase)
                        // Threads own whole images, whose input pixels no other image touches.
                        Parallel.chunks(O.n, work: work) { images in
                            let sources = UnsafeMutablePointer<UnsafePointer<Float>>.allocate(capacity: 8)
                            let targets = UnsafeMutablePointer<UnsafeMutablePointer<Float>>.allocate(capacity: 8)
                            // Pixels past the image's end read zeros and write here.
                            let sink = UnsafeMutablePointer<Float>.allocate(capacity: inC)
                            defer { sources.deallocate(); targets.deallocate(); sink.deallocate() }
                            var rows = [Int](repeating: 0, count: 8), cols = [Int](repeating: 0, count: 8)
                            (xs.base + images.lowerBound &* I.perSample).update(repeating: 0, count: images.count &* I.perSample)
                            for n in images {
                                for group in 0..<groups {
                                    let p0 = group * P, valid = min(P, perImage - p0)
                                    for k in 0..<P {
                                        if k < valid {
                                            let p = p0 + k
                                            rows[k] = p / O.w
                                            cols[k] = p % O.w
                                            sources[k] = UnsafePointer(dp + (n * perImage + p) * outC)
                                        } else {
                                            rows[k] = -1
                                            sources[k] = zp
                                        }
                                    }
                                    for i in 0..<kh {
                                        for j in 0..<kw {
                                            for k in 0..<P {
                                                let y = rows[k] + i - top, x = cols[k] + j - left
                                                if rows[k] >= 0 && y >= 0 && y < I.h && x >= 0 && x < I.w {
                                                    targets[k] = xs.base + ((n * I.h + y) * I.w + x) * inC
                                                } else {
                                                    targets[k] = sink
                                                }
                                            }
                                            let w = wp + (i * kw + j) * outC * inC
                                            // inC is a multiple of 16: one vector is left over only at 16 lanes.
                                            var ci = 0
                                            while ci + 2 * L <= inC {
                                                if P == 8 {
                                                    tile8x2(V.self, sources, w + ci, targets, ci, outC: outC, inC: inC)
                                                } else {
                                                    tile6x2(V.self, sources, w + ci, targets, ci, outC: outC, inC: inC)
                                                }
                                                ci += 2 * L
                                            }
                                            if ci < inC {
                                                tile8x1(V.self, sources, w + ci, targets, ci, outC: outC, inC: inC)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx
    }

    /// targets[k][ci ..< ci + 2L] += Σ_co sources[k][co] · w[co][ci …] for 8
    /// pixels: 16 accumulators (32 vector registers: AVX-512, NEON).
    @inline(__always)
    static func tile8x2<V: FloatVector>(_: V.Type, _ src: UnsafePointer<UnsafePointer<Float>>, _ w: UnsafePointer<Float>,
                                        _ dst: UnsafePointer<UnsafeMutablePointer<Float>>, _ ci: Int, outC: Int, inC: Int) {
        let L = V.lanes
        let s0 = src[0], s1 = src[1], s2 = src[2], s3 = src[3], s4 = src[4], s5 = src[5], s6 = src[6], s7 = src[7]
        var a00 = V(), a01 = V(), a10 = V(), a11 = V(), a20 = V(), a21 = V(), a30 = V(), a31 = V()
        var a40 = V(), a41 = V(), a50 = V(), a51 = V(), a60 = V(), a61 = V(), a70 = V(), a71 = V()
        var wk = w
        for co in 0..<outC {
            let w0 = V.load(wk), w1 = V.load(wk + L)
            wk += inC
            let v0 = s0[co], v1 = s1[co], v2 = s2[co], v3 = s3[co]
            let v4 = s4[co], v5 = s5[co], v6 = s6[co], v7 = s7[co]
            a00 = a00.fma(v0, w0); a01 = a01.fma(v0, w1)
            a10 = a10.fma(v1, w0); a11 = a11.fma(v1, w1)
            a20 = a20.fma(v2, w0); a21 = a21.fma(v2, w1)
            a30 = a30.fma(v3, w0); a31 = a31.fma(v3, w1)
            a40 = a40.fma(v4, w0); a41 = a41.fma(v4, w1)
            a50 = a50.fma(v5, w0); a51 = a51.fma(v5, w1)
            a60 = a60.fma(v6, w0); a61 = a61.fma(v6, w1)
            a70 = a70.fma(v7, w0); a71 = a71.fma(v7, w1)
        }
        add(a00, a01, dst[0] + ci, L); add(a10, a11, dst[1] + ci, L)
        add(a20, a21, dst[2] + ci, L); add(a30, a31, dst[3] + ci, L)
        add(a40, a41, dst[4] + ci, L); add(a50, a51, dst[5] + ci, L)
        add(a60, a61, dst[6] + ci, L); add(a70, a71, dst[7] + ci, L)
    }

    /// The same for 6 pixels: 12 accumulators, which leave room in 16
    /// registers (AVX2) for the two kernel vectors and a broadcast value.
    @inline(__always)
    static func tile6x2<V: FloatVector>(_: V.Type, _ src: UnsafePointer<UnsafePointer<Float>>, _ w: UnsafePointer<Float>,
                                        _ dst: UnsafePointer<UnsafeMutablePointer<Float>>, _ ci: Int, outC: Int, inC: Int) {
        let L = V.lanes
        let s0 = src[0], s1 = src[1], s2 = src[2], s3 = src[3], s4 = src[4], s5 = src[5]
        var a00 = V(), a01 = V(), a10 = V(), a11 = V(), a20 = V(), a21 = V()
        var a30 = V(), a31 = V(), a40 = V(), a41 = V(), a50 = V(), a51 = V()
        var wk = w
        for co in 0..<outC {
            let w0 = V.load(wk), w1 = V.load(wk + L)
            wk += inC
            let v0 = s0[co], v1 = s1[co], v2 = s2[co], v3 = s3[co], v4 = s4[co], v5 = s5[co]
            a00 = a00.fma(v0, w0); a01 = a01.fma(v0, w1)
            a10 = a10.fma(v1, w0); a11 = a11.fma(v1, w1)
            a20 = a20.fma(v2, w0); a21 = a21.fma(v2, w1)
            a30 = a30.fma(v3, w0); a31 = a31.fma(v3, w1)
            a40 = a40.fma(v4, w0); a41 = a41.fma(v4, w1)
            a50 = a50.fma(v5, w0); a51 = a51.fma(v5, w1)
        }
        add(a00, a01, dst[0] + ci, L); add(a10, a11, dst[1] + ci, L)
        add(a20, a21, dst[2] + ci, L); add(a30, a31, dst[3] + ci, L)
        add(a40, a41, dst[4] + ci, L); add(a50, a51, dst[5] + ci, L)
    }

    /// 8 pixels × 1 vector, for the last 16 channels at 16 lanes.
    @inline(__always)
    static func tile8x1<V: FloatVector>(_: V.Type, _ src: UnsafePointer<UnsafePointer<Float>>, _ w: UnsafePointer<Float>,
                                        _ dst: UnsafePointer<UnsafeMutablePointer<Float>>, _ ci: Int, outC: Int, inC: Int) {
        let s0 = src[0], s1 = src[1], s2 = src[2], s3 = src[3], s4 = src[4], s5 = src[5], s6 = src[6], s7 = src[7]
        var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V()
        var wk = w
        for co in 0..<outC {
            let w0 = V.load(wk)
            wk += inC
            a0 = a0.fma(s0[co], w0); a1 = a1.fma(s1[co], w0)
            a2 = a2.fma(s2[co], w0); a3 = a3.fma(s3[co], w0)
            a4 = a4.fma(s4[co], w0); a5 = a5.fma(s5[co], w0)
            a6 = a6.fma(s6[co], w0); a7 = a7.fma(s7[co], w0)
        }
        @inline(__always) func add1(_ v: V, _ p: UnsafeMutablePointer<Float>) { (V.load(p) + v).store(p) }
        add1(a0, dst[0] + ci); add1(a1, dst[1] + ci); add1(a2, dst[2] + ci); add1(a3, dst[3] + ci)
        add1(a4, dst[4] + ci); add1(a5, dst[5] + ci); add1(a6, dst[6] + ci); add1(a7, dst[7] + ci)
    }

    /// p[0 ..< 2L] += (lo, hi).
    @inline(__always)
    static func add<V: FloatVector>(_ lo: V, _ hi: V, _ p: UnsafeMutablePointer<Float>, _ L: Int) {
        (V.load(p) + lo).store(p)
        (V.load(p + L) + hi).store(p + L)
    }
}
