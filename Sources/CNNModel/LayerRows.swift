import Foundation

/// One layer's derived figures on one input shape, kept from earlier
/// summaries: an edit re-derives only the layers whose kind or input it
/// changed (the layers before an edited line keep theirs).
enum LayerRows {
    typealias Row = (output: [Int], weights: [WeightSpec], trainable: Int, nonTrainable: Int, multAdds: Int, bytes: Int)

    struct Key: Hashable {
        var kind: LayerKind
        var input: [Int]
    }

    /// The output shape, weights, parameter counts, mult-adds and output
    /// bytes of `layer` on `input`, or the reason Keras refuses it.
    static func derive(_ layer: LayerSpec, input: [Int]) throws(ShapeError) -> Row {
        let key = Key(kind: layer.kind, input: input)
        if let known = cache.withLock({ $0[key] }) { return known }
        let row = try compute(layer, input: input)
        cache.withLock { rows in
            if rows.count >= 4096 { rows.removeAll(keepingCapacity: true) }
            rows[key] = row
        }
        return row
    }

    static func compute(_ layer: LayerSpec, input: [Int]) throws(ShapeError) -> Row {
        let output = try layer.outputShape(for: input)
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
