/// Why a model can't be built: names the layer, its input shape and the reason.
public struct ModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The layer's name (`conv2d_3`), or nil for a model-level problem.
    public var layerName: String?
    public var layerType: String?
    /// The input shape the layer received, without the batch axis.
    public var inputShape: [Int]?
    public var reason: String
    public var location: SourceLocation?

    public init(layerName: String? = nil, layerType: String? = nil, inputShape: [Int]? = nil,
                reason: String, location: SourceLocation? = nil) {
        self.layerName = layerName
        self.layerType = layerType
        self.inputShape = inputShape
        self.reason = reason
        self.location = location
    }

    public var description: String {
        var text = ""
        if let location { text += "line \(location.line): " }
        if let layerName, let layerType {
            text += "layer '\(layerName)' (\(layerType))"
            if let inputShape { text += " with input shape \(ShapeFormat.keras(inputShape))" }
            text += ": "
        }
        return text + reason
    }
}

/// Formats shapes the way Keras prints them: `(None, 222, 222, 32)`.
public enum ShapeFormat {
    /// The Keras form with `None` for the batch axis.
    public static func keras(_ shape: [Int], batch: Int? = nil) -> String {
        "(" + ([batch.map(String.init) ?? "None"] + shape.map(String.init)).joined(separator: ", ") + ")"
    }

    /// A bare tuple without the batch axis: `(7, 7, 32)`.
    public static func tuple(_ shape: [Int]) -> String {
        // Appended in place: the table shows a shape per row on every frame.
        var text = "("
        for (i, size) in shape.enumerated() {
            if i > 0 { text += ", " }
            text += String(size)
        }
        return text + (shape.count == 1 ? ",)" : ")")
    }
}
