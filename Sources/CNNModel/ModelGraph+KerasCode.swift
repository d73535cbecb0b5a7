/// A functional model back as Keras code.
extension Model {
    /// `inputs = keras.Input(...)`, one `x… = layers.…(…)(…)` line per layer, then `keras.Model(inputs, outputs)`.
    var functionalKerasCode: String {
        guard let graph = connectedGraph else { return "" }
        let names = layerNames
        func variable(_ i: Int) -> String {
            i < 0 ? "inputs" : names[i].map { $0.isLetter || $0.isNumber ? $0 : "_" }.reduce("") { $0 + String($1) }
        }
        var lines: [String] = []
        let inputName = graph.inputName == "input_layer" ? "" : ", name='\(graph.inputName)'"
        lines.append("inputs = keras.Input(shape=\(ShapeFormat.tuple(inputShape ?? []))\(inputName))")
        for (i, layer) in layers.enumerated() {
            let from = graph.inbound[i].map(variable)
            let argument = layer.kind.isMerge ? "[" + from.joined(separator: ", ") + "]" : from[0]
            lines.append("\(variable(i)) = keras.layers.\(layer.kerasCode)(\(argument))")
        }
        let name = graph.modelName.map { ", name='\($0)'" } ?? ""
        lines.append("model = keras.Model(inputs, \(layers.isEmpty ? "inputs" : variable(layers.count - 1))\(name))")
        return lines.joined(separator: "\n")
    }
}

extension LayerKind {
    /// Whether the layer takes a list of tensors.
    public var isMerge: Bool {
        if case .merge = self { return true }
        return false
    }
}
