/// The fast path for 2D convolutions: a direct kernel that reads the NHWC
/// input in place and holds 8 output pixels × 32 output channels in sixteen
/// `SIMD16<Float>` accumulators (8 × 16 when only 16 channels are left).
///
/// No im2col matrix is built, so the working set stays in cache; 'same'
/// padding is applied by copying the input into a zero-bordered buffer first.
enum DirectConv {
    /// True when the geometry suits the kernel: 2D, unit dilation, a multiple
    /// of 16 output channels, and output rows at least 8 pixels wide.
    static func supports(_ g: WindowGeometry) -> Bool {
        g.kernel[0] == 1 && g.input.d == 1 && g.output.d == 1 && g.strides[0] == 1
            && g.dilation == [1, 1, 1] && g.output.c % 16 == 0 && g.output.c > 0 && g.output.w >= 8
            && g.input.c > 0
    }

    // MARK: - Forward

    /// Writes conv(x, kernel) (no bias) into `y`.
    static func forward(_ x: Tensor, kernel: Tensor, geometry g: WindowGeometry, into y: inout Tensor) {
        let O = g.output
        let kh = g.kernel[1], kw = g.kernel[2], sh = g.strides[1], sw = g.strides[2]
        // The input extent the windows read, padded with zeros where needed.
        let needH = (O.h - 1) * sh + kh, needW = (O.w - 1) * sw + kw
        if g.padBefore[1] == 0 && g.padBefore[2] == 0 && needH <= g.input.h && needW <= g.input.w {
            run(x, inH: g.input.h, inW: g.input.w, inC: g.input.c, kernel: kernel, kh: kh, kw: kw, sh: sh, sw: sw,
                outN: O.n, outH: O.h, outW: O.w, outC: O.c, into: &y)
            return
        }
        let source = padded2D(x, g.input, top: g.padBefore[1], left: g.padBefore[2], height: needH, width: needW)
        run(source, inH: needH, inW: needW, inC: g.input.c, kernel: kernel, kh: kh, kw: kw, sh: sh, sw: sw,
            outN: O.n, outH: O.h, outW: O.w, outC: O.c, into: &y)
    }

