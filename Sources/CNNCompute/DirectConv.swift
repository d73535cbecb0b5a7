/// The fast path for 2D convolutions: a direct kernel that reads the NHWC
/// input in place and holds a tile of output pixels × two vectors of output
/// channels in registers, at the ``KernelWidth`` in use: 8 × 32 in sixteen
/// `SIMD16<Float>` (8 × 16 when only 16 channels are left) with AVX-512,
/// 6 × 16 in twelve `SIMD8<Float>` with AVX2, 8 × 8 in sixteen
/// `SIMD4<Float>` otherwise. Each output sums the same products in the same
/// order at every width, so the widths give identical values.
///
/// No im2col matrix is built, so the working set stays in cache; 'same'
/// padding is applied by copying the input into a zero-bordered buffer first.
enum DirectConv {
    /// True when the geometry suits the kernel: 2D, unit dilation, a multiple
    /// of 16 output channels, and at least 8 output pixels in the batch.
    static func supports(_ g: WindowGeometry) -> Bool {
        g.kernel[0] == 1 && g.input.d == 1 && g.output.d == 1 && g.strides[0] == 1
            && g.dilation == [1, 1, 1] && g.output.c % 16 == 0 && g.output.c > 0
            && g.output.n * g.output.h * g.output.w >= 8
            && g.input.c > 0
    }

    // MARK: - Forward

    /// Writes conv(x, kernel) + bias into `y`, with ReLU applied when `relu`.
    static func forward(_ x: Tensor, kernel: Tensor, bias: Tensor?, relu: Bool, geometry g: WindowGeometry,
                        into y: inout Tensor) {
        // Large outputs come from the heap, not from freshly faulted pages.
        _ = Memory.configured
        let O = g.output
        let kh = g.kernel[1], kw = g.kernel[2], sh = g.strides[1], sw = g.strides[2]
        let needH = (O.h - 1) * sh + kh, needW = (O.w - 1) * sw + kw
        if g.padBefore[1] == 0 && g.padBefore[2] == 0 && needH <= g.input.h && needW <= g.input.w {
            run(x, inH: g.input.h, inW: g.input.w, inC: g.input.c, kernel: kernel.data, kh: kh, kw: kw, sh: sh, sw: sw,
                outN: O.n, outH: O.h, outW: O.w, outC: O.c, bias: bias?.data, relu: relu, into: &y)
            return
        }
        // The input extent the windows read, padded with zeros.
        let source = padded2D(x, g.input, top: g.padBefore[1], left: g.padBefore[2], height: needH, width: needW)
        run(source, inH: needH, inW: needW, inC: g.input.c, kernel: kernel.data, kh: kh, kw: kw, sh: sh, sw: sw,
            outN: O.n, outH: O.h, outW: O.w, outC: O.c, bias: bias?.data, relu: relu, into: &y)
    }

    /// The core loop: valid convolution of an (n, inH, inW, inC) buffer.
    ///
    /// For one row of the kernel, the window's (column, channel) pairs are
    /// contiguous both in the NHWC input and in the kernel, so the inner loop
    /// runs over kw·inC values at once.
    static func run(_ x: Tensor, inH: Int, inW: Int, inC: Int, kernel: [Float], kh: Int, kw: Int, sh: Int, sw: Int,
                    outN: Int, outH: Int, outW: Int, outC: Int, bias: [Float]?, relu: Bool, into y: inout Tensor) {
        switch KernelWidth.current {
        case .w16:
            run(SIMD16<Float>.self, x, inH: inH, inW: inW, inC: inC, kernel: kernel, kh: kh, kw: kw, sh: sh, sw: sw,
                outN: outN, outH: outH, outW: outW, outC: outC, bias: bias, relu: relu, into: &y)
        case .w8:
            run(SIMD8<Float>.self, x, inH: inH, inW: inW, inC: inC, kernel: kernel, kh: kh, kw: kw, sh: sh, sw: sw,
                outN: outN, outH: outH, outW: outW, outC: outC, bias: bias, relu: relu, into: &y)
        case .w4:
            run(SIMD4<Float>.self, x, inH: inH, inW: inW, inC: inC, kernel: kernel, kh: kh, kw: kw, sh: sh, sw: sw,
                outN: outN, outH: outH, outW: outW, outC: outC, bias: bias, relu: relu, into: &y)
        }
    }

