import CNNModel
import Foundation

/// Every Keras activation, element-wise (softmax over the last axis), with
/// its derivative next to it.
enum ActivationOp {
    // MARK: - Forward

    static func forward(_ x: Tensor, _ f: Activation) -> Tensor {
        switch f {
        case .linear: return x
        case .softmax: return SoftmaxOp.forward(x, axis: x.rank - 1)
        case .logSoftmax: return LastAxisOp.logSoftmax(x)
        case .sparsemax: return LastAxisOp.sparsemax(x)
        default:
            var y = x
            y.data.withUnsafeMutableBufferPointer { b in
                for i in 0..<b.count { b[i] = value(b[i], f) }
            }
            return y
        }
    }

    /// ReLU in place.
    static func applyReLU(_ y: inout Tensor) {
        y.data.withUnsafeMutableBufferPointer { b in
            for i in 0..<b.count where b[i] < 0 { b[i] = 0 }
        }
    }

    /// Applies `f` in place (softmax over the last axis).
    static func apply(_ y: inout Tensor, _ f: Activation) {
        switch f {
        case .linear: return
        case .relu: applyReLU(&y)
        case .softmax: y = SoftmaxOp.forward(y, axis: y.rank - 1)
        case .logSoftmax, .sparsemax: y = forward(y, f)
        default:
            y.data.withUnsafeMutableBufferPointer { b in
                for i in 0..<b.count { b[i] = value(b[i], f) }
            }
        }
    }

    @inline(__always)
    static func value(_ x: Float, _ f: Activation) -> Float {
        switch f {
        case .linear, .softmax, .logSoftmax, .sparsemax, .glu, .threshold: return x
        case .relu: return x > 0 ? x : 0
        case .sigmoid: return sigmoid(x)
        case .tanh: return Foundation.tanh(x)
        case .swish, .silu: return x * sigmoid(x)
        case .gelu: return 0.5 * x * (1 + Float(erf(Double(x) / 2.0.squareRoot())))
        case .elu, .celu: return x > 0 ? x : Foundation.exp(x) - 1
        case .mish: return x * Foundation.tanh(softplus(x))
        case .squareplus: return (x + (x * x + 4).squareRoot()) / 2
        case .hardSilu, .hardSwish: return x * min(max(x + 3, 0), 6) / 6
        case .hardTanh: return min(max(x, -1), 1)
        case .hardShrink: return abs(x) > 0.5 ? x : 0
        case .softShrink: return x > 0.5 ? x - 0.5 : x < -0.5 ? x + 0.5 : 0
        case .sparsePlus: return x <= -1 ? 0 : x >= 1 ? x : (x + 1) * (x + 1) / 4
        case .tanhShrink: return x - Foundation.tanh(x)
        case .sparseSigmoid: return x <= -1 ? 0 : x >= 1 ? 1 : (x + 1) / 2
        case .logSigmoid: return -softplus(-x)
        case .selu: return x > 0 ? seluScale * x : seluScale * seluAlpha * (Foundation.exp(x) - 1)
        case .softplus: return softplus(x)
        case .softsign: return x / (1 + abs(x))
        case .relu6: return min(max(x, 0), 6)
        case .exponential: return Foundation.exp(x)
        case .leakyRelu: return x > 0 ? x : 0.2 * x
        case .hardSigmoid: return min(max(x / 6 + 0.5, 0), 1)
        }
    }

    // MARK: - Backward

    /// dL/dx from dL/dy, the input x and the output y.
    static func backward(_ dy: Tensor, x: Tensor, y: Tensor, _ f: Activation) -> Tensor {
        switch f {
        case .linear: return dy
        case .softmax: return SoftmaxOp.backward(dy, y: y, axis: y.rank - 1)
        case .logSoftmax: return LastAxisOp.logSoftmaxBackward(dy, y: y)
        case .sparsemax: return LastAxisOp.sparsemaxBackward(dy, x: x, y: y)
        case .relu:
            var dx = dy
            y.data.withUnsafeBufferPointer { yb in
                dx.data.withUnsafeMutableBufferPointer { db in
                    for i in 0..<db.count where yb[i] <= 0 { db[i] = 0 }
                }
            }
            return dx
        default:
            var dx = dy
            x.data.withUnsafeBufferPointer { xb in
                y.data.withUnsafeBufferPointer { yb in
                    dx.data.withUnsafeMutableBufferPointer { db in
                        for i in 0..<db.count { db[i] *= derivative(xb[i], yb[i], f) }
                    }
                }
            }
            return dx
        }
    }

