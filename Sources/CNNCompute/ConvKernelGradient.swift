/// The kernel gradient of ``DirectConv``'s 2D convolutions: a register tile
/// of taps × output channels summed over every output pixel, reading x in
/// place and dy one block of output channels at a time, copied aligned.
extension DirectConv {
    /// dW[i][j][c][co] = Σ over every output pixel of x[pixel shifted by (i, j)][c] · dy[pixel][co],
    /// with 8 taps × 2 vectors of output channels held in registers (6 × 2
    /// at 8 lanes, where there are 16 registers); nil when the fast kernel
    /// does not apply.
    static func kernelGradient(_ dy: Tensor, x: Tensor, geometry g: WindowGeometry) -> Tensor? {
        switch KernelWidth.current {
        case .w16: return kernelGradient(SIMD16<Float>.self, dy, x: x, geometry: g)
        case .w8: return kernelGradient(SIMD8<Float>.self, dy, x: x, geometry: g)
        case .w4: return kernelGradient(SIMD4<Float>.self, dy, x: x, geometry: g)
        }
    }

    /// Output pixels per pass of the kernel gradient (see below).
    static let passPixels = 256

    static func kernelGradient<V: FloatVector>(_: V.Type, _ dy: Tensor, x: Tensor, geometry g: WindowGeometry) -> Tensor? {
        guard g.kernel[0] == 1, g.input.d == 1, g.dilation == [1, 1, 1], g.output.c % 16 == 0, g.output.c > 0,
              g.input.c > 0 else { return nil }
        let O = g.output
        let kh = g.kernel[1], kw = g.kernel[2], sh = g.strides[1], sw = g.strides[2]
        let inC = g.input.c, outC = O.c
        var source = x
        var inH = g.input.h, inW = g.input.w
        let needH = (O.h - 1) * sh + kh, needW = (O.w - 1) * sw + kw
        if g.padBefore[1] != 0 || g.padBefore[2] != 0 || needH > inH || needW > inW {
            inH = needH
            inW = needW
            source = padded2D(x, g.input, top: g.padBefore[1], left: g.padBefore[2], height: inH, width: inW)
        }
        var dk = Tensor(zeros: [kh, kw, inC, outC])
        if O.n == 0 || O.h == 0 || O.w == 0 { return dk }
        // Blocks of T taps (the tile's rows: 8, or 6 at 8 lanes) run over the
        // flattened (row, column, channel) taps, each tap at a fixed offset
        // from the block's first in x, so a one-channel 3×3 kernel takes 2
        // blocks rather than 9 mostly empty ones.
        let T = V.tilePixels
        let span = kw * inC
        let taps = kh * span
        let tasks = (taps + T - 1) / T
        let tapOffset = { (t: Int) in (t / span) * inW * inC + t % span }
        var offsets = [Int](repeating: 0, count: tasks * 8)
        for b in 0..<tasks {
            let t0 = b * T, rows = min(T, taps - t0)
            for k in 0..<8 { offsets[b * 8 + k] = tapOffset(t0 + min(k, rows - 1)) - tapOffset(t0) }
        }
        let work = 2 * O.n * O.h * O.w * kh * kw * inC * outC
        // Images outside, kernel blocks inside: one image's dy stays in cache
        // while every block of the gradient passes over it. Each chunk sums
        // its images into its own copy of the gradient.
        let parts = Parallel.partialCount(O.n, work: work)
        var partials = [[Float]](repeating: [], count: parts)
        let imageStride = inH * inW * inC, dyStride = O.h * O.w * outC
        offsets.withUnsafeBufferPointer { ob in
        source.data.withUnsafeBufferPointer { xb in
            dy.data.withUnsafeBufferPointer { db in
                partials.withUnsafeMutableBufferPointer { parts in
                    let xp = xb.baseAddress!, dp = db.baseAddress!, slots = PartialSlots(base: parts.baseAddress!)
                    let op = ob.baseAddress!
                    Parallel.indexedChunks(O.n, work: work) { images, slot in
                        var acc = [Float](repeating: 0, count: kh * kw * inC * outC)
                        // About `passPixels` output pixels per pass (whole small images,
                        // or bands of rows of a large one), so that the slice of dy and
                        // x that every block of taps re-reads stays in L1/L2.
                        let perImage = max(O.h * O.w, 1)
                        let chunk = max(1, passPixels / perImage)
                        let bandRows = perImage >= passPixels ? max(1, passPixels / max(O.w, 1)) : O.h
                        let rowStride = sh &* inW &* inC
                        let L = V.lanes
                        // One block of output channels of the pass's dy, copied contiguous
                        // and aligned: its loads then never split a cache line.
                        let packedCount = min(chunk, images.count) * min(bandRows, O.h) * O.w * 2 * L
                        let packed = UnsafeMutableRawPointer.allocate(byteCount: max(packedCount, 1) * 4, alignment: 64)
                            .bindMemory(to: Float.self, capacity: max(packedCount, 1))
                        defer { packed.deallocate() }
                        acc.withUnsafeMutableBufferPointer { ab in
                            let ap = ab.baseAddress!
                            for img in stride(from: images.lowerBound, to: images.upperBound, by: chunk) {
                                let count = min(chunk, images.upperBound - img)
                                for band in stride(from: 0, to: O.h, by: bandRows) {
                                    let bandH = min(bandRows, O.h - band)
                                    let xBand: Int = img &* imageStride &+ band &* rowStride
                                    // Whole images or rows of one: the pass's dy pixels are contiguous.
                                    let dyBand: Int = img &* dyStride &+ band &* O.w &* outC
                                    let pixels = count &* bandH &* O.w
                                    var co = 0
                                    while co < outC {
                                        // outC is a multiple of 16: one vector is left over only at 16 lanes.
                                        let wide = co + 2 * L <= outC
                                        let width = wide ? 2 * L : L
                                        var from = dp + (dyBand &+ co), to = packed
                                        for _ in 0..<pixels {
                                            V.loadUnaligned(from).store(to)
                                            if wide { V.loadUnaligned(from + L).store(to + L) }
                                            from += outC
                                            to += width
                                        }
                                        for task in 0..<tasks {
                                            let t0 = task * T, rows = min(T, taps - t0)
                                            let xOffset: Int = xBand &+ tapOffset(t0)
                                            let kOffset: Int = t0 &* outC &+ co
                                            if T == 8 {
                                                gradientTile(V.self, xp + xOffset, packed, ap + kOffset,
                                                             offsets: op + task &* 8, rows: rows, wide: wide, n: count, outH: bandH,
                                                             outW: O.w, outC: outC, imageStride: imageStride, rowStride: rowStride,
                                                             step: sw &* inC, dyStep: width)
                                            } else {
                                                gradientTile6x2(V.self, xp + xOffset, packed, ap + kOffset,
                                                                offsets: op + task &* 8, rows: rows, n: count, outH: bandH, outW: O.w,
                                                                outC: outC, imageStride: imageStride, rowStride: rowStride,
                                                                step: sw &* inC, dyStep: width)
                                            }
                                        }
                                        co += width
                                    }
                                }
                            }
                        }
                        (slots.base + slot).pointee = acc
                    }
                }
            }
        }
        }
        for part in partials where !part.isEmpty {
            dk.data.withUnsafeMutableBufferPointer { d in
                for i in 0..<part.count { d[i] += part[i] }
            }
        }
        return dk
    }

