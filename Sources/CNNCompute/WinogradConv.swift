/// 3×3, stride-1 convolutions by Winograd's minimal filtering, F(2×2, 3×3):
/// each 2×2 block of outputs takes 16 multiply-adds per channel pair instead
/// of 36.
///
/// The kernel becomes U = G g Gᵀ and each 4×4 patch of input d becomes
/// V = Bᵀ d B (16 values per channel); for each of the 16 positions ξ the
/// outputs' transform is then a matrix product, M_ξ = V_ξ · U_ξ over the
/// input channels, which runs on ``DirectConv``'s register tiles, and the
/// outputs are Y = Aᵀ M A, with the bias and ReLU. Tiles are taken
/// ``blockTiles`` at a time, so that their V and M stay in L2.
///
/// The transforms are vectorised over channels and the products summed over
/// the input channels in order, so every ``KernelWidth`` gives the same values
/// (they differ from direct summation's by rounding only).
enum WinogradConv {
    /// True when it applies: a 2D 3×3 window, unit strides and dilation, one
    /// group, and multiples of 16 input and output channels.
    static func supports(_ g: WindowGeometry, groups: Int = 1) -> Bool {
        groups == 1 && g.kernel == [1, 3, 3] && g.input.d == 1 && g.output.d == 1 && g.strides == [1, 1, 1]
            && g.dilation == [1, 1, 1] && g.input.c % 16 == 0 && g.input.c > 0 && g.output.c % 16 == 0
            && g.output.c > 0 && g.output.n * g.output.h * g.output.w > 0
    }

    /// Tiles transformed and multiplied together: a multiple of every
    /// register tile's pixels (6 and 8).
    static let blockTiles = 48

    /// Tiles per block of the backward: more than the forward's, since each
    /// product there adds into a chunk's dU in memory, which costs about as
    /// much as 48 tiles' products did (72 made the backward of the seed
    /// model's 32-channel layers 10–20% faster than 48), but a multiple of 24
    /// and few enough that the block's V and dM take at most 512 KB.
    static func backwardBlockTiles(inC: Int, outC: Int) -> Int {
        let fit = (512 << 10) / (16 * 4 * (inC + outC))
        return max(24, min(72, fit / 24 * 24))
    }

    /// conv(x, kernel) + bias, then ReLU when `relu`; when `pooled`, the 2×2,
    /// stride-2 maxima of that (a 'valid' MaxPooling2D), each 2×2 tile's
    /// outputs pooled before they are stored.
    static func forward(_ x: Tensor, kernel: Tensor, bias: Tensor?, relu: Bool, geometry g: WindowGeometry,
                        pooled: Bool = false) -> Tensor {
        switch KernelWidth.current {
        case .w16: forward(SIMD16<Float>.self, x, kernel: kernel, bias: bias, relu: relu, geometry: g, pooled: pooled)
        case .w8: forward(SIMD8<Float>.self, x, kernel: kernel, bias: bias, relu: relu, geometry: g, pooled: pooled)
        case .w4: forward(SIMD4<Float>.self, x, kernel: kernel, bias: bias, relu: relu, geometry: g, pooled: pooled)
        }
    }

