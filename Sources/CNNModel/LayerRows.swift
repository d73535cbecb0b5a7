import Foundation

/// One layer's derived figures, and the rows of recent summaries: an edit
/// re-derives only the layers whose kind, input shape or incoming receptive
/// field it changed (the layers before an edited line keep theirs).
enum LayerRows {
    typealias Row = (output: [Int], weights: [WeightSpec], trainable: Int, nonTrainable: Int, multAdds: Int, bytes: Int)

    /// The output shape, weights, parameter counts, mult-adds and output
    /// bytes of `layer` on `inputs` (one, except for a merge in a functional
    /// model), or the reason Keras refuses it.
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

    /// The rows of the latest Sequential summary on `input`, if one is kept.
    static func earlier(input: [Int]) -> [LayerSummary]? {
        recent.withLock { $0.first(where: { $0.input == input })?.rows }
    }

    /// Keeps a Sequential summary's rows (those derived before any error) as the latest on `input`.
    static func remember(input: [Int], rows: [LayerSummary]) {
        recent.withLock { kept in
            if let i = kept.firstIndex(where: { $0.input == input }) { kept.remove(at: i) }
            if kept.count >= capacity { kept.removeLast() }
            kept.insert((input, rows), at: 0)
        }
    }

    /// The row of `earlier` that layer `index` of `count` can keep: the one at
    /// the same place, or at the same distance from the end (after a line was
    /// added or removed above), when its layer, input shape and incoming field
    /// are the same.
    static func kept(_ earlier: [LayerSummary], index: Int, count: Int, layer: LayerSpec, input: [Int],
                     field: ReceptiveField, inputField: ReceptiveField) -> LayerSummary? {
        func keeps(_ j: Int) -> Bool {
            guard j >= 0, j < earlier.count else { return false }
            let row = earlier[j]
            return row.spec.kind == layer.kind && row.spec.trainable == layer.trainable && row.inputShape == input
                && (j == 0 ? inputField : earlier[j - 1].receptiveField) == field
        }
        if keeps(index) { return earlier[index] }
        let shifted = index + earlier.count - count
        if shifted != index, keeps(shifted) { return earlier[shifted] }
        return nil
    }

    /// The input sizes a summary is kept for: a few, so that the compare
    /// screen's sides and the input size steps (224 ↔ 256) keep theirs.
    static let capacity = 32

    /// Recent Sequential summaries' rows by input shape, the latest first.
    static let recent = Locked<[(input: [Int], rows: [LayerSummary])]>([])
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
