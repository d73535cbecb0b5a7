/// A fully connected layer on the last axis of any rank: y = x·W + b.
enum DenseOp {
    static func forward(_ x: Tensor, kernel: Tensor, bias: Tensor?) -> Tensor {
        let inC = kernel.shape[0], units = kernel.shape[1]
        let rows = inC == 0 ? 0 : x.count / inC
        var y = Tensor(zeros: Array(x.shape.dropLast()) + [units])
        Gemm.multiply(x.data, kernel.data, into: &y.data, m: rows, n: units, k: inC)
        if let bias { ConvOp.addBias(bias, to: &y) }
        return y
    }

    /// dx = dy·Wᵀ, dW = xᵀ·dy, db = Σ dy.
    static func backward(_ dy: Tensor, x: Tensor, kernel: Tensor, hasBias: Bool, needInput: Bool)
        -> (dx: Tensor?, dKernel: Tensor, dBias: Tensor?) {
        let inC = kernel.shape[0], units = kernel.shape[1]
        let rows = inC == 0 ? 0 : x.count / inC
        var dKernel = Tensor(zeros: kernel.shape)
        Gemm.multiply(x.data, dy.data, into: &dKernel.data, m: inC, n: units, k: rows, transA: true)
        var dx: Tensor?
        if needInput {
            var g = Tensor(zeros: x.shape)
            Gemm.multiply(dy.data, kernel.data, into: &g.data, m: rows, n: inC, k: units, transB: true)
            dx = g
        }
        return (dx, dKernel, hasBias ? ConvOp.biasGradient(dy) : nil)
    }
}
