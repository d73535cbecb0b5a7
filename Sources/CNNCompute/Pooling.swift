/// Max and average pooling in 1, 2 or 3 dimensions, with TF's 'same' rule:
/// padded cells are ignored (never the max, and not counted in the average).
enum PoolingOp {
    // MARK: - Forward

    /// Returns the pooled map and, for max pooling, the input index of each
    /// output's maximum (for the backward pass).
    static func forward(_ x: Tensor, geometry g: WindowGeometry, max isMax: Bool) -> (y: Tensor, argmax: [Int32]) {
        let O = g.output, c = O.c
        var y = Tensor(zeros: g.outputShape(rank: x.rank - 2))
        var argmax = [Int32](repeating: -1, count: isMax ? y.count : 0)
        var counts = [Float](repeating: 0, count: O.positions * O.n)
        x.data.withUnsafeBufferPointer { xb in
            y.data.withUnsafeMutableBufferPointer { yb in
                argmax.withUnsafeMutableBufferPointer { ab in
                    let xp = xb.baseAddress!, yp = yb.baseAddress!
                    if isMax { for i in 0..<yb.count { yp[i] = -.infinity } }
                    for n in 0..<O.n {
                        DepthwiseOp.visit(g, n: n) { inIndex, outIndex, _ in
                            let src = xp + inIndex * c, dst = yp + outIndex * c
                            if isMax {
                                let am = ab.baseAddress! + outIndex * c
                                for j in 0..<c where src[j] > dst[j] || am[j] < 0 {
                                    dst[j] = src[j]
                                    am[j] = Int32(truncatingIfNeeded: inIndex * c + j)
                                }
                            } else {
                                for j in 0..<c { dst[j] += src[j] }
                                counts[outIndex] += 1
                            }
                        }
                    }
                    if !isMax {
                        for i in 0..<counts.count where counts[i] > 0 {
                            let inv = 1 / counts[i]
                            for j in 0..<c { yp[i * c + j] *= inv }
                        }
                    } else {
                        // An output whose window is all padding (possible only with odd strides) is 0.
                        for i in 0..<yb.count where ab[i] < 0 { yp[i] = 0 }
                    }
                }
            }
        }
        return (y, argmax)
    }

    // MARK: - Backward

    static func backward(_ dy: Tensor, inputShape: [Int], geometry g: WindowGeometry, max isMax: Bool,
                         argmax: [Int32]) -> Tensor {
        var dx = Tensor(zeros: inputShape)
        let O = g.output, c = O.c
        if isMax {
            for i in 0..<dy.count where argmax[i] >= 0 { dx.data[Int(argmax[i])] += dy.data[i] }
            return dx
        }
        var counts = [Float](repeating: 0, count: O.positions * O.n)
        for n in 0..<O.n { DepthwiseOp.visit(g, n: n) { _, outIndex, _ in counts[outIndex] += 1 } }
        dy.data.withUnsafeBufferPointer { db in
            dx.data.withUnsafeMutableBufferPointer { xb in
                let dp = db.baseAddress!, xp = xb.baseAddress!
                for n in 0..<O.n {
                    DepthwiseOp.visit(g, n: n) { inIndex, outIndex, _ in
                        let inv = 1 / counts[outIndex]
                        let src = dp + outIndex * c, dst = xp + inIndex * c
                        for j in 0..<c { dst[j] += src[j] * inv }
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
    static func forward(_ x: Tensor, max isMax: Bool, keepdims: Bool) -> (y: Tensor, argmax: [Int32]) {
        let n = x.shape[0], c = x.shape[x.rank - 1]
        let positions = x.shape.dropFirst().dropLast().reduce(1, *)
        var out = [Float](repeating: isMax ? -.infinity : 0, count: n * c)
        var argmax = [Int32](repeating: 0, count: isMax ? n * c : 0)
        for b in 0..<n {
            for p in 0..<positions {
                let base = (b * positions + p) * c
                for j in 0..<c {
                    let v = x.data[base + j]
                    if isMax {
                        if v > out[b * c + j] || p == 0 { out[b * c + j] = v; argmax[b * c + j] = Int32(base + j) }
                    } else {
                        out[b * c + j] += v
                    }
                }
            }
        }
        if !isMax { for i in 0..<out.count { out[i] /= Float(positions) } }
        let shape = keepdims ? [n] + Array(repeating: 1, count: x.rank - 2) + [c] : [n, c]
        return (Tensor(shape: shape, data: out), argmax)
    }

    static func backward(_ dy: Tensor, inputShape: [Int], max isMax: Bool, argmax: [Int32]) -> Tensor {
        var dx = Tensor(zeros: inputShape)
        let n = inputShape[0], c = inputShape[inputShape.count - 1]
        let positions = inputShape.dropFirst().dropLast().reduce(1, *)
        if isMax {
            for i in 0..<dy.count { dx.data[Int(argmax[i])] += dy.data[i] }
            return dx
        }
        let inv = 1 / Float(positions)
        for b in 0..<n {
            for p in 0..<positions {
                let base = (b * positions + p) * c
                for j in 0..<c { dx.data[base + j] = dy.data[b * c + j] * inv }
            }
        }
        return dx
    }
}
