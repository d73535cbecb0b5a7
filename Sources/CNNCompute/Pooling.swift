/// Max and average pooling in 1, 2 or 3 dimensions, with TF's 'same' rule:
/// padded cells are ignored (never the max, and not counted in the average).
///
/// Channels are contiguous in NHWC, so each window reduces 16 channels at a
/// time with SIMD loads when the channel count allows it.
enum PoolingOp {
    /// The window of one output position, clipped to the input, per axis.
    struct Window {
        var d: Range<Int>, h: Range<Int>, w: Range<Int>
        var count: Int { d.count * h.count * w.count }
    }

    /// The geometry as plain integers: reading the arrays of a
    /// ``WindowGeometry`` from two threads at once makes them fight over the
    /// arrays' reference counts.
    struct Axes {
        var stride: (Int, Int, Int), pad: (Int, Int, Int), size: (Int, Int, Int), input: (Int, Int, Int)
        var output: Map3

        init(_ g: WindowGeometry) {
            stride = (g.strides[0], g.strides[1], g.strides[2])
            pad = (g.padBefore[0], g.padBefore[1], g.padBefore[2])
            size = (g.kernel[0], g.kernel[1], g.kernel[2])
            input = (g.input.d, g.input.h, g.input.w)
            output = g.output
        }

        @inline(__always)
        func window(_ od: Int, _ oh: Int, _ ow: Int) -> Window {
            @inline(__always) func clip(_ o: Int, _ s: Int, _ p: Int, _ k: Int, _ n: Int) -> Range<Int> {
                let start = o &* s &- p
                let lo = max(start, 0), hi = min(start &+ k, n)
                return lo < hi ? lo..<hi : lo..<lo
            }
            return Window(d: clip(od, stride.0, pad.0, size.0, input.0),
                          h: clip(oh, stride.1, pad.1, size.1, input.1),
                          w: clip(ow, stride.2, pad.2, size.2, input.2))
        }
    }

    /// Calls `body(output position, window)` for every output position of the images.
    @inline(__always)
    static func forEachWindow(_ a: Axes, images: Range<Int>, _ body: (Int, Window) -> Void) {
        let O = a.output
        for n in images {
            for od in 0..<O.d {
                for oh in 0..<O.h {
                    for ow in 0..<O.w {
                        body(((n &* O.d &+ od) &* O.h &+ oh) &* O.w &+ ow, a.window(od, oh, ow))
                    }
                }
            }
        }
    }

    /// True for the usual pooling: 2D 2×2 windows at stride 2 without
    /// padding, over a multiple of 16 channels, which runs on
    /// ``forEach2x2(_:images:_:)`` rather than on general windows.
    static func isPlain2x2(_ g: WindowGeometry) -> Bool {
        g.kernel == [1, 2, 2] && g.strides == [1, 2, 2] && g.padBefore == [0, 0, 0] && g.input.d == 1
            && g.input.c % 16 == 0 && g.input.c > 0
    }

    /// Calls `body(output offset, first cell's offset, offset to the right,
    /// offset below)` for every window of ``isPlain2x2(_:)`` pooling, in floats.
    @inline(__always)
    static func forEach2x2(_ g: WindowGeometry, images: Range<Int>, _ body: (Int, Int, Int, Int) -> Void) {
        let I = g.input, O = g.output, c = I.c
        let right = c, below = I.w &* c
        for n in images {
            for oh in 0..<O.h {
                for ow in 0..<O.w {
                    body(((n &* O.h &+ oh) &* O.w &+ ow) &* c, ((n &* I.h &+ 2 &* oh) &* I.w &+ 2 &* ow) &* c, right, below)
                }
            }
        }
    }

    // MARK: - Forward