    @inline(__always)
    static func derivative(_ x: Float, _ y: Float, _ f: Activation) -> Float {
        switch f {
        case .linear, .softmax, .logSoftmax, .sparsemax, .glu, .threshold: return 1
        case .relu: return x > 0 ? 1 : 0
        case .sigmoid: return y * (1 - y)
        case .tanh: return 1 - y * y
        case .swish, .silu:
            let s = sigmoid(x)
            return s * (1 + x * (1 - s))
        case .gelu:
            let xd = Double(x)
            return Float(0.5 * (1 + erf(xd / 2.0.squareRoot())) + xd * Foundation.exp(-xd * xd / 2) / (2 * Double.pi).squareRoot())
        case .elu, .celu: return x > 0 ? 1 : Foundation.exp(x)
        case .mish:
            let t = Foundation.tanh(softplus(x))
            return t + x * sigmoid(x) * (1 - t * t)
        case .squareplus: return (1 + x / (x * x + 4).squareRoot()) / 2
        case .hardSilu, .hardSwish: return x < -3 ? 0 : x > 3 ? 1 : (2 * x + 3) / 6
        case .hardTanh: return x > -1 && x < 1 ? 1 : 0
        case .hardShrink: return abs(x) > 0.5 ? 1 : 0
        case .softShrink: return abs(x) > 0.5 ? 1 : 0
        case .sparsePlus: return x <= -1 ? 0 : x >= 1 ? 1 : (x + 1) / 2
        case .tanhShrink: let t = Foundation.tanh(x); return t * t
        case .sparseSigmoid: return x > -1 && x < 1 ? 0.5 : 0
        case .logSigmoid: return 1 - sigmoid(x)
        case .selu: return x > 0 ? seluScale : seluScale * seluAlpha * Foundation.exp(x)
        case .softplus: return sigmoid(x)
        case .softsign: let d = 1 + abs(x); return 1 / (d * d)
        case .relu6: return x > 0 && x < 6 ? 1 : 0
        case .exponential: return y
        case .leakyRelu: return x > 0 ? 1 : 0.2
        case .hardSigmoid: return x > -3 && x < 3 ? 1.0 / 6 : 0
        }
    }

    /// The ReLU backward pass fused with the bias gradient of the layer
    /// before it: dz = dy where y > 0, and Σ dz over every row.
    static func reluBackwardWithBias(_ dy: Tensor, y: Tensor) -> (dz: Tensor, dBias: Tensor) {
        let c = dy.shape.last!
        let rows = c == 0 ? 0 : dy.count / c
        var dz = Tensor(uninitialized: dy.shape)
        let parts = Parallel.partialCount(rows, work: 32 * dy.count)
        var partials = [[Float]](repeating: [Float](repeating: 0, count: c), count: parts)
        dy.data.withUnsafeBufferPointer { db in
            y.data.withUnsafeBufferPointer { yb in
                dz.data.withUnsafeMutableBufferPointer { zb in
                    partials.withUnsafeMutableBufferPointer { parts in
                        guard let dp = db.baseAddress, let yp = yb.baseAddress, let zBase = zb.baseAddress else { return }
                        let zs = SharedPointer(zBase), slots = PartialSlots(base: parts.baseAddress!)
                        Parallel.indexedChunks(rows, work: 32 * dy.count) { range, slot in
                            var sums = [Float](repeating: 0, count: c)
                            sums.withUnsafeMutableBufferPointer { sb in
                                let sp = sb.baseAddress!
                                if c & 15 == 0 && c <= 64 {
                                    // The sums in registers (the same additions in the same
                                    // order): through memory, each row waits on the last's store.
                                    var s0 = SIMD16<Float>(), s1 = SIMD16<Float>(), s2 = SIMD16<Float>(), s3 = SIMD16<Float>()
                                    @inline(__always) func one(_ at: Int, _ s: inout SIMD16<Float>) {
                                        let z = load16(dp + at).replacing(with: 0, where: load16(yp + at) .<= 0)
                                        store16(z, zs.base + at)
                                        s += z
                                    }
                                    for r in range {
                                        let base = r &* c
                                        one(base, &s0)
                                        if c > 16 { one(base &+ 16, &s1) }
                                        if c > 32 { one(base &+ 32, &s2) }
                                        if c > 48 { one(base &+ 48, &s3) }
                                    }
                                    for (k, s) in [s0, s1, s2, s3].prefix(c / 16).enumerated() { store16(s, sp + 16 * k) }
                                    return
                                }
                                for r in range {
                                    let base = r &* c
                                    var j = 0
                                    while j + 16 <= c {
                                        let g = load16(dp + (base &+ j)), v = load16(yp + (base &+ j))
                                        let z = g.replacing(with: 0, where: v .<= 0)
                                        store16(z, zs.base + (base &+ j))
                                        store16(load16(sp + j) + z, sp + j)
                                        j += 16
                                    }
                                    while j < c {
                                        let z = yp[base &+ j] > 0 ? dp[base &+ j] : 0
                                        zs.base[base &+ j] = z
                                        sp[j] += z
                                        j += 1
                                    }
                                }
                            }
                            (slots.base + slot).pointee = sums
                        }
                    }
                }
            }
        }
        var dBias = [Float](repeating: 0, count: c)
        for part in partials { for j in 0..<c { dBias[j] += part[j] } }
        return (dz, Tensor(shape: [c], data: dBias))
    }

