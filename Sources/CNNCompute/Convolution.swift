/// Standard (optionally grouped) convolution in 1, 2 or 3 dimensions, forward
/// and backward.
///
/// The kernel is in Keras' layout, (k…, in / groups, out), which is exactly
/// the row order of the im2col matrix (window cell, then channel), so the
/// generic path is im2col + GEMM one image at a time. 3×3, stride-1 2D
/// convolutions with multiples of 16 channels go to ``WinogradConv``; others
/// with a multiple of 16 output channels per group (1D, 2D or 3D, any
/// dilation) to ``DirectConv``, which reads the NHWC input in place.
/// ``WinogradConv`` gives all the gradients of its convolutions in one pass;
/// the others' input gradient is a "full" convolution (``DirectConv``,
/// itself on ``WinogradConv`` when it can) or a scatter (``ScatterGradient``).
enum ConvOp {
    // MARK: - Forward

    /// y = conv(x, kernel) + bias, then ReLU when `relu` (fused into the
    /// direct kernel's store).
    static func forward(_ x: Tensor, kernel: Tensor, bias: Tensor?, geometry g: WindowGeometry, groups: Int,
                        relu: Bool = false) -> Tensor {
        if WinogradConv.supports(g, groups: groups) {
            return WinogradConv.forward(x, kernel: kernel, bias: bias, relu: relu, geometry: g)
        }
        if DirectConv.supportsForward(g, groups: groups) {
            var y = Tensor(uninitialized: g.outputShape(rank: x.rank - 2))
            DirectConv.forward(x, kernel: kernel, bias: bias, relu: relu, geometry: g, groups: groups, into: &y)
            return y
        }
        var y = Tensor(zeros: g.outputShape(rank: x.rank - 2))
        if y.count == 0 { return y }
        genericForward(x, kernel: kernel, geometry: g, groups: groups, into: &y)
        if let bias { addBias(bias, to: &y) }
        if relu { ActivationOp.applyReLU(&y) }
        return y
    }

    static func genericForward(_ x: Tensor, kernel: Tensor, geometry g: WindowGeometry, groups: Int, into y: inout Tensor) {
        let inC = g.input.c, outC = g.output.c
        let cg = inC / groups, og = outC / groups
        let rowLen = g.window * cg
        let positions = g.output.positions
        let n = g.input.n
        let work = 2 * n * positions * rowLen * outC
        let perImage = Parallel.threadCount(n, work: work, perThread: 1) > 1
        x.data.withUnsafeBufferPointer { xb in
            kernel.data.withUnsafeBufferPointer { wb in
                y.data.withUnsafeMutableBufferPointer { yb in
                    let ys = SharedPointer(yb.baseAddress!)
                    let xp = xb.baseAddress!, wp = wb.baseAddress!
                    Parallel.chunks(n, work: perImage ? work : 0) { images in
                        let cols = UnsafeMutablePointer<Float>.allocate(capacity: positions * rowLen)
                        defer { cols.deallocate() }
                        for img in images {
                            for gi in 0..<groups {
                                im2col(xp + img * g.input.perSample, g, channel0: gi * cg, channels: cg, into: cols)
                                Gemm.multiply(m: positions, n: og, k: rowLen, a: cols, lda: rowLen, transA: false,
                                              b: wp + gi * og, ldb: outC, transB: false,
                                              c: ys.base + img * g.output.perSample + gi * og, ldc: outC,
                                              accumulate: false, parallel: !perImage)
                            }
                        }
                    }
                }
            }
        }
    }

    // MARK: - Backward

