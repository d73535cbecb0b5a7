import CNNCompute
import CNNModel
import Race

// MARK: - Feature maps

func featuresIfStale(_ state: inout AppState) -> [Effect] {
    if case .running = state.features.status { return [] }
    if state.features.modelOfResult == state.revision, state.features.result != nil { return [] }
    if case .failed = state.features.status, state.features.modelOfResult == state.revision { return [] }
    return startForward(&state)
}

func startForward(_ state: inout AppState) -> [Effect] {
    guard state.derived.summary != nil, let modelShape = state.model.inputShape else {
        state.features.status = .failed(state.derived.error?.description ?? "the model has no input")
        state.features.modelOfResult = state.revision
        return []
    }
    if let summary = state.derived.summary, let why = RunBudget.featureMapRefusal(summary) {
        state.features.status = .failed(why + "; try a smaller input (-) or a pooled head (h)")
        state.features.modelOfResult = state.revision
        return []
    }
    guard modelShape.count == 3 else {
        state.features.status = .failed("feature maps need an image input (height, width, channels); this input is \(ShapeFormat.tuple(modelShape))")
        state.features.modelOfResult = state.revision
        return []
    }
    let weights = state.features.shown == .trained ? state.features.trainedWeights(revision: state.revision) : nil
    let shape = weights?.inputShape ?? modelShape
    let source = state.features.image ?? weights?.sample ?? SampleImage.procedural()
    let image = source.fitted(width: shape[1], height: shape[0], channels: shape[2])
    var model = state.model
    model.inputShape = shape
    state.features.generation += 1
    state.features.status = .running(done: 0, total: state.model.layers.count)
    state.features.modelOfResult = state.revision
    return [.runForward(ForwardRequest(generation: state.features.generation, model: model, image: image, seed: 42, weights: weights))]
}

// MARK: - Trained weights

/// The settings of the feature maps' short training run.
let featureTraining = ModelTraining.Settings()

/// `w`: shows the trained weights, training them first when there are none for this model; again, the initial ones.
func toggleWeights(_ state: inout AppState) -> [Effect] {
    if state.features.shown == .trained, state.features.trainedWeights(revision: state.revision) != nil {
        state.features.shown = .initial
        return startForward(&state)
    }
    state.features.shown = .trained
    if state.features.trainedWeights(revision: state.revision) != nil { return startForward(&state) }
    return startTraining(&state)
}

/// Starts the short training run in the background, or says why the model can't train on the shapes.
func startTraining(_ state: inout AppState) -> [Effect] {
    if case .running = state.features.training { return [] }
    let plan: ModelTraining.Plan
    do {
        plan = try ModelTraining.plan(for: state.model)
    } catch {
        state.features.training = .failed("can't train on the synthetic shapes: " + error.message)
        state.message = StatusMessage("can't train on the synthetic shapes: " + error.message, kind: .error)
        state.features.shown = .initial
        return []
    }
    state.features.trainingGeneration += 1
    state.features.training = .running(step: 0, steps: featureTraining.steps, loss: .nan)
    return [.trainModel(TrainRequest(generation: state.features.trainingGeneration, model: state.model, plan: plan,
                                     settings: featureTraining, revision: state.revision))]
}

/// A message of the training run.
func trainingUpdate(_ state: inout AppState, generation: Int, _ event: TrainingEvent) -> [Effect] {
    guard generation == state.features.trainingGeneration else { return [] }
    switch event {
    case .progress(let step, let steps, let loss):
        state.features.training = .running(step: step, steps: steps, loss: loss)
    case .finished(.success(let weights)):
        state.features.training = .idle
        state.features.trained = weights
        state.message = StatusMessage(weights.details.isEmpty ? weights.origin : weights.details)
        if state.features.shown == .trained, weights.revision == state.revision { return startForward(&state) }
    case .finished(.failure(let e)):
        state.features.training = .failed(e.message)
        state.message = StatusMessage("training stopped: " + e.message, kind: .error)
        state.features.shown = .initial
    }
    return []
}