    /// One block of 8 taps × 2 vectors (`wide`) or 1 vector of the kernel
    /// gradient, summed over every output pixel.
    @inline(__always)
    static func gradientTile<V: FloatVector>(_: V.Type, _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                             offsets: UnsafePointer<Int>, rows: Int, wide: Bool, n: Int, outH: Int, outW: Int, outC: Int,
                             imageStride: Int, rowStride: Int, step: Int, dyStep: Int, fresh: Bool = false) {
        // Accumulates onto what `out` holds, or onto zero when `fresh`; dy's pixels are `dyStep` apart, in order.
        let L = V.lanes
        @inline(__always) func initial(_ r: Int, _ half: Int) -> V {
            !fresh && r < rows && (half == 0 || wide) ? V.load(out + (r &* outC &+ half &* L)) : V()
        }
        var a00 = initial(0, 0), a01 = initial(0, 1)
        var a10 = initial(1, 0), a11 = initial(1, 1)
        var a20 = initial(2, 0), a21 = initial(2, 1)
        var a30 = initial(3, 0), a31 = initial(3, 1)
        var a40 = initial(4, 0), a41 = initial(4, 1)
        var a50 = initial(5, 0), a51 = initial(5, 1)
        var a60 = initial(6, 0), a61 = initial(6, 1)
        var a70 = initial(7, 0), a71 = initial(7, 1)
        // Rows past the last tap re-read the last one and are not stored.
        let o1 = offsets[1], o2 = offsets[2], o3 = offsets[3]
        let o4 = offsets[4], o5 = offsets[5], o6 = offsets[6], o7 = offsets[7]
        let contiguous = rows == 8 && o1 == 1 && o2 == 2 && o3 == 3 && o4 == 4 && o5 == 5 && o6 == 6 && o7 == 7
        // Fixed base pointers and one shared index, so each broadcast is a
        // `base + index` operand (advancing 8 pointers spills them).
        let x0 = x, x1 = x + o1, x2 = x + o2, x3 = x + o3, x4 = x + o4, x5 = x + o5, x6 = x + o6, x7 = x + o7
        for img in 0..<n {
            for oh in 0..<outH {
                var q = img &* imageStride &+ oh &* rowStride
                var g = dy + ((img &* outH &+ oh) &* outW &* dyStep)
                let gStride = dyStep
                if wide && contiguous {
                    // Taps 0…7 are neighbours in x: one base, constant displacements.
                    for _ in 0..<outW {
                        let d0 = V.load(g)
                        let d1 = V.load(g + L)
                        let v0 = x0[q], v1 = x0[q &+ 1], v2 = x0[q &+ 2], v3 = x0[q &+ 3]
                        let v4 = x0[q &+ 4], v5 = x0[q &+ 5], v6 = x0[q &+ 6], v7 = x0[q &+ 7]
                        a00 = a00.fma(v0, d0); a01 = a01.fma(v0, d1)
                        a10 = a10.fma(v1, d0); a11 = a11.fma(v1, d1)
                        a20 = a20.fma(v2, d0); a21 = a21.fma(v2, d1)
                        a30 = a30.fma(v3, d0); a31 = a31.fma(v3, d1)
                        a40 = a40.fma(v4, d0); a41 = a41.fma(v4, d1)
                        a50 = a50.fma(v5, d0); a51 = a51.fma(v5, d1)
                        a60 = a60.fma(v6, d0); a61 = a61.fma(v6, d1)
                        a70 = a70.fma(v7, d0); a71 = a71.fma(v7, d1)
                        q &+= step
                        g += gStride
                    }
                } else if wide {
                    for _ in 0..<outW {
                        let d0 = V.load(g)
                        let d1 = V.load(g + L)
                        let v0 = x0[q], v1 = x1[q], v2 = x2[q], v3 = x3[q]
                        let v4 = x4[q], v5 = x5[q], v6 = x6[q], v7 = x7[q]
                        a00 = a00.fma(v0, d0); a01 = a01.fma(v0, d1)
                        a10 = a10.fma(v1, d0); a11 = a11.fma(v1, d1)
                        a20 = a20.fma(v2, d0); a21 = a21.fma(v2, d1)
                        a30 = a30.fma(v3, d0); a31 = a31.fma(v3, d1)
                        a40 = a40.fma(v4, d0); a41 = a41.fma(v4, d1)
                        a50 = a50.fma(v5, d0); a51 = a51.fma(v5, d1)
                        a60 = a60.fma(v6, d0); a61 = a61.fma(v6, d1)
                        a70 = a70.fma(v7, d0); a71 = a71.fma(v7, d1)
                        q &+= step
                        g += gStride
                    }
                } else {
                    for _ in 0..<outW {
                        let d0 = V.load(g)
                        a00 = a00.fma(x0[q], d0); a10 = a10.fma(x1[q], d0)
                        a20 = a20.fma(x2[q], d0); a30 = a30.fma(x3[q], d0)
                        a40 = a40.fma(x4[q], d0); a50 = a50.fma(x5[q], d0)
                        a60 = a60.fma(x6[q], d0); a70 = a70.fma(x7[q], d0)
                        q &+= step
                        g += gStride
                    }
                }
            }
        }
        // Stored one by one: an array of the accumulators was a heap allocation per call.
        @inline(__always) func put(_ r: Int, _ lo: V, _ hi: V) {
            guard r < rows else { return }
            lo.store(out + r &* outC)
            if wide { hi.store(out + (r &* outC &+ L)) }
        }
        put(0, a00, a01); put(1, a10, a11); put(2, a20, a21); put(3, a30, a31)
        put(4, a40, a41); put(5, a50, a51); put(6, a60, a61); put(7, a70, a71)
    }

