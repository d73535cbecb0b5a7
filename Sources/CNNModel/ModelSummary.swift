/// One row of a model summary: a layer with its shapes and counts.
public struct LayerSummary: Sendable, Hashable {
    public var index: Int
    public var name: String
    public var spec: LayerSpec
    public var inputShape: [Int]
    public var outputShape: [Int]
    public var weights: [WeightSpec]
    public var trainableParams: Int
    public var nonTrainableParams: Int
    public var multAdds: Int
    /// The float32 size of one sample's output.
    public var outputBytes: Int
    public var receptiveField: ReceptiveField

    public var typeName: String { spec.typeName }
    public var params: Int { trainableParams + nonTrainableParams }
}

/// Every layer's shapes and counts, with the totals Keras prints.
public struct ModelSummary: Sendable, Hashable {
    public var inputShape: [Int]
    /// The fixed batch size of `Input(batch_size=…)`, else nil (Keras' None).
    public var batchSize: Int?
    public var layers: [LayerSummary]
    public var totalParams: Int
    public var trainableParams: Int
    public var nonTrainableParams: Int
    public var totalMultAdds: Int
    /// The float32 size of every layer's output for one sample, added up.
    public var totalActivationBytes: Int

    /// The shape the model produces, without the batch axis.
    public var outputShape: [Int] { layers.last?.outputShape ?? inputShape }
}
