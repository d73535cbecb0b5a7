import CNNModel
import Foundation

/// Applies one message to the state and returns the effects it asks for.
///
/// Pure apart from the state it changes: no terminal, no files, no threads.
/// Layout that update and view share (the table's scroll) is settled here,
/// once, so a click lands on the row the view drew there.
public func update(_ state: inout AppState, _ msg: Msg) -> [Effect] {
    let effects = apply(&state, msg)
    settleLayout(&state)
    return effects
}

/// Scrolls the table so the selected row is in view, for the table the view will draw.
func settleLayout(_ state: inout AppState) {
    state.tableScroll = Table.scroll(keeping: state.selection, current: state.tableScroll,
                                     visibleRows: BuilderLayout.tableRect(state).height - 1, rowCount: state.rowCount)
}

private func apply(_ state: inout AppState, _ msg: Msg) -> [Effect] {
    switch msg {
    case .key(let key): return handleKey(&state, key)
    case .paste(let text): return paste(&state, text)
    case .resize(let w, let h):
        state.width = max(0, w)
        state.height = max(0, h)
    case .tick:
        state.ticks &+= 1
    case .mouse(let event): handleMouse(&state, event)

    case .modelFileLoaded(let path, let result):
        switch result {
        case .success(let source):
            if loadSource(&state, source, fileName: path) { state.fileName = path }
        case .failure(let e): state.message = StatusMessage(e.message, kind: .error)
        }
    case .imageLoaded(_, let result):
        switch result {
        case .success(let image):
            state.features.image = image
            state.message = StatusMessage("image \(image.name): \(image.width)×\(image.height)×\(image.channels)")
            return startForward(&state)
        case .failure(let e): state.message = StatusMessage(e.message, kind: .error)
        }
    case .forwardProgress(let g, let done, let total):
        if g == state.features.generation { state.features.status = .running(done: done, total: total) }
    case .experiment(let m): return updateExperiment(&state, m)
    case .forwardFinished(let g, let result):
        guard g == state.features.generation else { break }
        switch result {
        case .success(let r):
            state.features.result = r
            state.features.status = .finished
            state.features.modelOfResult = state.revision
            state.features.selected = min(state.features.selected, max(0, r.outputs.count - 1))
        case .failure(let e):
            state.features.status = .failed(e.message)
        }

    case .setSource(let source): _ = loadSource(&state, source, fileName: nil)
    case .setModel(let model):
        var m = model
        if m.inputShape == nil { m.inputShape = state.model.inputShape }
        state.commit(m)
    case .addLayer(let text, let index): addLayer(&state, text, at: index)
    case .removeLayer(let i): removeLayer(&state, i)
    case .replaceLayer(let i, let text): replaceLayer(&state, i, text)
    case .moveLayer(let from, let to): moveLayer(&state, from: from, to: to)
    case .setInputSize(let s): setInputSize(&state, s)
    case .setInputShape(let shape): setInputShape(&state, shape)
    case .setHead(let kind): setHead(&state, kind)
    case .show(let screen): show(&state, screen)
    case .setHelp(let on): state.showHelp = on; state.helpScroll = 0
    case .select(let row): state.selection = max(0, min(row, state.rowCount - 1))
    case .setDetail(let on): state.showDetail = on
    case .runFeatureMaps: return startForward(&state)
    case .setImage(let image):
        state.features.image = image
        return state.screen == .featureMaps ? startForward(&state) : []
    case .type(let text):
        if state.prompt == nil { openPrompt(&state, .command, text: "") }
        return editorOutcome(&state, state.editor.insert(text))
    case .setLesson(let pane):
        state.lesson = pane
        if pane != nil, state.screen != .lesson { show(&state, .lesson) }
    case .setCapabilities(let caps): state.caps = caps
    case .undo: undo(&state)
    case .redo: redo(&state)
    case .quit: return quit(&state, 0)
    }
    return []
}

// MARK: - Keys