    static func forward<V: FloatVector>(_: V.Type, _ x: Tensor, kernel: Tensor, bias: Tensor?, relu: Bool,
                                        geometry g: WindowGeometry, pooled: Bool) -> Tensor {
        _ = Memory.configured
        let O = g.output, inC = g.input.c, outC = O.c
        // Pooled, a tile is a pooling window, and an odd last row or column is dropped.
        let tilesH = pooled ? O.h / 2 : (O.h + 1) / 2, tilesW = pooled ? O.w / 2 : (O.w + 1) / 2
        let outH = pooled ? tilesH : O.h, outW = pooled ? tilesW : O.w
        var y = Tensor(uninitialized: [O.n, outH, outW, outC])
        let tileCount = O.n * tilesH * tilesW
        if tileCount == 0 { return y }
        let patches = Patches(x, g, tilesH: tilesH, tilesW: tilesW), layout = patches.layout
        let u = transformedKernel(kernel, inC: inC, outC: outC)
        let T = blockTiles, P = V.tilePixels
        let blocks = (tileCount + T - 1) / T
        let zeros = [Float](repeating: 0, count: outC)
        let perImage = tilesH * tilesW
        patches.source.data.withUnsafeBufferPointer { xb in
            u.withUnsafeBufferPointer { ub in
                (bias?.data ?? zeros).withUnsafeBufferPointer { bb in
                    zeros.withUnsafeBufferPointer { zb in
                        y.data.withUnsafeMutableBufferPointer { yb in
                            let ys = SharedPointer(yb.baseAddress!)
                            let xp = xb.baseAddress!, bp = bb.baseAddress!, zp = zb.baseAddress!
                            DirectConv.withPackedKernel(V.self, ub.baseAddress!, taps: inC, outC: 16 * outC, groups: 16) { up in
                            withUnsafeTemporaryAllocation(of: Int.self, capacity: 1) { offset in
                            offset[0] = 0
                            let row = DirectConv.Taps(offsets: UnsafePointer(offset.baseAddress!), count: 1, length: inC)
                            Parallel.chunks(blocks, work: 2 * tileCount * 16 * inC * outC) { range in
                                let v = aligned(16 * T * inC), m = aligned(16 * T * outC)
                                let starts = UnsafeMutablePointer<UnsafePointer<Float>>.allocate(capacity: 8 * (T / P))
                                let firsts = UnsafeMutablePointer<Int>.allocate(capacity: T / P)
                                defer { v.deallocate(); m.deallocate(); starts.deallocate(); firsts.deallocate() }
                                for r in 0..<(T / P) { firsts[r] = r &* P }
                                for block in range {
                                    let first = block &* T, count = min(T, tileCount &- first)
                                    let cursor = TileCursor(first, perImage: perImage, columns: tilesW)
                                    // A short last block repeats its last tile; the copies are not stored.
                                    InputTransforms<V>(x: xp, patches: layout, cursor: cursor, count: count, rows: T, stride: T,
                                                       into: v).run(channels: inC)
                                    for xi in 0..<16 {
                                        let vx = v + xi &* T &* inC
                                        for r in 0..<(T / P) {
                                            for k in 0..<P { starts[r &* 8 &+ k] = UnsafePointer(vx + (r &* P &+ k) &* inC) }
                                        }
                                        DirectConv.channelBlocks(V.self, starts, tiles: T / P, firsts: firsts,
                                                                 up + xi &* inC &* outC, m + xi &* T &* outC, zp,
                                                                 relu: false, taps: row, channels: outC, outC: outC)
                                    }
                                    OutputTransforms<V>(m: m, cursor: cursor, count: count, stride: T, bias: bp, relu: relu,
                                                        pooled: pooled, into: ys.base, outH: outH, outW: outW, channels: outC)
                                        .run(channels: outC)
                                }
                            }
                            }
                            }
                        }
                    }
                }
            }
        }
        return y
    }

    /// U = G g Gᵀ for every channel pair of a Keras (3, 3, in, out) kernel,
    /// laid out (in, ξ, out) so that each ξ's (in, out) matrix packs as one
    /// group of ``DirectConv/withPackedKernel(_:_:taps:outC:groups:_:)``;
    /// `transposed`, laid out (out, ξ, in) for the input gradient's Uᵀ.
    ///
    /// G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]].
    static func transformedKernel(_ kernel: Tensor, inC: Int, outC: Int, transposed: Bool = false) -> [Float] {
        var u = [Float](repeating: 0, count: 16 * inC * outC)
        let cell = inC * outC
        kernel.data.withUnsafeBufferPointer { kb in
            u.withUnsafeMutableBufferPointer { ub in
                for ci in 0..<inC {
                    for co in 0..<outC {
                        let k = kb.baseAddress! + (ci * outC + co)
                        // G g: four rows of three, then each row times Gᵀ.
                        var gg = (Float(0), Float(0), Float(0), Float(0), Float(0), Float(0),
                                  Float(0), Float(0), Float(0), Float(0), Float(0), Float(0))
                        withUnsafeMutableBytes(of: &gg) { raw in
                            let r = raw.baseAddress!.assumingMemoryBound(to: Float.self)
                            for j in 0..<3 {
                                let g0 = k[j * cell], g1 = k[(3 + j) * cell], g2 = k[(6 + j) * cell]
                                r[j] = g0
                                r[3 + j] = 0.5 * (g0 + g1 + g2)
                                r[6 + j] = 0.5 * (g0 - g1 + g2)
                                r[9 + j] = g2
                            }
                            let out = ub.baseAddress! + (transposed ? co * 16 * inC + ci : ci * 16 * outC + co)
                            let step = transposed ? inC : outC
                            for i in 0..<4 {
                                let a = r[3 * i], b = r[3 * i + 1], c = r[3 * i + 2]
                                out[(4 * i) * step] = a
                                out[(4 * i + 1) * step] = 0.5 * (a + b + c)
                                out[(4 * i + 2) * step] = 0.5 * (a - b + c)
                                out[(4 * i + 3) * step] = c
                            }
                        }
                    }
                }
            }
        }
        return u
    }

    /// Bᵀ times a column (or a row times B): Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]].
    @inline(__always)
    static func bt<V: FloatVector>(_ a: V, _ b: V, _ c: V, _ d: V) -> (V, V, V, V) { (a - c, b + c, c - b, b - d) }

    /// Aᵀ times a column (or a row times A): Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]].
    @inline(__always)
    static func at<V: FloatVector>(_ a: V, _ b: V, _ c: V, _ d: V) -> (V, V) { (a + b + c, b - c - d) }

    /// Stores four vectors `stride` floats apart.
    @inline(__always)
    static func store<V: FloatVector>(_ row: (V, V, V, V), _ p: UnsafeMutablePointer<Float>, _ stride: Int) {
        row.0.store(p); row.1.store(p + stride); row.2.store(p + 2 &* stride); row.3.store(p + 3 &* stride)
    }