    // MARK: - Helpers

    static let seluScale: Float = 1.0507009873554805
    static let seluAlpha: Float = 1.6732632423543772

    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        x >= 0 ? 1 / (1 + Foundation.exp(-x)) : { let e = Foundation.exp(x); return e / (1 + e) }()
    }

    @inline(__always)
    static func softplus(_ x: Float) -> Float {
        max(x, 0) + Foundation.log1p(Foundation.exp(-abs(x)))
    }
}

/// Softmax along one axis, and the `ReLU` layer's configurable form.
enum SoftmaxOp {
    static func forward(_ x: Tensor, axis: Int) -> Tensor {
        let (outer, len, inner) = split(x.shape, axis)
        var y = x
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * len * inner + i
                var m = -Float.infinity
                for k in 0..<len { m = max(m, x.data[base + k * inner]) }
                var s: Float = 0
                for k in 0..<len { let e = Foundation.exp(x.data[base + k * inner] - m); y.data[base + k * inner] = e; s += e }
                for k in 0..<len { y.data[base + k * inner] /= s }
            }
        }
        return y
    }

    /// dx = y · (dy − Σ dy·y).
    static func backward(_ dy: Tensor, y: Tensor, axis: Int) -> Tensor {
        let (outer, len, inner) = split(y.shape, axis)
        var dx = dy
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * len * inner + i
                var dot: Float = 0
                for k in 0..<len { dot += dy.data[base + k * inner] * y.data[base + k * inner] }
                for k in 0..<len { dx.data[base + k * inner] = y.data[base + k * inner] * (dy.data[base + k * inner] - dot) }
            }
        }
        return dx
    }

    static func split(_ shape: [Int], _ axis: Int) -> (Int, Int, Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }
}

/// Keras' `ReLU(max_value, negative_slope, threshold)`.
enum ReLUOp {
    static func forward(_ x: Tensor, _ r: ReLUConfig) -> Tensor {
        var y = x
        let slope = Float(r.negativeSlope), t = Float(r.threshold), top = r.maxValue.map(Float.init)
        for i in 0..<y.count {
            let v = x.data[i]
            var out = v >= t ? v : slope * (v - t)
            if let top, v >= top { out = top }
            y.data[i] = out
        }
        return y
    }

    static func backward(_ dy: Tensor, x: Tensor, _ r: ReLUConfig) -> Tensor {
        var dx = dy
        let slope = Float(r.negativeSlope), t = Float(r.threshold), top = r.maxValue.map(Float.init)
        for i in 0..<dx.count {
            let v = x.data[i]
            var d: Float = v >= t ? 1 : slope
            if let top, v >= top { d = 0 }
            dx.data[i] *= d
        }
        return dx
    }
}
