import CNNModel

// MARK: - Feature maps

func featuresIfStale(_ state: inout AppState) -> [Effect] {
    if case .running = state.features.status { return [] }
    if state.features.modelOfResult == state.revision, state.features.result != nil { return [] }
    if case .failed = state.features.status, state.features.modelOfResult == state.revision { return [] }
    return startForward(&state)
}

/// The largest model the feature-maps screen runs: its weights and outputs must fit in memory comfortably.
let featureMapParameterLimit = 50_000_000
let featureMapActivationLimit = 1 << 30

func startForward(_ state: inout AppState) -> [Effect] {
    guard state.derived.summary != nil, let shape = state.model.inputShape else {
        state.features.status = .failed(state.derived.error?.description ?? "the model has no input")
        state.features.modelOfResult = state.revision
        return []
    }
    if let summary = state.derived.summary,
       summary.totalParams > featureMapParameterLimit || summary.totalActivationBytes > featureMapActivationLimit {
        state.features.status = .failed("too big to run here: \(KerasFormat.grouped(summary.totalParams)) params and "
            + "\(KerasFormat.bytes(summary.totalActivationBytes)) of outputs; try a smaller input (-) or a pooled head (h)")
        state.features.modelOfResult = state.revision
        return []
    }
    guard shape.count == 3 else {
        state.features.status = .failed("feature maps need an image input (height, width, channels); this input is \(ShapeFormat.tuple(shape))")
        state.features.modelOfResult = state.revision
        return []
    }
    let source = state.features.image ?? SampleImage.procedural()
    let image = source.fitted(width: shape[1], height: shape[0], channels: shape[2])
    state.features.generation += 1
    state.features.status = .running(done: 0, total: state.model.layers.count)
    state.features.modelOfResult = state.revision
    return [.runForward(ForwardRequest(generation: state.features.generation, model: state.model, image: image, seed: 42))]
}
