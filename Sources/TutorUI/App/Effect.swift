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
}

/// A forward pass to run: the model, the image already fitted to its input, and a seed for the weights.
public struct ForwardRequest: Hashable, Sendable {
    /// Increases with every request; results of older ones are dropped.
    public var generation: Int
    public var model: Model
    public var image: SampleImage
    public var seed: UInt64
    public init(generation: Int, model: Model, image: SampleImage, seed: UInt64) {
        self.generation = generation
        self.model = model
        self.image = image
        self.seed = seed
    }
}
