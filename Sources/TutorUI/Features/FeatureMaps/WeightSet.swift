import CNNCompute

/// Weights the feature maps can run instead of their seeded initialisation:
/// trained here on the synthetic shapes, or read from a safetensors file.
public struct WeightSet: Hashable, Sendable {
    /// Keyed `<layer name>/<weight name>`, in Keras' layouts.
    public var tensors: [String: Tensor]
    /// Where they came from, short, for the status line: "60 steps, test accuracy 14% → 96%", "from w.safetensors".
    public var origin: String
    /// The longer story, for the message line once they arrive: the settings, what was adapted.
    public var details = ""
    /// The input to run them on, when it differs from the model's (the size they were trained at).
    public var inputShape: [Int]?
    /// The image to show them, when they come with one (a test image of the shapes).
    public var sample: SampleImage?
    /// The model revision they belong to: after an edit they no longer fit.
    public var revision: Int

    public init(tensors: [String: Tensor], origin: String, inputShape: [Int]? = nil, sample: SampleImage? = nil, revision: Int) {
        self.tensors = tensors
        self.origin = origin
        self.inputShape = inputShape
        self.sample = sample
        self.revision = revision
    }

    /// The weights of one layer.
    func layer(_ name: String) -> [String: Tensor] {
        tensors.filter { $0.key.hasPrefix(name + "/") }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(origin)
        hasher.combine(revision)
        hasher.combine(tensors.keys.sorted())
    }
}

/// Which weights the feature maps show.
public enum WeightsShown: Hashable, Sendable {
    /// Keras' random initialisation, seeded.
    case initial
    /// The trained (or loaded) ``WeightSet``.
    case trained
}

/// The short training run behind ``WeightsShown/trained``.
public enum TrainingStatus: Hashable, Sendable {
    case idle
    case running(step: Int, steps: Int, loss: Float)
    case failed(String)
}
