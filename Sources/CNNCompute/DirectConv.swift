/// The fast path for convolutions: a direct kernel that reads the NHWC
/// input in place and holds a tile of output pixels × two vectors of output
/// channels in registers, at the ``KernelWidth`` in use: 8 × 32 in sixteen
/// `SIMD16<Float>` (8 × 16 when only 16 channels are left) with AVX-512,
/// 6 × 16 in twelve `SIMD8<Float>` with AVX2, 8 × 8 in sixteen
/// `SIMD4<Float>` otherwise. Each output sums the same products in the same
/// order at every width, so the widths give identical values.
///
/// No im2col matrix is built, so the working set stays in cache; 'same'
/// padding is applied by copying the input into a zero-bordered buffer first.
/// A window is a list of segments of contiguous input (``Taps``), so dilated
/// and 3D windows run on the same tiles as plain 2D ones.
enum DirectConv {
    /// True when the geometry suits the 2D kernels (forward, the fused
    /// pooling, the gradients): 2D, unit dilation, a multiple of 16 output
    /// channels, and at least 8 output pixels in the batch.
    static func supports(_ g: WindowGeometry) -> Bool {
        g.kernel[0] == 1 && g.input.d == 1 && g.output.d == 1 && g.strides[0] == 1
            && g.dilation == [1, 1, 1] && supportsForward(g)
    }

    /// True when the forward kernel applies: 1D, 2D or 3D, any stride and
    /// dilation, a multiple of 16 output channels in each of the `groups`,
    /// and at least 8 output pixels in the batch.
    static func supportsForward(_ g: WindowGeometry, groups: Int = 1) -> Bool {
        groups > 0 && g.input.c % groups == 0 && g.output.c % groups == 0
            && (g.output.c / groups) % 16 == 0 && g.output.c > 0 && g.input.c > 0
            && g.output.n * g.output.d * g.output.h * g.output.w >= 8
    }

    // MARK: - Forward

    /// Writes conv(x, kernel) + bias into `y`, with ReLU applied when `relu`.
    static func forward(_ x: Tensor, kernel: Tensor, bias: Tensor?, relu: Bool, geometry g: WindowGeometry,
                        groups: Int = 1, into y: inout Tensor) {
        // Large outputs come from the heap, not from freshly faulted pages.
        _ = Memory.configured
        let O = g.output, k = g.kernel, s = g.strides, dl = g.dilation
        // The input extent the windows read.
        let need = (0..<3).map { (a: Int) -> Int in ([O.d, O.h, O.w][a] - 1) * s[a] + (k[a] - 1) * dl[a] + 1 }
        let shape = Shape(n: O.n, d: O.d, h: O.h, w: O.w, c: O.c, kernel: k, strides: s, dilation: dl, groups: groups)
        if g.padBefore == [0, 0, 0] && need[0] <= g.input.d && need[1] <= g.input.h && need[2] <= g.input.w {
            run(x, input: g.input, kernel: kernel.data, shape, bias: bias?.data, relu: relu, into: &y)
            return
        }
        // That extent, padded with zeros.
        let source = padded(x, g.input, before: g.padBefore, extent: need)
        run(source, input: Map3(n: O.n, d: need[0], h: need[1], w: need[2], c: g.input.c), kernel: kernel.data, shape,
            bias: bias?.data, relu: relu, into: &y)
    }

    /// The output side of a run: its (n, d, h, w, c) map, the window
    /// (kernel, strides, dilation; D, H, W order) and the channel groups.
    struct Shape {
        var n: Int, d: Int, h: Int, w: Int, c: Int
        var kernel: [Int], strides: [Int], dilation: [Int]
        var groups = 1
    }

