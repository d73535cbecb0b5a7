import CNNModel

// MARK: - Input size

/// The sizes `+` and `-` step through.
let inputSizeSteps = [16, 28, 32, 48, 64, 96, 128, 160, 192, 224, 256, 299, 320, 384, 448, 512, 640, 768, 1024]

func inputText(_ state: AppState) -> String {
    (state.model.inputShape ?? []).map(String.init).joined(separator: ", ")
}

func stepInputSize(_ state: inout AppState, _ step: Int) {
    guard let shape = state.model.inputShape, shape.count >= 2 else { return }
    let current = shape[0]
    let next = step > 0 ? inputSizeSteps.first { $0 > current } : inputSizeSteps.last { $0 < current }
    guard let size = next else { return }
    setInputSize(&state, size)
}

func setInputSize(_ state: inout AppState, _ size: Int) {
    guard let shape = state.model.inputShape, size > 0 else { return }
    var newShape = shape
    for axis in 0..<max(1, shape.count - 1) { newShape[axis] = size }
    setInputShape(&state, newShape)
}

func setInputShape(_ state: inout AppState, _ shape: [Int]) {
    guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else {
        state.message = StatusMessage("an input shape needs positive sizes, such as 224, 224, 3", kind: .error)
        return
    }
    var m = state.model
    m.inputShape = shape
    state.commit(m)
    let summary = state.derived.summary
    let error = state.derived.error
    var total = ""
    if let summary { total = KerasFormat.grouped(summary.totalParams) + " params" }
    else if let error { total = error.reason }
    state.message = StatusMessage("input \(ShapeFormat.tuple(shape)) · \(total)", kind: error == nil ? .info : .error)
}

func setInputText(_ state: inout AppState, _ text: String) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if let n = Int(trimmed) { setInputSize(&state, n); return }
    do {
        setInputShape(&state, try KerasParser.parseInputShape(trimmed))
    } catch let e {
        state.message = StatusMessage(e.rendered(source: trimmed, fileName: nil), kind: .error)
    }
}
// MARK: - Heads and screens

func toggleHead(_ state: inout AppState) {
    guard let kind = HeadSwap.kind(of: state.model.layers) else {
        state.message = StatusMessage("no head yet: add Flatten() or GlobalAveragePooling2D() and Dense layers", kind: .error)
        return
    }
    setHead(&state, kind == .flatten ? .globalAverage : .flatten)
}

func setHead(_ state: inout AppState, _ kind: HeadKind) {
    guard let current = HeadSwap.kind(of: state.model.layers), let start = HeadSwap.headStart(state.model.layers) else {
        state.message = StatusMessage("no head yet: add Flatten() or GlobalAveragePooling2D() and Dense layers", kind: .error)
        return
    }
    guard current != kind else { return }
    var m = state.model
    let oldHead = Array(m.layers[start...])
    if let stashed = state.stashedHeads[kind] {
        m.layers = Array(m.layers[..<start]) + stashed
    } else if let swapped = HeadSwap.swapped(m.layers, to: kind, inputShape: m.inputShape) {
        m.layers = swapped
    }
    state.stashedHeads[current] = oldHead
    state.commit(m)
    state.selection = min(start + 1, state.rowCount - 1)
    var total = "—"
    if let summary = state.derived.summary { total = KerasFormat.grouped(summary.totalParams) }
    let name: String
    switch kind {
    case .flatten: name = "Flatten"
    case .globalAverage: name = "GlobalAveragePooling"
    case .globalMax: name = "GlobalMaxPooling"
    }
    state.message = StatusMessage("head: \(name) · total \(total) params · h switches back")
}
