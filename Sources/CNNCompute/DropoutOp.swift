/// Dropout and SpatialDropout: at training time zero a fraction `rate` of the
/// values (whole channels of a sample, for the spatial form) and scale the
/// rest by 1 / (1 − rate); at inference, the identity.
enum DropoutOp {
    /// A seeded mask with the kept entries already scaled, broadcast to x's shape.
    static func mask(for shape: [Int], rate: Float, spatial: Bool, rng: inout SeededGenerator) -> [Float] {
        let count = shape.reduce(1, *)
        if rate <= 0 { return [Float](repeating: 1, count: count) }
        if rate >= 1 { return [Float](repeating: 0, count: count) }
        let scale = 1 / (1 - rate)
        if !spatial {
            return (0..<count).map { _ in rng.nextUnit() >= rate ? scale : 0 }
        }
        let n = shape[0], c = shape[shape.count - 1]
        let positions = count / max(n * c, 1)
        let perChannel = (0..<(n * c)).map { _ in rng.nextUnit() >= rate ? scale : Float(0) }
        var out = [Float](repeating: 0, count: count)
        for b in 0..<n {
            for p in 0..<positions {
                for j in 0..<c { out[(b * positions + p) * c + j] = perChannel[b * c + j] }
            }
        }
        return out
    }

    static func forward(_ x: Tensor, mask: [Float]) -> Tensor {
        var y = x
        for i in 0..<y.count { y.data[i] *= mask[i] }
        return y
    }

    static func backward(_ dy: Tensor, mask: [Float]) -> Tensor {
        forward(dy, mask: mask)
    }
}

/// ZeroPadding1D/2D/3D: zeros around the spatial axes.
enum ZeroPaddingOp {
    /// `pads` are (before, after) per spatial axis.
    static func forward(_ x: Tensor, before: [Int], outputShape: [Int]) -> Tensor {
        var y = Tensor(zeros: outputShape)
        copy(Map3(x.shape), Map3(outputShape), before: before) { src, dst, n in
            for i in 0..<n { y.data[dst + i] = x.data[src + i] }
        }
        return y
    }

    static func backward(_ dy: Tensor, before: [Int], inputShape: [Int]) -> Tensor {
        var dx = Tensor(zeros: inputShape)
        copy(Map3(inputShape), Map3(dy.shape), before: before) { src, dst, n in
            for i in 0..<n { dx.data[src + i] = dy.data[dst + i] }
        }
        return dx
    }

    /// Calls `body(input offset, output offset, count)` for each input row.
    private static func copy(_ a: Map3, _ b: Map3, before: [Int], _ body: (Int, Int, Int) -> Void) {
        let pad = Array(repeating: 0, count: 3 - before.count) + before
        for n in 0..<a.n {
            for d in 0..<a.d {
                for h in 0..<a.h {
                    let src = ((n * a.d + d) * a.h + h) * a.w * a.c
                    let dst = (((n * b.d + d + pad[0]) * b.h + h + pad[1]) * b.w + pad[2]) * b.c
                    body(src, dst, a.w * a.c)
                }
            }
        }
    }
}