    /// The core loop: valid convolution of an (n, inH, inW, inC) buffer.
    static func run(_ x: Tensor, inH: Int, inW: Int, inC: Int, kernel: Tensor, kh: Int, kw: Int, sh: Int, sw: Int,
                    outN: Int, outH: Int, outW: Int, outC: Int, into y: inout Tensor) {
        let rows = outN * outH
        let work = 2 * rows * outW * outC * kh * kw * inC
        x.data.withUnsafeBufferPointer { xb in
            kernel.data.withUnsafeBufferPointer { wb in
                y.data.withUnsafeMutableBufferPointer { yb in
                    let ys = SharedPointer(yb.baseAddress!)
                    let xp = xb.baseAddress!, wp = wb.baseAddress!
                    Parallel.chunks(rows, work: work) { range in
                        for row in range {
                            let n = row / outH, oh = row % outH
                            let inRow = xp + ((n &* inH &+ oh &* sh) &* inW) &* inC
                            let outRow = ys.base + row &* outW &* outC
                            var ow0 = 0
                            while ow0 < outW {
                                // The last tile overlaps the previous one rather than run short.
                                let start = min(ow0, outW - 8)
                                let xIn = inRow + start &* sw &* inC
                                let yOut = outRow + start &* outC
                                var co = 0
                                while co + 32 <= outC {
                                    tile8x32(xIn, wp + co, yOut + co, inC: inC, inW: inW, outC: outC,
                                             kh: kh, kw: kw, pixelStep: sw &* inC)
                                    co += 32
                                }
                                if co < outC {
                                    tile8x16(xIn, wp + co, yOut + co, inC: inC, inW: inW, outC: outC,
                                             kh: kh, kw: kw, pixelStep: sw &* inC)
                                }
                                ow0 += 8
                            }
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    static func tile8x32(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                         inC: Int, inW: Int, outC: Int, kh: Int, kw: Int, pixelStep: Int) {
        var a00 = SIMD16<Float>(), a01 = SIMD16<Float>()
        var a10 = SIMD16<Float>(), a11 = SIMD16<Float>()
        var a20 = SIMD16<Float>(), a21 = SIMD16<Float>()
        var a30 = SIMD16<Float>(), a31 = SIMD16<Float>()
        var a40 = SIMD16<Float>(), a41 = SIMD16<Float>()
        var a50 = SIMD16<Float>(), a51 = SIMD16<Float>()
        var a60 = SIMD16<Float>(), a61 = SIMD16<Float>()
        var a70 = SIMD16<Float>(), a71 = SIMD16<Float>()
        let s = pixelStep
        for i in 0..<kh {
            for j in 0..<kw {
                let px = x + (i &* inW &+ j) &* inC
                let wk = UnsafeRawPointer(w + (i &* kw &+ j) &* inC &* outC)
                for c in 0..<inC {
                    let w0 = wk.loadUnaligned(fromByteOffset: c &* outC &* 4, as: SIMD16<Float>.self)
                    let w1 = wk.loadUnaligned(fromByteOffset: c &* outC &* 4 &+ 64, as: SIMD16<Float>.self)
                    let p = px + c
                    let v0 = p[0], v1 = p[s], v2 = p[2 &* s], v3 = p[3 &* s]
                    let v4 = p[4 &* s], v5 = p[5 &* s], v6 = p[6 &* s], v7 = p[7 &* s]
                    a00 = a00.addingProduct(v0, w0); a01 = a01.addingProduct(v0, w1)
                    a10 = a10.addingProduct(v1, w0); a11 = a11.addingProduct(v1, w1)
                    a20 = a20.addingProduct(v2, w0); a21 = a21.addingProduct(v2, w1)
                    a30 = a30.addingProduct(v3, w0); a31 = a31.addingProduct(v3, w1)
                    a40 = a40.addingProduct(v4, w0); a41 = a41.addingProduct(v4, w1)
                    a50 = a50.addingProduct(v5, w0); a51 = a51.addingProduct(v5, w1)
                    a60 = a60.addingProduct(v6, w0); a61 = a61.addingProduct(v6, w1)
                    a70 = a70.addingProduct(v7, w0); a71 = a71.addingProduct(v7, w1)
                }
            }
        }
        let o = UnsafeMutableRawPointer(y), st = outC &* 4
        o.storeBytes(of: a00, as: SIMD16<Float>.self); o.storeBytes(of: a01, toByteOffset: 64, as: SIMD16<Float>.self)
        o.storeBytes(of: a10, toByteOffset: st, as: SIMD16<Float>.self)
        o.storeBytes(of: a11, toByteOffset: st &+ 64, as: SIMD16<Float>.self)
        o.storeBytes(of: a20, toByteOffset: 2 &* st, as: SIMD16<Float>.self)
        o.storeBytes(of: a21, toByteOffset: 2 &* st &+ 64, as: SIMD16<Float>.self)
        o.storeBytes(of: a30, toByteOffset: 3 &* st, as: SIMD16<Float>.self)
        o.storeBytes(of: a31, toByteOffset: 3 &* st &+ 64, as: SIMD16<Float>.self)
        o.storeBytes(of: a40, toByteOffset: 4 &* st, as: SIMD16<Float>.self)
        o.storeBytes(of: a41, toByteOffset: 4 &* st &+ 64, as: SIMD16<Float>.self)
        o.storeBytes(of: a50, toByteOffset: 5 &* st, as: SIMD16<Float>.self)
        o.storeBytes(of: a51, toByteOffset: 5 &* st &+ 64, as: SIMD16<Float>.self)
        o.storeBytes(of: a60, toByteOffset: 6 &* st, as: SIMD16<Float>.self)
        o.storeBytes(of: a61, toByteOffset: 6 &* st &+ 64, as: SIMD16<Float>.self)
        o.storeBytes(of: a70, toByteOffset: 7 &* st, as: SIMD16<Float>.self)
        o.storeBytes(of: a71, toByteOffset: 7 &* st &+ 64, as: SIMD16<Float>.self)
    }

    @inline(__always)
    static func tile8x16(_ x: UnsafePointer<Float>, _ w: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                         inC: Int, inW: Int, outC: Int, kh: Int, kw: Int, pixelStep: Int) {
        var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
        var a4 = SIMD16<Float>(), a5 = SIMD16<Float>(), a6 = SIMD16<Float>(), a7 = SIMD16<Float>()
        let s = pixelStep
        for i in 0..<kh {
            for j in 0..<kw {
                let px = x + (i &* inW &+ j) &* inC
                let wk = UnsafeRawPointer(w + (i &* kw &+ j) &* inC &* outC)
                for c in 0..<inC {
                    let w0 = wk.loadUnaligned(fromByteOffset: c &* outC &* 4, as: SIMD16<Float>.self)
                    let p = px + c
                    a0 = a0.addingProduct(p[0], w0); a1 = a1.addingProduct(p[s], w0)
                    a2 = a2.addingProduct(p[2 &* s], w0); a3 = a3.addingProduct(p[3 &* s], w0)
                    a4 = a4.addingProduct(p[4 &* s], w0); a5 = a5.addingProduct(p[5 &* s], w0)
                    a6 = a6.addingProduct(p[6 &* s], w0); a7 = a7.addingProduct(p[7 &* s], w0)
                }
            }
        }
        let o = UnsafeMutableRawPointer(y), st = outC &* 4
        o.storeBytes(of: a0, as: SIMD16<Float>.self)
        o.storeBytes(of: a1, toByteOffset: st, as: SIMD16<Float>.self)
        o.storeBytes(of: a2, toByteOffset: 2 &* st, as: SIMD16<Float>.self)
        o.storeBytes(of: a3, toByteOffset: 3 &* st, as: SIMD16<Float>.self)
        o.storeBytes(of: a4, toByteOffset: 4 &* st, as: SIMD16<Float>.self)
        o.storeBytes(of: a5, toByteOffset: 5 &* st, as: SIMD16<Float>.self)
        o.storeBytes(of: a6, toByteOffset: 6 &* st, as: SIMD16<Float>.self)
        o.storeBytes(of: a7, toByteOffset: 7 &* st, as: SIMD16<Float>.self)
    }

    // MARK: - Backward (input gradient)

    /// The input gradient of a stride-1 2D convolution as the "full"
    /// convolution of dy with the kernel flipped in space and transposed in
    /// channels; nil when the fast kernel does not apply.
    static func fullGradient(_ dy: Tensor, kernel: Tensor, geometry g: WindowGeometry) -> Tensor? {
        let kh = g.kernel[1], kw = g.kernel[2]
        guard g.kernel[0] == 1, g.input.d == 1, g.strides == [1, 1, 1], g.dilation == [1, 1, 1],
              g.input.c % 16 == 0, g.input.c > 0, g.input.w >= 8, g.output.c > 0 else { return nil }
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
        var dx = Tensor(zeros: [g.input.n, g.input.h, g.input.w, inC])
        run(dyPadded, inH: height, inW: width, inC: outC, kernel: Tensor(shape: [kh, kw, outC, inC], data: flipped),
            kh: kh, kw: kw, sh: 1, sw: 1, outN: g.input.n, outH: g.input.h, outW: g.input.w, outC: inC, into: &dx)
        return dx
    }

    /// Copies a 2D map into a zeroed (n, height, width, c) buffer at (top, left),
    /// cropping whatever falls outside.
    static func padded2D(_ x: Tensor, _ m: Map3, top: Int, left: Int, height: Int, width: Int) -> Tensor {
        var out = Tensor(zeros: [m.n, height, width, m.c])
        x.data.withUnsafeBufferPointer { xb in
            out.data.withUnsafeMutableBufferPointer { ob in
                for n in 0..<m.n {
                    for h in 0..<m.h {
                        let oh = h + top
                        if oh < 0 || oh >= height { continue }
                        let w0 = max(0, -left), w1 = min(m.w, width - left)
                        if w0 >= w1 { continue }
                        let src = xb.baseAddress! + ((n * m.h + h) * m.w + w0) * m.c
                        let dst = ob.baseAddress! + ((n * height + oh) * width + w0 + left) * m.c
                        dst.update(from: src, count: (w1 - w0) * m.c)
                    }
                }
            }
        }
        return out
    }
}