private func handleKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    if key == .ctrl("c") && state.prompt == nil { return quit(&state, 130) }
    if state.prompt != nil { return promptKey(&state, key) }
    if state.showHelp {
        switch key {
        case .down, .char("j"): state.helpScroll += 1
        case .up, .char("k"): state.helpScroll = max(0, state.helpScroll - 1)
        case .char("q"): return quit(&state, 0)
        default: state.showHelp = false
        }
        return []
    }
    state.completions = []
    guard let action = KeyMap.action(for: key, on: state.screen) else {
        return state.screen == .experiment ? experimentKey(&state, key) : []
    }
    return perform(&state, action)
}

/// Carries out what a key of the key map asks for.
private func perform(_ state: inout AppState, _ action: AppAction) -> [Effect] {
    switch action {
    case .quit: return quit(&state, 0)
    case .help: state.showHelp = true; state.helpScroll = 0
    case .show(let screen):
        show(&state, screen)
        if screen == .featureMaps { return featuresIfStale(&state) }
    case .command: openPrompt(&state, .command, text: "")
    case .inputUp, .inputDown:
        stepInputSize(&state, action == .inputUp ? 1 : -1)
        return state.screen == .featureMaps ? featuresIfStale(&state) : []
    case .inputPrompt: openPrompt(&state, .input, text: inputText(state))
    case .toggleHead: toggleHead(&state)
    case .undo: undo(&state)
    case .redo: redo(&state)
    case .escape:
        if state.screen != .builder && state.screen != .lesson { show(&state, .builder) }
        else { state.showDetail = false }
        state.message = nil
    case .up, .down, .pageUp, .pageDown:
        if state.screen == .featureMaps {
            let count = state.features.result?.outputs.count ?? 0
            state.features.selected = action == .up ? max(-1, state.features.selected - 1) : min(count - 1, state.features.selected + 1)
            state.features.channelOffset = 0
        } else {
            moveSelection(&state, action == .up ? -1 : action == .down ? 1 : action == .pageUp ? -10 : 10)
        }
    case .top: state.selection = 0
    case .bottom: state.selection = state.rowCount - 1
    case .add: openPrompt(&state, .add, text: "")
    case .edit:
        if let i = state.selectedLayer { openPrompt(&state, .edit(i), text: state.model.layers[i].kerasCode) }
        else { openPrompt(&state, .input, text: inputText(state)) }
    case .detail: state.showDetail.toggle()
    case .delete: if let i = state.selectedLayer { removeLayer(&state, i) }
    case .duplicate:
        if let i = state.selectedLayer {
            var m = state.model
            var copy = m.layers[i]
            copy.name = nil
            copy.location = nil
            m.layers.insert(copy, at: i + 1)
            state.commit(m)
            state.selection = i + 2
            state.message = StatusMessage("duplicated \(copy.typeName)")
        }
    case .moveUp: if let i = state.selectedLayer { moveLayer(&state, from: i, to: i - 1) }
    case .moveDown: if let i = state.selectedLayer { moveLayer(&state, from: i, to: i + 1) }
    case .togglePooling:
        state.comparePooling = state.comparePooling == .globalAverage ? .globalMax : .globalAverage
        state.rederive()
    case .run: return startForward(&state)
    case .nextChannel: state.features.channelOffset += 1
    case .previousChannel: state.features.channelOffset = max(0, state.features.channelOffset - 1)
    case .openImage: openPrompt(&state, .command, text: "image ")
    }
    return []
}

private func handleMouse(_ state: inout AppState, _ event: MouseEvent) {
    guard !state.showHelp, state.prompt == nil else { return }
    switch event {
    case .wheelUp: moveSelection(&state, -1)
    case .wheelDown: moveSelection(&state, 1)
    case .click(let x, 0):
        if let tab = titleTabs(state).first(where: { $0.columns.contains(x) }) { show(&state, tab.screen) }
    case .click(_, let y):
        guard state.screen == .builder || state.screen == .lesson else { return }
        // Rows start under the table's header.
        let row = y - BuilderLayout.tableRect(state).y - 1 + state.tableScroll
        if row >= 0, row < state.rowCount { state.selection = row }
    }
}

