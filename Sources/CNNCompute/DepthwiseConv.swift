/// Depthwise convolution in 1, 2 or 3 dimensions: each input channel gets its
/// own `multiplier` filters; output channel `c · multiplier + m`.
///
/// The kernel is in Keras' layout (k…, in, multiplier). Direct loops: these
/// layers are cheap next to the standard convolutions around them.
enum DepthwiseOp {
    // MARK: - Forward

    static func forward(_ x: Tensor, kernel: Tensor, bias: Tensor?, geometry g: WindowGeometry) -> Tensor {
        var y = g.output.c == g.input.c ? singleFilter(x, kernel: kernel, geometry: g) : anyMultiplier(x, kernel: kernel, geometry: g)
        if let bias { ConvOp.addBias(bias, to: &y) }
        return y
    }

    /// One filter per channel: each output pixel's channels summed in
    /// registers, eight at a time, over the window cells inside the image,
    /// in the order ``anyMultiplier(_:kernel:geometry:)`` adds them to memory
    /// (a product, then a sum, per cell), so the values are the same.
    static func singleFilter(_ x: Tensor, kernel: Tensor, geometry g: WindowGeometry) -> Tensor {
        _ = Memory.configured
        var y = Tensor(uninitialized: g.outputShape(rank: x.rank - 2))
        let O = g.output, c = g.input.c
        let rows = O.n * O.d * O.h
        let work = 2 * O.n * O.positions * O.c * g.window
        let window = Cells(g)
        x.data.withUnsafeBufferPointer { xb in
            kernel.data.withUnsafeBufferPointer { kb in
                y.data.withUnsafeMutableBufferPointer { yb in
                    guard let xp = xb.baseAddress, let kp = kb.baseAddress, let yp = yb.baseAddress else { return }
                    let ys = SharedPointer(yp)
                    Parallel.chunks(rows, work: work) { range in
                        // (input offset, kernel offset) of each cell inside the image.
                        let cells = UnsafeMutablePointer<Int>.allocate(capacity: 2 * max(g.window, 1))
                        defer { cells.deallocate() }
                        for row in range {
                            let n = row / (O.d * O.h), od = (row / O.h) % O.d, oh = row % O.h
                            for ow in 0..<O.w {
                                var count = 0
                                window.inside(n: n, od: od, oh: oh, ow: ow) { inIndex, cell in
                                    cells[2 &* count] = inIndex &* c
                                    cells[2 &* count &+ 1] = cell &* c
                                    count &+= 1
                                }
                                let dst = ys.base + (row * O.w + ow) * c
                                var ci = 0
                                // Four blocks at once: four independent chains of sums.
                                while ci &+ 32 <= c {
                                    var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
                                    for t in 0..<count {
                                        let v = xp + (cells[2 &* t] &+ ci), k = kp + (cells[2 &* t &+ 1] &+ ci)
                                        a0 = a0 + SIMD8<Float>.loadUnaligned(v) * SIMD8<Float>.loadUnaligned(k)
                                        a1 = a1 + SIMD8<Float>.loadUnaligned(v + 8) * SIMD8<Float>.loadUnaligned(k + 8)
                                        a2 = a2 + SIMD8<Float>.loadUnaligned(v + 16) * SIMD8<Float>.loadUnaligned(k + 16)
                                        a3 = a3 + SIMD8<Float>.loadUnaligned(v + 24) * SIMD8<Float>.loadUnaligned(k + 24)
                                    }
                                    a0.storeUnaligned(dst + ci); a1.storeUnaligned(dst + (ci &+ 8))
                                    a2.storeUnaligned(dst + (ci &+ 16)); a3.storeUnaligned(dst + (ci &+ 24))
                                    ci &+= 32
                                }
                                while ci &+ 8 <= c {
                                    var acc = SIMD8<Float>()
                                    for t in 0..<count {
                                        let v = SIMD8<Float>.loadUnaligned(xp + (cells[2 &* t] &+ ci))
                                        let k = SIMD8<Float>.loadUnaligned(kp + (cells[2 &* t &+ 1] &+ ci))
                                        acc = acc + v * k
                                    }
                                    acc.storeUnaligned(dst + ci)
                                    ci &+= 8
                                }
                                while ci < c {
                                    var acc: Float = 0
                                    for t in 0..<count { acc = acc + xp[cells[2 &* t] &+ ci] * kp[cells[2 &* t &+ 1] &+ ci] }
                                    dst[ci] = acc
                                    ci &+= 1
                                }
                            }
                        }
                    }
                }
            }
        }
        return y
    }

    /// Any number of filters per channel, added into the output cell by cell.
    static func anyMultiplier(_ x: Tensor, kernel: Tensor, geometry g: WindowGeometry) -> Tensor {
        var y = Tensor(zeros: g.outputShape(rank: x.rank - 2))
        let I = g.input, O = g.output
        let c = I.c, mult = O.c / max(I.c, 1)
        let work = 2 * O.n * O.positions * O.c * g.window
        x.data.withUnsafeBufferPointer { xb in
            kernel.data.withUnsafeBufferPointer { kb in
                y.data.withUnsafeMutableBufferPointer { yb in
                    let ys = SharedPointer(yb.baseAddress!)
                    let xp = xb.baseAddress!, kp = kb.baseAddress!
                    Parallel.chunks(O.n, work: work) { images in
                        for n in images {
                            visit(g, n: n) { inIndex, outIndex, cell in
                                let src = xp + inIndex * c, dst = ys.base + outIndex * O.c
                                let k = kp + cell * c * mult
                                if mult == 1 {
                                    // One filter per channel: a plain vector loop.
                                    for ci in 0..<c { dst[ci] += src[ci] * k[ci] }
                                    return
                                }
                                for ci in 0..<c {
                                    let v = src[ci]
                                    for m in 0..<mult { dst[ci &* mult &+ m] += v * k[ci &* mult &+ m] }
                                }
                            }
                        }
                    }
                }
            }
        }
        return y
    }

