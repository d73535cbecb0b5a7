/// What a forward pass produced: every layer's output for one image.
public struct FeatureMapsResult: Hashable, Sendable {
    /// One layer's output, laid out as its shape (channels last).
    public struct Output: Hashable, Sendable {
        public var layerIndex: Int
        public var name: String
        public var typeName: String
        public var shape: [Int]
        public var values: [Float]
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
    public init(imageName: String, input: Output, outputs: [Output]) {
        self.imageName = imageName
        self.input = input
        self.outputs = outputs
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
    /// Which output is shown: an index into `result.outputs`, or -1 for the input.
    public var selected: Int = 0
    /// The first channel shown.
    public var channelOffset: Int = 0
    /// The model the result belongs to, to tell when it is stale.
    public var modelOfResult: Int?
    public init() {}
}