    /// V = Bᵀ d B of the 4×4 patch at `x` (rows `rowStride` floats apart), for
    /// every channel: V_ξ, ξ = 4·row + column, goes to `into + ξ·xiStride`.
    @inline(__always)
    static func inputTransform<V: FloatVector>(_: V.Type, _ x: UnsafePointer<Float>, rowStride rs: Int, channels C: Int,
                                               into v: UnsafeMutablePointer<Float>, xiStride s: Int) {
        var c = 0
        while c < C {
            let p0 = x + c
            let p1 = p0 + rs
            let p2 = p1 + rs
            let p3 = p2 + rs
            // d B, row by row: r[i][j].
            let (r00, r01, r02, r03) = bt(V.load(p0), V.load(p0 + C), V.load(p0 + 2 &* C), V.load(p0 + 3 &* C))
            let (r10, r11, r12, r13) = bt(V.load(p1), V.load(p1 + C), V.load(p1 + 2 &* C), V.load(p1 + 3 &* C))
            let (r20, r21, r22, r23) = bt(V.load(p2), V.load(p2 + C), V.load(p2 + 2 &* C), V.load(p2 + 3 &* C))
            let (r30, r31, r32, r33) = bt(V.load(p3), V.load(p3 + C), V.load(p3 + 2 &* C), V.load(p3 + 3 &* C))
            // Then Bᵀ (d B), column by column, stored at ξ = 4·row + column.
            let (v00, v10, v20, v30) = bt(r00, r10, r20, r30)
            let (v01, v11, v21, v31) = bt(r01, r11, r21, r31)
            let (v02, v12, v22, v32) = bt(r02, r12, r22, r32)
            let (v03, v13, v23, v33) = bt(r03, r13, r23, r33)
            store((v00, v01, v02, v03), v + c, s)
            store((v10, v11, v12, v13), v + (4 &* s &+ c), s)
            store((v20, v21, v22, v23), v + (8 &* s &+ c), s)
            store((v30, v31, v32, v33), v + (12 &* s &+ c), s)
            c &+= V.lanes
        }
    }

    /// The 2×2 outputs Aᵀ M A of one tile (M_ξ at `m + ξ·xiStride`), with the
    /// bias and ReLU, into the first `rows` × `cols` of the 2×2 block at `y`.
    @inline(__always)
    static func outputTransform<V: FloatVector>(_: V.Type, _ m: UnsafePointer<Float>, xiStride: Int, channels: Int,
                                                bias: UnsafePointer<Float>, relu: Bool,
                                                into y: UnsafeMutablePointer<Float>, rowStride: Int, rows: Int, cols: Int) {
        var c = 0
        while c < channels {
            let (y00, y01, y10, y11) = outputs(V.self, m + c, xiStride: xiStride)
            let b = V.load(bias + c)
            y00.finish(b, relu: relu).store(y + c)
            if cols > 1 { y01.finish(b, relu: relu).store(y + (channels &+ c)) }
            if rows > 1 {
                y10.finish(b, relu: relu).store(y + (rowStride &+ c))
                if cols > 1 { y11.finish(b, relu: relu).store(y + (rowStride &+ channels &+ c)) }
            }
            c &+= V.lanes
        }
    }

    /// The largest of one tile's four outputs (with the bias and ReLU), at `y`.
    @inline(__always)
    static func outputPooled<V: FloatVector>(_: V.Type, _ m: UnsafePointer<Float>, xiStride: Int, channels: Int,
                                             bias: UnsafePointer<Float>, relu: Bool, into y: UnsafeMutablePointer<Float>) {
        var c = 0
        while c < channels {
            let (y00, y01, y10, y11) = outputs(V.self, m + c, xiStride: xiStride)
            let b = V.load(bias + c)
            let top = y00.finish(b, relu: relu).maximum(y01.finish(b, relu: relu))
            let bottom = y10.finish(b, relu: relu).maximum(y11.finish(b, relu: relu))
            top.maximum(bottom).store(y + c)
            c &+= V.lanes
        }
    }

    /// Aᵀ M A for one vector of channels: the tile's outputs (0, 0), (0, 1), (1, 0), (1, 1).
    @inline(__always)
    static func outputs<V: FloatVector>(_: V.Type, _ m: UnsafePointer<Float>, xiStride s: Int) -> (V, V, V, V) {
        // Aᵀ M, column by column: two rows of four.
        let (t00, t10) = at(V.load(m), V.load(m + 4 &* s), V.load(m + 8 &* s), V.load(m + 12 &* s))
        let (t01, t11) = at(V.load(m + s), V.load(m + 5 &* s), V.load(m + 9 &* s), V.load(m + 13 &* s))
        let (t02, t12) = at(V.load(m + 2 &* s), V.load(m + 6 &* s), V.load(m + 10 &* s), V.load(m + 14 &* s))
        let (t03, t13) = at(V.load(m + 3 &* s), V.load(m + 7 &* s), V.load(m + 11 &* s), V.load(m + 15 &* s))
        let (y00, y01) = at(t00, t01, t02, t03), (y10, y11) = at(t10, t11, t12, t13)
        return (y00, y01, y10, y11)
    }
    // MARK: - Backward

