/// The first NaN or infinity in a tensor, found in one pass.
public struct NonFinite: Sendable, Equatable, CustomStringConvertible {
    /// The flat index of the first non-finite value.
    public var index: Int
    public var value: Float

    /// "NaN", "+Inf" or "-Inf".
    public var kind: String { value.isNaN ? "NaN" : value > 0 ? "+Inf" : "-Inf" }
    public var description: String { "\(kind) at index \(index)" }
}

extension Tensor {
    /// The first non-finite value, or nil when every value is finite.
    ///
    /// The common case costs one vectorised pass: `x · 0` is 0 for every
    /// finite x and NaN for NaN and ±Inf, so a zero sum means all are finite.
    public var firstNonFinite: NonFinite? {
        data.withUnsafeBufferPointer { p -> NonFinite? in
            var lanes = SIMD8<Float>()
            let n = p.count & ~7
            var i = 0
            while i < n {
                lanes += SIMD8<Float>(p[i ..< i + 8]) * 0
                i += 8
            }
            var rest: Float = 0
            while i < p.count { rest += p[i] * 0; i += 1 }
            if lanes.sum() == 0, rest == 0 { return nil }
            for j in 0..<p.count where !p[j].isFinite { return NonFinite(index: j, value: p[j]) }
            return nil
        }
    }
}

extension NetworkError {
    /// What to try when values leave Float's range.
    static let nonFiniteAdvice = "try smaller weights, smaller inputs or a lower learning rate"

    /// A non-finite value in the input batch.
    static func nonFiniteInput(_ bad: NonFinite) -> NetworkError {
        NetworkError("non-finite values (\(bad.kind)) in the input, first at index \(bad.index); "
            + "every input value must be a finite number", layer: nil)
    }

    /// The first layer whose output (or, going back, whose input gradient) holds a non-finite value.
    ///
    /// - Parameter backward: the value is in dL/dx of the backward pass, not in the forward output.
    static func nonFinite(_ bad: NonFinite, layer: ComputeLayer, backward: Bool = false) -> NetworkError {
        let place = backward ? "the gradient that the backward pass of layer" : "the output of layer"
        var text = "non-finite values (\(bad.kind)) first appear in \(place) \(layer.name) (\(layer.spec.typeName))"
        if let weight = layer.parameters.first(where: { $0.value.firstNonFinite != nil }),
           let inWeight = weight.value.firstNonFinite {
            text += "; its weight '\(weight.key)' holds \(inWeight.kind) at index \(inWeight.index)"
            text += "; check the weights, or " + nonFiniteAdvice
        } else {
            text += "; its input and weights were finite, so values outgrew Float's range (about ±3.4e38): "
                + nonFiniteAdvice
        }
        return NetworkError(text, layer: layer.name)
    }
}