    /// 2D valid convolution of an (n, inH, inW, inC) buffer, unit dilation.
    static func run(_ x: Tensor, inH: Int, inW: Int, inC: Int, kernel: [Float], kh: Int, kw: Int, sh: Int, sw: Int,
                    outN: Int, outH: Int, outW: Int, outC: Int, bias: [Float]?, relu: Bool, into y: inout Tensor) {
        run(x, input: Map3(n: outN, d: 1, h: inH, w: inW, c: inC), kernel: kernel,
            Shape(n: outN, d: 1, h: outH, w: outW, c: outC, kernel: [1, kh, kw], strides: [1, sh, sw], dilation: [1, 1, 1]),
            bias: bias, relu: relu, into: &y)
    }

    /// The core loop: valid convolution of the `input` map.
    ///
    /// The window's (column, channel) pairs are contiguous both in the NHWC
    /// input and in the kernel when the columns are adjacent (unit dilation
    /// along W), so the inner loop runs over kw·inC values at once per
    /// kernel row (and plane); with dilation, over inC values per cell.
    static func run(_ x: Tensor, input: Map3, kernel: [Float], _ shape: Shape, bias: [Float]?, relu: Bool,
                    into y: inout Tensor) {
        switch KernelWidth.current {
        case .w16: run(SIMD16<Float>.self, x, input: input, kernel: kernel, shape, bias: bias, relu: relu, into: &y)
        case .w8: run(SIMD8<Float>.self, x, input: input, kernel: kernel, shape, bias: bias, relu: relu, into: &y)
        case .w4: run(SIMD4<Float>.self, x, input: input, kernel: kernel, shape, bias: bias, relu: relu, into: &y)
        }
    }

    static func run<V: FloatVector>(_: V.Type, _ x: Tensor, input I: Map3, kernel: [Float], _ S: Shape, bias: [Float]?,
                                    relu: Bool, into y: inout Tensor) {
        let outC = S.c, outD = S.d, outH = S.h, outW = S.w
        let sd = S.strides[0], sh = S.strides[1], sw = S.strides[2]
        let inD = I.d, inH = I.h, inW = I.w, inC = I.c
        let window = S.kernel[0] * S.kernel[1] * S.kernel[2]
        let groupCount = S.groups, groupIn = inC / groupCount, groupOut = outC / groupCount
        let groupTaps = window &* groupIn
        let work = 2 * S.n * outD * outH * outW * outC * window * groupIn
        let zeros = [Float](repeating: 0, count: outC)
        withTaps(input: I, shape: S) { taps in
        x.data.withUnsafeBufferPointer { xb in
            kernel.withUnsafeBufferPointer { wb in
                (bias ?? zeros).withUnsafeBufferPointer { bb in
                    y.data.withUnsafeMutableBufferPointer { yb in
                        let ys = SharedPointer(yb.baseAddress!)
                        let xp = xb.baseAddress!, wp = wb.baseAddress!, bp = bb.baseAddress!
                        let perPlane = outH &* outW, perImage = outD &* perPlane, pixels = S.n &* perImage
                        // Tiles of P consecutive output pixels, which may cross rows
                        // and images, so that narrow maps waste no lanes; the last
                        // tile overlaps the one before rather than run short.
                        let P = V.tilePixels
                        let groups = (pixels + P - 1) / P
                        withPackedKernel(V.self, wp, taps: groupTaps, outC: outC, groups: groupCount) { wp in
                        Parallel.chunks(groups, work: work) { range in
                            let sweep = sweepTiles
                            let starts = UnsafeMutablePointer<UnsafePointer<Float>>.allocate(capacity: 8 &* sweep)
                            let firsts = UnsafeMutablePointer<Int>.allocate(capacity: sweep)
                            defer { starts.deallocate(); firsts.deallocate() }
                            // Divide once, then step along the rows (divisions would
                            // cost as much as a small kernel's products): a tile
                            // starts where the one before ended, except the last one
                            // when it overlaps.
                            var n = 0, od = 0, oh = 0, ow = 0
                            var next = -1
                            var lo = range.lowerBound
                            while lo < range.upperBound {
                                let tiles = min(sweep, range.upperBound &- lo)
                                for t in 0..<tiles {
                                    let first = min((lo &+ t) &* P, pixels &- P)
                                    if first != next {
                                        let inPlane = first % perPlane
                                        n = first / perImage
                                        od = (first % perImage) / perPlane
                                        oh = inPlane / outW
                                        ow = inPlane % outW
                                    }
                                    next = first &+ P
                                    firsts[t] = first
                                    for k in 0..<P {
                                        let row: Int = (n &* inD &+ od &* sd) &* inH &+ oh &* sh
                                        starts[t &* 8 &+ k] = UnsafePointer(xp + (row &* inW &+ ow &* sw) &* inC)
                                        ow &+= 1
                                        if ow == outW {
                                            ow = 0
                                            oh &+= 1
                                            if oh == outH {
                                                oh = 0
                                                od &+= 1
                                                if od == outD { od = 0; n &+= 1 }
                                            }
                                        }
                                    }
                                }
                                // Each group: its input channels, kernel, outputs and bias.
                                for gi in 0..<groupCount {
                                    if gi > 0 { for k in 0..<(8 &* tiles) { starts[k] += groupIn } }
                                    let co = gi &* groupOut
                                    channelBlocks(V.self, starts, tiles: tiles, firsts: firsts, wp + co &* groupTaps,
                                                  ys.base + co, bp + co, relu: relu, taps: taps, channels: groupOut,
                                                  outC: outC)
                                }
                                lo &+= tiles
                            }
                        }
                        }
                    }
                }
            }
        }
        }
    }

