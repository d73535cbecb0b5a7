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
    static func training(_ x: Tensor, gamma: [Float]?, beta: [Float]?, epsilon: Float)
        -> (y: Tensor, cache: Cache, mean: [Float], variance: [Float]) {
        let c = x.shape.last!
        let rows = c == 0 ? 0 : x.count / c
        var sum = [Float](repeating: 0, count: c), sq = [Float](repeating: 0, count: c)
        var normalized = [Float](repeating: 0, count: x.count)
        var y = Tensor(uninitialized: x.shape)
        let count = Float(max(rows, 1))
        var meanF = [Float](repeating: 0, count: c), variance = [Float](repeating: 0, count: c)
        var inv = [Float](repeating: 0, count: c)
        x.data.withUnsafeBufferPointer { xb in
            guard let xp = xb.baseAddress else { return }
            for r in 0..<rows {
                let row = xp + r &* c
                for j in 0..<c { sum[j] += row[j] }
            }
            for j in 0..<c { meanF[j] = sum[j] / count }
            for r in 0..<rows {
                let row = xp + r &* c
                for j in 0..<c { let d = row[j] - meanF[j]; sq[j] += d * d }
            }
            for j in 0..<c {
                variance[j] = sq[j] / count
                inv[j] = 1 / (variance[j] + epsilon).squareRoot()
            }
            let g = gamma ?? [Float](repeating: 1, count: c), b = beta ?? [Float](repeating: 0, count: c)
            normalized.withUnsafeMutableBufferPointer { nb in
                y.data.withUnsafeMutableBufferPointer { yb in
                    guard let np = nb.baseAddress, let yp = yb.baseAddress else { return }
                    for r in 0..<rows {
                        let src = xp + r &* c, h = np + r &* c, dst = yp + r &* c
                        for j in 0..<c {
                            let v = (src[j] - meanF[j]) * inv[j]
                            h[j] = v
                            dst[j] = v * g[j] + b[j]
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
        var dGamma = [Float](repeating: 0, count: c), dBeta = [Float](repeating: 0, count: c)
        var dx = Tensor(uninitialized: dy.shape)
        let m = Float(max(rows, 1))
        var k = [Float](repeating: 0, count: c)
        for j in 0..<c { k[j] = (gamma?[j] ?? 1) * cache.inverseStd[j] / m }
        dy.data.withUnsafeBufferPointer { db in
            cache.normalized.withUnsafeBufferPointer { nb in
                dx.data.withUnsafeMutableBufferPointer { xb in
                    guard let dp = db.baseAddress, let np = nb.baseAddress, let xp = xb.baseAddress else { return }
                    for r in 0..<rows {
                        let g = dp + r &* c, h = np + r &* c
                        for j in 0..<c {
                            dBeta[j] += g[j]
                            dGamma[j] += g[j] * h[j]
                        }
                    }
                    for r in 0..<rows {
                        let g = dp + r &* c, h = np + r &* c, out = xp + r &* c
                        for j in 0..<c { out[j] = k[j] * (m * g[j] - dBeta[j] - h[j] * dGamma[j]) }
                    }
                }
            }
        }
        return (dx, dGamma, dBeta)
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
