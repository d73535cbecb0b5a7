/// A Sequential model: an input shape and its layers, as the learner wrote them.
public struct Model: Sendable, Hashable {
    /// The input shape without the batch axis, from `Input(shape=…)` or a first
    /// layer's `input_shape=`; nil until one is given.
    public var inputShape: [Int]?
    public var inputLocation: SourceLocation?
    /// `Input(shape=…, batch_size=32)`: a fixed batch, which Keras shows instead of None.
    public var batchSize: Int?
    public var layers: [LayerSpec]
    /// How the layers connect in a functional model (`keras.Model(inputs, outputs)`); nil for Sequential.
    public var graph: ModelGraph?
    /// A Sequential model's names from the file that built it, where Keras' per-session counters made them
    /// differ from counting within the model (`conv2d_1` when another model made `conv2d` first).
    public var autoNames: [String]?

    public init(inputShape: [Int]? = nil, layers: [LayerSpec] = [], inputLocation: SourceLocation? = nil,
                graph: ModelGraph? = nil) {
        self.inputShape = inputShape
        self.layers = layers
        self.inputLocation = inputLocation
        self.graph = graph
    }

    /// Whether the model is functional: its summary lists the Input layer and says what feeds each layer.
    public var isFunctional: Bool { graph != nil }

    /// The layers feeding layer `index`: `-1` is the input.
    public func inbound(of index: Int) -> [Int] {
        guard let graph = connectedGraph else { return [index - 1] }
        return graph.inbound[index]
    }

    /// The graph, while it still describes these layers (an edit that adds or removes a layer of a
    /// functional model turns it into a plain stack).
    var connectedGraph: ModelGraph? {
        guard let graph, graph.inbound.count == layers.count else { return nil }
        return graph
    }

    /// Keras' name for each layer: the explicit `name=`, or the class name in
    /// snake case with a per-name counter (`conv2d`, `conv2d_1`, …).
    public var layerNames: [String] {
        if let graph = connectedGraph {
            return zip(layers, graph.autoNames).map { $0.name ?? $1 }
        }
        if let autoNames, autoNames.count == layers.count {
            return zip(layers, autoNames).map { $0.name ?? $1 }
        }
        // A model has a handful of layer types: a short list searched in order
        // costs less than hashing every layer's name.
        var types: [(type: String, base: String)] = []
        var counters: [(base: String, count: Int)] = []
        // By index: a closure over the layers would copy each spec.
        return layers.indices.map { i in
            if let name = layers[i].name { return name }
            let type = layers[i].kind.typeName
            let base: String
            if let known = types.first(where: { $0.type == type }) {
                base = known.base
            } else {
                base = KerasNaming.snakeCase(type)
                types.append((type, base))
            }
            let n: Int
            if let k = counters.firstIndex(where: { $0.base == base }) {
                n = counters[k].count
                counters[k].count += 1
            } else {
                n = 0
                counters.append((base, 1))
            }
            return n == 0 ? base : "\(base)_\(n)"
        }
    }

    /// Whether every name is Keras' own counter name, unique by construction.
    var onlyCountedNames: Bool {
        connectedGraph == nil && (autoNames == nil || autoNames!.count != layers.count) && layers.allSatisfy { $0.name == nil }
    }

    /// Derives every layer's shapes and counts, or the first reason Keras would refuse.
    ///
    /// - Parameter inputShape: rebuilds the same layers on another input.
    public func summary(inputShape override: [Int]? = nil) throws(ModelError) -> ModelSummary {
        try summary(inputShape: override, reusingRows: true)
    }