    /// A window as segments of contiguous input: `count` segments of
    /// `length` floats each, the s-th starting `offsets[s]` floats after the
    /// window's first value; the packed kernel holds the same values in the
    /// same order.
    struct Taps {
        let offsets: UnsafePointer<Int>
        let count: Int
        let length: Int
    }

    /// Runs `body` on the segments of `shape`'s window over the `input` map:
    /// one per kernel row (and plane) of kw·inC values when the columns are
    /// adjacent, else one per cell of inC values.
    static func withTaps<R>(input I: Map3, shape S: Shape, _ body: (Taps) -> R) -> R {
        let kd = S.kernel[0], kh = S.kernel[1], kw = S.kernel[2]
        let dd = S.dilation[0], dh = S.dilation[1], dw = S.dilation[2]
        let rowStride = I.w * I.c, planeStride = I.h * rowStride
        let channels = I.c / S.groups
        // A group's channels are contiguous only within one cell.
        let whole = (dw == 1 || kw == 1) && S.groups == 1
        let columns = whole ? 1 : kw
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: kd * kh * columns) { offsets in
            var s = 0
            for a in 0..<kd {
                for i in 0..<kh {
                    for j in 0..<columns {
                        offsets[s] = a * dd * planeStride + i * dh * rowStride + j * dw * I.c
                        s += 1
                    }
                }
            }
            return body(Taps(offsets: UnsafePointer(offsets.baseAddress!), count: s, length: whole ? kw * I.c : channels))
        }
    }

    /// Tiles a sweep of ``channelBlocks(_:_:tiles:firsts:_:_:_:relu:taps:channels:outC:)``
    /// holds: a block's kernel (18 KB for 3×3×32 at 8 lanes) stays in L1
    /// while it runs over them, and their input rows stay in L2.
    static let sweepTiles = 32

    /// The first `channels` output channels (of `outC` a pixel) for `tiles`
    /// tiles of ``FloatVector/tilePixels`` pixels each: tile t's pixels start
    /// at `px[8t...]` and its outputs at pixel `firsts[t]` of `y`. Block by
    /// block (two vectors of channels at a time, then one), each over every
    /// tile; `w` is the kernel laid out by
    /// ``withPackedKernel(_:_:taps:outC:groups:_:)``.
    @inline(__always)
    static func channelBlocks<V: FloatVector>(_: V.Type, _ px: UnsafePointer<UnsafePointer<Float>>, tiles: Int,
                                              firsts: UnsafePointer<Int>, _ w: UnsafePointer<Float>,
                                              _ y: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, relu: Bool,
                                              taps window: Taps, channels: Int, outC: Int) {
        let L = V.lanes
        let taps = window.count &* window.length
        var co = 0
        while co &+ 2 &* L <= channels {
            let wb = w + co &* taps
            for t in 0..<tiles {
                let yt = y + (firsts[t] &* outC &+ co)
                if V.tilePixels == 8 {
                    tile8x2(V.self, px + t &* 8, wb, yt, bias + co, relu: relu, taps: window, outC: outC, wStride: 2 &* L)
                } else {
                    tile6x2(V.self, px + t &* 8, wb, yt, bias + co, relu: relu, taps: window, outC: outC, wStride: 2 &* L)
                }
            }
            co &+= 2 &* L
        }
        // `channels` is a multiple of 16, so one vector is left over only at 16 lanes (8-pixel tiles).
        if co < channels {
            for t in 0..<tiles {
                tile8x1(V.self, px + t &* 8, w + co &* taps, y + (firsts[t] &* outC &+ co), bias + co, relu: relu,
                        taps: window, outC: outC, wStride: L)
            }
        }
    }

    /// 8 pixels × 2 vectors of output channels: 16 accumulators (32 registers: AVX-512, NEON).
    @inline(__always)
    static func tile8x2<V: FloatVector>(_: V.Type, _ px: UnsafePointer<UnsafePointer<Float>>, _ w: UnsafePointer<Float>,
                                        _ y: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, relu: Bool,
                                        taps window: Taps, outC: Int, wStride: Int) {
        let L = V.lanes
        let x0 = px[0], x1 = px[1], x2 = px[2], x3 = px[3], x4 = px[4], x5 = px[5], x6 = px[6], x7 = px[7]
        var a00 = V(), a01 = V(), a10 = V(), a11 = V(), a20 = V(), a21 = V(), a30 = V(), a31 = V()
        var a40 = V(), a41 = V(), a50 = V(), a51 = V(), a60 = V(), a61 = V(), a70 = V(), a71 = V()
        var wk = w
        for segment in 0..<window.count {
            let r = window.offsets[segment]
            for c in 0..<window.length {
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
                                        taps window: Taps, outC: Int, wStride: Int) {
        let L = V.lanes
        let x0 = px[0], x1 = px[1], x2 = px[2], x3 = px[3], x4 = px[4], x5 = px[5]
        var a00 = V(), a01 = V(), a10 = V(), a11 = V(), a20 = V(), a21 = V()
        var a30 = V(), a31 = V(), a40 = V(), a41 = V(), a50 = V(), a51 = V()
        var wk = w
        for segment in 0..<window.count {
            let r = window.offsets[segment]
            for c in 0..<window.length {
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
                                        taps window: Taps, outC: Int, wStride: Int) {
        let x0 = px[0], x1 = px[1], x2 = px[2], x3 = px[3], x4 = px[4], x5 = px[5], x6 = px[6], x7 = px[7]
        var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V()
        var wk = w
        for segment in 0..<window.count {
            let r = window.offsets[segment]
            for c in 0..<window.length {
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
    /// output channels (two vectors, then one, within each of the `groups`)
    /// holds its `taps` one after the other, `2·lanes` (or `lanes`) floats
    /// each, 64-byte aligned.
    ///
    /// In Keras' layout a block's taps lie `outC` floats apart and, in a
    /// Swift array, off cache-line boundaries: every 2-vector load then
    /// touched two lines, and a tile's sweep over the taps twice the cache
    /// it needs. Packed, a block's taps are one sequential stream.
    static func withPackedKernel<V: FloatVector, R>(_: V.Type, _ kernel: UnsafePointer<Float>, taps: Int, outC: Int,
                                                    groups: Int = 1, _ body: (UnsafePointer<Float>) -> R) -> R {
        let packed = UnsafeMutableRawPointer.allocate(byteCount: max(taps * outC, 1) * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: max(taps * outC, 1))
        defer { packed.deallocate() }
        let L = V.lanes, groupOut = outC / groups
        var dst = packed
        for group in 0..<groups {
            var co = 0
            while co < groupOut {
                let width = co + 2 * L <= groupOut ? 2 * L : L
                for t in 0..<taps {
                    dst.update(from: kernel + (t &* outC &+ group &* groupOut &+ co), count: width)
                    dst += width
                }
                co += width
            }
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
        let full = WindowGeometry(input: dyPadded.shape, kernel: [kh, kw], strides: [1, 1], dilation: [1, 1],
                                  padding: .valid, outChannels: inC)
        if WinogradConv.supports(full) {
            return WinogradConv.forward(dyPadded, kernel: Tensor(shape: [3, 3, outC, inC], data: flipped), bias: nil,
                                        relu: false, geometry: full)
        }
        var dx = Tensor(uninitialized: [g.input.n, g.input.h, g.input.w, inC])
        run(dyPadded, inH: height, inW: width, inC: outC, kernel: flipped, kh: kh, kw: kw, sh: 1, sw: 1,
            outN: g.input.n, outH: g.input.h, outW: g.input.w, outC: inC, bias: nil, relu: false, into: &dx)
        return dx
    }

    /// Copies a 2D map into a zeroed (n, height, width, c) buffer at (top, left),
    /// cropping whatever falls outside.
    static func padded2D(_ x: Tensor, _ m: Map3, top: Int, left: Int, height: Int, width: Int) -> Tensor {
        padded(x, m, before: [0, top, left], extent: [1, height, width]).reshaped([m.n, height, width, m.c])
    }

    /// Copies a map into a zeroed (n, extent…, c) buffer, `before` cells in
    /// along each of D, H, W, cropping whatever falls outside.
    static func padded(_ x: Tensor, _ m: Map3, before: [Int], extent: [Int]) -> Tensor {
        _ = Memory.configured
        let depth = extent[0], height = extent[1], width = extent[2]
        let front = before[0], top = before[1], left = before[2]
        var out = Tensor(uninitialized: [m.n, depth, height, width, m.c])
        let perImage = depth * height * width * m.c
        x.data.withUnsafeBufferPointer { xb in
            out.data.withUnsafeMutableBufferPointer { ob in
                let os = SharedPointer(ob.baseAddress!)
                Parallel.chunks(m.n, work: 8 * x.count) { images in
                let w0 = max(0, -left), w1 = min(m.w, width - left)
                let d0 = max(0, -front), d1 = min(m.d, depth - front)
                let h0 = max(0, -top), h1 = min(m.h, height - top)
                if w0 >= w1 || d0 >= d1 || h0 >= h1 {
                    (os.base + images.lowerBound &* perImage).update(repeating: 0, count: images.count &* perImage)
                    return
                }
                // Only what the copy leaves untouched is zeroed: the planes and
                // rows outside it, and each copied row's margins.
                let rowLength = width * m.c, planeLength = height * rowLength
                let leftLength = (w0 + left) * m.c, rightStart = (w1 + left) * m.c
                for n in images {
                    let image = os.base + n &* perImage
                    image.update(repeating: 0, count: (d0 + front) * planeLength)
                    (image + (d1 + front) * planeLength).update(repeating: 0, count: (depth - d1 - front) * planeLength)
                    for d in d0..<d1 {
                        let plane = image + (d + front) * planeLength
                        plane.update(repeating: 0, count: (h0 + top) * rowLength)
                        (plane + (h1 + top) * rowLength).update(repeating: 0, count: (height - h1 - top) * rowLength)
                        for h in h0..<h1 {
                            let src = xb.baseAddress! + (((n * m.d + d) * m.h + h) * m.w + w0) * m.c
                            let row = plane + (h + top) * rowLength
                            row.update(repeating: 0, count: leftLength)
                            (row + leftLength).update(from: src, count: (w1 - w0) * m.c)
                            (row + rightStart).update(repeating: 0, count: rowLength - rightStart)
                        }
                    }
                }
                }
            }
        }
        return out
    }
}
