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
        var y = x
        let rows = c == 0 ? 0 : x.count / c
        y.data.withUnsafeMutableBufferPointer { yb in
            for r in 0..<rows {
                let row = yb.baseAddress! + r * c
                for j in 0..<c { row[j] = row[j] * scale[j] + shift[j] }
            }
        }
        return y
    }

    // MARK: - Training

    /// Normalises with the batch's mean and biased variance; returns them too
    /// so the layer can update its moving averages.
    static func training(_ x: Tensor, gamma: [Float]?, beta: [Float]?, epsilon: Float)
        -> (y: Tensor, cache: Cache, mean: [Float], variance: [Float]) {
        let c = x.shape.last!
        let rows = c == 0 ? 0 : x.count / c
        var mean = [Double](repeating: 0, count: c), sq = [Double](repeating: 0, count: c)
        for r in 0..<rows {
            for j in 0..<c { mean[j] += Double(x.data[r * c + j]) }
        }
        for j in 0..<c { mean[j] /= Double(max(rows, 1)) }
        for r in 0..<rows {
            for j in 0..<c { let d = Double(x.data[r * c + j]) - mean[j]; sq[j] += d * d }
        }
        let variance = sq.map { Float($0 / Double(max(rows, 1))) }
        let inv = variance.map { 1 / ($0 + epsilon).squareRoot() }
        let meanF = mean.map { Float($0) }
        var normalized = [Float](repeating: 0, count: x.count)
        var y = x
        for r in 0..<rows {
            for j in 0..<c {
                let h = (x.data[r * c + j] - meanF[j]) * inv[j]
                normalized[r * c + j] = h
                y.data[r * c + j] = h * (gamma?[j] ?? 1) + (beta?[j] ?? 0)
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
        for r in 0..<rows {
            for j in 0..<c {
                let g = dy.data[r * c + j]
                dBeta[j] += g
                dGamma[j] += g * cache.normalized[r * c + j]
            }
        }
        var dx = dy
        let m = Float(max(rows, 1))
        for r in 0..<rows {
            for j in 0..<c {
                let k = (gamma?[j] ?? 1) * cache.inverseStd[j] / m
                dx.data[r * c + j] = k * (m * dy.data[r * c + j] - dBeta[j] - cache.normalized[r * c + j] * dGamma[j])
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
