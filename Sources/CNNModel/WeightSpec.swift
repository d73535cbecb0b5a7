/// One weight tensor of a layer, named and laid out as Keras stores it.
public struct WeightSpec: Sendable, Hashable {
    /// `kernel`, `bias`, `gamma`, `beta`, `moving_mean`, `moving_variance`,
    /// `depthwise_kernel` or `pointwise_kernel`.
    public var name: String
    public var shape: [Int]
    public var trainable: Bool

    public init(_ name: String, _ shape: [Int], trainable: Bool = true) {
        self.name = name
        self.shape = shape
        self.trainable = trainable
    }

    /// The number of scalars in the tensor.
    public var count: Int { shape.reduce(1, *) }
}