    // MARK: - Backward

    static func backward(_ dy: Tensor, x: Tensor, kernel: Tensor, hasBias: Bool, geometry g: WindowGeometry,
                         needInput: Bool) -> (dx: Tensor?, dKernel: Tensor, dBias: Tensor?) {
        let I = g.input, O = g.output
        let c = I.c, mult = O.c / max(I.c, 1)
        var dx = [Float](repeating: 0, count: needInput ? x.count : 0)
        let work = 4 * O.n * O.positions * O.c * g.window
        // Threads own whole images (their dx is disjoint), each with its own
        // copy of the kernel gradient, added up in a fixed order.
        let parts = Parallel.partialCount(O.n, work: work)
        var partials = [Float](repeating: 0, count: parts * kernel.count)
        x.data.withUnsafeBufferPointer { xb in
            kernel.data.withUnsafeBufferPointer { kb in
                dy.data.withUnsafeBufferPointer { db in
                    dx.withUnsafeMutableBufferPointer { dxb in
                        partials.withUnsafeMutableBufferPointer { pb in
                            guard let xp = xb.baseAddress, let kp = kb.baseAddress, let dp = db.baseAddress,
                                  let pBase = pb.baseAddress else { return }
                            let ps = SharedPointer(pBase)
                            let dxs = needInput ? dxb.baseAddress.map(SharedPointer.init) : nil
                            Parallel.indexedChunks(O.n, work: work) { images, slot in
                                let dkp = ps.base + slot &* kernel.count
                                for n in images {
                                    visit(g, n: n) { inIndex, outIndex, cell in
                                        let src = xp + inIndex &* c, grad = dp + outIndex &* O.c
                                        let k = kp + cell &* c &* mult, gk = dkp + cell &* c &* mult
                                        if mult == 1 {
                                            for ci in 0..<c { gk[ci] += src[ci] * grad[ci] }
                                            if let dxs {
                                                let out = dxs.base + inIndex &* c
                                                for ci in 0..<c { out[ci] += grad[ci] * k[ci] }
                                            }
                                            return
                                        }
                                        for ci in 0..<c {
                                            let v = src[ci]
                                            var acc: Float = 0
                                            for m in 0..<mult {
                                                let gy = grad[ci &* mult &+ m]
                                                gk[ci &* mult &+ m] += v * gy
                                                acc += gy * k[ci &* mult &+ m]
                                            }
                                            if let dxs { dxs.base[inIndex &* c &+ ci] += acc }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var dk = [Float](repeating: 0, count: kernel.count)
        for t in 0..<parts {
            for i in 0..<kernel.count { dk[i] += partials[t &* kernel.count &+ i] }
        }
        return (needInput ? Tensor(shape: x.shape, data: dx) : nil,
                Tensor(shape: kernel.shape, data: dk),
                hasBias ? ConvOp.biasGradient(dy) : nil)
    }

    /// Calls `body(input position, output position, window cell)` for every
    /// window cell that lands inside image `n`; positions count from the batch start.
    @inline(__always)
    static func visit(_ g: WindowGeometry, n: Int, _ body: (Int, Int, Int) -> Void) {
        let O = g.output, window = Cells(g)
        for od in 0..<O.d {
            for oh in 0..<O.h {
                for ow in 0..<O.w {
                    let outIndex = ((n * O.d + od) * O.h + oh) * O.w + ow
                    window.inside(n: n, od: od, oh: oh, ow: ow) { body($0, outIndex, $1) }
                }
            }
        }
    }

    /// A window's geometry in plain integers (the geometry's arrays are
    /// shared between threads).
    struct Cells {
        let s0: Int, s1: Int, s2: Int, p0: Int, p1: Int, p2: Int
        let d0: Int, d1: Int, d2: Int, k0: Int, k1: Int, k2: Int
        let input: Map3

        init(_ g: WindowGeometry) {
            (s0, s1, s2) = (g.strides[0], g.strides[1], g.strides[2])
            (p0, p1, p2) = (g.padBefore[0], g.padBefore[1], g.padBefore[2])
            (d0, d1, d2) = (g.dilation[0], g.dilation[1], g.dilation[2])
            (k0, k1, k2) = (g.kernel[0], g.kernel[1], g.kernel[2])
            input = g.input
        }

        /// Calls `body(input position, window cell)` for each cell of output
        /// pixel (od, oh, ow) of image `n` that lands inside the image, in
        /// (D, H, W) order.
        @inline(__always)
        func inside(n: Int, od: Int, oh: Int, ow: Int, _ body: (Int, Int) -> Void) {
            let I = input
            for kd in 0..<k0 {
                let id = od * s0 - p0 + kd * d0
                if id < 0 || id >= I.d { continue }
                for kh in 0..<k1 {
                    let ih = oh * s1 - p1 + kh * d1
                    if ih < 0 || ih >= I.h { continue }
                    for kw in 0..<k2 {
                        let iw = ow * s2 - p2 + kw * d2
                        if iw < 0 || iw >= I.w { continue }
                        body(((n * I.d + id) * I.h + ih) * I.w + iw, (kd * k1 + kh) * k2 + kw)
                    }
                }
            }
        }
    }
}