    /// The summary, with `reusingRows` false deriving every row afresh and keeping none (for tests).
    func summary(inputShape override: [Int]?, reusingRows: Bool) throws(ModelError) -> ModelSummary {
        guard let input = override ?? inputShape else {
            throw ModelError(reason: "the model has no input shape: start it with keras.Input(shape=(224, 224, 3))")
        }
        if input.isEmpty || input.contains(where: { $0 <= 0 }) {
            throw ModelError(reason: "the input shape \(ShapeFormat.tuple(input)) must have positive sizes",
                             location: inputLocation)
        }
        let names = layerNames
        let graph = connectedGraph
        if !onlyCountedNames {
            var seen: Set<String> = []
            if let graph { seen.insert(graph.inputName) }
            for (name, layer) in zip(names, layers) where !seen.insert(name).inserted {
                throw ModelError(layerName: name, layerType: layer.typeName,
                                 reason: graph == nil
                                    ? "all layers in a Sequential model must have unique names; '\(name)' is used twice"
                                    : "all layer names should be unique; '\(name)' is used twice",
                                 location: layer.location)
            }
        }

        var rows: [LayerSummary] = []
        rows.reserveCapacity(layers.count)
        // A Sequential model's rows from the last summary on this input: a row
        // whose layer, input shape and incoming field are unchanged is kept.
        let reusing = reusingRows && graph == nil
        let earlier = reusing ? LayerRows.earlier(input: input) : nil
        defer { if reusing { LayerRows.remember(input: input, rows: rows) } }
        let inputField = ReceptiveField.input(spatialRank: input.count - 1)
        var shape = input
        var field = inputField
        var totals = (params: 0, trainable: 0, nonTrainable: 0, multAdds: 0, bytes: 0)
        for (index, layer) in layers.enumerated() {
            let fail = { (reason: String) in
                ModelError(layerName: names[index], layerType: layer.typeName, inputShape: shape,
                           reason: reason, location: layer.location)
            }
            do {
                var row: LayerSummary
                if let earlier, let kept = LayerRows.kept(earlier, index: index, count: layers.count, layer: layer,
                                                          input: shape, field: field, inputField: inputField) {
                    row = kept
                    row.index = index
                    row.name = names[index]
                    row.spec = layer
                    if row.inbound.count != 1 || row.inbound[0] != index - 1 { row.inbound = [index - 1] }
                } else {
                    let from = inbound(of: index)
                    let inputShapes = graph == nil ? [shape] : from.map { $0 < 0 ? input : rows[$0].outputShape }
                    shape = inputShapes.first ?? input
                    if graph != nil {
                        field = ReceptiveField.merged(from.map { $0 < 0 ? inputField : rows[$0].receptiveField })
                    }
                    let merging = from.count > 1 || graph != nil
                    let (output, weights, trainable, nonTrainable, multAdds, bytes)
                        = try LayerRows.compute(layer, inputs: inputShapes, merging: merging)
                    row = LayerSummary(index: index, name: names[index], spec: layer, inputShape: shape,
                                       outputShape: output, weights: weights, trainableParams: trainable,
                                       nonTrainableParams: nonTrainable, multAdds: multAdds,
                                       outputBytes: bytes, receptiveField: field.after(layer), inbound: from)
                }
                totals.trainable = try CheckedMath.add(totals.trainable, row.trainableParams)
                totals.nonTrainable = try CheckedMath.add(totals.nonTrainable, row.nonTrainableParams)
                totals.params = try CheckedMath.add(totals.trainable, totals.nonTrainable)
                totals.multAdds = try CheckedMath.add(totals.multAdds, row.multAdds)
                totals.bytes = try CheckedMath.add(totals.bytes, row.outputBytes)
                shape = row.outputShape
                field = row.receptiveField
                rows.append(row)
            } catch let error as ShapeError {
                throw fail(error.reason)
            } catch {
                throw fail(ShapeError.overflow.reason)
            }
        }
        return ModelSummary(inputShape: input, batchSize: batchSize, layers: rows, totalParams: totals.params,
                            trainableParams: totals.trainable, nonTrainableParams: totals.nonTrainable,
                            totalMultAdds: totals.multAdds, totalActivationBytes: totals.bytes, graph: graph)
    }
}

/// Keras' naming conventions.
public enum KerasNaming {
    /// Keras' `to_snake_case`: `MaxPooling2D` → `max_pooling2d`, `ReLU` → `re_lu`.
    public static func snakeCase(_ name: String) -> String {
        if let known = knownSnakeCase[name] { return known }
        return computedSnakeCase(name)
    }

    /// Every catalogued layer's name in snake case, worked out once: the
    /// summary names every layer on every keystroke.
    static let knownSnakeCase: [String: String] = Dictionary(
        (LayerCatalog.layerNames + Array(LayerCatalog.aliases.keys)).map { ($0, computedSnakeCase($0)) },
        uniquingKeysWith: { a, _ in a })

    static func computedSnakeCase(_ name: String) -> String {
        let chars = Array(name.utf8)
        func upper(_ c: UInt8) -> Bool { c >= 65 && c <= 90 }
        func lower(_ c: UInt8) -> Bool { c >= 97 && c <= 122 }
        // Pass 1: `(.)([A-Z][a-z]+)` → `\1_\2`.
        var pass1: [UInt8] = []
        for (i, c) in chars.enumerated() {
            if i > 0, upper(c), i + 1 < chars.count, lower(chars[i + 1]) { pass1.append(95) }
            pass1.append(c)
        }
        // Pass 2: `([a-z])([A-Z])` → `\1_\2`, then lower case.
        var out: [UInt8] = []
        for (i, c) in pass1.enumerated() {
            if i > 0, upper(c), lower(pass1[i - 1]) { out.append(95) }
            out.append(upper(c) ? c + 32 : c)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
