import CNNModel

// MARK: - Step by step

/// `s` on the feature maps: opens the step-by-step view on the selected layer's first cell.
func openStep(_ state: inout AppState) {
    guard let result = state.features.result else {
        state.message = StatusMessage("run the model first (r); then s shows how one value is computed", kind: .error)
        return
    }
    let i = state.features.selected
    guard let output = result.outputs[safe: i], StepKind(output.spec) != nil, result.input(of: i).isMap2D else {
        state.message = StatusMessage("step by step explains \(StepKind.explained); select one of them with ↑↓", kind: .error)
        return
    }
    state.features.step = StepState(output: i)
    state.message = nil
}

/// Opens the step-by-step view on a layer (by its index in the outputs) and a cell, for scripts and lessons.
func showStep(_ state: inout AppState, _ step: StepState?) {
    guard var step else { state.features.step = nil; return }
    if state.screen != .featureMaps { show(&state, .featureMaps) }
    state.features.selected = step.output
    guard let result = state.features.result, result.outputs.indices.contains(step.output) else {
        state.features.step = step
        return
    }
    clamp(&step, result)
    state.features.step = step
}

func stepKey(_ state: inout AppState, _ action: StepAction) -> [Effect] {
    guard var step = state.features.step, let result = state.features.result else { return [] }
    switch action {
    case .up: step.row -= 1
    case .down: step.row += 1
    case .left: step.col -= 1
    case .right: step.col += 1
    case .nextChannel: step.channel += 1
    case .previousChannel: step.channel -= 1
    case .nextInputChannel: step.inputChannel += 1
    case .close:
        state.features.step = nil
        return []
    }
    if case .globalAverage? = StepKind(result.outputs[safe: step.output]?.spec) {
        // One number per channel: the arrows walk along the pooled vector.
        if action == .left || action == .up { step.channel -= 1 }
        if action == .right || action == .down { step.channel += 1 }
    }
    let wrapsInput = action == .nextInputChannel
    clamp(&step, result, wrapInputChannel: wrapsInput)
    state.features.step = step
    return []
}

/// Keeps the cell inside the map it explains.
func clamp(_ step: inout StepState, _ result: FeatureMapsResult, wrapInputChannel: Bool = false) {
    guard let output = result.outputs[safe: step.output] else { return }
    let input = result.input(of: step.output)
    let grid: [Int]
    switch StepKind(output.spec) {
    case .flatten?, .globalAverage?: grid = input.shape
    default: grid = output.shape
    }
    guard grid.count == 3 else { return }
    step.row = max(0, min(grid[0] - 1, step.row))
    step.col = max(0, min(grid[1] - 1, step.col))
    step.channel = max(0, min(grid[2] - 1, step.channel))
    let cin = input.shape.last ?? 1
    step.inputChannel = wrapInputChannel ? step.inputChannel % max(1, cin) : max(0, min(cin - 1, step.inputChannel))
}