    static func forward(_ x: Tensor, geometry g: WindowGeometry, max isMax: Bool) -> Tensor {
        let I = g.input, c = I.c
        let axes = Axes(g), positions = g.output.positions
        var y = Tensor(uninitialized: g.outputShape(rank: x.rank - 2))
        // Memory-bound: weigh each value read like a few flops.
        let work = 4 * x.count + 2 * y.count * g.window
        if isMax && isPlain2x2(g) {
            x.data.withUnsafeBufferPointer { xb in
                y.data.withUnsafeMutableBufferPointer { yb in
                    let xp = xb.baseAddress!, ys = SharedPointer(yb.baseAddress!)
                    Parallel.chunks(I.n, work: work) { images in
                        forEach2x2(g, images: images) { out, cell, right, below in
                            var cb = 0
                            while cb < c {
                                var acc = SIMD16<Float>(repeating: -.infinity)
                                @inline(__always) func take(_ at: Int) {
                                    let v = load16(xp + (at &+ cb))
                                    acc = acc.replacing(with: v, where: v .> acc)
                                }
                                take(cell); take(cell &+ right); take(cell &+ below); take(cell &+ below &+ right)
                                store16(acc, ys.base + (out &+ cb))
                                cb &+= 16
                            }
                        }
                    }
                }
            }
            return y
        }
        x.data.withUnsafeBufferPointer { xb in
            y.data.withUnsafeMutableBufferPointer { yb in
                guard let xp = xb.baseAddress, let yBase = yb.baseAddress else { return }
                let ys = SharedPointer(yBase)
                Parallel.chunks(I.n, work: work) { images in
                    forEachWindow(axes, images: images) { out, win in
                        let dst = ys.base + out &* c
                        let n = out / positions
                        if win.count == 0 {
                            dst.update(repeating: 0, count: c)
                            return
                        }
                        let scale = 1 / Float(win.count)
                        var cb = 0
                        while cb + 16 <= c {
                            var acc = SIMD16<Float>(repeating: isMax ? -.infinity : 0)
                            for d in win.d {
                                for h in win.h {
                                    for w in win.w {
                                        let cell: Int = ((n &* I.d &+ d) &* I.h &+ h) &* I.w &+ w
                                        let v = load16(xp + (cell &* c &+ cb))
                                        acc = isMax ? acc.replacing(with: v, where: v .> acc) : acc + v
                                    }
                                }
                            }
                            store16(isMax ? acc : acc * scale, dst + cb)
                            cb += 16
                        }
                        for j in cb..<c {
                            var acc: Float = isMax ? -.infinity : 0
                            for d in win.d {
                                for h in win.h {
                                    for w in win.w {
                                        let cell: Int = ((n &* I.d &+ d) &* I.h &+ h) &* I.w &+ w
                                        let v = xp[cell &* c &+ j]
                                        acc = isMax ? max(acc, v) : acc + v
                                    }
                                }
                            }
                            dst[j] = isMax ? acc : acc * scale
                        }
                    }
                }
            }
        }
        return y
    }

    // MARK: - Backward