    /// The fewest images for which ``backward(_:x:kernel:gate:hasBias:geometry:needInput:)``
    /// should give the input gradient too: a tile's patch of dx overlaps its
    /// neighbours', so that loop's chunks are whole images, and with fewer
    /// images than ``Parallel/partialChunks`` threads would idle.
    static let inputGradientImages = Parallel.partialChunks

    /// The gradients of the input (when `needInput`), the kernel and the bias
    /// (when `hasBias`) from dL/dy; with `gate`, the output of a fused ReLU,
    /// dy is first zeroed where the gate is not positive.
    ///
    /// With M_ξ = V_ξ · U_ξ and dM = A dY Aᵀ: dU_ξ = V_ξᵀ · dM_ξ summed over
    /// the tiles, and dkernel = Gᵀ dU G; dV_ξ = dM_ξ · U_ξᵀ, and each tile's
    /// 4×4 patch of dx gains B dV Bᵀ; the bias gradient sums dM_5, each
    /// tile's four dy added. A block of tiles transforms its input (as the
    /// forward does) and its dy once for all three and runs the products on
    /// ``DirectConv``'s register tiles. Each chunk keeps its own dU and bias
    /// sums, added in order; its tiles are whole images when dx is wanted,
    /// else blocks.
    static func backward(_ dy: Tensor, x: Tensor, kernel: Tensor, gate: Tensor?, hasBias: Bool,
                         geometry g: WindowGeometry, needInput: Bool) -> (dx: Tensor?, dKernel: Tensor, dBias: Tensor?) {
        switch KernelWidth.current {
        case .w16: backward(SIMD16<Float>.self, dy, x: x, kernel: kernel, gate: gate, hasBias: hasBias, geometry: g,
                            needInput: needInput)
        case .w8: backward(SIMD8<Float>.self, dy, x: x, kernel: kernel, gate: gate, hasBias: hasBias, geometry: g,
                           needInput: needInput)
        case .w4: backward(SIMD4<Float>.self, dy, x: x, kernel: kernel, gate: gate, hasBias: hasBias, geometry: g,
                           needInput: needInput)
        }
    }

