import Foundation

/// Sparse categorical cross-entropy, the mean over the batch, as Keras
/// computes it: from the logits when the model ends in a softmax (Keras keeps
/// them on the softmax output), else from probabilities clipped to [ε, 1 − ε]
/// with ε = 1e-7.
public enum SparseCategoricalCrossEntropy {
    public static let epsilon: Float = 1e-7

    /// The mean loss over the batch; `probabilities` is (N, classes).
    public static func loss(_ probabilities: Tensor, labels: [Int]) -> Float {
        let n = probabilities.shape[0], k = probabilities.count / max(n, 1)
        var total: Double = 0
        for b in 0..<n {
            let p = min(max(probabilities.data[b * k + labels[b]], epsilon), 1 - epsilon)
            total -= Double(Foundation.log(p))
        }
        return Float(total / Double(max(n, 1)))
    }

    /// dLoss/dProbabilities: −1/(N·p) on each sample's label, 0 where the clip holds.
    public static func gradient(_ probabilities: Tensor, labels: [Int]) -> Tensor {
        let n = probabilities.shape[0], k = probabilities.count / max(n, 1)
        var g = Tensor(zeros: probabilities.shape)
        for b in 0..<n {
            let p = probabilities.data[b * k + labels[b]]
            if p > epsilon && p < 1 - epsilon { g.data[b * k + labels[b]] = -1 / (Float(n) * p) }
        }
        return g
    }

    /// The loss from the logits of a final softmax, as Keras computes it when
    /// the softmax's input is at hand (it always is in `fit`): the mean of
    /// logsumexp(z) − z_label, with no clipping.
    public static func loss(logits z: Tensor, labels: [Int]) -> Float {
        let n = z.shape[0], k = z.count / max(n, 1)
        var total: Double = 0
        for b in 0..<n {
            var m = -Double.infinity
            for j in 0..<k { m = max(m, Double(z.data[b * k + j])) }
            var s: Double = 0
            for j in 0..<k { s += Foundation.exp(Double(z.data[b * k + j]) - m) }
            // (m − z) first: beside a logit of 1e38, log(s) ≤ ln k would vanish from m + log(s).
            total += (m - Double(z.data[b * k + labels[b]])) + Foundation.log(s)
        }
        return Float(total / Double(max(n, 1)))
    }

    /// dLoss/dLogits for ``loss(logits:labels:)``: (softmax − one-hot) / N.
    public static func logitsGradient(_ probabilities: Tensor, labels: [Int]) -> Tensor {
        let n = probabilities.shape[0], k = probabilities.count / max(n, 1)
        var g = probabilities
        for b in 0..<n {
            g.data[b * k + labels[b]] -= 1
            for j in 0..<k { g.data[b * k + j] /= Float(n) }
        }
        return g
    }

    /// The fraction of samples whose largest probability is on their label.
    public static func accuracy(_ probabilities: Tensor, labels: [Int]) -> Float {
        let n = probabilities.shape[0], k = probabilities.count / max(n, 1)
        var right = 0
        for b in 0..<n {
            var best = 0
            for j in 1..<max(k, 1) where probabilities.data[b * k + j] > probabilities.data[b * k + best] { best = j }
            if best == labels[b] { right += 1 }
        }
        return Float(right) / Float(max(n, 1))
    }
}
