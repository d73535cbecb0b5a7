import CNNModel

/// One weight tensor of a running layer, with its gradient.
public final class Parameter {
    /// `<layer name>/<weight name>`, as in safetensors files.
    public let key: String
    public let layerName: String
    /// Keras' weight name: `kernel`, `bias`, `gamma`, `moving_mean`, …
    public let weightName: String
    public var value: Tensor
    /// dLoss/dvalue from the last backward pass (zeros for non-trainable weights).
    public var gradient: Tensor
    public let trainable: Bool

    init(layer: String, spec: WeightSpec, value: Tensor) {
        self.layerName = layer
        self.weightName = spec.name
        self.key = "\(layer)/\(spec.name)"
        self.value = value
        self.gradient = Tensor(zeros: value.shape)
        self.trainable = spec.trainable
    }
}
