import CNNModel
import Foundation

/// Where each cell of a batched tensor finds its value in a smaller tensor
/// laid out over some of its axes (Normalization's statistics, PReLU's slopes).
struct BroadcastIndex {
    /// For every cell of the batched tensor, the offset into the smaller one.
    let offsets: [Int]

    /// - Parameter axes: non-negative axes of `shape` that the smaller tensor spans, in order.
    init(shape: [Int], axes: [Int]) {
        var strides = [Int](repeating: 1, count: shape.count)
        for a in stride(from: shape.count - 2, through: 0, by: -1) { strides[a] = strides[a + 1] * shape[a + 1] }
        var small = [Int](repeating: 0, count: shape.count)
        var step = 1
        for a in axes.reversed() { small[a] = step; step *= shape[a] }
        let count = shape.reduce(1, *)
        offsets = (0..<count).map { i in
            var o = 0
            for a in axes { o += (i / strides[a]) % shape[a] * small[a] }
            return o
        }
    }
}

/// y = x·scale + shift, with per-cell scale and shift taken through a broadcast
/// (Rescaling, Normalization); dL/dx = dy·scale.
enum AffineOp {
    static func forward(_ x: Tensor, scale: [Float], shift: [Float], index: BroadcastIndex?) -> Tensor {
        var y = x
        for i in 0..<y.count {
            let k = index?.offsets[i] ?? 0
            y.data[i] = x.data[i] * scale[scale.count == 1 ? 0 : k] + shift[shift.count == 1 ? 0 : k]
        }
        return y
    }

    static func backward(_ dy: Tensor, scale: [Float], index: BroadcastIndex?) -> Tensor {
        var dx = dy
        for i in 0..<dx.count { dx.data[i] *= scale[scale.count == 1 ? 0 : index?.offsets[i] ?? 0] }
        return dx
    }
}

/// The ELU layer: x where x > 0, α·(eˣ − 1) below.
enum EluOp {
    static func forward(_ x: Tensor, alpha: Float) -> Tensor {
        var y = x
        for i in 0..<y.count where x.data[i] <= 0 { y.data[i] = alpha * (Foundation.exp(x.data[i]) - 1) }
        return y
    }

    static func backward(_ dy: Tensor, x: Tensor, alpha: Float) -> Tensor {
        var dx = dy
        for i in 0..<dx.count where x.data[i] <= 0 { dx.data[i] *= alpha * Foundation.exp(x.data[i]) }
        return dx
    }
}

/// PReLU: y = x where x ≥ 0, α·x below, with a learnt α per cell of its weight.
enum PReLUOp {
    static func forward(_ x: Tensor, alpha: Tensor, index: BroadcastIndex) -> Tensor {
        var y = x
        for i in 0..<y.count where x.data[i] < 0 { y.data[i] = alpha.data[index.offsets[i]] * x.data[i] }
        return y
    }

    static func backward(_ dy: Tensor, x: Tensor, alpha: Tensor, index: BroadcastIndex) -> (dx: Tensor, dAlpha: Tensor) {
        var dx = dy
        var da = Tensor(zeros: alpha.shape)
        for i in 0..<dx.count where x.data[i] < 0 {
            da.data[index.offsets[i]] += dy.data[i] * x.data[i]
            dx.data[i] = dy.data[i] * alpha.data[index.offsets[i]]
        }
        return (dx, da)
    }
}

/// GaussianNoise, GaussianDropout and AlphaDropout in training: y = x·factor + shift
/// per cell, drawn from the seeded generator; dL/dx = dy·factor.
enum NoiseOp {
    static let alphaPrime: Float = -1.6732632423543772 * 1.0507009873554805

    /// (factor, shift) per cell.
    static func draw(count: Int, _ noise: Noise, rng: inout SeededGenerator) -> (factor: [Float], shift: [Float]) {
        let amount = Float(noise.amount)
        switch noise.kind {
        case .gaussianNoise:
            return ([Float](repeating: 1, count: count), (0..<count).map { _ in rng.normal() * amount })
        case .gaussianDropout:
            guard amount < 1 else { return ([Float](repeating: 1, count: count), [Float](repeating: 0, count: count)) }
            let std = (amount / (1 - amount)).squareRoot()
            return ((0..<count).map { _ in 1 + rng.normal() * std }, [Float](repeating: 0, count: count))
        case .alphaDropout:
            guard amount > 0 else { return ([Float](repeating: 1, count: count), [Float](repeating: 0, count: count)) }
            guard amount < 1 else { return ([Float](repeating: 0, count: count), [Float](repeating: 0, count: count)) }
            let a: Float = 1 / ((1 - amount) * (1 + amount * alphaPrime * alphaPrime)).squareRoot()
            let b: Float = -a * alphaPrime * amount
            var factor = [Float](repeating: 0, count: count), shift = [Float](repeating: 0, count: count)
            for i in 0..<count {
                let kept = rng.nextUnit() >= amount
                factor[i] = kept ? a : 0
                shift[i] = kept ? b : a * alphaPrime + b
            }
            return (factor, shift)
        }
    }

    static func forward(_ x: Tensor, factor: [Float], shift: [Float]) -> Tensor {
        var y = x
        for i in 0..<y.count { y.data[i] = x.data[i] * factor[i] + shift[i] }
        return y
    }

    static func backward(_ dy: Tensor, factor: [Float]) -> Tensor {
        var dx = dy
        for i in 0..<dx.count { dx.data[i] *= factor[i] }
        return dx
    }
}

/// RepeatVector: (N, F) → (N, n, F); the gradient sums the copies.
enum RepeatOp {
    static func forward(_ x: Tensor, times n: Int) -> Tensor {
        let (b, f) = (x.shape[0], x.shape[1])
        var y = Tensor(zeros: [b, n, f])
        for i in 0..<b { for r in 0..<n { for j in 0..<f { y.data[(i * n + r) * f + j] = x.data[i * f + j] } } }
        return y
    }

    static func backward(_ dy: Tensor) -> Tensor {
        let (b, n, f) = (dy.shape[0], dy.shape[1], dy.shape[2])
        var dx = Tensor(zeros: [b, f])
        for i in 0..<b { for r in 0..<n { for j in 0..<f { dx.data[i * f + j] += dy.data[(i * n + r) * f + j] } } }
        return dx
    }
}
