import Foundation

/// BatchNormalization over the last axis (statistics over every other axis).
enum BatchNormOp {
    /// What the training-mode forward keeps for the backward pass.
    struct Cache {
        var normalized: [Float]
        var inverseStd: [Float]
    }

    // MARK: - Inference

    /// y = γ·(x − moving mean)/√(moving var + ε) + β.
    static func inference(_ x: Tensor, gamma: [Float]?, beta: [Float]?, mean: [Float], variance: [Float],
                          epsilon: Float) -> Tensor {
        let c = mean.count
        var scale = [Float](repeating: 1, count: c), shift = [Float](repeating: 0, count: c)
        for j in 0..<c {
            let inv = 1 / (variance[j] + epsilon).squareRoot()
            scale[j] = (gamma?[j] ?? 1) * inv
            shift[j] = (beta?[j] ?? 0) - mean[j] * scale[j]
        }
        var y = Tensor(uninitialized: x.shape)
        let rows = c == 0 ? 0 : x.count / c
        x.data.withUnsafeBufferPointer { xb in
            y.data.withUnsafeMutableBufferPointer { yb in
                guard let xp = xb.baseAddress, let yBase = yb.baseAddress else { return }
                let ys = SharedPointer(yBase)
                Parallel.chunks(rows, work: 16 * x.count) { range in
                    for r in range {
                        let src = xp + r &* c, dst = ys.base + r &* c
                        for j in 0..<c { dst[j] = src[j] * scale[j] + shift[j] }
                    }
                }
            }
        }
        return y
    }

    /// dL/dx of ``inference(_:gamma:beta:mean:variance:epsilon:)``: dy·γ/√(moving var + ε),
    /// for a frozen layer, which Keras runs in inference mode while training.
    static func inferenceBackward(_ dy: Tensor, gamma: [Float]?, variance: [Float], epsilon: Float) -> Tensor {
        let c = variance.count
        let scale = (0..<c).map { j in (gamma?[j] ?? 1) / (variance[j] + epsilon).squareRoot() }
        var dx = dy
        for i in 0..<dx.count { dx.data[i] *= scale[i % c] }
        return dx
    }

    // MARK: - Training