    static func backward<V: FloatVector>(_: V.Type, _ dy: Tensor, x: Tensor, kernel: Tensor, gate: Tensor?, hasBias: Bool,
                                         geometry g: WindowGeometry, needInput: Bool)
        -> (dx: Tensor?, dKernel: Tensor, dBias: Tensor?) {
        _ = Memory.configured
        let I = g.input, O = g.output, inC = I.c, outC = O.c
        let tilesH = (O.h + 1) / 2, tilesW = (O.w + 1) / 2, perImage = tilesH * tilesW, tileCount = O.n * perImage
        let patches = Patches(x, g, tilesH: tilesH, tilesW: tilesW), layout = patches.layout
        let T = backwardBlockTiles(inC: inC, outC: outC), L = V.lanes, R = V.tilePixels
        let du = 16 * inC * outC, imageLength = I.h * I.w * inC
        // The chunks' sums split at multiples of the forward's block whatever T is, so T changes no value.
        let unitTiles = needInput ? perImage : blockTiles
        let units = (tileCount + unitTiles - 1) / unitTiles
        let work = (needInput ? 4 : 2) * tileCount * du
        let parts = Parallel.partialCount(units, work: work)
        // Each chunk's dU and bias sums, one after another.
        var partials = Tensor(uninitialized: [parts, du])
        var biasPartials = Tensor(uninitialized: [parts, hasBias ? outC : 0])
        var dx = Tensor(uninitialized: needInput ? [I.n, I.h, I.w, inC] : [0])
        let ut = needInput ? transformedKernel(kernel, inC: inC, outC: outC, transposed: true) : []
        // Neighbouring channels of a V row are the register tile's taps; a
        // short last block of channels repeats its last one (not stored).
        let offsets: [Int] = Array(0..<8) + (0..<8).map { min($0, inC % R == 0 ? 7 : inC % R - 1) }
        let zeros = [Float](repeating: 0, count: inC)
        offsets.withUnsafeBufferPointer { ob in
        patches.source.data.withUnsafeBufferPointer { xb in
        dy.data.withUnsafeBufferPointer { db in
        (gate?.data ?? []).withUnsafeBufferPointer { gb in
        zeros.withUnsafeBufferPointer { zb in
        partials.data.withUnsafeMutableBufferPointer { pb in
        biasPartials.data.withUnsafeMutableBufferPointer { bb in
        dx.data.withUnsafeMutableBufferPointer { dxb in
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 1) { offset in
            offset[0] = 0
            let xp = xb.baseAddress!, dp = db.baseAddress!, op = ob.baseAddress!, zp = zb.baseAddress!
            let gp = gate == nil ? nil : gb.baseAddress!
            let ps = SharedPointer(pb.baseAddress!), bs = hasBias ? SharedPointer(bb.baseAddress!) : nil
            let dxs = needInput ? SharedPointer(dxb.baseAddress!) : nil
            // The input gradient's products: a dM row's output channels are the taps.
            let row = DirectConv.Taps(offsets: UnsafePointer(offset.baseAddress!), count: 1, length: outC)
            func sweep(_ up: UnsafePointer<Float>?) {
                Parallel.indexedChunks(units, work: work) { range, slot in
                    let lo = range.lowerBound &* unitTiles, hi = min(tileCount, range.upperBound &* unitTiles)
                    let ap = ps.base + slot &* du, bias = bs.map { $0.base + slot &* outC }
                    bias?.update(repeating: 0, count: outC)
                    dxs?.base.advanced(by: range.lowerBound &* imageLength).update(repeating: 0, count: range.count &* imageLength)
                    let v = aligned(16 * T * inC), m = aligned(16 * T * outC)
                    let starts = UnsafeMutablePointer<UnsafePointer<Float>>.allocate(capacity: 8 * (T / R))
                    let firsts = UnsafeMutablePointer<Int>.allocate(capacity: T / R)
                    defer { v.deallocate(); m.deallocate(); starts.deallocate(); firsts.deallocate() }
                    for r in 0..<(T / R) { firsts[r] = r &* R }
                    var first = lo
                    while first < hi {
                        let count = min(T, hi &- first), fresh = first == lo
                        // The input gradient's register tiles; the rows past `count` repeat the last tile.
                        let tiles = (count &+ R &- 1) / R
                        let cursor = TileCursor(first, perImage: perImage, columns: tilesW)
                        InputTransforms<V>(x: xp, patches: layout, cursor: cursor, count: count, rows: count, stride: T,
                                           into: v).run(channels: inC)
                        GradientTransforms<V>(dy: dp, gate: gp, bias: bias, height: O.h, width: O.w, channels: outC,
                                              cursor: cursor, count: count, rows: up == nil ? count : tiles &* R, stride: T,
                                              into: m).run(channels: outC)
                        for xi in 0..<16 {
                            let vx = v + xi &* T &* inC, mx = UnsafePointer(m + xi &* T &* outC)
                            let ux = ap + xi &* inC &* outC
                            var ci = 0
                            while ci < inC {
                                let rows = min(R, inC &- ci)
                                let taps = op + (rows == R ? 0 : 8)
                                var co = 0
                                while co < outC {
                                    let wide = co &+ 2 &* L <= outC
                                    if R == 8 {
                                        DirectConv.gradientTile(V.self, vx + ci, mx + co, ux + (ci &* outC &+ co),
                                                                offsets: taps, rows: rows, wide: wide, n: 1, outH: 1,
                                                                outW: count, outC: outC, imageStride: 0, rowStride: 0,
                                                                step: inC, dyStep: outC, fresh: fresh)
                                    } else {
                                        DirectConv.gradientTile6x2(V.self, vx + ci, mx + co, ux + (ci &* outC &+ co),
                                                                   offsets: taps, rows: rows, n: 1, outH: 1, outW: count,
                                                                   outC: outC, imageStride: 0, rowStride: 0,
                                                                   step: inC, dyStep: outC, fresh: fresh)
                                    }
                                    co &+= wide ? 2 &* L : L
                                }
                                ci &+= R
                            }
                            // dV_ξ overwrites V_ξ, which the kernel gradient is done with.
                            if let up {
                                for t in 0..<tiles {
                                    for k in 0..<R { starts[t &* 8 &+ k] = mx + (t &* R &+ k) &* outC }
                                }
                                DirectConv.channelBlocks(V.self, starts, tiles: tiles, firsts: firsts, up + xi &* outC &* inC,
                                                         vx, zp, relu: false, taps: row, channels: inC, outC: inC)
                            }
                        }
                        if let dxs {
                            InputGradientTransforms<V>(dv: v, cursor: cursor, count: count, stride: T, into: dxs.base,
                                                       height: I.h, width: I.w, top: g.padBefore[1], left: g.padBefore[2],
                                                       channels: inC).run(channels: inC)
                        }
                        first &+= T
                    }
                }
            }
            if needInput {
                ut.withUnsafeBufferPointer { tb in
                    DirectConv.withPackedKernel(V.self, tb.baseAddress!, taps: outC, outC: 16 * inC, groups: 16) { sweep($0) }
                }
            } else {
                sweep(nil)
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
        var dBias: Tensor? = nil
        if hasBias {
            var sums = [Float](repeating: 0, count: outC)
            for part in 0..<parts {
                for c in 0..<outC { sums[c] += biasPartials.data[part * outC + c] }
            }
            dBias = Tensor(shape: [outC], data: sums)
        }
        return (needInput ? dx : nil, Tensor(shape: [3, 3, inC, outC], data: kernelFromTransformed(V.self, partials, inC: inC, outC: outC)),
                dBias)
    }

    /// dM = A dY Aᵀ of one tile's 2×2 dy (the first `rows` × `cols` of it;
    /// the rest, outside the map, is zero), for every channel; with `gate`,
    /// dy is zero where the gate is not positive, and with `bias`, dM_5 (the
    /// four dy added) is added to it.
    @inline(__always)
    static func dyTransform<V: FloatVector>(_: V.Type, _ dy: UnsafePointer<Float>, gate: UnsafePointer<Float>?,
                                            rowStride: Int, channels C: Int, rows: Int, cols: Int,
                                            into m: UnsafeMutablePointer<Float>, xiStride s: Int,
                                            bias: UnsafeMutablePointer<Float>?) {
        let zero = V()
        @inline(__always) func load(_ at: Int) -> V {
            let d = V.load(dy + at)
            guard let gate else { return d }
            return d.gated(by: V.load(gate + at))
        }
        var c = 0
        while c < C {
            let d00 = load(c), d01 = cols > 1 ? load(C &+ c) : zero
            let d10 = rows > 1 ? load(rowStride &+ c) : zero
            let d11 = rows > 1 && cols > 1 ? load(rowStride &+ C &+ c) : zero
            // A dY, column by column (four rows of two), then each row times Aᵀ.
            let (t00, t10, t20, t30) = a(d00, d10), (t01, t11, t21, t31) = a(d01, d11)
            let m1 = a(t10, t11)
            store(a(t00, t01), m + c, s)
            store(m1, m + (4 &* s &+ c), s)
            store(a(t20, t21), m + (8 &* s &+ c), s)
            store(a(t30, t31), m + (12 &* s &+ c), s)
            if let bias { (V.load(bias + c) + m1.1).store(bias + c) }
            c &+= V.lanes
        }
    }

    /// A times a column of two (or a row of two times Aᵀ): (p, p + q, p − q, −q).
    @inline(__always)
    static func a<V: FloatVector>(_ p: V, _ q: V) -> (V, V, V, V) { (p, p + q, p - q, V() - q) }

    /// B times a column (or a row times Bᵀ): B = [[1, 0, 0, 0], [0, 1, −1, 1], [−1, 1, 1, 0], [0, 0, 0, −1]].
    @inline(__always)
    static func b<V: FloatVector>(_ p0: V, _ p1: V, _ p2: V, _ p3: V) -> (V, V, V, V) {
        (p0, p1 - p2 + p3, p1 + p2 - p0, V() - p3)
    }

    /// Adds the `from` ..< `to` values of a row of four, `stride` floats apart, at `p`.
    @inline(__always)
    static func add<V: FloatVector>(_ row: (V, V, V, V), _ p: UnsafeMutablePointer<Float>, _ stride: Int, from: Int, to: Int) {
        if from <= 0 && to > 0 { (V.load(p) + row.0).store(p) }
        if from <= 1 && to > 1 { (V.load(p + stride) + row.1).store(p + stride) }
        if from <= 2 && to > 2 { (V.load(p + 2 &* stride) + row.2).store(p + 2 &* stride) }
        if from <= 3 && to > 3 { (V.load(p + 3 &* stride) + row.3).store(p + 3 &* stride) }
    }

    /// Gᵀ dU G for every channel pair: the (3, 3, in, out) gradient of the
    /// kernel from that of U, which is the sum of the `partials` rows (each
    /// laid out (ξ, in, out)), added in order.
    static func kernelFromTransformed<V: FloatVector>(_: V.Type, _ partials: Tensor, inC: Int, outC: Int) -> [Float] {
        // Gᵀ times a column of four (or a row of four times G):
        // Gᵀ = [[1, ½, ½, 0], [0, ½, −½, 0], [0, ½, ½, 1]].
        @inline(__always) func gt(_ a: V, _ b: V, _ c: V, _ d: V) -> (V, V, V) {
            (a.fma(0.5, b + c), V().fma(0.5, b - c), d.fma(0.5, b + c))
        }
        let cell = inC * outC, parts = partials.shape[0], du = 16 * cell
        var k = Tensor(uninitialized: [9 * cell])
        partials.data.withUnsafeBufferPointer { pb in
            k.data.withUnsafeMutableBufferPointer { kb in
                let pp = pb.baseAddress!, ks = SharedPointer(kb.baseAddress!)
                Parallel.chunks(inC, work: 2 * parts * du) { channels in
                    for ci in channels {
                        var co = 0
                        while co < outC {
                            let at = ci &* outC &+ co
                            @inline(__always) func d(_ i: Int, _ j: Int) -> V {
                                let u = pp + ((4 &* i &+ j) &* cell &+ at)
                                var sum = V.load(u)
                                for part in 1..<parts { sum = sum + V.load(u + part &* du) }
                                return sum
                            }
                            let (r00, r10, r20) = gt(d(0, 0), d(1, 0), d(2, 0), d(3, 0))
                            let (r01, r11, r21) = gt(d(0, 1), d(1, 1), d(2, 1), d(3, 1))
                            let (r02, r12, r22) = gt(d(0, 2), d(1, 2), d(2, 2), d(3, 2))
                            let (r03, r13, r23) = gt(d(0, 3), d(1, 3), d(2, 3), d(3, 3))
                            // Row i of the 3×3 kernel is cells 3i…3i + 2.
                            let out = ks.base + at
                            @inline(__always) func store(_ row: (V, V, V), _ i: Int) {
                                row.0.store(out + 3 &* i &* cell)
                                row.1.store(out + (3 &* i &+ 1) &* cell)
                                row.2.store(out + (3 &* i &+ 2) &* cell)
                            }
                            store(gt(r00, r01, r02, r03), 0)
                            store(gt(r10, r11, r12, r13), 1)
                            store(gt(r20, r21, r22, r23), 2)
                            co &+= V.lanes
                        }
                    }
                }
            }
        }
        return k.data
    }

    // MARK: - Shared pieces

    /// The input as the tiles read it: a 4×4 patch for each, from a
    /// zero-padded copy when the map has no such patches at its edges.
    struct Patches {
        let source: Tensor
        let layout: Layout

        init(_ x: Tensor, _ g: WindowGeometry, tilesH: Int, tilesW: Int) {
            let needH = 2 * tilesH + 2, needW = 2 * tilesW + 2
            let fits = g.padBefore == [0, 0, 0] && needH <= g.input.h && needW <= g.input.w
            source = fits ? x : DirectConv.padded(x, g.input, before: g.padBefore, extent: [1, needH, needW])
            layout = Layout(height: fits ? g.input.h : needH, width: fits ? g.input.w : needW, channels: g.input.c)
        }

        /// Where the patches are in `source`, in plain integers that the
        /// threads copy without touching the tensor's reference count.
        struct Layout {
            let height: Int, width: Int, channels: Int

            /// Where the tile's patch starts.
            @inline(__always) func offset(_ at: TileCursor) -> Int {
                ((at.n &* height &+ 2 &* at.row) &* width &+ 2 &* at.column) &* channels
            }
        }
    }

    /// V for a block's tiles from `cursor` on, `rows` of them at ξ stride
    /// `stride` rows: past the block's `count` tiles, copies of its last.
    struct InputTransforms<V: FloatVector>: ChannelCountLoop {
        let x: UnsafePointer<Float>, patches: Patches.Layout, cursor: TileCursor, count: Int, rows: Int, stride: Int
        let into: UnsafeMutablePointer<Float>

        func callAsFunction<K: ChannelCount>(_: K.Type) {
            let C = K.count(patches.channels)
            var at = cursor
            for r in 0..<rows {
                inputTransform(V.self, x + patches.offset(at), rowStride: patches.width &* C, channels: C,
                               into: into + r &* C, xiStride: stride &* C)
                if r &+ 1 < count { at.step() }
            }
        }
    }

    /// The outputs of a block's `count` tiles from `cursor` on, from their M
    /// (ξ stride `stride` rows), into the (n, outH, outW, channels) map
    /// `into`: each tile's 2×2 block, or with `pooled` its maximum.
    struct OutputTransforms<V: FloatVector>: ChannelCountLoop {
        let m: UnsafePointer<Float>, cursor: TileCursor, count: Int, stride: Int
        let bias: UnsafePointer<Float>, relu: Bool, pooled: Bool
        let into: UnsafeMutablePointer<Float>, outH: Int, outW: Int, channels: Int

        func callAsFunction<K: ChannelCount>(_: K.Type) {
            let C = K.count(channels), s = stride &* C
            var at = cursor
            for r in 0..<count {
                let n = at.n, th = at.row, tw = at.column
                at.step()
                let mt = m + r &* C
                if pooled {
                    outputPooled(V.self, mt, xiStride: s, channels: C, bias: bias, relu: relu,
                                 into: into + ((n &* outH &+ th) &* outW &+ tw) &* C)
                } else {
                    let y = into + ((n &* outH &+ 2 &* th) &* outW &+ 2 &* tw) &* C
                    let rows = min(2, outH &- 2 &* th), cols = min(2, outW &- 2 &* tw), rowStride = outW &* C
                    if rows < 2 || cols < 2 {
                        outputTransform(V.self, mt, xiStride: s, channels: C, bias: bias, relu: relu, into: y,
                                        rowStride: rowStride, rows: rows, cols: cols)
                        continue
                    }
                    // A whole 2×2 block, written here: the compiler does not inline
                    // outputTransform, and outside this specialisation C is not constant.
                    var c = 0
                    while c < C {
                        let (y00, y01, y10, y11) = outputs(V.self, mt + c, xiStride: s)
                        let b = V.load(bias + c)
                        y00.finish(b, relu: relu).store(y + c)
                        y01.finish(b, relu: relu).store(y + (C &+ c))
                        y10.finish(b, relu: relu).store(y + (rowStride &+ c))
                        y11.finish(b, relu: relu).store(y + (rowStride &+ C &+ c))
                        c &+= V.lanes
                    }
                }
            }
        }
    }

    /// dM for a block's tiles from `cursor` on, `rows` of them at ξ stride
    /// `stride` rows (past the block's `count` tiles, copies of its
    /// last), from the (n, height, width, channels) map `dy`, gated by `gate`
    /// when there is one; each of the `count` tiles' dM_5 is added to `bias`.
    struct GradientTransforms<V: FloatVector>: ChannelCountLoop {
        let dy: UnsafePointer<Float>, gate: UnsafePointer<Float>?, bias: UnsafeMutablePointer<Float>?
        let height: Int, width: Int, channels: Int
        let cursor: TileCursor, count: Int, rows: Int, stride: Int
        let into: UnsafeMutablePointer<Float>

        func callAsFunction<K: ChannelCount>(_: K.Type) {
            let C = K.count(channels)
            var at = cursor
            for r in 0..<rows {
                let offset = ((at.n &* height &+ 2 &* at.row) &* width &+ 2 &* at.column) &* C
                dyTransform(V.self, dy + offset, gate: gate.map { $0 + offset }, rowStride: width &* C, channels: C,
                            rows: min(2, height &- 2 &* at.row), cols: min(2, width &- 2 &* at.column),
                            into: into + r &* C, xiStride: stride &* C, bias: r < count ? bias : nil)
                if r &+ 1 < count { at.step() }
            }
        }
    }

    /// Adds B dV Bᵀ of a block's `count` tiles from `cursor` on (dV_ξ at ξ
    /// stride `stride` rows) into their 4×4 patches of the (n, height,
    /// width, channels) map `into`, which start `top` rows above and `left`
    /// columns before their tiles' 2×2 outputs; what falls outside is dropped.
    struct InputGradientTransforms<V: FloatVector>: ChannelCountLoop {
        let dv: UnsafePointer<Float>, cursor: TileCursor, count: Int, stride: Int
        let into: UnsafeMutablePointer<Float>, height: Int, width: Int, top: Int, left: Int, channels: Int

        func callAsFunction<K: ChannelCount>(_: K.Type) {
            let C = K.count(channels), s = stride &* C, rowStride = width &* C
            var at = cursor
            for r in 0..<count {
                let y0 = 2 &* at.row &- top, x0 = 2 &* at.column &- left
                let patch = into + ((at.n &* height &+ y0) &* width &+ x0) &* C
                at.step()
                let i0 = max(0, -y0), i1 = min(4, height &- y0), j0 = max(0, -x0), j1 = min(4, width &- x0)
                let vt = dv + r &* C
                var c = 0
                while c < C {
                    let p = vt + c
                    // B dV, column by column, then each row times Bᵀ.
                    let (t00, t10, t20, t30) = b(V.load(p), V.load(p + 4 &* s), V.load(p + 8 &* s), V.load(p + 12 &* s))
                    let (t01, t11, t21, t31) = b(V.load(p + s), V.load(p + 5 &* s), V.load(p + 9 &* s), V.load(p + 13 &* s))
                    let (t02, t12, t22, t32) = b(V.load(p + 2 &* s), V.load(p + 6 &* s), V.load(p + 10 &* s),
                                                 V.load(p + 14 &* s))
                    let (t03, t13, t23, t33) = b(V.load(p + 3 &* s), V.load(p + 7 &* s), V.load(p + 11 &* s),
                                                 V.load(p + 15 &* s))
                    let q = patch + c
                    if i0 <= 0 && i1 > 0 { add(b(t00, t01, t02, t03), q, C, from: j0, to: j1) }
                    if i0 <= 1 && i1 > 1 { add(b(t10, t11, t12, t13), q + rowStride, C, from: j0, to: j1) }
                    if i0 <= 2 && i1 > 2 { add(b(t20, t21, t22, t23), q + 2 &* rowStride, C, from: j0, to: j1) }
                    if i0 <= 3 && i1 > 3 { add(b(t30, t31, t32, t33), q + 3 &* rowStride, C, from: j0, to: j1) }
                    c &+= V.lanes
                }
            }
        }
    }

    /// A tile's image, row and column, stepped along without dividing.
    struct TileCursor {
        var n: Int, row: Int, column: Int
        let rows: Int, columns: Int

        init(_ tile: Int, perImage: Int, columns: Int) {
            n = tile / perImage
            row = (tile % perImage) / columns
            column = tile % columns
            rows = perImage / columns
            self.columns = columns
        }

        mutating func step() {
            column &+= 1
            if column == columns {
                column = 0
                row &+= 1
                if row == rows { row = 0; n &+= 1 }
            }
        }
    }

    /// A 64-byte-aligned buffer of `count` floats.
    static func aligned(_ count: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: count * 4, alignment: 64).bindMemory(to: Float.self, capacity: count)
    }
}