    /// Max: each output's gradient goes to the first cell of its window that
    /// holds the maximum, or with `everyTie` (TensorFlow's MaxPool3DGrad) the
    /// whole gradient to every cell that holds it. Average: spread evenly over
    /// the window's real cells.
    static func backward(_ dy: Tensor, x: Tensor, y: Tensor, geometry g: WindowGeometry, max isMax: Bool,
                         everyTie: Bool = false) -> Tensor {
        let I = g.input, c = I.c, O = g.output
        let axes = Axes(g), positions = O.positions
        // Windows that tile the map from its corner without overlapping (the
        // usual 2×2, stride-2 pooling): each cell gets at most one window's
        // gradient, stored without reading it back, and only the cells no
        // window reaches are zeroed. Otherwise the windows add into a zeroed map.
        let disjoint = g.padBefore == [0, 0, 0] && g.strides == g.kernel
        let covered = (min(O.d * g.strides[0], I.d), min(O.h * g.strides[1], I.h), min(O.w * g.strides[2], I.w))
        var dx = Tensor(uninitialized: x.shape)
        x.data.withUnsafeBufferPointer { xb in
            y.data.withUnsafeBufferPointer { yb in
                dy.data.withUnsafeBufferPointer { db in
                    dx.data.withUnsafeMutableBufferPointer { gb in
                        guard let xp = xb.baseAddress, let yp = yb.baseAddress, let dp = db.baseAddress,
                              let gBase = gb.baseAddress else { return }
                        let gs = SharedPointer(gBase)
                        // Windows never cross images, so threads own disjoint images.
                        Parallel.chunks(I.n, work: 16 * x.count) { images in
                        let gp = gs.base
                        if disjoint {
                            let rowLength = I.w &* c
                            for n in images {
                                for d in 0..<I.d {
                                    for h in 0..<I.h {
                                        let row = gp + ((n &* I.d &+ d) &* I.h &+ h) &* rowLength
                                        let from = d < covered.0 && h < covered.1 ? covered.2 &* c : 0
                                        (row + from).update(repeating: 0, count: rowLength &- from)
                                    }
                                }
                            }
                        } else {
                            (gp + images.lowerBound &* I.perSample).update(repeating: 0, count: images.count &* I.perSample)
                        }
                        if isMax && isPlain2x2(g) {
                            forEach2x2(g, images: images) { out, cell, right, below in
                                var cb = 0
                                while cb < c {
                                    let grad = load16(dp + (out &+ cb)), target = load16(yp + (out &+ cb))
                                    var open = SIMDMask<SIMD16<Int32>>(repeating: true)
                                    @inline(__always) func route(_ at: Int) {
                                        let hit = open .& (load16(xp + (at &+ cb)) .== target)
                                        store16(SIMD16<Float>(repeating: 0).replacing(with: grad, where: hit), gp + (at &+ cb))
                                        if !everyTie { open = open .& .!hit }
                                    }
                                    route(cell); route(cell &+ right); route(cell &+ below); route(cell &+ below &+ right)
                                    cb &+= 16
                                }
                            }
                            return
                        }
                        forEachWindow(axes, images: images) { out, win in
                            if win.count == 0 { return }
                            let n = out / positions
                            let scale = 1 / Float(win.count)
                            var cb = 0
                            // 16 channels at a time: `open` marks lanes whose maximum is not yet found.
                            while cb + 16 <= c {
                                let grad = load16(dp + (out &* c &+ cb)), target = load16(yp + (out &* c &+ cb))
                                var open = SIMDMask<SIMD16<Int32>>(repeating: true)
                                for d in win.d {
                                    for h in win.h {
                                        for w in win.w {
                                            let cell: Int = ((n &* I.d &+ d) &* I.h &+ h) &* I.w &+ w
                                            let at = gp + (cell &* c &+ cb)
                                            let share: SIMD16<Float>
                                            if isMax {
                                                let hit = open .& (load16(xp + (cell &* c &+ cb)) .== target)
                                                share = SIMD16<Float>(repeating: 0).replacing(with: grad, where: hit)
                                                if !everyTie { open = open .& .!hit }
                                            } else {
                                                share = grad * scale
                                            }
                                            store16(disjoint ? share : load16(at) + share, at)
                                        }
                                    }
                                }
                                cb += 16
                            }
                            for j in cb..<c {
                                let grad = dp[out &* c &+ j], target = yp[out &* c &+ j]
                                var open = true
                                for d in win.d {
                                    for h in win.h {
                                        for w in win.w {
                                            let cell: Int = ((n &* I.d &+ d) &* I.h &+ h) &* I.w &+ w
                                            let index = cell &* c &+ j
                                            let share: Float
                                            if isMax {
                                                let hit = open && xp[index] == target
                                                share = hit ? grad : 0
                                                if hit && !everyTie { open = false }
                                            } else {
                                                share = grad * scale
                                            }
                                            gp[index] = disjoint ? share : gp[index] + share
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
}

/// Global average or max pooling over every spatial axis.
enum GlobalPoolingOp {
    /// (N, …, C) → (N, C), or (N, 1, …, 1, C) with `keepdims`.
    static func forward(_ x: Tensor, max isMax: Bool, keepdims: Bool) -> Tensor {
        let n = x.shape[0], c = x.shape[x.rank - 1]
        let positions = x.shape.dropFirst().dropLast().reduce(1, *)
        var out = [Float](repeating: isMax ? -.infinity : 0, count: n * c)
        x.data.withUnsafeBufferPointer { xb in
            for b in 0..<n {
                for p in 0..<positions {
                    let base = (b * positions + p) * c
                    for j in 0..<c {
                        let v = xb[base + j]
                        out[b * c + j] = isMax ? max(out[b * c + j], v) : out[b * c + j] + v
                    }
                }
            }
        }
        if positions == 0 { out = [Float](repeating: 0, count: n * c) }
        if !isMax, positions > 0 { for i in 0..<out.count { out[i] /= Float(positions) } }
        let shape = keepdims ? [n] + Array(repeating: 1, count: x.rank - 2) + [c] : [n, c]
        return Tensor(shape: shape, data: out)
    }

    /// Max routes each gradient to the first position holding the maximum.
    static func backward(_ dy: Tensor, x: Tensor, y: Tensor, max isMax: Bool) -> Tensor {
        var dx = Tensor(zeros: x.shape)
        let n = x.shape[0], c = x.shape[x.rank - 1]
        let positions = x.shape.dropFirst().dropLast().reduce(1, *)
        if positions == 0 { return dx }
        let inv = 1 / Float(positions)
        x.data.withUnsafeBufferPointer { xb in
            dx.data.withUnsafeMutableBufferPointer { gb in
                for b in 0..<n {
                    var done = [Bool](repeating: false, count: c)
                    for p in 0..<positions {
                        let base = (b * positions + p) * c
                        for j in 0..<c {
                            let g = dy.data[b * c + j]
                            if isMax {
                                if !done[j] && xb[base + j] == y.data[b * c + j] { gb[base + j] = g; done[j] = true }
                            } else {
                                gb[base + j] = g * inv
                            }
                        }
                    }
                }
            }
        }
        return dx
    }
}
