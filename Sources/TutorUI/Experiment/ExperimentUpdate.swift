import CNNCompute

// MARK: - Messages

/// Applies an experiment message to the state; returns the worker's effects.
func updateExperiment(_ state: inout AppState, _ msg: ExperimentMsg) -> [Effect] {
    var e = state.experiment
    defer { state.experiment = e }
    switch msg {
    case .start(let configuration):
        var effects: [Effect] = []
        if e.status.isActive { effects.append(.experiment(.cancel(generation: e.generation))) }
        if let configuration { e.configuration = configuration }
        do {
            try e.configuration.validate()
        } catch {
            e.status = .failed(error.message)
            return effects
        }
        e.generation += 1
        e.status = .running
        e.running = e.configuration
        e.progress = nil
        e.result = nil
        e.page = .curves
        e.notesScroll = 0
        effects.append(.experiment(.start(generation: e.generation, e.configuration)))
        return effects
    case .togglePause:
        switch e.status {
        case .running:
            e.status = .paused
            return [.experiment(.pause(generation: e.generation))]
        case .paused:
            e.status = .running
            return [.experiment(.resume(generation: e.generation))]
        default: return []
        }
    case .cancel:
        guard e.status.isActive else { return [] }
        e.status = .cancelled
        return [.experiment(.cancel(generation: e.generation))]
    case .setPage(let page):
        e.page = page
    case .scrollNotes(let lines):
        e.notesScroll = max(0, min(40, e.notesScroll + lines))
    case .progress(let g, let progress):
        guard g == e.generation else { return [] }
        e.progress = progress
    case .finished(let g, let result):
        guard g == e.generation else { return [] }
        e.result = result
        if var p = e.progress {
            p.phase = result.cancelled ? .cancelled : .finished
            e.progress = p
        }
        e.status = result.cancelled ? .cancelled : .finished
        if !result.cancelled { e.page = .results }
    case .failed(let g, let message):
        guard g == e.generation else { return [] }
        e.status = .failed(message)
    case .saveWeights(let folder):
        guard e.status == .finished, e.result?.divergence == nil else {
            state.message = StatusMessage("finish a race first: its trained weights are what w saves", kind: .error)
            return []
        }
        return [.experiment(.saveWeights(generation: e.generation, folder: folder))]
    case .saved(let g, let files):
        guard g == e.generation else { return [] }
        state.message = StatusMessage("saved " + files.joined(separator: ", "))
    case .saveFailed(let g, let message):
        guard g == e.generation else { return [] }
        state.message = StatusMessage(message, kind: .error)
    }
    return []
}

// MARK: - Keys

/// What the experiment screen's keys do (bound in ``KeyMap/experiment``).
enum ExperimentAction: Sendable, Hashable {
    case start, pause, cancel, nextPage, previousPage, scrollDown, scrollUp
    // The settings of the next run (``ExperimentSettings``)
    case learningRateDown, learningRateUp, batchDown, batchUp, epochsDown, epochsUp, optimizer, momentum, gapDown, gapUp
    case saveWeights
}

/// Carries out a key of the experiment screen.
func experimentKey(_ state: inout AppState, _ action: ExperimentAction, key: Key) -> [Effect] {
    let pages = ExperimentState.Page.allCases
    let page = state.experiment.page.rawValue
    switch action {
    case .start:
        if state.experiment.status == .running, key == .enter { return [] }
        return updateExperiment(&state, .start(nil))
    case .pause: return updateExperiment(&state, .togglePause)
    case .cancel: return updateExperiment(&state, .cancel)
    case .nextPage: return updateExperiment(&state, .setPage(pages[(page + 1) % pages.count]))
    case .previousPage: return updateExperiment(&state, .setPage(pages[(page + pages.count - 1) % pages.count]))
    case .scrollDown: return updateExperiment(&state, .scrollNotes(1))
    case .scrollUp: return updateExperiment(&state, .scrollNotes(-1))
    case .saveWeights: return updateExperiment(&state, .saveWeights(ExperimentSettings.weightsFolder))
    default:
        ExperimentSettings.apply(action, to: &state.experiment.configuration)
        return []
    }
}
