import Foundation

/// Text and JSON forms of a ``ModelSummary``.
extension ModelSummary {
    /// The JSON object of `cnn-tutor summary --json`: Keras' columns plus ours.
    public var json: String {
        func shape(_ s: [Int]) -> String { "[\(batchSize.map(String.init) ?? "null")," + s.map(String.init).joined(separator: ",") + "]" }
        let string = JSONText.quoted
        let functional = graph != nil
        var rows = layers.enumerated().map { index, l -> String in
            var rf = "null"
            if case .spatial(let size, let jump) = l.receptiveField {
                rf = "{\"size\":[\(size.map(String.init).joined(separator: ","))],\"jump\":[\(jump.map(String.init).joined(separator: ","))]}"
            } else if case .global = l.receptiveField {
                rf = "\"global\""
            }
            return "{\"name\":\(string(l.name)),\"type\":\(string(l.typeName)),\"output_shape\":\(shape(l.outputShape)),"
                + "\"params\":\(l.params),\"trainable_params\":\(l.trainableParams),"
                + "\"non_trainable_params\":\(l.nonTrainableParams),\"mult_adds\":\(l.multAdds),"
                + "\"output_bytes\":\(l.outputBytes),\"receptive_field\":\(rf)"
                + (functional ? ",\"connected_to\":[" + connectedTo(index).map(string).joined(separator: ",") + "]" : "")
                + "}"
        }
        if let graph {
            // A functional model's `model.layers` starts with its InputLayer.
            rows.insert("{\"name\":\(string(graph.inputName)),\"type\":\"InputLayer\",\"output_shape\":\(shape(inputShape)),"
                        + "\"params\":0,\"trainable_params\":0,\"non_trainable_params\":0,\"mult_adds\":0,"
                        + "\"output_bytes\":\(inputShape.reduce(4, *)),\"receptive_field\":null,\"connected_to\":[]}", at: 0)
        }
        return "{\"input_shape\":\(shape(inputShape)),\"layers\":[" + rows.joined(separator: ",") + "],"
            + "\"total_params\":\(totalParams),\"trainable_params\":\(trainableParams),"
            + "\"non_trainable_params\":\(nonTrainableParams),\"total_mult_adds\":\(totalMultAdds),"
            + "\"total_activation_bytes\":\(totalActivationBytes)}"
    }

    /// A Keras-style table with mult-adds, memory and receptive field columns.
    public var table: String {
        let connected = graph.map { !$0.isChain } ?? false
        var header = ["Layer (type)", "Output Shape", "Param #", "Mult-Adds", "Memory", "Receptive field"]
        if connected { header.append("Connected to") }
        var rows = layers.enumerated().map { index, l in
            ["\(l.name) (\(l.typeName))", ShapeFormat.keras(l.outputShape, batch: batchSize), KerasFormat.grouped(l.params),
             KerasFormat.grouped(l.multAdds), KerasFormat.bytes(l.outputBytes), l.receptiveField.description]
                + (connected ? [connectedTo(index).joined(separator: ", ")] : [])
        }
        rows.insert(["\(graph?.inputName ?? "input") (InputLayer)", ShapeFormat.keras(inputShape, batch: batchSize), "0", "0",
                     KerasFormat.bytes(inputShape.reduce(4, *)), ReceptiveField.input(spatialRank: inputShape.count - 1).description]
                        + (connected ? ["-"] : []),
                    at: 0)
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        let rightAligned: Set<Int> = [2, 3, 4]
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                return rightAligned.contains(i) ? pad + c : c + pad
            }.joined(separator: "   ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        let total = widths.reduce(0, +) + 3 * (widths.count - 1)
        var out = [String(repeating: "━", count: total), line(header), String(repeating: "━", count: total)]
        for (i, row) in rows.enumerated() {
            out.append(line(row))
            if i < rows.count - 1 { out.append(String(repeating: "─", count: total)) }
        }
        out.append(String(repeating: "━", count: total))
        func params(_ label: String, _ n: Int) -> String {
            " \(label): \(KerasFormat.grouped(n)) (\(KerasFormat.bytes(n * 4)))"
        }
        out.append(params("Total params", totalParams))
        out.append(params("Trainable params", trainableParams))
        out.append(params("Non-trainable params", nonTrainableParams))
        out.append(" Total mult-adds: \(KerasFormat.grouped(totalMultAdds)) (\(KerasFormat.short(totalMultAdds)))")
        out.append(" Activations per sample: \(KerasFormat.bytes(totalActivationBytes))")
        return out.joined(separator: "\n")
    }
}