private func moveSelection(_ state: inout AppState, _ step: Int) {
    state.selection = max(0, min(state.rowCount - 1, state.selection + step))
}

// MARK: - The command line

private func openPrompt(_ state: inout AppState, _ prompt: Prompt, text: String) {
    state.prompt = prompt
    state.editor.set(text)
    state.editor.pending = []
    state.completions = []
}

private func promptKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    if key == .tab {
        let r = Completion.complete(state.editor.string, cursor: state.editor.cursor)
        state.editor.set(r.text)
        state.editor.cursor = r.cursor
        state.completions = r.candidates
        return []
    }
    return editorOutcome(&state, state.editor.handle(key))
}

private func editorOutcome(_ state: inout AppState, _ outcome: LineEditor.Outcome) -> [Effect] {
    switch outcome {
    case .edited, .ignored: return []
    case .cancelled:
        state.prompt = nil
        state.completions = []
        return []
    case .submitted(let text):
        state.completions = []
        let prompt = state.prompt ?? .command
        if prompt != .add { state.prompt = nil }
        let effects = submit(&state, text, prompt: prompt)
        if case .error = state.message?.kind, prompt != .command || !text.contains("\n") {
            // Keep the prompt and the text so the learner can fix it.
            state.prompt = prompt
            state.editor.set(text.replacingOccurrences(of: "\n", with: " "))
        }
        return effects
    }
}

/// A paste: one line goes into the command line; several lines (a pasted
/// `keras.Sequential` block) are submitted whole, whatever their brackets.
private func paste(_ state: inout AppState, _ text: String) -> [Effect] {
    guard text.contains("\n") || text.contains("\r") else {
        if state.prompt == nil { openPrompt(&state, .command, text: "") }
        return editorOutcome(&state, state.editor.insert(text))
    }
    let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    let prompt = state.prompt ?? .command
    switch prompt {
    case .edit, .input:
        return editorOutcome(&state, state.editor.insert(normalized.replacingOccurrences(of: "\n", with: " ")))
    case .add, .command:
        let whole = (state.editor.pending + [state.editor.string + normalized]).joined(separator: "\n")
        state.editor.pending = []
        state.editor.set("")
        state.prompt = prompt == .add ? .add : nil
        return submit(&state, whole, prompt: prompt)
    }
}

/// Carries out one submitted line.
private func submit(_ state: inout AppState, _ raw: String, prompt: Prompt) -> [Effect] {
    let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
    if text.isEmpty {
        if prompt == .add { state.prompt = nil }
        return []
    }
    switch prompt {
    case .edit(let i):
        replaceLayer(&state, i, text)
        return []
    case .input:
        setInputText(&state, text)
        return []
    case .add, .command:
        if prompt == .command, let effects = command(&state, text) { return effects }
        if looksLikeModel(text) {
            _ = loadSource(&state, text, fileName: nil)
        } else if text.hasPrefix("Input(") || text.contains(".Input(") {
            setInputText(&state, text)
        } else {
            addLayer(&state, text, at: nil)
        }
        return []
    }
}

