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

func apply(_ state: inout AppState, _ msg: Msg) -> [Effect] {
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
            if loadSource(&state, source, fileName: path) {
                state.fileName = path
                state.savedRevision = state.revision
            }
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
    case .training(let g, let event): return trainingUpdate(&state, generation: g, event)
    case .fileWritten(let path, let result): return fileWritten(&state, path: path, result)
    case .forwardFinished(let g, let result):
        guard g == state.features.generation else { break }
        switch result {
        case .success(let r):
            state.features.result = r
            state.features.status = .finished
            state.features.modelOfResult = state.revision
            state.features.selected = min(state.features.selected, max(0, r.outputs.count - 1))
            if var step = state.features.step {
                if StepKind(r.outputs[safe: step.output]?.spec) == nil { state.features.step = nil }
                else { clamp(&step, r); state.features.step = step }
            }
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
    case .showStep(let step): showStep(&state, step)
    case .setWeights(var weights):
        weights.revision = state.revision
        state.features.trained = weights
        state.features.shown = .trained
        return state.screen == .featureMaps ? startForward(&state) : []
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
    case .warn(let text): state.message = StatusMessage(text, kind: .error)
    case .undo: undo(&state)
    case .redo: redo(&state)
    case .quit: return quit(&state, 0)
    }
    return []
}
// MARK: - Keys

func handleKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    if state.confirmingQuit { return confirmQuitKey(&state, key) }
    if key == .ctrl("c") && state.prompt == nil { return quit(&state, 130) }
    if state.prompt != nil { return promptKey(&state, key) }
    if state.showHelp {
        switch key {
        case .down, .char("j"): state.helpScroll += 1
        case .up, .char("k"): state.helpScroll = max(0, state.helpScroll - 1)
        case .char("q"): state.showHelp = false; return askBeforeQuitting(&state)
        default: state.showHelp = false
        }
        return []
    }
    state.completions = []
    if state.screen == .experiment, let action = KeyMap.experiment.action(for: key) {
        return experimentKey(&state, action, key: key)
    }
    if state.screen == .featureMaps, state.features.step != nil {
        if let action = KeyMap.stepByStep.action(for: key) { return stepKey(&state, action) }
        if key == .escape { state.features.step = nil; return [] }
    }
    guard let action = KeyMap.action(for: key, on: state.screen) else { return [] }
    return perform(&state, action)
}

/// Carries out what a key of the key map asks for.
func perform(_ state: inout AppState, _ action: AppAction) -> [Effect] {
    switch action {
    case .quit: return askBeforeQuitting(&state)
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
            let top = state.features.result?.firstConv == nil ? -1 : FeatureMapsState.kernelsRow
            state.features.selected = action == .up ? max(top, state.features.selected - 1) : min(count - 1, state.features.selected + 1)
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
        if let i = state.selectedLayer, !refusesGraphEdit(&state, "duplicating") {
            var m = state.model
            var copy = m.layers[i]
            copy.name = nil
            copy.location = nil
            m.layers.insert(copy, at: i + 1)
            state.commit(m)
            state.selection = i + 2
            state.message = StatusMessage("duplicated \(copy.typeName)")
        }
    case .freeze:
        if let i = state.selectedLayer {
            var m = state.model
            m.layers[i].trainable.toggle()
            state.commit(m)
            state.message = StatusMessage("\(m.layerNames[i]) is \(m.layers[i].trainable ? "trainable again" : "frozen: trainable=False")")
        }
    case .moveUp: if let i = state.selectedLayer { moveLayer(&state, from: i, to: i - 1) }
    case .moveDown: if let i = state.selectedLayer { moveLayer(&state, from: i, to: i + 1) }
    case .togglePooling:
        state.comparePooling = state.comparePooling == .globalAverage ? .globalMax : .globalAverage
        state.rederive()
    case .run: return startForward(&state)
    case .toggleWeights: return toggleWeights(&state)
    case .saveWeights: openPrompt(&state, .command, text: "w weights.safetensors")
    case .stepByStep: openStep(&state)
    case .nextChannel: state.features.channelOffset += 1
    case .previousChannel: state.features.channelOffset = max(0, state.features.channelOffset - 1)
    case .openImage: openPrompt(&state, .command, text: "image ")
    }
    return []
}

func handleMouse(_ state: inout AppState, _ event: MouseEvent) {
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
func show(_ state: inout AppState, _ screen: Screen) {
    state.screen = screen
    state.showHelp = false
    state.rederive()
}

func quit(_ state: inout AppState, _ code: Int32) -> [Effect] {
    state.exitCode = code
    return [.quit(code)]
}
