import CNNCompute
import CNNModel

/// What a forward pass produced: every layer's output for one image.
public struct FeatureMapsResult: Hashable, Sendable {
    /// One layer's output, laid out as its shape (channels last).
    public struct Output: Hashable, Sendable {
        public var layerIndex: Int
        public var name: String
        public var typeName: String
        public var shape: [Int]
        public var values: [Float]
        /// The layer's kernel, in Keras' layout (for a Conv2D: kh, kw, in, filters), when it has one.
        public var kernelShape: [Int] = []
        public var kernel: [Float] = []
        /// The layer's bias, when it has one.
        public var bias: [Float] = []
        /// The layer as it ran (its strides, padding, activation), named.
        public var spec: LayerSpec?
        public init(layerIndex: Int, name: String, typeName: String, shape: [Int], values: [Float]) {
            self.layerIndex = layerIndex
            self.name = name
            self.typeName = typeName
            self.shape = shape
            self.values = values
        }

        /// True for a map with height, width and channels.
        public var isMap2D: Bool { shape.count == 3 }

        /// Channel `c` of a 2-D map as a row-major height × width grid.
        public func channel(_ c: Int) -> [Float] {
            guard isMap2D, c >= 0, c < shape[2] else { return [] }
            let (h, w, ch) = (shape[0], shape[1], shape[2])
            var out = [Float](repeating: 0, count: h * w)
            for i in 0..<(h * w) { out[i] = values[i * ch + c] }
            return out
        }
    }

    public var imageName: String
    /// The input as the model saw it.
    public var input: Output
    public var outputs: [Output]
    /// Which weights made it: ``WeightsShown/initial`` or trained (or loaded) ones.
    public var shown: WeightsShown = .initial
    public init(imageName: String, input: Output, outputs: [Output]) {
        self.imageName = imageName
        self.input = input
        self.outputs = outputs
    }

    /// The first Conv2D's output, whose kernels the view draws.
    public var firstConv: Output? {
        outputs.first { $0.typeName == "Conv2D" && $0.kernelShape.count == 4 }
    }

    /// The input of output `index`: the output before it, or the image.
    public func input(of index: Int) -> Output {
        index > 0 ? outputs[index - 1] : input
    }
}

/// The state of the feature-maps screen.
public struct FeatureMapsState: Hashable, Sendable {
    public enum Status: Hashable, Sendable {
        case idle
        case running(done: Int, total: Int)
        case finished
        case failed(String)
    }
    public var status: Status = .idle
    public var result: FeatureMapsResult?
    /// The image to run; nil means the procedural scene.
    public var image: SampleImage?
    public var generation: Int = 0
    /// Which output is shown: an index into `result.outputs`, -1 for the input,
    /// ``FeatureMapsState/kernelsRow`` for the first Conv2D's kernels.
    public var selected: Int = 0
    /// Which weights to run.
    public var shown: WeightsShown = .initial
    /// Trained or loaded weights, once there are some.
    public var trained: WeightSet?
    public var training: TrainingStatus = .idle
    /// Increases with every training run; results of older ones are dropped.
    public var trainingGeneration = 0
    /// The step-by-step view of one output cell, while it is open.
    public var step: StepState?
    /// The first channel shown.
    public var channelOffset: Int = 0
    /// The model the result belongs to, to tell when it is stale.
    public var modelOfResult: Int?
    public init() {}

    /// The list row of the first Conv2D's kernels, above the input.
    public static let kernelsRow = -2

    /// The trained weights if they belong to this model revision.
    public func trainedWeights(revision: Int) -> WeightSet? {
        trained.flatMap { $0.revision == revision ? $0 : nil }
    }
}
