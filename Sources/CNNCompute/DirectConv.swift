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