/// A command word such as `input 128`; nil when the text is not a command.
private func command(_ state: inout AppState, _ text: String) -> [Effect]? {
    let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
    let word = parts[0].lowercased()
    let arg = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
    switch word {
    case "input", "size":
        setInputText(&state, arg)
    case "head":
        guard let kind = HeadKind(word: arg) else {
            state.message = StatusMessage("head takes flatten, gap or max", kind: .error)
            return []
        }
        setHead(&state, kind)
    case "open", "load":
        guard !arg.isEmpty else { state.message = StatusMessage("open takes a file name: open model.py", kind: .error); return [] }
        return [.loadModelFile(path: arg)]
    case "image":
        guard !arg.isEmpty else { state.message = StatusMessage("image takes a PGM or PPM file: image photo.ppm", kind: .error); return [] }
        return [.loadImage(path: arg)]
    case "add":
        guard !arg.isEmpty else { state.message = StatusMessage("add takes a layer: add Dense(10)", kind: .error); return [] }
        addLayer(&state, arg, at: nil)
    case "remove", "delete", "rm":
        guard let i = layerIndex(&state, named: arg) else { return [] }
        removeLayer(&state, i)
    case "replace":
        let words = arg.split(separator: " ", maxSplits: 1).map(String.init)
        guard words.count == 2 else {
            state.message = StatusMessage("replace takes a layer name and a layer: replace flatten GlobalAveragePooling2D()", kind: .error)
            return []
        }
        guard let i = layerIndex(&state, named: words[0]) else { return [] }
        replaceLayer(&state, i, words[1])
    case "run", "forward": show(&state, .featureMaps); return startForward(&state)
    case "new", "clear":
        state.commit(Model(inputShape: state.model.inputShape))
        state.selection = 0
    case "undo": undo(&state)
    case "redo": redo(&state)
    case "help": state.showHelp = true
    case "builder": show(&state, .builder)
    case "compare": show(&state, .compare)
    case "features", "maps": show(&state, .featureMaps); return featuresIfStale(&state)
    case "quit", "q", "exit": return quit(&state, 0)
    default: return nil
    }
    return []
}

/// The index of the layer with a Keras name (`dense_1`), or nil and an error naming the layers there are.
private func layerIndex(_ state: inout AppState, named name: String) -> Int? {
    let names = state.model.layerNames
    if let i = names.firstIndex(of: name) { return i }
    state.message = StatusMessage("there is no layer '\(name)'; the layers are " + names.joined(separator: ", "), kind: .error)
    return nil
}

private func looksLikeModel(_ text: String) -> Bool {
    text.contains("Sequential") || text.contains(".add(") || text.contains("\n")
}

// MARK: - Model edits

/// Replaces the model with parsed source; false (and an error message) when it doesn't parse.
@discardableResult
private func loadSource(_ state: inout AppState, _ source: String, fileName: String?) -> Bool {
    do {
        var m = try KerasParser.parse(source)
        if m.inputShape == nil { m.inputShape = state.model.inputShape }
        state.commit(m)
        state.selection = min(state.selection, state.rowCount - 1)
        state.stashedHeads = [:]
        state.message = StatusMessage("loaded \(m.layers.count) layers" + (fileName.map { " from \($0)" } ?? ""))
        return true
    } catch let e {
        state.message = StatusMessage(e.rendered(source: source, fileName: fileName), kind: .error)
        return false
    }
}

private func parseLayer(_ state: inout AppState, _ text: String) -> LayerSpec? {
    do {
        return try KerasParser.parseLayer(text)
    } catch let e {
        state.message = StatusMessage(e.rendered(source: text, fileName: nil), kind: .error)
        return nil
    }
}

private func addLayer(_ state: inout AppState, _ text: String, at index: Int?) {
    guard var spec = parseLayer(&state, text) else { return }
    spec.location = nil
    let i = max(0, min(index ?? state.selection, state.model.layers.count))
    var m = state.model
    m.layers.insert(spec, at: i)
    state.commit(m)
    state.selection = i + 1
    state.message = StatusMessage(addedMessage(state, i))
}

private func addedMessage(_ state: AppState, _ i: Int) -> String {
    guard let row = state.derived.summary?.layers[safe: i] else {
        return "added \(state.model.layers[i].typeName)" + (state.derived.error.map { " · \($0.reason)" } ?? "")
    }
    return "added \(row.name): output \(ShapeFormat.tuple(row.outputShape)), \(KerasFormat.grouped(row.params)) params"
}

private func removeLayer(_ state: inout AppState, _ i: Int) {
    guard state.model.layers.indices.contains(i) else {
        state.message = StatusMessage("there is no layer \(i)", kind: .error)
        return
    }
    var m = state.model
    let removed = m.layers.remove(at: i)
    state.commit(m)
    state.selection = min(i + 1, state.rowCount - 1)
    state.message = StatusMessage("deleted \(removed.typeName) · u undoes")
}