    static func run<V: FloatVector>(_: V.Type, _ x: Tensor, inH: Int, inW: Int, inC: Int, kernel: [Float], kh: Int, kw: Int,
                                    sh: Int, sw: Int, outN: Int, outH: Int, outW: Int, outC: Int, bias: [Float]?, relu: Bool,
                                    into y: inout Tensor) {
        let work = 2 * outN * outH * outW * outC * kh * kw * inC
        let zeros = [Float](repeating: 0, count: outC)
        x.data.withUnsafeBufferPointer { xb in
            kernel.withUnsafeBufferPointer { wb in
                (bias ?? zeros).withUnsafeBufferPointer { bb in
                    y.data.withUnsafeMutableBufferPointer { yb in
                        let ys = SharedPointer(yb.baseAddress!)
                        let xp = xb.baseAddress!, wp = wb.baseAddress!, bp = bb.baseAddress!
                        let span = kw &* inC, rowStride = inW &* inC
                        let perImage = outH &* outW, pixels = outN &* perImage
                        // Tiles of P consecutive output pixels, which may cross rows
                        // and images, so that narrow maps waste no lanes; the last
                        // tile overlaps the one before rather than run short.
                        let P = V.tilePixels
                        let groups = (pixels + P - 1) / P
                        withPackedKernel(V.self, wp, taps: kh &* span, outC: outC) { wp in
                        Parallel.chunks(groups, work: work) { range in
                            let starts = UnsafeMutablePointer<UnsafePointer<Float>>.allocate(capacity: 8)
                            defer { starts.deallocate() }
                            for group in range {
                                let first = min(group &* P, pixels &- P)
                                // Divide once, then step along the row (divisions would
                                // cost as much as a small kernel's products).
                                var n = first / perImage, oh = (first % perImage) / outW, ow = first % outW
                                for k in 0..<P {
                                    let offset: Int = ((n &* inH &+ oh &* sh) &* inW &+ ow &* sw) &* inC
                                    starts[k] = UnsafePointer(xp + offset)
                                    ow &+= 1
                                    if ow == outW {
                                        ow = 0
                                        oh &+= 1
                                        if oh == outH { oh = 0; n &+= 1 }
                                    }
                                }
                                channelBlocks(V.self, starts, wp, ys.base + first &* outC, bp, relu: relu, span: span,
                                              kh: kh, rowStride: rowStride, outC: outC)
                            }
                        }
                        }
                    }
                }
            }
        }
    }

    /// Every block of output channels for one tile of ``FloatVector/tilePixels``
    /// pixels starting at `px`: two vectors at a time, then one; `w` is the
    /// kernel laid out by ``packKernel(_:_:taps:outC:)``.
    @inline(__always)
    static func channelBlocks<V: FloatVector>(_: V.Type, _ px: UnsafePointer<UnsafePointer<Float>>, _ w: UnsafePointer<Float>,
                                              _ y: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, relu: Bool,
                                              span: Int, kh: Int, rowStride: Int, outC: Int) {
        let L = V.lanes
        let taps = kh &* span
        var co = 0
        while co &+ 2 &* L <= outC {
            let wb = w + co &* taps
            if V.tilePixels == 8 {
                tile8x2(V.self, px, wb, y + co, bias + co, relu: relu, span: span, kh: kh, rowStride: rowStride, outC: outC,
                        wStride: 2 &* L)
            } else {
                tile6x2(V.self, px, wb, y + co, bias + co, relu: relu, span: span, kh: kh, rowStride: rowStride, outC: outC,
                        wStride: 2 &* L)
            }
            co &+= 2 &* L
        }
        // outC is a multiple of 16, so one vector is left over only at 16 lanes (8-pixel tiles).
        if co < outC {
            tile8x1(V.self, px, w + co &* taps, y + co, bias + co, relu: relu, span: span, kh: kh, rowStride: rowStride,
                    outC: outC, wStride: L)
        }
    }