    /// Gradients of the input (when asked), the kernel and the bias from
    /// dL/dy; with `reluOutput`, the output of a fused ReLU, from dL/dy
    /// through that ReLU.
    static func backward(_ dy: Tensor, x: Tensor, kernel: Tensor, hasBias: Bool, reluOutput: Tensor? = nil,
                         geometry g: WindowGeometry, groups: Int, needInput: Bool) -> (dx: Tensor?, dKernel: Tensor, dBias: Tensor?) {
        let winograd = WinogradConv.supports(g, groups: groups)
        // Winograd's transforms give all three gradients in one pass, with the
        // ReLU's mask applied as they read dy.
        if winograd, !needInput || g.input.n >= WinogradConv.inputGradientImages {
            let r = WinogradConv.backward(dy, x: x, kernel: kernel, gate: reluOutput, hasBias: hasBias, geometry: g,
                                          needInput: needInput)
            return (r.dx?.reshaped(x.shape), r.dKernel, r.dBias)
        }
        if let reluOutput {
            // One pass for the ReLU's mask and the bias gradient.
            let (dz, dBias) = ActivationOp.reluBackwardWithBias(dy, y: reluOutput)
            let r = backward(dz, x: x, kernel: kernel, hasBias: false, geometry: g, groups: groups, needInput: needInput)
            return (r.dx, r.dKernel, hasBias ? dBias : nil)
        }
        let dBias = hasBias ? biasGradient(dy) : nil
        var dKernel = Tensor(zeros: kernel.shape)
        var dx: Tensor? = nil
        if dy.count == 0 { return (needInput ? Tensor(zeros: x.shape) : nil, dKernel, dBias) }
        // The fast path: the kernel gradient read in place (by Winograd's
        // transforms when they apply) and the input gradient as a "full"
        // convolution, both on the direct kernels' register tiles.
        let winogradKernel = winograd
            ? WinogradConv.backward(dy, x: x, kernel: kernel, gate: nil, hasBias: false, geometry: g, needInput: false).dKernel
            : nil
        if groups == 1, let fastKernel = winogradKernel ?? DirectConv.kernelGradient(dy, x: x, geometry: g) {
            if !needInput { return (nil, fastKernel.reshaped(kernel.shape), dBias) }
            // On small maps the full convolution multiplies mostly padding;
            // scattering then wastes less, unless Winograd's transforms make
            // the full convolution's products 2.25 times fewer.
            let growth = Double(g.input.h * g.input.w) / Double(max(g.output.h * g.output.w, 1))
            if growth > (winogradKernel == nil ? 1.25 : 2.0), let scattered = ScatterGradient.inputGradient(dy, kernel: kernel, geometry: g) {
                return (scattered.reshaped(x.shape), fastKernel.reshaped(kernel.shape), dBias)
            }
            if let full = DirectConv.fullGradient(dy, kernel: kernel, geometry: g) {
                return (full.reshaped(x.shape), fastKernel.reshaped(kernel.shape), dBias)
            }
        }
        dx = needInput ? Tensor(zeros: x.shape) : nil
        let inC = g.input.c, outC = g.output.c
        let cg = inC / groups, og = outC / groups
        let rowLen = g.window * cg
        let positions = g.output.positions
        let n = g.input.n

        // Input gradient: a stride-1 2D convolution's input gradient is the
        // "full" convolution of dy with the flipped kernel, which runs on the
        // fast direct kernel.
        var inputDone = false
        if needInput, groups == 1, let full = DirectConv.fullGradient(dy, kernel: kernel, geometry: g) {
            dx = full
            inputDone = true
        }

        let work = 2 * n * positions * rowLen * outC * (needInput && !inputDone ? 2 : 1)
        let chunkCount = Parallel.partialCount(n, work: work)
        var partials = [[Float]](repeating: [], count: chunkCount)
        x.data.withUnsafeBufferPointer { xb in
            dy.data.withUnsafeBufferPointer { db in
                kernel.data.withUnsafeBufferPointer { wb in
                    withOptionalMutable(&dx) { dxp in
                        let dxs = dxp.map(SharedPointer.init)
                        let xp = xb.baseAddress!, dp = db.baseAddress!, wp = wb.baseAddress!
                        partials.withUnsafeMutableBufferPointer { parts in
                            let partsBase = parts.baseAddress!
                            let ps = PartialSlots(base: partsBase)
                            Parallel.indexedChunks(n, work: work) { images, slot in
                                var acc = [Float](repeating: 0, count: kernel.count)
                                let cols = UnsafeMutablePointer<Float>.allocate(capacity: positions * rowLen)
                                defer { cols.deallocate() }
                                acc.withUnsafeMutableBufferPointer { ab in
                                    let accp = ab.baseAddress!
                                    for img in images {
                                        let dyImg = dp + img * g.output.perSample
                                        for gi in 0..<groups {
                                            im2col(xp + img * g.input.perSample, g, channel0: gi * cg, channels: cg, into: cols)
                                            Gemm.multiply(m: rowLen, n: og, k: positions, a: cols, lda: rowLen, transA: true,
                                                          b: dyImg + gi * og, ldb: outC, transB: false,
                                                          c: accp + gi * og, ldc: outC, accumulate: true,
                                                          parallel: chunkCount == 1)
                                            if let dxs, !inputDone {
                                                Gemm.multiply(m: positions, n: rowLen, k: og, a: dyImg + gi * og, lda: outC,
                                                              transA: false, b: wp + gi * og, ldb: outC, transB: true,
                                                              c: cols, ldc: rowLen, accumulate: false, parallel: chunkCount == 1)
                                                col2im(cols, g, channel0: gi * cg, channels: cg,
                                                       into: dxs.base + img * g.input.perSample)
                                            }
                                        }
                                    }
                                }
                                (ps.base + slot).pointee = acc
                            }
                        }
                    }
                }
            }
        }
        for part in partials where !part.isEmpty {
            for i in 0..<part.count { dKernel.data[i] += part[i] }
        }
        return (dx, dKernel, dBias)
    }

