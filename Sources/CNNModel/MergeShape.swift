/// Keras' shape rules for merge layers (`Add`, `Subtract`, …, `Concatenate`).
extension Merge {
    /// The output shape for the inputs' shapes (without the batch axis), or Keras' reason to refuse them.
    public func outputShape(for inputs: [[Int]]) throws(ShapeError) -> [Int] {
        let shown = inputs.map { ShapeFormat.keras($0) }.joined(separator: ", ")
        guard !inputs.isEmpty else { throw ShapeError("A merge layer should be called on a list of at least 1 input") }
        if op == .subtract, inputs.count != 2 {
            throw ShapeError("A `Subtract` layer should be called on exactly 2 inputs, got \(inputs.count): \(shown)")
        }
        if op == .concatenate { return try concatenated(inputs, shown) }
        var output = inputs[0]
        for shape in inputs.dropFirst() {
            output = try Self.broadcast(output, shape, shown)
        }
        return output
    }

    /// Base merge's rule: align from the right; a size of 1 stretches, other sizes must be equal.
    static func broadcast(_ a: [Int], _ b: [Int], _ shown: String) throws(ShapeError) -> [Int] {
        let (long, short) = a.count >= b.count ? (a, b) : (b, a)
        if short.isEmpty { return long }
        var out = Array(long.prefix(long.count - short.count))
        for (i, j) in zip(long.suffix(short.count), short) {
            if i == 1 { out.append(j) } else if j == 1 || i == j { out.append(i) } else {
                throw ShapeError("Inputs have incompatible shapes: \(ShapeFormat.keras(a)) and \(ShapeFormat.keras(b)) "
                                 + "(every size must be equal or 1); inputs \(shown)")
            }
        }
        return out
    }

    /// Concatenate: the same rank, and equal sizes on every axis but `axis`, whose sizes add up.
    func concatenated(_ inputs: [[Int]], _ shown: String) throws(ShapeError) -> [Int] {
        let rank = inputs[0].count + 1
        let reason = "A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis "
            + "(axis=\(axis)); got \(shown)"
        guard inputs.allSatisfy({ $0.count + 1 == rank }) else { throw ShapeError(reason) }
        guard axis >= -rank, axis < rank else {
            throw ShapeError("Concatenate: axis \(axis) is out of range for inputs of rank \(rank): \(shown)")
        }
        let a = (axis + rank) % rank
        if a == 0 { throw ShapeError("Concatenate along the batch axis (axis=\(axis)) is not supported: \(shown)") }
        var output = inputs[0]
        for shape in inputs.dropFirst() {
            for i in shape.indices where i != a - 1 && shape[i] != output[i] { throw ShapeError(reason) }
            output[a - 1] += shape[a - 1]
        }
        return output
    }
}
