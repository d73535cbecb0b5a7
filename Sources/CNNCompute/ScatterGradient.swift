/// The input gradient of a stride-1 2D convolution by scattering: each tile
/// of 8 dy pixels, for each kernel tap, adds dy · Wᵀ into the 8 input pixels
/// the tap came from.
///
/// Unlike the "full" convolution (``DirectConv/fullGradient(_:kernel:geometry:)``)
/// it multiplies no padding: on a 12×12 map under a 3×3 kernel the full
/// convolution spends 43% of its products on zeros. The price is one
/// read-modify-write of the 8 × 32 block per tap, small next to the
/// out-channels-long sum that fills it.
enum ScatterGradient {
    static func supports(_ g: WindowGeometry) -> Bool {
        g.kernel[0] == 1 && g.input.d == 1 && g.strides == [1, 1, 1] && g.dilation == [1, 1, 1]
            && g.input.c % 16 == 0 && g.input.c > 0 && g.output.c > 0
    }

    static func inputGradient(_ dy: Tensor, kernel: Tensor, geometry g: WindowGeometry) -> Tensor? {
        guard supports(g) else { return nil }
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
        let groups = (perImage + 7) / 8
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
                                    let p0 = group * 8, valid = min(8, perImage - p0)
                                    for k in 0..<8 {
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
                                            for k in 0..<8 {
                                                let y = rows[k] + i - top, x = cols[k] + j - left
                                                if rows[k] >= 0 && y >= 0 && y < I.h && x >= 0 && x < I.w {
                                                    targets[k] = xs.base + ((n * I.h + y) * I.w + x) * inC
                                                } else {
                                                    targets[k] = sink
                                                }
                                            }
                                            let w = wp + (i * kw + j) * outC * inC
                                            var ci = 0
                                            while ci < inC {
                                                let wide = ci + 32 <= inC
                                                tile(sources, w + ci, targets, ci, outC: outC, inC: inC, wide: wide)
                                                ci += wide ? 32 : 16
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

    /// targets[k][ci ..< ci + 32 (or 16)] += Σ_co sources[k][co] · w[co][ci …].
    @inline(__always)
    static func tile(_ src: UnsafePointer<UnsafePointer<Float>>, _ w: UnsafePointer<Float>,
                     _ dst: UnsafePointer<UnsafeMutablePointer<Float>>, _ ci: Int,
                     outC: Int, inC: Int, wide: Bool) {
        let s0 = src[0], s1 = src[1], s2 = src[2], s3 = src[3], s4 = src[4], s5 = src[5], s6 = src[6], s7 = src[7]
        var a00 = SIMD16<Float>(), a01 = SIMD16<Float>()
        var a10 = SIMD16<Float>(), a11 = SIMD16<Float>()
        var a20 = SIMD16<Float>(), a21 = SIMD16<Float>()
        var a30 = SIMD16<Float>(), a31 = SIMD16<Float>()
        var a40 = SIMD16<Float>(), a41 = SIMD16<Float>()
        var a50 = SIMD16<Float>(), a51 = SIMD16<Float>()
        var a60 = SIMD16<Float>(), a61 = SIMD16<Float>()
        var a70 = SIMD16<Float>(), a71 = SIMD16<Float>()
        var wk = w
        if wide {
            for co in 0..<outC {
                let w0 = load16(wk), w1 = load16(wk + 16)
                wk += inC
                let v0 = s0[co], v1 = s1[co], v2 = s2[co], v3 = s3[co]
                let v4 = s4[co], v5 = s5[co], v6 = s6[co], v7 = s7[co]
                a00 = a00.addingProduct(v0, w0); a01 = a01.addingProduct(v0, w1)
                a10 = a10.addingProduct(v1, w0); a11 = a11.addingProduct(v1, w1)
                a20 = a20.addingProduct(v2, w0); a21 = a21.addingProduct(v2, w1)
                a30 = a30.addingProduct(v3, w0); a31 = a31.addingProduct(v3, w1)
                a40 = a40.addingProduct(v4, w0); a41 = a41.addingProduct(v4, w1)
                a50 = a50.addingProduct(v5, w0); a51 = a51.addingProduct(v5, w1)
                a60 = a60.addingProduct(v6, w0); a61 = a61.addingProduct(v6, w1)
                a70 = a70.addingProduct(v7, w0); a71 = a71.addingProduct(v7, w1)
            }
        } else {
            for co in 0..<outC {
                let w0 = load16(wk)
                wk += inC
                a00 = a00.addingProduct(s0[co], w0); a10 = a10.addingProduct(s1[co], w0)
                a20 = a20.addingProduct(s2[co], w0); a30 = a30.addingProduct(s3[co], w0)
                a40 = a40.addingProduct(s4[co], w0); a50 = a50.addingProduct(s5[co], w0)
                a60 = a60.addingProduct(s6[co], w0); a70 = a70.addingProduct(s7[co], w0)
            }
        }
        @inline(__always) func add(_ k: Int, _ lo: SIMD16<Float>, _ hi: SIMD16<Float>) {
            let p = dst[k] + ci
            store16(load16(p) + lo, p)
            if wide { store16(load16(p + 16) + hi, p + 16) }
        }
        add(0, a00, a01); add(1, a10, a11); add(2, a20, a21); add(3, a30, a31)
        add(4, a40, a41); add(5, a50, a51); add(6, a60, a61); add(7, a70, a71)
    }
}