    // MARK: - Shared pieces

    /// Adds a per-channel bias to every position.
    static func addBias(_ bias: Tensor, to y: inout Tensor) {
        let c = bias.count
        bias.data.withUnsafeBufferPointer { bb in
            y.data.withUnsafeMutableBufferPointer { yb in
                let rows = yb.count / c
                for r in 0..<rows {
                    let row = yb.baseAddress! + r &* c
                    for j in 0..<c { row[j] += bb[j] }
                }
            }
        }
    }

    /// The bias gradient: dy summed over every axis but the last.
    static func biasGradient(_ dy: Tensor) -> Tensor {
        let c = dy.shape.last!
        var out = [Float](repeating: 0, count: c)
        dy.data.withUnsafeBufferPointer { db in
            let rows = c == 0 ? 0 : db.count / c
            for r in 0..<rows {
                let row = db.baseAddress! + r &* c
                for j in 0..<c { out[j] += row[j] }
            }
        }
        return Tensor(shape: [c], data: out)
    }

    /// One image's im2col matrix: a row per output position, holding the
    /// window's cells (D, H, W order) times `channels` input channels.
    static func im2col(_ x: UnsafePointer<Float>, _ g: WindowGeometry, channel0: Int, channels cg: Int,
                       into cols: UnsafeMutablePointer<Float>) {
        let I = g.input, O = g.output
        let (s0, s1, s2) = (g.strides[0], g.strides[1], g.strides[2])
        let (p0, p1, p2) = (g.padBefore[0], g.padBefore[1], g.padBefore[2])
        let (d0, d1, d2) = (g.dilation[0], g.dilation[1], g.dilation[2])
        var dst = cols
        for od in 0..<O.d {
            for oh in 0..<O.h {
                for ow in 0..<O.w {
                    for kd in 0..<g.kernel[0] {
                        let id: Int = od &* s0 &- p0 &+ kd &* d0
                        for kh in 0..<g.kernel[1] {
                            let ih: Int = oh &* s1 &- p1 &+ kh &* d1
                            for kw in 0..<g.kernel[2] {
                                let iw: Int = ow &* s2 &- p2 &+ kw &* d2
                                if id >= 0 && id < I.d && ih >= 0 && ih < I.h && iw >= 0 && iw < I.w {
                                    let cell: Int = (id &* I.h &+ ih) &* I.w &+ iw
                                    let src = x + (cell &* I.c &+ channel0)
                                    dst.update(from: src, count: cg)
                                } else {
                                    dst.update(repeating: 0, count: cg)
                                }
                                dst += cg
                            }
                        }
                    }
                }
            }
        }
    }

    /// The adjoint of ``im2col``: adds every row's cells back into the image.
    static func col2im(_ cols: UnsafePointer<Float>, _ g: WindowGeometry, channel0: Int, channels cg: Int,
                       into x: UnsafeMutablePointer<Float>) {
        let I = g.input, O = g.output
        let (s0, s1, s2) = (g.strides[0], g.strides[1], g.strides[2])
        let (p0, p1, p2) = (g.padBefore[0], g.padBefore[1], g.padBefore[2])
        let (d0, d1, d2) = (g.dilation[0], g.dilation[1], g.dilation[2])
        var src = cols
        for od in 0..<O.d {
            for oh in 0..<O.h {
                for ow in 0..<O.w {
                    for kd in 0..<g.kernel[0] {
                        let id: Int = od &* s0 &- p0 &+ kd &* d0
                        for kh in 0..<g.kernel[1] {
                            let ih: Int = oh &* s1 &- p1 &+ kh &* d1
                            for kw in 0..<g.kernel[2] {
                                let iw: Int = ow &* s2 &- p2 &+ kw &* d2
                                if id >= 0 && id < I.d && ih >= 0 && ih < I.h && iw >= 0 && iw < I.w {
                                    let cell: Int = (id &* I.h &+ ih) &* I.w &+ iw
                                    let dst = x + (cell &* I.c &+ channel0)
                                    for j in 0..<cg { dst[j] += src[j] }
                                }
                                src += cg
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Per-chunk result slots written by ``Parallel/indexedChunks(_:work:_:)``.
struct PartialSlots: @unchecked Sendable {
    let base: UnsafeMutablePointer<[Float]>
}

/// Runs `body` with a pointer to an optional tensor's storage, or nil.
@inline(__always)
func withOptionalMutable<R>(_ t: inout Tensor?, _ body: (UnsafeMutablePointer<Float>?) -> R) -> R {
    if t == nil { return body(nil) }
    return t!.data.withUnsafeMutableBufferPointer { body($0.baseAddress) }
}