    /// Normalises with the batch's mean and biased variance; returns them too
    /// so the layer can update its moving averages.
    ///
    /// Three passes over x (the sums, the centred squares, the normalisation),
    /// each split by rows into chunks over the threads, with a partial sum per
    /// channel (two-pass for the variance, as Keras, so a large mean costs no
    /// precision).
    static func training(_ x: Tensor, gamma: [Float]?, beta: [Float]?, epsilon: Float)
        -> (y: Tensor, cache: Cache, mean: [Float], variance: [Float]) {
        let c = x.shape.last!
        let rows = c == 0 ? 0 : x.count / c
        var normalized = [Float](unsafeUninitializedCapacity: x.count) { _, n in n = x.count }
        var y = Tensor(uninitialized: x.shape)
        let count = Float(max(rows, 1))
        var meanF = [Float](repeating: 0, count: c), variance = [Float](repeating: 0, count: c)
        var inv = [Float](repeating: 0, count: c)
        let work = 4 * x.count
        x.data.withUnsafeBufferPointer { xb in
            guard let xp = xb.baseAddress else { return }
            let sum = channelSums(rows: rows, c: c, work: work) { r, acc in
                let row = xp + r &* c
                for j in 0..<c { acc[j] += row[j] }
            }
            for j in 0..<c { meanF[j] = sum[j] / count }
            let sq = meanF.withUnsafeBufferPointer { mb in
                let mp = mb.baseAddress!
                return channelSums(rows: rows, c: c, work: work) { r, acc in
                    let row = xp + r &* c
                    for j in 0..<c { let d = row[j] - mp[j]; acc[j] += d * d }
                }
            }
            for j in 0..<c {
                variance[j] = sq[j] / count
                inv[j] = 1 / (variance[j] + epsilon).squareRoot()
            }
            // y = x̂·γ + β = x·(γ·inv) + (β − mean·γ·inv), with x̂ kept for the backward.
            let g = gamma ?? [Float](repeating: 1, count: c), b = beta ?? [Float](repeating: 0, count: c)
            normalized.withUnsafeMutableBufferPointer { nb in
                y.data.withUnsafeMutableBufferPointer { yb in
                    meanF.withUnsafeBufferPointer { mb in
                        inv.withUnsafeBufferPointer { ib in
                            g.withUnsafeBufferPointer { gb in
                                b.withUnsafeBufferPointer { bb in
                                    guard let nBase = nb.baseAddress, let yBase = yb.baseAddress,
                                          let mp = mb.baseAddress, let ip = ib.baseAddress,
                                          let gp = gb.baseAddress, let bp = bb.baseAddress else { return }
                                    let ns = SharedPointer(nBase), ys = SharedPointer(yBase)
                                    Parallel.chunks(rows, work: work) { range in
                                        for r in range {
                                            let src = xp + r &* c, h = ns.base + r &* c, dst = ys.base + r &* c
                                            for j in 0..<c {
                                                let v = (src[j] - mp[j]) * ip[j]
                                                h[j] = v
                                                dst[j] = v * gp[j] + bp[j]
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
        return (y, Cache(normalized: normalized, inverseStd: inv), meanF, variance)
    }

    /// dx, dγ, dβ for the training-mode forward:
    /// dx = γ·inv/m · (m·dy − Σdy − x̂·Σ(dy·x̂)).
    static func backward(_ dy: Tensor, cache: Cache, gamma: [Float]?) -> (dx: Tensor, dGamma: [Float], dBeta: [Float]) {
        let c = dy.shape.last!
        let rows = c == 0 ? 0 : dy.count / c
        var dx = Tensor(uninitialized: dy.shape)
        let m = Float(max(rows, 1))
        var k = [Float](repeating: 0, count: c)
        for j in 0..<c { k[j] = (gamma?[j] ?? 1) * cache.inverseStd[j] / m }
        var dGamma = [Float](), dBeta = [Float]()
        let work = 4 * dy.count
        dy.data.withUnsafeBufferPointer { db in
            cache.normalized.withUnsafeBufferPointer { nb in
                dx.data.withUnsafeMutableBufferPointer { xb in
                    guard let dp = db.baseAddress, let np = nb.baseAddress, let xBase = xb.baseAddress else { return }
                    // Σdy and Σdy·x̂ side by side in one partial of 2c.
                    let both = channelSums(rows: rows, c: 2 * c, work: work) { r, acc in
                        let g = dp + r &* c, h = np + r &* c
                        for j in 0..<c {
                            acc[j] += g[j]
                            acc[c &+ j] += g[j] * h[j]
                        }
                    }
                    dBeta = Array(both[0..<c])
                    dGamma = Array(both[c...])
                    let xs = SharedPointer(xBase)
                    dBeta.withUnsafeBufferPointer { betaB in
                        dGamma.withUnsafeBufferPointer { gammaB in
                            k.withUnsafeBufferPointer { kb in
                                let sb = betaB.baseAddress!, sg = gammaB.baseAddress!, kp = kb.baseAddress!
                                Parallel.chunks(rows, work: work) { range in
                                    for r in range {
                                        let g = dp + r &* c, h = np + r &* c, out = xs.base + r &* c
                                        for j in 0..<c { out[j] = kp[j] * (m * g[j] - sb[j] - h[j] * sg[j]) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dx, dGamma, dBeta)
    }

    /// Σ over rows of what `add(row, acc)` adds into a c-long accumulator,
    /// with the rows split into chunks over the threads, each into its own partial, and
    /// the partials added in a fixed order.
    static func channelSums(rows: Int, c: Int, work: Int,
                            _ add: (Int, UnsafeMutablePointer<Float>) -> Void) -> [Float] {
        let parts = Parallel.partialCount(rows, work: work)
        var partials = [Float](repeating: 0, count: parts * c)
        partials.withUnsafeMutableBufferPointer { pb in
            guard let base = pb.baseAddress else { return }
            let ps = SharedPointer(base)
            Parallel.indexedChunks(rows, work: work) { range, slot in
                let acc = ps.base + slot &* c
                for r in range { add(r, acc) }
            }
        }
        var total = [Float](repeating: 0, count: c)
        for t in 0..<parts {
            for j in 0..<c { total[j] += partials[t * c + j] }
        }
        return total
    }
}

/// LayerNormalization over the last axis.
enum LayerNormOp {
    struct Cache {
        var normalized: [Float]
        var inverseStd: [Float]
    }

    static func forward(_ x: Tensor, gamma: [Float]?, beta: [Float]?, epsilon: Float) -> (y: Tensor, cache: Cache) {
        let c = x.shape.last!
        let rows = c == 0 ? 0 : x.count / c
        var y = x
        var normalized = [Float](repeating: 0, count: x.count)
        var invs = [Float](repeating: 0, count: rows)
        for r in 0..<rows {
            var mean: Float = 0
            for j in 0..<c { mean += x.data[r * c + j] }
            mean /= Float(c)
            var v: Float = 0
            for j in 0..<c { let d = x.data[r * c + j] - mean; v += d * d }
            let inv = 1 / (v / Float(c) + epsilon).squareRoot()
            invs[r] = inv
            for j in 0..<c {
                let h = (x.data[r * c + j] - mean) * inv
                normalized[r * c + j] = h
                y.data[r * c + j] = h * (gamma?[j] ?? 1) + (beta?[j] ?? 0)
            }
        }
        return (y, Cache(normalized: normalized, inverseStd: invs))
    }

    static func backward(_ dy: Tensor, cache: Cache, gamma: [Float]?) -> (dx: Tensor, dGamma: [Float], dBeta: [Float]) {
        let c = dy.shape.last!
        let rows = c == 0 ? 0 : dy.count / c
        var dGamma = [Float](repeating: 0, count: c), dBeta = [Float](repeating: 0, count: c)
        var dx = dy
        var g = [Float](repeating: 0, count: c)
        for r in 0..<rows {
            var sumG: Float = 0, sumGH: Float = 0
            for j in 0..<c {
                let d = dy.data[r * c + j], h = cache.normalized[r * c + j]
                dBeta[j] += d
                dGamma[j] += d * h
                g[j] = d * (gamma?[j] ?? 1)
                sumG += g[j]
                sumGH += g[j] * h
            }
            let inv = cache.inverseStd[r], n = Float(c)
            for j in 0..<c {
                dx.data[r * c + j] = inv / n * (n * g[j] - sumG - cache.normalized[r * c + j] * sumGH)
            }
        }
        return (dx, dGamma, dBeta)
    }
}
