import Foundation

/// One layer's derived figures on one input shape, kept from earlier
/// summaries: an edit re-derives only the layers whose kind or input it
/// changed (the layers before an edited line keep theirs).
enum LayerRows {
    typealias Row = (output: [Int], weights: [WeightSpec], trainable: Int, nonTrainable: Int, multAdds: Int, bytes: Int)

    struct Key: Hashable {
        var kind: LayerKind
        var trainable: Bool
        var inputs: [[Int]]
        var merging: Bool
    }

    /// The output shape, weights, parameter counts, mult-adds and output
    /// bytes of `layer` on `inputs` (one, except for a merge in a functional
    /// model), or the reason Keras refuses it.
    static func derive(_ layer: LayerSpec, inputs: [[Int]], merging: Bool) throws(ShapeError) -> Row {
        let key = Key(kind: layer.kind, trainable: layer.trainable, inputs: inputs, merging: merging)
        if let known = cache.withLock({ $0[key] }) { return known }
        let row = try compute(layer, inputs: inputs, merging: merging)
        cache.withLock { rows in
            if rows.count >= 4096 { rows.removeAll(keepingCapacity: true) }
            rows[key] = row
        }
        return row
    }

    static func compute(_ layer: LayerSpec, inputs: [[Int]], merging: Bool) throws(ShapeError) -> Row {
        let input = inputs[0]
        let output: [Int]
        if case .merge(let m) = layer.kind, merging {
            output = try m.outputShape(for: inputs)
        } else {
            output = try layer.outputShape(for: input)
        }
        let weights = layer.weights(for: input)
        var trainable = 0, nonTrainable = 0
        do {
            for w in weights {
                let n = try CheckedMath.product(w.shape)
                if w.trainable { trainable = try CheckedMath.add(trainable, n) }
                else { nonTrainable = try CheckedMath.add(nonTrainable, n) }
            }
            let multAdds = try layer.multAdds(input: input, output: output)
            let bytes = try CheckedMath.multiply(CheckedMath.product(output), 4)
            return (output, weights, trainable, nonTrainable, multAdds, bytes)
        } catch let error as ShapeError {
            throw error
        } catch {
            throw ShapeError.overflow
        }
    }

    static let cache = Locked<[Key: Row]>([:])
}

/// A value behind a lock, for the model engine's caches.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