private func replaceLayer(_ state: inout AppState, _ i: Int, _ text: String) {
    guard state.model.layers.indices.contains(i) else {
        state.message = StatusMessage("there is no layer \(i)", kind: .error)
        return
    }
    guard var spec = parseLayer(&state, text) else { return }
    spec.location = nil
    var m = state.model
    m.layers[i] = spec
    state.commit(m)
    state.selection = i + 1
    state.message = StatusMessage(addedMessage(state, i).replacingOccurrences(of: "added", with: "changed"))
}

private func moveLayer(_ state: inout AppState, from: Int, to: Int) {
    guard state.model.layers.indices.contains(from), state.model.layers.indices.contains(to) else { return }
    var m = state.model
    let layer = m.layers.remove(at: from)
    m.layers.insert(layer, at: to)
    state.commit(m)
    state.selection = to + 1
}

private func undo(_ state: inout AppState) {
    guard let previous = state.undoStack.popLast() else {
        state.message = StatusMessage("nothing to undo")
        return
    }
    state.redoStack.append(state.model)
    state.model = previous
    state.revision += 1
    state.rederive()
    state.message = StatusMessage("undone")
}

private func redo(_ state: inout AppState) {
    guard let next = state.redoStack.popLast() else {
        state.message = StatusMessage("nothing to redo")
        return
    }
    state.undoStack.append(state.model)
    state.model = next
    state.revision += 1
    state.rederive()
    state.message = StatusMessage("redone")
}

// MARK: - Input size

/// The sizes `+` and `-` step through.
public let inputSizeSteps = [16, 28, 32, 48, 64, 96, 128, 160, 192, 224, 256, 299, 320, 384, 448, 512, 640, 768, 1024]

private func inputText(_ state: AppState) -> String {
    (state.model.inputShape ?? []).map(String.init).joined(separator: ", ")
}

private func stepInputSize(_ state: inout AppState, _ step: Int) {
    guard let shape = state.model.inputShape, shape.count >= 2 else { return }
    let current = shape[0]
    let next = step > 0 ? inputSizeSteps.first { $0 > current } : inputSizeSteps.last { $0 < current }
    guard let size = next else { return }
    setInputSize(&state, size)
}

private func setInputSize(_ state: inout AppState, _ size: Int) {
    guard let shape = state.model.inputShape, size > 0 else { return }
    var newShape = shape
    for axis in 0..<max(1, shape.count - 1) { newShape[axis] = size }
    setInputShape(&state, newShape)
}

private func setInputShape(_ state: inout AppState, _ shape: [Int]) {
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

private func setInputText(_ state: inout AppState, _ text: String) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    if let n = Int(trimmed) { setInputSize(&state, n); return }
    do {
        setInputShape(&state, try KerasParser.parseInputShape(trimmed))
    } catch let e {
        state.message = StatusMessage(e.rendered(source: trimmed, fileName: nil), kind: .error)
    }
}

// MARK: - Heads and screens

private func toggleHead(_ state: inout AppState) {
    guard let kind = HeadSwap.kind(of: state.model.layers) else {
        state.message = StatusMessage("no head yet: add Flatten() or GlobalAveragePooling2D() and Dense layers", kind: .error)
        return
    }
    setHead(&state, kind == .flatten ? .globalAverage : .flatten)
}

private func setHead(_ state: inout AppState, _ kind: HeadKind) {
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

private func show(_ state: inout AppState, _ screen: Screen) {
    state.screen = screen
    state.showHelp = false
    state.rederive()
}

private func quit(_ state: inout AppState, _ code: Int32) -> [Effect] {
    state.exitCode = code
    return [.quit(code)]
}

// MARK: - Feature maps

private func featuresIfStale(_ state: inout AppState) -> [Effect] {
    if case .running = state.features.status { return [] }
    if state.features.modelOfResult == state.revision, state.features.result != nil { return [] }
    if case .failed = state.features.status, state.features.modelOfResult == state.revision { return [] }
    return startForward(&state)
}

/// The largest model the feature-maps screen runs: its weights and outputs must fit in memory comfortably.
let featureMapParameterLimit = 50_000_000
let featureMapActivationLimit = 1 << 30

private func startForward(_ state: inout AppState) -> [Effect] {
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

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
