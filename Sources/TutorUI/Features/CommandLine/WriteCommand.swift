import CNNCompute
import CNNModel
import Foundation

// MARK: - :w and leaving with unsaved changes

/// `:w [FILE]`: the model as Keras code (`.py`), as PyTorch code (`.pt.py`),
/// or the trained feature maps' weights (`.safetensors`); no name re-saves to
/// the file the builder opened.
func writeCommand(_ state: inout AppState, _ arg: String) -> [Effect] {
    let path = arg.isEmpty ? (state.fileName ?? "") : arg
    guard !path.isEmpty else {
        state.quitAfterSave = false
        state.message = StatusMessage("w needs a file name the first time: w model.py (Keras), w model.pt.py (PyTorch) "
            + "or w weights.safetensors", kind: .error)
        return []
    }
    if path.lowercased().hasSuffix(".safetensors") { return writeWeights(&state, path) }
    guard path.lowercased().hasSuffix(".py") else {
        state.quitAfterSave = false
        state.message = StatusMessage("w writes .py (Keras code), .pt.py (PyTorch code) or .safetensors (weights); \(path) is none of them", kind: .error)
        return []
    }
    if ModelFile.wantsPyTorch(path) {
        guard let summary = state.derived.summary else {
            state.quitAfterSave = false
            state.message = StatusMessage("PyTorch code needs a model that builds: " + (state.derived.error?.description ?? ""), kind: .error)
            return []
        }
        return [.writeFile(path: path, contents: Array(ModelFile.pyTorch(summary).utf8), what: "PyTorch code")]
    }
    return [.writeFile(path: path, contents: Array(ModelFile.keras(state.model).utf8), what: "Keras code")]
}

/// The weights the feature maps run, trained or loaded, as safetensors in Keras' names and layouts.
func writeWeights(_ state: inout AppState, _ path: String) -> [Effect] {
    guard let weights = state.features.trainedWeights(revision: state.revision) else {
        state.quitAfterSave = false
        state.message = StatusMessage("no trained weights for this model yet: press w on the feature maps (f) to train it", kind: .error)
        return []
    }
    let data = SafeTensors.encode(weights.tensors.mapValues { SafeTensor.f32($0) })
    return [.writeFile(path: path, contents: [UInt8](data), what: "\(weights.tensors.count) weights")]
}

/// A file was written, or not: a model file marks the model saved.
func fileWritten(_ state: inout AppState, path: String, _ result: Result<String, LoadError>) -> [Effect] {
    switch result {
    case .success(let text):
        state.message = StatusMessage(text)
        if path.lowercased().hasSuffix(".py") {
            state.savedRevision = state.revision
            if !ModelFile.wantsPyTorch(path) { state.fileName = path }
        }
        if state.quitAfterSave { return quit(&state, 0) }
    case .failure(let e):
        state.quitAfterSave = false
        state.message = StatusMessage(e.message, kind: .error)
    }
    return []
}

/// `q`: leaves at once, unless the builder's model changed since it was saved; then asks (y/n/Esc).
func askBeforeQuitting(_ state: inout AppState) -> [Effect] {
    guard state.hasUnsavedChanges, state.lesson == nil else { return quit(&state, 0) }
    state.confirmingQuit = true
    return []
}

/// The answer to "save the changes?": y saves (asking for a name if there is none) and quits, n quits, Esc stays.
func confirmQuitKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    switch KeyMap.confirmQuit.action(for: key) {
    case .save?:
        state.confirmingQuit = false
        state.quitAfterSave = true
        if state.fileName == nil {
            openPrompt(&state, .command, text: "w model.py")
            state.message = StatusMessage("name the file; Enter saves it and quits, Esc stays")
            return []
        }
        return writeCommand(&state, "")
    case .discard?:
        state.confirmingQuit = false
        return quit(&state, 0)
    case .stay?:
        state.confirmingQuit = false
        state.message = nil
    case nil: break
    }
    return []
}
