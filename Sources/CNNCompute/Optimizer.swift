import Foundation

/// An optimizer with Keras' update rules and defaults.
public enum OptimizerKind: Sendable, Equatable {
    /// SGD: v = momentum·v − lr·g; w += v (Keras default lr 0.01, momentum 0).
    case sgd(learningRate: Float = 0.01, momentum: Float = 0)
    /// Adam (Keras defaults lr 1e-3, β1 0.9, β2 0.999, ε 1e-7).
    case adam(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7)
}

/// The state of an optimizer across steps (momenta, step count).
public final class Optimizer {
    public let kind: OptimizerKind
    /// Steps taken so far.
    public private(set) var iterations = 0
    private var first: [String: [Float]] = [:]
    private var second: [String: [Float]] = [:]

    public init(_ kind: OptimizerKind) { self.kind = kind }

    /// Keras' SGD with its defaults.
    public static func sgd(learningRate: Float = 0.01, momentum: Float = 0) -> Optimizer {
        Optimizer(.sgd(learningRate: learningRate, momentum: momentum))
    }

    /// Keras' Adam with its defaults.
    public static func adam(learningRate: Float = 1e-3) -> Optimizer {
        Optimizer(.adam(learningRate: learningRate))
    }

    /// Applies one step to every trainable parameter from its gradient.
    func step(_ parameters: [Parameter]) {
        iterations += 1
        let t = Float(iterations)
        for p in parameters where p.trainable {
            switch kind {
            case let .sgd(lr, momentum):
                if momentum == 0 {
                    p.value.data.withUnsafeMutableBufferPointer { w in
                        p.gradient.data.withUnsafeBufferPointer { g in
                            for i in 0..<w.count { w[i] -= lr * g[i] }
                        }
                    }
                } else {
                    var v = first.removeValue(forKey: p.key) ?? [Float](repeating: 0, count: p.value.count)
                    p.value.data.withUnsafeMutableBufferPointer { w in
                        p.gradient.data.withUnsafeBufferPointer { g in
                            v.withUnsafeMutableBufferPointer { vb in
                                for i in 0..<vb.count {
                                    vb[i] = momentum * vb[i] - lr * g[i]
                                    w[i] += vb[i]
                                }
                            }
                        }
                    }
                    first[p.key] = v
                }
            case let .adam(lr, b1, b2, eps):
                var m = first.removeValue(forKey: p.key) ?? [Float](repeating: 0, count: p.value.count)
                var v = second.removeValue(forKey: p.key) ?? [Float](repeating: 0, count: p.value.count)
                let alpha = lr * (1 - Foundation.pow(b2, t)).squareRoot() / (1 - Foundation.pow(b1, t))
                let count = p.value.count
                p.value.data.withUnsafeMutableBufferPointer { wb in
                    p.gradient.data.withUnsafeBufferPointer { gb in
                        m.withUnsafeMutableBufferPointer { mb in
                            v.withUnsafeMutableBufferPointer { vb in
                                guard let wBase = wb.baseAddress, let g = gb.baseAddress,
                                      let mBase = mb.baseAddress, let vBase = vb.baseAddress else { return }
                                let ws = SharedPointer(wBase), ms = SharedPointer(mBase), vs = SharedPointer(vBase)
                                Parallel.chunks(count, work: 32 * count) { range in
                                    let w = ws.base, m = ms.base, v = vs.base
                                    // 8 at a time, with the same operations in the same order
                                    // (so the same values) as the scalar loop below.
                                    typealias V8 = SIMD8<Float>
                                    let c1 = V8(repeating: 1 - b1), c2 = V8(repeating: 1 - b2)
                                    let a8 = V8(repeating: alpha), e8 = V8(repeating: eps)
                                    var i = range.lowerBound
                                    while i + 8 <= range.upperBound {
                                        let gi = UnsafeRawPointer(g + i).loadUnaligned(as: V8.self)
                                        var mi = UnsafeRawPointer(m + i).loadUnaligned(as: V8.self)
                                        var vi = UnsafeRawPointer(v + i).loadUnaligned(as: V8.self)
                                        let wi = UnsafeRawPointer(w + i).loadUnaligned(as: V8.self)
                                        mi += (gi - mi) * c1
                                        vi += (gi * gi - vi) * c2
                                        UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: V8.self)
                                        UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: V8.self)
                                        UnsafeMutableRawPointer(w + i).storeBytes(of: wi - a8 * mi / (vi.squareRoot() + e8), as: V8.self)
                                        i += 8
                                    }
                                    for i in i..<range.upperBound {
                                        m[i] += (g[i] - m[i]) * (1 - b1)
                                        v[i] += (g[i] * g[i] - v[i]) * (1 - b2)
                                        w[i] -= alpha * m[i] / (v[i].squareRoot() + eps)
                                    }
                                }
                            }
                        }
                    }
                }
                first[p.key] = m
                second[p.key] = v
            }
        }
    }
}