    /// 8 pixels × 2 vectors of output channels: 16 accumulators (32 registers: AVX-512, NEON).
    @inline(__always)
    static func tile8x2<V: FloatVector>(_: V.Type, _ px: UnsafePointer<UnsafePointer<Float>>, _ w: UnsafePointer<Float>,
                                        _ y: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, relu: Bool,
                                        span: Int, kh: Int, rowStride: Int, outC: Int, wStride: Int) {
        let L = V.lanes
        let x0 = px[0], x1 = px[1], x2 = px[2], x3 = px[3], x4 = px[4], x5 = px[5], x6 = px[6], x7 = px[7]
        var a00 = V(), a01 = V(), a10 = V(), a11 = V(), a20 = V(), a21 = V(), a30 = V(), a31 = V()
        var a40 = V(), a41 = V(), a50 = V(), a51 = V(), a60 = V(), a61 = V(), a70 = V(), a71 = V()
        for i in 0..<kh {
            let r = i &* rowStride
            var wk = w + i &* span &* wStride
            for c in 0..<span {
                let w0 = V.load(wk), w1 = V.load(wk + L)
                wk += wStride
                let o = r &+ c
                let v0 = x0[o], v1 = x1[o], v2 = x2[o], v3 = x3[o]
                let v4 = x4[o], v5 = x5[o], v6 = x6[o], v7 = x7[o]
                a00 = a00.fma(v0, w0); a01 = a01.fma(v0, w1)
                a10 = a10.fma(v1, w0); a11 = a11.fma(v1, w1)
                a20 = a20.fma(v2, w0); a21 = a21.fma(v2, w1)
                a30 = a30.fma(v3, w0); a31 = a31.fma(v3, w1)
                a40 = a40.fma(v4, w0); a41 = a41.fma(v4, w1)
                a50 = a50.fma(v5, w0); a51 = a51.fma(v5, w1)
                a60 = a60.fma(v6, w0); a61 = a61.fma(v6, w1)
                a70 = a70.fma(v7, w0); a71 = a71.fma(v7, w1)
            }
        }
        let b0 = V.load(bias), b1 = V.load(bias + L)
        let st = outC
        a00.finish(b0, relu: relu).store(y); a01.finish(b1, relu: relu).store(y + L)
        a10.finish(b0, relu: relu).store(y + st); a11.finish(b1, relu: relu).store(y + (st &+ L))
        a20.finish(b0, relu: relu).store(y + 2 &* st); a21.finish(b1, relu: relu).store(y + (2 &* st &+ L))
        a30.finish(b0, relu: relu).store(y + 3 &* st); a31.finish(b1, relu: relu).store(y + (3 &* st &+ L))
        a40.finish(b0, relu: relu).store(y + 4 &* st); a41.finish(b1, relu: relu).store(y + (4 &* st &+ L))
        a50.finish(b0, relu: relu).store(y + 5 &* st); a51.finish(b1, relu: relu).store(y + (5 &* st &+ L))
        a60.finish(b0, relu: relu).store(y + 6 &* st); a61.finish(b1, relu: relu).store(y + (6 &* st &+ L))
        a70.finish(b0, relu: relu).store(y + 7 &* st); a71.finish(b1, relu: relu).store(y + (7 &* st &+ L))
    }

    /// 6 pixels × 2 vectors: 12 accumulators, which leave room in 16 registers (AVX2)
    /// for the two kernel vectors and a broadcast pixel value.
    @inline(__always)
    static func tile6x2<V: FloatVector>(_: V.Type, _ px: UnsafePointer<UnsafePointer<Float>>, _ w: UnsafePointer<Float>,
                                        _ y: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, relu: Bool,
                                        span: Int, kh: Int, rowStride: Int, outC: Int, wStride: Int) {
        let L = V.lanes
        let x0 = px[0], x1 = px[1], x2 = px[2], x3 = px[3], x4 = px[4], x5 = px[5]
        var a00 = V(), a01 = V(), a10 = V(), a11 = V(), a20 = V(), a21 = V()
        var a30 = V(), a31 = V(), a40 = V(), a41 = V(), a50 = V(), a51 = V()
        for i in 0..<kh {
            let r = i &* rowStride
            var wk = w + i &* span &* wStride
            for c in 0..<span {
                let w0 = V.load(wk), w1 = V.load(wk + L)
                wk += wStride
                let o = r &+ c
                let v0 = x0[o], v1 = x1[o], v2 = x2[o], v3 = x3[o], v4 = x4[o], v5 = x5[o]
                a00 = a00.fma(v0, w0); a01 = a01.fma(v0, w1)
                a10 = a10.fma(v1, w0); a11 = a11.fma(v1, w1)
                a20 = a20.fma(v2, w0); a21 = a21.fma(v2, w1)
                a30 = a30.fma(v3, w0); a31 = a31.fma(v3, w1)
                a40 = a40.fma(v4, w0); a41 = a41.fma(v4, w1)
                a50 = a50.fma(v5, w0); a51 = a51.fma(v5, w1)
            }
        }
        let b0 = V.load(bias), b1 = V.load(bias + L)
        let st = outC
        a00.finish(b0, relu: relu).store(y); a01.finish(b1, relu: relu).store(y + L)
        a10.finish(b0, relu: relu).store(y + st); a11.finish(b1, relu: relu).store(y + (st &+ L))
        a20.finish(b0, relu: relu).store(y + 2 &* st); a21.finish(b1, relu: relu).store(y + (2 &* st &+ L))
        a30.finish(b0, relu: relu).store(y + 3 &* st); a31.finish(b1, relu: relu).store(y + (3 &* st &+ L))
        a40.finish(b0, relu: relu).store(y + 4 &* st); a41.finish(b1, relu: relu).store(y + (4 &* st &+ L))
        a50.finish(b0, relu: relu).store(y + 5 &* st); a51.finish(b1, relu: relu).store(y + (5 &* st &+ L))
    }

