import CNNCompute
import Race
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

    /// The current model, or a saved one.
    public func model(saved name: String?) throws(LessonExpressionError) -> Model {
        guard let name else { return model }
        guard let m = saved[name] else {
            let known = saved.keys.sorted().map { "@" + $0 }.joined(separator: ", ")
            throw LessonExpressionError("no saved model '@\(name)'\(known.isEmpty ? "; save one with a 'save' block" : "; saved: \(known)")")
        }
        return m
    }

    /// The summary of the current model, or of a saved one.
    public func summary(saved name: String? = nil) throws(LessonExpressionError) -> ModelSummary {
        let target = try model(saved: name)
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
        case .step:
            view = "feature-maps"
            viewArgs = []
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

// MARK: - The compare screen

extension LessonState {
    /// The lesson's own Flatten model for the compare screen, named by ```` ```view compare NAME ````.
    ///
    /// When the model in the builder ends in global pooling, the compare screen
    /// puts this model's head (from its `Flatten` on) on the builder's backbone,
    /// so its numbers are the ones the lesson's prose states. Nil when the view
    /// names no model (the screen then derives a Flatten head itself).
    public var compareFlatten: Model? {
        guard view == "compare", let name = viewArgs.first else { return nil }
        return saved[name]
    }

    /// The two models the compare screen shows at this point: Flatten head, then pooled head.
    ///
    /// Throws when the view names a model it can't use, or the current model has no head to compare.
    func comparison() throws(LessonExpressionError) -> (flatten: Model, pooled: Model) {
        func headStart(_ m: Model) -> Int? {
            m.layers.firstIndex { if case .flatten = $0.kind { true } else if case .globalPool = $0.kind { true } else { false } }
        }
        guard let start = headStart(model) else {
            throw LessonExpressionError("the model has no head to compare; end it in Flatten() or global pooling first")
        }
        guard let name = viewArgs.first else { return (model, model) }
        guard viewArgs.count == 1 else { throw LessonExpressionError("write '```view compare' or '```view compare FLATTEN_MODEL'") }
        guard let reference = saved[name] else {
            throw LessonExpressionError("no saved model '@\(name)'; save the Flatten model first")
        }
        guard let refStart = headStart(reference), case .flatten = reference.layers[refStart].kind else {
            throw LessonExpressionError("'@\(name)' has no Flatten head to compare with")
        }
        if case .flatten = model.layers[start].kind {
            throw LessonExpressionError("the model already has a Flatten head; name a Flatten model only when the builder's model pools")
        }
        func placeless(_ layers: ArraySlice<LayerSpec>) -> [LayerSpec] { layers.map { var l = $0; l.location = nil; return l } }
        guard placeless(reference.layers[..<refStart]) == placeless(model.layers[..<start]) else {
            throw LessonExpressionError("'@\(name)' has other layers before its head than the model in the builder; the screen compares heads on one backbone")
        }
        var flatten = model
        flatten.layers = Array(model.layers[..<start]) + Array(reference.layers[refStart...])
        return (flatten, model)
    }
}
