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
    /// The rows whose outputs this layer takes; `-1` is the input (a Sequential layer takes the row before).
    public var inbound: [Int]

    public var typeName: String { spec.typeName }
    public var params: Int { trainableParams + nonTrainableParams }

    public init(index: Int, name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int],
                weights: [WeightSpec], trainableParams: Int, nonTrainableParams: Int, multAdds: Int,
                outputBytes: Int, receptiveField: ReceptiveField, inbound: [Int]? = nil) {
        self.index = index
        self.name = name
        self.spec = spec
        self.inputShape = inputShape
        self.outputShape = outputShape
        self.weights = weights
        self.trainableParams = trainableParams
        self.nonTrainableParams = nonTrainableParams
        self.multAdds = multAdds
        self.outputBytes = outputBytes
        self.receptiveField = receptiveField
        self.inbound = inbound ?? [index - 1]
    }
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
    /// How a functional model's layers connect; nil for Sequential.
    public var graph: ModelGraph?

    public init(inputShape: [Int], batchSize: Int? = nil, layers: [LayerSummary], totalParams: Int, trainableParams: Int,
                nonTrainableParams: Int, totalMultAdds: Int, totalActivationBytes: Int, graph: ModelGraph? = nil) {
        self.inputShape = inputShape
        self.batchSize = batchSize
        self.layers = layers
        self.totalParams = totalParams
        self.trainableParams = trainableParams
        self.nonTrainableParams = nonTrainableParams
        self.totalMultAdds = totalMultAdds
        self.totalActivationBytes = totalActivationBytes
        self.graph = graph
    }

    /// Keras' "Connected to" for a row of a functional model: `conv2d[0][0], input_layer[0][0]`.
    public func connectedTo(_ row: Int) -> [String] {
        guard let graph else { return [] }
        return layers[row].inbound.map { ($0 < 0 ? graph.inputName : layers[$0].name) + "[0][0]" }
    }

    /// The shape the model produces, without the batch axis.
    public var outputShape: [Int] { layers.last?.outputShape ?? inputShape }
}
