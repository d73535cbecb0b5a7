import CNNCompute
import CNNModel

/// The model state a lesson acts on: the model, saved copies, the current view.
public struct LessonState: Sendable, Hashable {
    public var model: Model
    /// Copies kept by `save NAME` or a named `model` block, read as `@NAME` in expressions.
    public var saved: [String: Model]
    public var view: String
    public var viewArgs: [String]
    /// How many `run` actions asked for a forward pass.
    public var runRequests: Int
    /// The seeded experiment run that `experiment …` queries read, set by an ```` ```experiment ```` block.
    public var experiment: ExperimentConfiguration?

    public init(model: Model = Model(), saved: [String: Model] = [:], view: String = "builder",
                viewArgs: [String] = [], runRequests: Int = 0, experiment: ExperimentConfiguration? = nil) {
        self.model = model
        self.saved = saved
        self.view = view
        self.viewArgs = viewArgs
        self.runRequests = runRequests
        self.experiment = experiment
    }

    /// The summary of the current model, or of a saved one.
    public func summary(saved name: String? = nil) throws(LessonExpressionError) -> ModelSummary {
        let target: Model
        if let name {
            guard let m = saved[name] else {
                let known = saved.keys.sorted().map { "@" + $0 }.joined(separator: ", ")
                throw LessonExpressionError("no saved model '@\(name)'\(known.isEmpty ? "; save one with a 'save' block" : "; saved: \(known)")")
            }
            target = m
        } else {
            target = model
        }
        do {
            return try target.summary()
        } catch {
            throw LessonExpressionError("the model can't be built: \(error.description)")
        }
    }

    /// Carries out an action. Quizzes, tasks and expectations change nothing here.
    public mutating func apply(_ action: ActionKind) throws(LessonExpressionError) {
        switch action {
        case .model(_, let m, let name):
            model = m
            if let name { saved[name] = m }
        case .add(let layers, let before):
            var at = model.layers.count
            if let before { at = try index(of: before) }
            model.layers.insert(contentsOf: layers.map(\.spec), at: at)
        case .remove(let names):
            for name in names {
                model.layers.remove(at: try index(of: name))
            }
        case .replace(let from, let through, let layers):
            let start = try index(of: from)
            let end = try through.map { name throws(LessonExpressionError) in try index(of: name) } ?? start
            guard end >= start else {
                throw LessonExpressionError("'\(through ?? from)' comes before '\(from)'; replace runs from the first to the last")
            }
            model.layers.replaceSubrange(start...end, with: layers.map(\.spec))
        case .input(let shape):
            model.inputShape = shape
        case .view(let name, let args):
            view = name
            viewArgs = args
        case .run:
            runRequests += 1
        case .save(let name):
            saved[name] = model
        case .load(let name):
            guard let m = saved[name] else { throw LessonExpressionError("no saved model '\(name)' to load") }
            model = m
        case .experiment(let configuration):
            experiment = configuration
        case .quiz, .task, .expect:
            break
        }
    }

    /// The position of a layer by its Keras name.
    func index(of name: String) throws(LessonExpressionError) -> Int {
        let names = model.layerNames
        if let i = names.firstIndex(of: name) { return i }
        throw LessonExpressionError("no layer named '\(name)'; the model has: \(names.isEmpty ? "no layers" : names.joined(separator: ", "))")
    }
}