    /// One block of 6 taps × 2 vectors of the kernel gradient (12
    /// accumulators, for 16 registers), summed over every output pixel.
    @inline(__always)
    static func gradientTile6x2<V: FloatVector>(_: V.Type, _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                                _ out: UnsafeMutablePointer<Float>, offsets: UnsafePointer<Int>, rows: Int,
                                                n: Int, outH: Int, outW: Int, outC: Int,
                                                imageStride: Int, rowStride: Int, step: Int, dyStep: Int, fresh: Bool = false) {
        // Accumulates onto what `out` holds, or onto zero when `fresh`; dy's pixels are `dyStep` apart, in order.
        let L = V.lanes
        @inline(__always) func initial(_ r: Int, _ half: Int) -> V {
            !fresh && r < rows ? V.load(out + (r &* outC &+ half &* L)) : V()
        }
        var a00 = initial(0, 0), a01 = initial(0, 1)
        var a10 = initial(1, 0), a11 = initial(1, 1)
        var a20 = initial(2, 0), a21 = initial(2, 1)
        var a30 = initial(3, 0), a31 = initial(3, 1)
        var a40 = initial(4, 0), a41 = initial(4, 1)
        var a50 = initial(5, 0), a51 = initial(5, 1)
        // Rows past the last tap re-read the last one and are not stored.
        let o1 = offsets[1], o2 = offsets[2], o3 = offsets[3], o4 = offsets[4], o5 = offsets[5]
        let contiguous = rows == 6 && o1 == 1 && o2 == 2 && o3 == 3 && o4 == 4 && o5 == 5
        let x0 = x, x1 = x + o1, x2 = x + o2, x3 = x + o3, x4 = x + o4, x5 = x + o5
        for img in 0..<n {
            for oh in 0..<outH {
                var q = img &* imageStride &+ oh &* rowStride
                var g = dy + ((img &* outH &+ oh) &* outW &* dyStep)
                if contiguous {
                    for _ in 0..<outW {
                        let d0 = V.load(g), d1 = V.load(g + L)
                        let v0 = x0[q], v1 = x0[q &+ 1], v2 = x0[q &+ 2], v3 = x0[q &+ 3], v4 = x0[q &+ 4], v5 = x0[q &+ 5]
                        a00 = a00.fma(v0, d0); a01 = a01.fma(v0, d1)
                        a10 = a10.fma(v1, d0); a11 = a11.fma(v1, d1)
                        a20 = a20.fma(v2, d0); a21 = a21.fma(v2, d1)
                        a30 = a30.fma(v3, d0); a31 = a31.fma(v3, d1)
                        a40 = a40.fma(v4, d0); a41 = a41.fma(v4, d1)
                        a50 = a50.fma(v5, d0); a51 = a51.fma(v5, d1)
                        q &+= step
                        g += dyStep
                    }
                } else {
                    for _ in 0..<outW {
                        let d0 = V.load(g), d1 = V.load(g + L)
                        let v0 = x0[q], v1 = x1[q], v2 = x2[q], v3 = x3[q], v4 = x4[q], v5 = x5[q]
                        a00 = a00.fma(v0, d0); a01 = a01.fma(v0, d1)
                        a10 = a10.fma(v1, d0); a11 = a11.fma(v1, d1)
                        a20 = a20.fma(v2, d0); a21 = a21.fma(v2, d1)
                        a30 = a30.fma(v3, d0); a31 = a31.fma(v3, d1)
                        a40 = a40.fma(v4, d0); a41 = a41.fma(v4, d1)
                        a50 = a50.fma(v5, d0); a51 = a51.fma(v5, d1)
                        q &+= step
                        g += dyStep
                    }
                }
            }
        }
        @inline(__always) func put(_ r: Int, _ lo: V, _ hi: V) {
            if r < rows { lo.store(out + r &* outC); hi.store(out + (r &* outC &+ L)) }
        }
        put(0, a00, a01); put(1, a10, a11); put(2, a20, a21); put(3, a30, a31); put(4, a40, a41); put(5, a50, a51)
    }
}
