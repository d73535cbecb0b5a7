import CNNCompute
import CNNModel
import Foundation

/// `cell LAYER ROW COL CHANNEL`: one value of a layer's output, computed as
/// the feature maps compute it (the procedural scene, each layer seeded
/// 42 + its index, ``LayerByLayer``), so that a lesson's prose states the
/// numbers the step-by-step view shows.
enum CellQuery {
    /// The seed of the feature maps' initial weights.
    static let seed: UInt64 = 42
    /// Forward passes are kept per model: a lesson states several cells of one.
    private static let cache = Cache()

    static func value(_ ref: LayerRef, _ at: [Int], model: Model) throws(LessonExpressionError) -> LessonValue {
        let steps = try run(model)
        let step: LayerByLayer.Step
        switch ref {
        case .name(let name):
            guard let s = steps.first(where: { $0.row.name == name }) else {
                throw LessonExpressionError("no layer named '\(name)'; the model has: " + steps.map(\.row.name).joined(separator: ", "))
            }
            step = s
        case .index(let i):
            let k = i < 0 ? steps.count + i : i
            guard steps.indices.contains(k) else { throw LessonExpressionError("no layer at index \(i); the model has \(steps.count) layers") }
            step = steps[k]
        }
        let shape = Array(step.output.shape.dropFirst())
        let index: Int
        if at.count == 1 {
            index = at[0]
        } else {
            guard shape.count == 3 else {
                throw LessonExpressionError("layer '\(step.row.name)' outputs \(ShapeFormat.tuple(shape)): give one index, as in 'cell \(step.row.name) 0'")
            }
            guard (0..<shape[0]).contains(at[0]), (0..<shape[1]).contains(at[1]), (0..<shape[2]).contains(at[2]) else {
                throw LessonExpressionError("cell (\(at.map(String.init).joined(separator: ", "))) is outside layer '\(step.row.name)''s \(ShapeFormat.tuple(shape)) output")
            }
            index = (at[0] * shape[1] + at[1]) * shape[2] + at[2]
        }
        guard step.output.data.indices.contains(index) else {
            throw LessonExpressionError("index \(index) is outside layer '\(step.row.name)''s \(step.output.data.count) values")
        }
        return .number(Double(step.output.data[index]))
    }

    static func run(_ model: Model) throws(LessonExpressionError) -> [LayerByLayer.Step] {
        if let hit = cache.get(model) { return hit }
        guard let shape = model.inputShape, shape.count == 3 else {
            throw LessonExpressionError("'cell' runs the model on an image; this model's input is \(model.inputShape.map(ShapeFormat.tuple) ?? "missing")")
        }
        if let summary = try? model.summary(), let why = RunBudget.featureMapRefusal(summary) {
            throw LessonExpressionError("'cell' can't run this model: \(why)")
        }
        let image = SampleImage.procedural().fitted(width: shape[1], height: shape[0], channels: shape[2])
        do {
            let steps = try LayerByLayer.run(model, input: LayerByLayer.input(image, centred: true), seed: seed)
            cache.put(model, steps)
            return steps
        } catch {
            throw LessonExpressionError(error.message)
        }
    }

    /// The last few models' passes.
    final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [(Model, [LayerByLayer.Step])] = []
        func get(_ m: Model) -> [LayerByLayer.Step]? { lock.withLock { entries.first { $0.0 == m }?.1 } }
        func put(_ m: Model, _ steps: [LayerByLayer.Step]) {
            lock.withLock {
                entries.removeAll { $0.0 == m }
                entries.append((m, steps))
                if entries.count > 4 { entries.removeFirst() }
            }
        }
    }
}
