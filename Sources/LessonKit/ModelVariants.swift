import CNNModel

/// Models a learner could build instead of a task's solution: small edits of it, each with a description.
///
/// The validator keeps those that still meet the task's goals and checks the
/// rest of the lesson on them, so that prose after a task never depends on
/// more than the goals pin.
enum ModelVariants {
    /// Edits of `model`: a layer removed, a Dropout or a Conv2D inserted, a Dense
    /// widened or added before the last layer, average and max pooling swapped,
    /// the last activation changed.
    static func of(_ model: Model) -> [(Model, String)] {
        var out: [(Model, String)] = []
        let layers = model.layers
        let names = model.layerNames
        func with(_ l: [LayerSpec], _ how: String) {
            var m = model
            m.layers = l
            out.append((m, how))
        }
        func parsed(_ code: String) -> LayerSpec? { try? KerasParser.parseLayer(code) }
        for i in layers.indices {
            var l = layers
            l.remove(at: i)
            with(l, "without \(names[i])")
        }
        if let dropout = parsed("Dropout(0.5)") {
            for i in 0...layers.count {
                var l = layers
                l.insert(dropout, at: i)
                with(l, "Dropout(0.5) " + (i < layers.count ? "before \(names[i])" : "at the end"))
            }
        }
        if let conv = parsed("Conv2D(8, (3, 3), padding='same', activation='relu')"),
           let head = layers.firstIndex(where: { if case .flatten = $0.kind { true } else if case .globalPool = $0.kind { true } else { false } }) {
            var l = layers
            l.insert(conv, at: head)
            with(l, "Conv2D(8, (3, 3), padding='same') before \(names[head])")
        }
        if let last = layers.indices.last, let dense = parsed("Dense(16, activation='relu')") {
            var l = layers
            l.insert(dense, at: last)
            with(l, "Dense(16) before \(names[last])")
        }
        for (i, spec) in layers.enumerated() {
            switch spec.kind {
            case .globalPool(var g):
                g.op = g.op == .max ? .average : .max
                var l = layers
                l[i] = LayerSpec(.globalPool(g))
                with(l, "\(g.op == .max ? "GlobalMaxPooling" : "GlobalAveragePooling")\(g.rank)D in place of \(names[i])")
            case .dense(var d) where i == layers.count - 1:
                d.activation = d.activation == .softmax ? .linear : .softmax
                var l = layers
                l[i] = LayerSpec(.dense(d))
                with(l, "\(names[i]) with activation '\(d.activation == .softmax ? "softmax" : "linear")'")
            case .dense(var d):
                d.units *= 2
                var l = layers
                l[i] = LayerSpec(.dense(d))
                with(l, "\(names[i]) with \(d.units) units")
            default: break
            }
        }
        return out
    }
}
