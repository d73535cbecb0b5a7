/// Reorders a tensor's axes (NumPy's `transpose`); the backward pass is the
/// inverse reordering.
enum PermuteOp {
    /// y's axis i is x's axis `order[i]`.
    static func forward(_ x: Tensor, order: [Int]) -> Tensor {
        if order == Array(0..<x.rank) { return x }
        let outShape = order.map { x.shape[$0] }
        var inStrides = [Int](repeating: 1, count: x.rank)
        for a in stride(from: x.rank - 2, through: 0, by: -1) { inStrides[a] = inStrides[a + 1] * x.shape[a + 1] }
        let strides = order.map { inStrides[$0] }
        var y = Tensor(uninitialized: outShape)
        var index = [Int](repeating: 0, count: x.rank)
        var source = 0
        for i in 0..<y.count {
            y.data[i] = x.data[source]
            // Odometer over the output's axes, moving the source offset with it.
            var a = x.rank - 1
            while a >= 0 {
                index[a] += 1
                source += strides[a]
                if index[a] < outShape[a] { break }
                source -= strides[a] * outShape[a]
                index[a] = 0
                a -= 1
            }
        }
        return y
    }

    /// dL/dx from dL/dy: the inverse permutation.
    static func backward(_ dy: Tensor, order: [Int]) -> Tensor {
        forward(dy, order: inverse(order))
    }

    static func inverse(_ order: [Int]) -> [Int] {
        var inv = [Int](repeating: 0, count: order.count)
        for (i, a) in order.enumerated() { inv[a] = i }
        return inv
    }
}

/// Moves some axes of a batched tensor to the end and merges them into one,
/// so that an op written for the last axis works on any axes (BatchNormalization's,
/// LayerNormalization's and Softmax's `axis`).
struct AxisMove {
    /// The permutation that puts the kept axes first and the chosen ones last.
    let order: [Int]
    /// The permuted shape.
    let movedShape: [Int]
    /// The permuted shape with the chosen axes merged into the last one.
    let mergedShape: [Int]
    /// True when the chosen axes are already the last one: nothing to move.
    let isIdentity: Bool

    /// - Parameter axes: non-negative, sorted axes of a tensor of `shape`.
    init(shape: [Int], axes: [Int]) {
        let kept = (0..<shape.count).filter { !axes.contains($0) }
        order = kept + axes
        movedShape = order.map { shape[$0] }
        mergedShape = kept.map { shape[$0] } + [axes.map { shape[$0] }.reduce(1, *)]
        isIdentity = axes == [shape.count - 1]
    }

    /// x with the chosen axes last, merged.
    func toLast(_ x: Tensor) -> Tensor {
        isIdentity ? x : PermuteOp.forward(x, order: order).reshaped(mergedShape)
    }

    /// The inverse of ``toLast(_:)``, for outputs and for gradients.
    func fromLast(_ y: Tensor) -> Tensor {
        isIdentity ? y : PermuteOp.backward(y.reshaped(movedShape), order: order)
    }
}
