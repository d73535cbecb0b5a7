import CNNCompute
import Race
import CNNModel

/// Work that `update` asks for and a runner carries out; results return as ``Msg``s.
public enum Effect: Hashable, Sendable {
    /// Leave the app with this exit status.
    case quit(Int32)
    /// Read a model file; answers with ``Msg/modelFileLoaded(path:result:)``.
    case loadModelFile(path: String)
    /// Read a PGM/PPM image; answers with ``Msg/imageLoaded(path:result:)``.
    case loadImage(path: String)
    /// Run the model on the image off the UI thread; answers with
    /// ``Msg/forwardProgress(generation:done:total:)`` and ``Msg/forwardFinished(generation:result:)``.
    case runForward(ForwardRequest)
    /// Start, pause, resume or cancel the experiment's training thread.
    case experiment(ExperimentEffect)
    /// Train a lesson's seeded experiment runs in the background, so that its
    /// `{{experiment …}}` numbers are ready when the learner reaches them.
    case prepareLessonExperiments([ExperimentConfiguration])
    /// Train the model briefly on the synthetic shapes; answers with ``Msg/training(generation:_:)``.
    case trainModel(TrainRequest)
    /// Write a file (a model as code, weights as safetensors); answers with ``Msg/fileWritten(path:result:)``.
    case writeFile(path: String, contents: [UInt8], what: String)
}

/// A short training run for the feature maps.
public struct TrainRequest: Hashable, Sendable {
    /// Increases with every request; a newer one cancels this one.
    public var generation: Int
    public var model: Model
    public var plan: ModelTraining.Plan
    public var settings: ModelTraining.Settings
    /// The model revision the weights will belong to.
    public var revision: Int
}

/// A forward pass to run: the model, the image already fitted to its input, and a seed for the weights.
public struct ForwardRequest: Hashable, Sendable {
    /// Increases with every request; results of older ones are dropped.
    public var generation: Int
    public var model: Model
    public var image: SampleImage
    public var seed: UInt64
    /// Weights to run instead of the seeded initialisation (the image is then used as it is, 0…1).
    public var weights: WeightSet?
    public init(generation: Int, model: Model, image: SampleImage, seed: UInt64, weights: WeightSet? = nil) {
        self.generation = generation
        self.model = model
        self.image = image
        self.seed = seed
        self.weights = weights
    }
}
