import CNNCompute
import CNNModel

/// Whether a model whose weights were built for one input can run on another.
///
/// `Model.summary(inputShape:)` rebuilds the layers on the new input, so it
/// happily sizes a fresh Dense kernel. A trained network can't: its weights
/// are fixed. Like Keras calling a built model on a new size, this finds the
/// first layer whose weights no longer fit and reports it in Keras' words.
public enum TrainedShapeCheck {
    /// Throws a ``ModelError`` naming the first layer whose weights, built for
    /// `trainedOn`, don't fit the shapes that `input` produces.
    public static func check(_ model: Model, trainedOn: [Int], input: [Int]) throws(ModelError) {
        let built = try model.summary(inputShape: trainedOn)
        let asked = try model.summary(inputShape: input)
        for (old, new) in zip(built.layers, asked.layers) {
            for (w, v) in zip(old.weights, new.weights) where w.shape != v.shape {
                throw ModelError(layerName: new.name, layerType: new.typeName, inputShape: new.inputShape,
                                 reason: reason(layer: new, weight: w.name, built: w.shape, needed: v.shape),
                                 location: new.spec.location)
            }
        }
    }

    /// Keras' message when a built layer meets an input it was not built for.
    static func reason(layer: LayerSummary, weight: String, built: [Int], needed: [Int]) -> String {
        if case .dense = layer.spec.kind, built.count == 2 {
            return "Input 0 of layer \"\(layer.name)\" is incompatible with the layer: expected axis -1 "
                + "of input shape to have value \(built[0]), but received input with shape "
                + ShapeFormat.keras(layer.inputShape)
        }
        return "its \(weight) was built with shape \(ShapeFormat.tuple(built)), but this input needs "
            + ShapeFormat.tuple(needed)
    }

    /// Why the head fails, in a learner's words, with the sizes of this model.
    public static func explanation(_ model: Model, trainedOn: [Int], input: [Int]) -> String? {
        guard let built = try? model.summary(inputShape: trainedOn),
              let asked = try? model.summary(inputShape: input),
              let flat = asked.layers.firstIndex(where: { if case .flatten = $0.spec.kind { true } else { false } })
        else { return nil }
        let mapNow = asked.layers[flat].inputShape, mapThen = built.layers[flat].inputShape
        let now = asked.layers[flat].outputShape.reduce(1, *)
        let then = built.layers[flat].outputShape.reduce(1, *)
        let side = input.first.map(String.init) ?? "?"
        return "On a \(side)×\(side) image the backbone ends in a \(ShapeFormat.tuple(mapNow)) map, and Flatten "
            + "turns it into \(KerasFormat.grouped(now)) values. The first Dense layer was trained on the "
            + "\(ShapeFormat.tuple(mapThen)) map of a \(trainedOn.first ?? 0)×\(trainedOn.first ?? 0) image: its "
            + "kernel has one row per flattened value, \(KerasFormat.grouped(then)) rows, one for each position "
            + "and channel. There is no row for the new positions, so the network cannot run. Global pooling "
            + "averages each channel over however many positions there are, so the GAP head's Dense layer "
            + "always receives \(mapNow.last ?? 0) values and works on any input size."
    }

    /// What global pooling does on a larger input, for a model that has it;
    /// nil for a model without global pooling.
    public static func poolingNote(_ model: Model, trainedOn: [Int], input: [Int]) -> String? {
        guard let built = try? model.summary(inputShape: trainedOn),
              let asked = try? model.summary(inputShape: input),
              let pool = asked.layers.firstIndex(where: { if case .globalPool = $0.spec.kind { true } else { false } })
        else { return nil }
        let mapNow = asked.layers[pool].inputShape, mapThen = built.layers[pool].inputShape
        let now = mapNow.dropLast().reduce(1, *), then = mapThen.dropLast().reduce(1, *)
        let side = input.first.map(String.init) ?? "?"
        return "On a \(side)×\(side) image global pooling still gives \(mapNow.last ?? 0) values, so the same "
            + "weights run. Each value is now the mean over the \(ShapeFormat.tuple(mapNow)) map's "
            + "\(KerasFormat.grouped(now)) positions instead of \(KerasFormat.grouped(then)); the shape covers "
            + "the same few positions as before, so the background around it weighs more in the mean."
    }
}
