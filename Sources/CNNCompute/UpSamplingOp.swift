import Foundation

/// UpSampling1D/2D/3D: nearest repeats each cell `size` times per axis; 2D's
/// bilinear interpolates with half-pixel centres (TensorFlow's `resize`).
enum UpSamplingOp {
    /// Calls `body(input offset, output offset)` for every output cell (channels excluded).
    private static func visitNearest(_ x: Map3, _ size: [Int], _ body: (Int, Int) -> Void) {
        let s = Array(repeating: 1, count: 3 - size.count) + size
        let (od, oh, ow) = (x.d * s[0], x.h * s[1], x.w * s[2])
        for n in 0..<x.n { for a in 0..<od { for b in 0..<oh { for c in 0..<ow {
            body(((n * x.d + a / s[0]) * x.h + b / s[1]) * x.w + c / s[2], ((n * od + a) * oh + b) * ow + c)
        } } } }
    }

    static func nearest(_ x: Tensor, size: [Int], outputShape: [Int]) -> Tensor {
        let m = Map3(x.shape)
        var y = Tensor(zeros: outputShape)
        visitNearest(m, size) { i, o in
            for ch in 0..<m.c { y.data[o * m.c + ch] = x.data[i * m.c + ch] }
        }
        return y
    }

    /// Each input cell's gradient is the sum over its copies.
    static func nearestBackward(_ dy: Tensor, size: [Int], inputShape: [Int]) -> Tensor {
        let m = Map3(inputShape)
        var dx = Tensor(zeros: inputShape)
        visitNearest(m, size) { i, o in
            for ch in 0..<m.c { dx.data[i * m.c + ch] += dy.data[o * m.c + ch] }
        }
        return dx
    }

    /// The two source rows and the weight of the second, for output cell `o` of an axis scaled by `s`.
    private static func taps(_ o: Int, _ s: Int, _ length: Int) -> (Int, Int, Float) {
        let p = max((Float(o) + 0.5) / Float(s) - 0.5, 0)
        let lo = min(Int(p), length - 1)
        return (lo, min(lo + 1, length - 1), p - Float(lo))
    }

    /// Calls `body(input cell, output cell, weight)` for the four taps of every output cell.
    private static func visitBilinear(_ m: Map3, _ size: [Int], _ body: (Int, Int, Float) -> Void) {
        let (oh, ow) = (m.h * size[0], m.w * size[1])
        for n in 0..<m.n { for a in 0..<oh {
            let (r0, r1, fr) = taps(a, size[0], m.h)
            for b in 0..<ow {
                let (c0, c1, fc) = taps(b, size[1], m.w)
                let o = (n * oh + a) * ow + b
                body((n * m.h + r0) * m.w + c0, o, (1 - fr) * (1 - fc))
                body((n * m.h + r0) * m.w + c1, o, (1 - fr) * fc)
                body((n * m.h + r1) * m.w + c0, o, fr * (1 - fc))
                body((n * m.h + r1) * m.w + c1, o, fr * fc)
            }
        } }
    }

    static func bilinear(_ x: Tensor, size: [Int], outputShape: [Int]) -> Tensor {
        let m = Map3(x.shape)
        var y = Tensor(zeros: outputShape)
        visitBilinear(m, size) { i, o, w in
            for ch in 0..<m.c { y.data[o * m.c + ch] += w * x.data[i * m.c + ch] }
        }
        return y
    }

    static func bilinearBackward(_ dy: Tensor, size: [Int], inputShape: [Int]) -> Tensor {
        let m = Map3(inputShape)
        var dx = Tensor(zeros: inputShape)
        visitBilinear(m, size) { i, o, w in
            for ch in 0..<m.c { dx.data[i * m.c + ch] += w * dy.data[o * m.c + ch] }
        }
        return dx
    }
}
