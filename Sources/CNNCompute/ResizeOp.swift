import CNNModel

/// Resizing, CenterCrop and RandomCrop at inference: each output cell is a
/// weighted sum of input cells, the same on every channel. Bilinear and
/// nearest follow TensorFlow's `resize` with half-pixel centres.
enum ResizeOp {
    /// An output index's source taps on one axis: (input index, weight); an index outside the input is padding.
    static func taps(_ axis: ResizeAxis, resample: Bool, nearest: Bool) -> [[(Int, Float)]] {
        (0..<axis.target).map { o in
            let base = axis.start - axis.padding
            guard resample else { return [(base + o, 1)] }
            let scale = Float(axis.length) / Float(axis.target)
            if nearest {
                return [(base + min(Int(((Float(o) + 0.5) * scale).rounded(.down)), axis.length - 1), 1)]
            }
            let p = (Float(o) + 0.5) * scale - 0.5
            let floor = p.rounded(.down)
            let lo = max(Int(floor), 0), hi = min(Int(p.rounded(.up)), axis.length - 1)
            let frac = p - floor
            return [(base + lo, 1 - frac), (base + hi, frac)]
        }
    }

    /// Calls `body(input cell, output cell, weight)` for every tap of every output cell (channels excluded).
    private static func visit(_ x: Map3, _ config: ImageResize, _ body: (Int, Int, Float) -> Void) {
        let g = config.geometry(height: x.h, width: x.w)
        let nearest = config.interpolation == .nearest
        let rows = taps(g.rows, resample: g.resample, nearest: nearest)
        let columns = taps(g.columns, resample: g.resample, nearest: nearest)
        for n in 0..<x.n {
            for (a, rowTaps) in rows.enumerated() {
                for (b, columnTaps) in columns.enumerated() {
                    let o = (n * rows.count + a) * columns.count + b
                    for (r, wr) in rowTaps where r >= 0 && r < x.h && wr != 0 {
                        for (c, wc) in columnTaps where c >= 0 && c < x.w && wc != 0 {
                            body((n * x.h + r) * x.w + c, o, wr * wc)
                        }
                    }
                }
            }
        }
    }

    static func forward(_ x: Tensor, config: ImageResize, outputShape: [Int]) -> Tensor {
        let m = Map3(x.shape)
        var y = Tensor(zeros: outputShape)
        visit(m, config) { i, o, w in
            for ch in 0..<m.c { y.data[o * m.c + ch] += w * x.data[i * m.c + ch] }
        }
        return y
    }

    /// Each input cell gets the output gradient times the weight it was read with.
    static func backward(_ dy: Tensor, config: ImageResize, inputShape: [Int]) -> Tensor {
        let m = Map3(inputShape)
        var dx = Tensor(zeros: inputShape)
        visit(m, config) { i, o, w in
            for ch in 0..<m.c { dx.data[i * m.c + ch] += w * dy.data[o * m.c + ch] }
        }
        return dx
    }
}

/// Resizing, CenterCrop or RandomCrop (inference behaviour in both modes).
final class ResizeLayer: ComputeLayer {
    let config: ImageResize
    private var batchShape: [Int] = []

    init(name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int], config: ImageResize) {
        self.config = config
        super.init(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
    }

    override func forward(_ x: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor {
        if training { batchShape = x.shape }
        return ResizeOp.forward(x, config: config, outputShape: [x.shape[0]] + outputShape)
    }

    override func backward(_ dy: Tensor, needInput: Bool) -> Tensor? {
        ResizeOp.backward(dy, config: config, inputShape: batchShape)
    }
}
