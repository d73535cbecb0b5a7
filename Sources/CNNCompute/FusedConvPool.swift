/// Inference of a 2D convolution (bias, ReLU) followed by a 2×2, stride-2
/// max pooling, without writing the convolution's output to memory.
///
/// Two convolution rows at a time go into a small per-thread buffer that stays
/// in cache and are pooled from there: at 224×224 this skips writing and
/// re-reading a 50 MB map. The values are exactly those of the two layers run
/// one after the other (same products in the same order).
enum FusedConvPool {
    /// True when the pair can be fused: the direct kernel applies without
    /// padding, and the pooling is 2×2, stride 2, 'valid'.
    static func supports(_ conv: WindowGeometry, pool: Pooling2x2) -> Bool {
        let O = conv.output
        let needH = (O.h - 1) * conv.strides[1] + conv.kernel[1]
        let needW = (O.w - 1) * conv.strides[2] + conv.kernel[2]
        return DirectConv.supports(conv) && conv.padBefore == [0, 0, 0] && needH <= conv.input.h
            && needW <= conv.input.w && O.w >= 4 && O.h >= 2
    }

    /// A marker for the one pooling shape fused here.
    struct Pooling2x2 {}

    static func forward(_ x: Tensor, kernel: Tensor, bias: Tensor?, relu: Bool, geometry g: WindowGeometry) -> Tensor {
        switch KernelWidth.current {
        case .w16: forward(SIMD16<Float>.self, x, kernel: kernel, bias: bias, relu: relu, geometry: g)
        case .w8: forward(SIMD8<Float>.self, x, kernel: kernel, bias: bias, relu: relu, geometry: g)
        case .w4: forward(SIMD4<Float>.self, x, kernel: kernel, bias: bias, relu: relu, geometry: g)
        }
    }

    static func forward<V: FloatVector>(_: V.Type, _ x: Tensor, kernel: Tensor, bias: Tensor?, relu: Bool,
                                        geometry g: WindowGeometry) -> Tensor {
        let I = g.input, O = g.output
        let kh = g.kernel[1], kw = g.kernel[2], sh = g.strides[1], sw = g.strides[2]
        let inC = I.c, outC = O.c
        let pooledH = O.h / 2, pooledW = O.w / 2
        var y = Tensor(uninitialized: [O.n, pooledH, pooledW, outC])
        let tasks = O.n * pooledH
        let work = 2 * O.n * pooledH * 2 * O.w * outC * kh * kw * inC
        let zeros = [Float](repeating: 0, count: outC)
        let shape = DirectConv.Shape(n: O.n, d: 1, h: O.h, w: O.w, c: outC, kernel: g.kernel, strides: g.strides,
                                     dilation: g.dilation)
        DirectConv.withTaps(input: I, shape: shape) { taps in
        x.data.withUnsafeBufferPointer { xb in
            kernel.data.withUnsafeBufferPointer { wb in
                (bias?.data ?? zeros).withUnsafeBufferPointer { bb in
                    y.data.withUnsafeMutableBufferPointer { yb in
                        let ys = SharedPointer(yb.baseAddress!)
                        let xp = xb.baseAddress!, wp = wb.baseAddress!, bp = bb.baseAddress!
                        let pixels = 2 &* O.w
                        DirectConv.withPackedKernel(V.self, wp, taps: kh &* kw &* inC, outC: outC) { wp in
                        Parallel.chunks(tasks, work: work) { range in
                            let P = V.tilePixels, tiles = (pixels + P - 1) / P
                            let rows = UnsafeMutablePointer<Float>.allocate(capacity: pixels &* outC)
                            let starts = UnsafeMutablePointer<UnsafePointer<Float>>.allocate(capacity: 8 &* tiles)
                            let firsts = UnsafeMutablePointer<Int>.allocate(capacity: tiles)
                            defer { rows.deallocate(); starts.deallocate(); firsts.deallocate() }
                            for task in range {
                                let n = task / pooledH, pr = task % pooledH
                                // Two convolution rows, 2·pr and 2·pr + 1, into `rows`.
                                for t in 0..<tiles {
                                    let first = min(t &* P, pixels &- P)
                                    firsts[t] = first
                                    var oh = 2 &* pr &+ first / O.w, ow = first % O.w
                                    for k in 0..<P {
                                        let offset: Int = ((n &* I.h &+ oh &* sh) &* I.w &+ ow &* sw) &* inC
                                        starts[t &* 8 &+ k] = UnsafePointer(xp + offset)
                                        ow &+= 1
                                        if ow == O.w { ow = 0; oh &+= 1 }
                                    }
                                }
                                DirectConv.channelBlocks(V.self, starts, tiles: tiles, firsts: firsts, wp, rows, bp,
                                                         relu: relu, taps: taps, channels: outC, outC: outC)
                                // 2×2 maxima into the pooled row.
                                let dst = ys.base + (n &* pooledH &+ pr) &* pooledW &* outC
                                for pw in 0..<pooledW {
                                    let a = rows + (2 &* pw) &* outC, b = a + O.w &* outC
                                    var c = 0
                                    while c + 16 <= outC {
                                        var m = load16(a + c)
                                        let v1 = load16(a + (outC &+ c)), v2 = load16(b + c), v3 = load16(b + (outC &+ c))
                                        m = m.replacing(with: v1, where: v1 .> m)
                                        m = m.replacing(with: v2, where: v2 .> m)
                                        m = m.replacing(with: v3, where: v3 .> m)
                                        store16(m, dst + (pw &* outC &+ c))
                                        c += 16
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
        return y
    }
}
