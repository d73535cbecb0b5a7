import CNNModel
import Foundation

// MARK: - The command line

func openPrompt(_ state: inout AppState, _ prompt: Prompt, text: String) {
    state.prompt = prompt
    state.editor.set(text)
    state.editor.pending = []
    state.completions = []
}

func promptKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    if key == .tab {
        let r = Completion.complete(state.editor.string, cursor: state.editor.cursor)
        state.editor.set(r.text)
        state.editor.cursor = r.cursor
        state.completions = r.candidates
        return []
    }
    return editorOutcome(&state, state.editor.handle(key))
}

func editorOutcome(_ state: inout AppState, _ outcome: LineEditor.Outcome) -> [Effect] {
    switch outcome {
    case .edited, .ignored: return []
    case .cancelled:
        state.prompt = nil
        state.quitAfterSave = false
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
func paste(_ state: inout AppState, _ text: String) -> [Effect] {
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
func submit(_ state: inout AppState, _ raw: String, prompt: Prompt) -> [Effect] {
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
func command(_ state: inout AppState, _ text: String) -> [Effect]? {
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
    case "base":
        buildElidedHead(&state, arg)
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
    case "data": return setExperimentData(&state, arg)
    case "new", "clear":
        state.commit(Model(inputShape: state.model.inputShape))
        state.selection = 0
    case "undo": undo(&state)
    case "redo": redo(&state)
    case "help": state.showHelp = true
    case "builder": show(&state, .builder)
    case "compare": show(&state, .compare)
    case "features", "maps": show(&state, .featureMaps); return featuresIfStale(&state)
    case "quit", "q", "exit": return askBeforeQuitting(&state)
    case "q!", "quit!": return quit(&state, 0)
    case "w", "write", "save": return writeCommand(&state, arg)
    case "wq", "x": state.quitAfterSave = true; return writeCommand(&state, arg)
    default: return nil
    }
    return []
}

/// The index of the layer with a Keras name (`dense_1`), or nil and an error naming the layers there are.
func layerIndex(_ state: inout AppState, named name: String) -> Int? {
    let names = state.model.layerNames
    if let i = names.firstIndex(of: name) { return i }
    state.message = StatusMessage("there is no layer '\(name)'; the layers are " + names.joined(separator: ", "), kind: .error)
    return nil
}

func looksLikeModel(_ text: String) -> Bool {
    text.contains("Sequential") || text.contains(".add(") || text.contains("\n")
}
