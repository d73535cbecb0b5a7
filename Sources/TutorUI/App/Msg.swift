import CNNCompute
import CNNModel

/// Everything that can happen to the app, as a plain value.
///
/// Keys, pastes, resizes and ticks come from the backend; the results of
/// effects come from the runner; the `set…`/`add…` messages are the scripting
/// API that lessons and tests use. All of them go through the same
/// ``update(_:_:)``, so a scripted run and an interactive one look the same.
///
/// ## Driving the app from a script
///
/// ```swift
/// var state = AppState(width: 120, height: 40, caps: .full)
/// _ = update(&state, .setSource(kerasSource))                 // the whole model
/// _ = update(&state, .addLayer("Conv2D(32, 3, activation='relu')", at: nil)) // after the selection
/// _ = update(&state, .replaceLayer(0, "Conv2D(16, 3)"))
/// _ = update(&state, .removeLayer(3))
/// _ = update(&state, .setInputSize(128))                      // or .setInputShape([64, 64, 1])
/// _ = update(&state, .setHead(.globalAverage))                // 11,574,090 → 66,602 for the seed
/// _ = update(&state, .show(.compare))                         // .builder .compare .featureMaps .lesson
/// _ = update(&state, .select(1)); _ = update(&state, .setDetail(true))
/// _ = update(&state, .type("Dense(10)\n"))                     // as if typed; opens the command line
/// for key in ["a", "Enter", "Esc", "C-c"] { _ = update(&state, .key(Key(name: key)!)) }
/// var buffer = ScreenBuffer(width: state.width, height: state.height)
/// view(state, into: &buffer)                                  // buffer.plainText, buffer.find("66,602")
/// ```
///
/// Effects (`.runFeatureMaps` returns `.runForward`) are carried out by an
/// ``EffectRunner``: `runner.run(effect)`, then `runner.waitUntilIdle()` and
/// feed `runner.takeMessages()` back through `update`. Read the results from
/// `state.model`, `state.totalParams`, `state.derived.summary`,
/// `state.derived.compare`, `state.features` and `state.message` (a parse or
/// shape error, `kind == .error`).
public enum Msg: Sendable {
    // MARK: - From the terminal
    case key(Key)
    /// Text pasted at once (bracketed paste, or a script typing a block).
    case paste(String)
    case resize(width: Int, height: Int)
    /// A timer tick while something runs or plays, with the seconds since the last one.
    case tick(seconds: Double)
    case mouse(MouseEvent)

    // MARK: - Results of effects
    case modelFileLoaded(path: String, result: Result<String, LoadError>)
    case imageLoaded(path: String, result: Result<SampleImage, LoadError>)
    case forwardProgress(generation: Int, done: Int, total: Int)
    case forwardFinished(generation: Int, result: Result<FeatureMapsResult, LoadError>)
    /// The experiment's reports and commands (see ``ExperimentMsg``).
    case experiment(ExperimentMsg)
    /// The feature maps' training run: progress, then its weights or why it failed.
    case training(generation: Int, TrainingEvent)
    /// A file was written (its description, "model.py: Keras code"), or why not.
    case fileWritten(path: String, result: Result<String, LoadError>)

    // MARK: - Scripting API
    /// Replaces the model with Keras source (`keras.Sequential([...])` or `model.add` lines).
    case setSource(String)
    /// Replaces the model.
    case setModel(Model)
    /// Adds a layer written in Keras (`Conv2D(32, 3)`) at an index, or after the selection when nil.
    case addLayer(String, at: Int?)
    /// Removes the layer at an index.
    case removeLayer(Int)
    /// Replaces the layer at an index with one written in Keras.
    case replaceLayer(Int, String)
    /// Moves a layer from one index to another.
    case moveLayer(from: Int, to: Int)
    /// Makes the input `size`×`size`, keeping its channels.
    case setInputSize(Int)
    /// Sets the whole input shape, such as `[224, 224, 3]`.
    case setInputShape([Int])
    /// Replaces the model's ending with a Flatten or a global-pooling head.
    case setHead(HeadKind)
    case show(Screen)
    case setHelp(Bool)
    /// Selects a table row: 0 is the input, `i + 1` is layer `i`.
    case select(Int)
    case setDetail(Bool)
    /// Runs the forward pass for the feature-maps screen.
    case runFeatureMaps
    /// Runs these weights on the feature maps instead of the seeded initialisation (`build --weights`).
    case setWeights(WeightSet)
    /// Opens the step-by-step view of one output cell on the feature maps (nil closes it).
    case showStep(StepState?)
    /// Uses this image for the feature maps instead of the procedural one.
    case setImage(SampleImage)
    /// Types text into the command line, opening it if needed; `\n` presses Enter.
    case type(String)
    case setLesson(LessonPane?)
    case setCapabilities(Capabilities)
    /// Shows a problem the app can't fix, such as progress that could not be saved.
    case warn(String)
    case undo
    case redo
    case quit
}

/// What the feature maps' training run reports.
public enum TrainingEvent: Sendable {
    case progress(step: Int, steps: Int, loss: Float)
    case finished(Result<WeightSet, LoadError>)
}

/// Why a file or a computation failed, as the learner should read it.
public struct LoadError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
