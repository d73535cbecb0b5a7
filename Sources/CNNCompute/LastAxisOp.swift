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

    /// Keras 3.15's sparsemax on TensorFlow: y = max(x − τ, 0) with τ = (Σ over the
    /// support of the sorted prefix sums − 1) / k. That sums every prefix sum of the
    /// support where the paper takes only the k-th, so it is the projection onto the
    /// simplex only when k = 1; the learner's Keras computes this, so cnn-tutor does.
    static func sparsemax(_ x: Tensor) -> Tensor {
        let c = x.shape.last!
        var y = x
        for r in 0..<(c == 0 ? 0 : x.count / c) {
            let row = Array(x.data[(r * c)..<(r * c + c)])
            let (tau, _) = sparsemaxTau(row)
            for j in 0..<c { y.data[r * c + j] = max(row[j] - tau, 0) }
        }
        return y
    }

    /// τ, and ∂τ/∂x for each entry of the row.
    private static func sparsemaxTau(_ row: [Float]) -> (Float, [Float]) {
        let order = row.indices.sorted { row[$0] > row[$1] }
        var cumulative: Float = 0, tauSum: Float = 0, k = 0
        var support = [Bool](repeating: false, count: row.count)
        for (p, i) in order.enumerated() {
            cumulative += row[i]
            if 1 + Float(p + 1) * row[i] > cumulative { support[p] = true; k += 1; tauSum += cumulative }
        }
        let n = Float(max(k, 1))
        // x at sorted position p enters every prefix sum from p on.
        var dTau = [Float](repeating: 0, count: row.count)
        var later: Float = 0
        for p in stride(from: order.count - 1, through: 0, by: -1) {
            if support[p] { later += 1 }
            dTau[order[p]] = later / n
        }
        return ((tauSum - 1) / n, dTau)
    }

    /// dx_i = dy_i·[y_i > 0] − (Σ over y > 0 of dy)·∂τ/∂x_i.
    static func sparsemaxBackward(_ dy: Tensor, x: Tensor, y: Tensor) -> Tensor {
        let c = y.shape.last!
        var dx = dy
        for r in 0..<(c == 0 ? 0 : y.count / c) {
            let (_, dTau) = sparsemaxTau(Array(x.data[(r * c)..<(r * c + c)]))
            var s: Float = 0
            for j in 0..<c where y.data[r * c + j] > 0 { s += dy.data[r * c + j] }
            for j in 0..<c { dx.data[r * c + j] = (y.data[r * c + j] > 0 ? dy.data[r * c + j] : 0) - s * dTau[j] }
        }
        return dx
    }
}