    /// 8 pixels × 1 vector, for the last 16 channels at 16 lanes.
    @inline(__always)
    static func tile8x1<V: FloatVector>(_: V.Type, _ px: UnsafePointer<UnsafePointer<Float>>, _ w: UnsafePointer<Float>,
                                        _ y: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, relu: Bool,
                                        span: Int, kh: Int, rowStride: Int, outC: Int, wStride: Int) {
        let x0 = px[0], x1 = px[1], x2 = px[2], x3 = px[3], x4 = px[4], x5 = px[5], x6 = px[6], x7 = px[7]
        var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V()
        for i in 0..<kh {
            let r = i &* rowStride
            var wk = w + i &* span &* wStride
            for c in 0..<span {
                let w0 = V.load(wk)
                wk += wStride
                let o = r &+ c
                a0 = a0.fma(x0[o], w0); a1 = a1.fma(x1[o], w0)
                a2 = a2.fma(x2[o], w0); a3 = a3.fma(x3[o], w0)
                a4 = a4.fma(x4[o], w0); a5 = a5.fma(x5[o], w0)
                a6 = a6.fma(x6[o], w0); a7 = a7.fma(x7[o], w0)
            }
        }
        let b0 = V.load(bias)
        let st = outC
        a0.finish(b0, relu: relu).store(y); a1.finish(b0, relu: relu).store(y + st)
        a2.finish(b0, relu: relu).store(y + 2 &* st); a3.finish(b0, relu: relu).store(y + 3 &* st)
        a4.finish(b0, relu: relu).store(y + 4 &* st); a5.finish(b0, relu: relu).store(y + 5 &* st)
        a6.finish(b0, relu: relu).store(y + 6 &* st); a7.finish(b0, relu: relu).store(y + 7 &* st)
    }

    /// Runs `body` on the kernel re-laid for ``channelBlocks``: each block of
    /// output channels (two vectors, then one) holds its taps one after the
    /// other, `2·lanes` (or `lanes`) floats each, 64-byte aligned.
    ///
    /// In Keras' layout a block's taps lie `outC` floats apart and, in a
    /// Swift array, off cache-line boundaries: every 2-vector load then
    /// touched two lines, and a tile's sweep over the taps twice the cache
    /// it needs. Packed, a block's taps are one sequential stream.
    static func withPackedKernel<V: FloatVector, R>(_: V.Type, _ kernel: UnsafePointer<Float>, taps: Int, outC: Int,
                                                    _ body: (UnsafePointer<Float>) -> R) -> R {
        let packed = UnsafeMutableRawPointer.allocate(byteCount: max(taps * outC, 1) * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: max(taps * outC, 1))
        defer { packed.deallocate() }
        let L = V.lanes
        var co = 0, dst = packed
        while co < outC {
            let width = co + 2 * L <= outC ? 2 * L : L
            for t in 0..<taps {
                dst.update(from: kernel + (t &* outC &+ co), count: width)
                dst += width
            }
            co += width
        }
        return body(UnsafePointer(packed))
    }

    // MARK: - Backward (kernel gradient)

