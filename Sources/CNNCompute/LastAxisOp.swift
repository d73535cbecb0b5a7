import Foundation

/// The activations that act on a whole last axis at once: log_softmax and
/// sparsemax, each with its backward pass.
enum LastAxisOp {
    /// y = x − log Σ exp(x) over the last axis.
    static func logSoftmax(_ x: Tensor) -> Tensor {
        let c = x.shape.last!
        var y = x
        for r in 0..<(c == 0 ? 0 : x.count / c) {
            var m = -Float.infinity
            for j in 0..<c { m = max(m, x.data[r * c + j]) }
            var s: Float = 0
            for j in 0..<c { s += Foundation.exp(x.data[r * c + j] - m) }
            let lse = m + Foundation.log(s)
            for j in 0..<c { y.data[r * c + j] = x.data[r * c + j] - lse }
        }
        return y
    }

    /// dx = dy − softmax(x)·Σ dy, with softmax(x) = exp(y).
    static func logSoftmaxBackward(_ dy: Tensor, y: Tensor) -> Tensor {
        let c = y.shape.last!
        var dx = dy
        for r in 0..<(c == 0 ? 0 : y.count / c) {
            var s: Float = 0
            for j in 0..<c { s += dy.data[r * c + j] }
            for j in 0..<c { dx.data[r * c + j] = dy.data[r * c + j] - Foundation.exp(y.data[r * c + j]) * s }
        }
        return dx
    }

    /// The Euclidean projection onto the simplex: y = max(x − τ, 0), Σ y = 1.
    static func sparsemax(_ x: Tensor) -> Tensor {
        let c = x.shape.last!
        var y = x
        for r in 0..<(c == 0 ? 0 : x.count / c) {
            let row = Array(x.data[(r * c)..<(r * c + c)])
            let z = row.sorted(by: >)
            var cumulative: Float = 0, tauSum: Float = 0, size = 0
            for (k, v) in z.enumerated() {
                cumulative += v
                if 1 + Float(k + 1) * v > cumulative { size = k + 1; tauSum = cumulative }
            }
            let tau = (tauSum - 1) / Float(max(size, 1))
            for j in 0..<c { y.data[r * c + j] = max(row[j] - tau, 0) }
        }
        return y
    }

    /// On the support (y > 0): dx = dy − mean of dy over the support; 0 elsewhere.
    static func sparsemaxBackward(_ dy: Tensor, y: Tensor) -> Tensor {
        let c = y.shape.last!
        var dx = dy
        for r in 0..<(c == 0 ? 0 : y.count / c) {
            var s: Float = 0, n = 0
            for j in 0..<c where y.data[r * c + j] > 0 { s += dy.data[r * c + j]; n += 1 }
            let mean = n > 0 ? s / Float(n) : 0
            for j in 0..<c { dx.data[r * c + j] = y.data[r * c + j] > 0 ? dy.data[r * c + j] - mean : 0 }
        }
        return dx
    }
}
