import CNNCompute
import Race
import CNNModel

/// One fenced action block in a lesson, with the line its fence opens on.
public struct LessonAction: Sendable, Hashable {
    public var kind: ActionKind
    /// The line of the opening fence.
    public var line: Int

    public init(_ kind: ActionKind, line: Int) {
        self.kind = kind
        self.line = line
    }
}

/// A layer written as Keras code, kept as typed so playback can type it visibly.
public struct LayerCode: Sendable, Hashable {
    public var code: String
    public var spec: LayerSpec
    public init(code: String, spec: LayerSpec) {
        self.code = code
        self.spec = spec
    }
}

/// What an action does.
public enum ActionKind: Sendable, Hashable {
    /// Sets the whole model from Keras code; `saveAs` also keeps a copy under that name.
    case model(source: String, model: Model, saveAs: String?)
    /// Appends layers, or inserts them before a named layer.
    case add([LayerCode], before: String?)
    /// Removes layers by name.
    case remove([String])
    /// Replaces the layers from `from` through `through` (inclusive) with new ones.
    case replace(from: String, through: String?, with: [LayerCode])
    /// Sets the input shape (without the batch axis).
    case input([Int])
    /// Switches the screen: `builder`, `compare`, `feature-maps`, `experiment` or `summary`.
    case view(String, args: [String])
    /// Runs the compute core on the sample image.
    case run(args: [String])
    /// Keeps a copy of the current model under a name (`@name` in expressions).
    case save(String)
    /// Restores a saved model.
    case load(String)
    case quiz(Quiz)
    case task(LessonTask)
    case expect([LocatedAssertion])
    /// Sets up a seeded experiment run for `experiment …` queries; it trains on first use.
    case experiment(ExperimentConfiguration)
    /// Runs the model and opens the step-by-step view of one output cell of a
    /// layer (`step conv2d 0 0 5`: row, column, channel; for
    /// GlobalAveragePooling2D the channel alone; for Flatten the cell of its input).
    case step(layer: String, at: [Int])

    /// The names accepted after an opening fence.
    public static let names = ["model", "add", "remove", "replace", "input", "view", "run", "save", "load", "quiz", "task", "expect", "experiment", "step"]
    /// Views a `view` action may switch to.
    public static let views = ["builder", "compare", "feature-maps", "experiment", "summary"]

    /// The action's name, as written after the fence.
    public var name: String {
        switch self {
        case .model: "model"
        case .add: "add"
        case .remove: "remove"
        case .replace: "replace"
        case .input: "input"
        case .view: "view"
        case .run: "run"
        case .save: "save"
        case .load: "load"
        case .quiz: "quiz"
        case .task: "task"
        case .expect: "expect"
        case .experiment: "experiment"
        case .step: "step"
        }
    }

    /// The line a lesson screen shows for the action, in the learner's words; nil for actions shown by their effect alone.
    ///
    /// Saved-model names are the lesson file's own and never appear.
    public var learnerLine: String? {
        func layers(_ n: Int) -> String { n == 0 ? "no layers yet" : n == 1 ? "1 layer" : "\(n) layers" }
        switch self {
        case .model(_, let model, _):
            let input = model.inputShape.map { ", input \(ShapeFormat.tuple($0))" } ?? ""
            return "› a new model: \(layers(model.layers.count))\(input)"
        case .add(let codes, let before):
            return codes.map { "› add \($0.code)" + (before.map { " before \($0)" } ?? "") }.joined(separator: "\n")
        case .remove(let names): return names.map { "› remove \($0)" }.joined(separator: "\n")
        case .replace(let from, let through, let codes):
            return "› replace \(from)\(through.map { " through \($0)" } ?? "") with " + codes.map(\.code).joined(separator: ", ")
        case .input(let shape): return "› input \(ShapeFormat.tuple(shape))"
        case .view(let v, _):
            let names = ["builder": "the builder", "compare": "the compare screen", "feature-maps": "the feature maps",
                         "experiment": "the experiment screen", "summary": "the model summary"]
            return "› switch to \(names[v] ?? v)"
        case .run: return "› run the model"
        case .step(let layer, let at): return "› step by step: \(layer) at (\(at.map(String.init).joined(separator: ", ")))"
        case .load: return "› bring back the model from earlier"
        case .save, .quiz, .task, .expect, .experiment: return nil
        }
    }

    /// True for the actions that wait for the learner (quizzes and tasks).
    public var isInteractive: Bool {
        switch self {
        case .quiz, .task: true
        default: false
        }
    }
}

/// An assertion with the file line it was written on.
public struct LocatedAssertion: Sendable, Hashable {
    public var assertion: Assertion
    public var line: Int
    public init(_ assertion: Assertion, line: Int) {
        self.assertion = assertion
        self.line = line
    }
}