    /// dW[i][j][c][co] = Σ over every output pixel of x[pixel shifted by (i, j)][c] · dy[pixel][co],
    /// with 8 taps × 2 vectors of output channels held in registers (6 × 2
    /// at 8 lanes, where there are 16 registers), reading x and dy in place;
    /// nil when the fast kernel does not apply.
    static func kernelGradient(_ dy: Tensor, x: Tensor, geometry g: WindowGeometry) -> Tensor? {
        switch KernelWidth.current {
        case .w16: return kernelGradient(SIMD16<Float>.self, dy, x: x, geometry: g)
        case .w8: return kernelGradient(SIMD8<Float>.self, dy, x: x, geometry: g)
        case .w4: return kernelGradient(SIMD4<Float>.self, dy, x: x, geometry: g)
        }
    }

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
        // while every block of the gradient passes over it. Each thread sums
        // its images into its own copy of the gradient.
        let threads = Parallel.threadCount(O.n, work: work, perThread: 1)
        var partials = [[Float]](repeating: [], count: threads)
        let imageStride = inH * inW * inC, dyStride = O.h * O.w * outC
        offsets.withUnsafeBufferPointer { ob in
        source.data.withUnsafeBufferPointer { xb in
            dy.data.withUnsafeBufferPointer { db in
                partials.withUnsafeMutableBufferPointer { parts in
                    let xp = xb.baseAddress!, dp = db.baseAddress!, slots = PartialSlots(base: parts.baseAddress!)
                    let op = ob.baseAddress!
                    Parallel.indexedChunks(O.n, work: work, perThread: 1) { images, slot in
                        var acc = [Float](repeating: 0, count: kh * kw * inC * outC)
                        acc.withUnsafeMutableBufferPointer { ab in
                            let ap = ab.baseAddress!
                            // About 256 output pixels per pass (whole small images, or
                            // bands of rows of a large one), so that the slice of dy and
                            // x that every block of taps re-reads stays in L1/L2.
                            let perImage = max(O.h * O.w, 1)
                            let chunk = max(1, 256 / perImage)
                            let bandRows = perImage >= 256 ? max(1, 256 / max(O.w, 1)) : O.h
                            let rowStride = sh &* inW &* inC
                            for img in stride(from: images.lowerBound, to: images.upperBound, by: chunk) {
                                let count = min(chunk, images.upperBound - img)
                                for band in stride(from: 0, to: O.h, by: bandRows) {
                                    let bandH = min(bandRows, O.h - band)
                                    let xBand: Int = img &* imageStride &+ band &* rowStride
                                    let dyBand: Int = img &* dyStride &+ band &* O.w &* outC
                                    for task in 0..<tasks {
                                        let t0 = task * T, rows = min(T, taps - t0)
                                        let L = V.lanes
                                        var co = 0
                                        while co < outC {
                                            // outC is a multiple of 16: one vector is left over only at 16 lanes.
                                            let wide = co + 2 * L <= outC
                                            let xOffset: Int = xBand &+ tapOffset(t0)
                                            let kOffset: Int = t0 &* outC &+ co
                                            if T == 8 {
                                                gradientTile(V.self, xp + xOffset, dp + (dyBand &+ co), ap + kOffset,
                                                             offsets: op + task &* 8, rows: rows, wide: wide, n: count, outH: bandH,
                                                             outW: O.w, outC: outC, imageStride: imageStride, rowStride: rowStride,
                                                             step: sw &* inC, dyImageStride: dyStride)
                                            } else {
                                                gradientTile6x2(V.self, xp + xOffset, dp + (dyBand &+ co), ap + kOffset,
                                                                offsets: op + task &* 8, rows: rows, n: count, outH: bandH, outW: O.w,
                                                                outC: outC, imageStride: imageStride, rowStride: rowStride,
                                                                step: sw &* inC, dyImageStride: dyStride)
                                            }
                                            co += wide ? 2 * L : L
                                        }
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
                             imageStride: Int, rowStride: Int, step: Int, dyImageStride: Int) {
        // Accumulates onto what `out` holds.
        let L = V.lanes
        @inline(__always) func initial(_ r: Int, _ half: Int) -> V {
            r < rows && (half == 0 || wide) ? V.load(out + (r &* outC &+ half &* L)) : V()
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
                var g = dy + (img &* dyImageStride &+ oh &* outW &* outC)
                let gStride = outC
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
        let acc = [(a00, a01), (a10, a11), (a20, a21), (a30, a31), (a40, a41), (a50, a51), (a60, a61), (a70, a71)]
        for r in 0..<rows {
            acc[r].0.store(out + r &* outC)
            if wide { acc[r].1.store(out + (r &* outC &+ L)) }
        }
    }

    /// One block of 6 taps × 2 vectors of the kernel gradient (12
    /// accumulators, for 16 registers), summed over every output pixel.
    @inline(__always)
    static func gradientTile6x2<V: FloatVector>(_: V.Type, _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                                                _ out: UnsafeMutablePointer<Float>, offsets: UnsafePointer<Int>, rows: Int,
                                                n: Int, outH: Int, outW: Int, outC: Int,
                                                imageStride: Int, rowStride: Int, step: Int, dyImageStride: Int) {
        // Accumulates onto what `out` holds.
        let L = V.lanes
        @inline(__always) func initial(_ r: Int, _ half: Int) -> V {
            r < rows ? V.load(out + (r &* outC &+ half &* L)) : V()
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
                var g = dy + (img &* dyImageStride &+ oh &* outW &* outC)
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
                        g += outC
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
                        g += outC
                    }
                }
            }
        }
        @inline(__always) func put(_ r: Int, _ lo: V, _ hi: V) {
            if r < rows { lo.store(out + r &* outC); hi.store(out + (r &* outC &+ L)) }
        }
        put(0, a00, a01); put(1, a10, a11); put(2, a20, a21); put(3, a30, a31); put(4, a40, a41); put(5, a50, a51)
    }

    // MARK: - Backward (input gradient)

    /// The input gradient of a stride-1 2D convolution as the "full"
    /// convolution of dy with the kernel flipped in space and transposed in
    /// channels; nil when the fast kernel does not apply.
    static func fullGradient(_ dy: Tensor, kernel: Tensor, geometry g: WindowGeometry) -> Tensor? {
        let kh = g.kernel[1], kw = g.kernel[2]
        guard g.kernel[0] == 1, g.input.d == 1, g.strides == [1, 1, 1], g.dilation == [1, 1, 1],
              g.input.c % 16 == 0, g.input.c > 0, g.input.n * g.input.h * g.input.w >= 8, g.output.c > 0 else { return nil }
        let top = kh - 1 - g.padBefore[1], left = kw - 1 - g.padBefore[2]
        let height = g.input.h + kh - 1, width = g.input.w + kw - 1
        guard top >= 0, left >= 0, height - top >= g.output.h, width - left >= g.output.w else { return nil }
        let dyPadded = padded2D(dy, g.output, top: top, left: left, height: height, width: width)
        // flipped[i][j][co][ci] = kernel[kh-1-i][kw-1-j][ci][co]
        let inC = g.input.c, outC = g.output.c
        var flipped = [Float](repeating: 0, count: kernel.count)
        kernel.data.withUnsafeBufferPointer { k in
            for i in 0..<kh {
                for j in 0..<kw {
                    let src = ((kh - 1 - i) * kw + (kw - 1 - j)) * inC * outC
                    let dst = (i * kw + j) * outC * inC
                    for ci in 0..<inC {
                        for co in 0..<outC { flipped[dst + co * inC + ci] = k[src + ci * outC + co] }
                    }
                }
            }
        }
        var dx = Tensor(uninitialized: [g.input.n, g.input.h, g.input.w, inC])
        run(dyPadded, inH: height, inW: width, inC: outC, kernel: flipped, kh: kh, kw: kw, sh: 1, sw: 1,
            outN: g.input.n, outH: g.input.h, outW: g.input.w, outC: inC, bias: nil, relu: false, into: &dx)
        return dx
    }

    /// Copies a 2D map into a zeroed (n, height, width, c) buffer at (top, left),
    /// cropping whatever falls outside.
    static func padded2D(_ x: Tensor, _ m: Map3, top: Int, left: Int, height: Int, width: Int) -> Tensor {
        _ = Memory.configured
        var out = Tensor(uninitialized: [m.n, height, width, m.c])
        let perImage = height * width * m.c
        x.data.withUnsafeBufferPointer { xb in
            out.data.withUnsafeMutableBufferPointer { ob in
                let os = SharedPointer(ob.baseAddress!)
                Parallel.chunks(m.n, work: 8 * x.count) { images in
                (os.base + images.lowerBound &* perImage).update(repeating: 0, count: images.count &* perImage)
                for n in images {
                    for h in 0..<m.h {
                        let oh = h + top
                        if oh < 0 || oh >= height { continue }
                        let w0 = max(0, -left), w1 = min(m.w, width - left)
                        if w0 >= w1 { continue }
                        let src = xb.baseAddress! + ((n * m.h + h) * m.w + w0) * m.c
                        let dst = os.base + ((n * height + oh) * width + w0 + left) * m.c
                        dst.update(from: src, count: (w1 - w0) * m.c)
                    }
                }
                }
            }
        }
        return out
    }
}
