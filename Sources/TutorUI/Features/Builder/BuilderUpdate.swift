import CNNModel

// MARK: - Selection

func moveSelection(_ state: inout AppState, _ step: Int) {
    state.selection = max(0, min(state.rowCount - 1, state.selection + step))
}
// MARK: - Model edits

/// Replaces the model with parsed source; false (and an error message) when it doesn't parse.
@discardableResult
func loadSource(_ state: inout AppState, _ source: String, fileName: String?) -> Bool {
    do {
        var m = try KerasParser.parse(source)
        if m.inputShape == nil { m.inputShape = state.model.inputShape }
        state.commit(m)
        state.selection = min(state.selection, state.rowCount - 1)
        state.stashedHeads = [:]
        state.message = StatusMessage("loaded \(m.layers.count) layers" + (fileName.map { " from \($0)" } ?? ""))
        return true
    } catch let e {
        var text = e.rendered(source: source, fileName: fileName)
        if KerasParser.elidedBase(in: source) != nil {
            // Kept so that `:base 7,7,512` can build the head on the shape the learner chooses.
            state.elidedSource = source
            // One short line: at 80 columns the status area shows the caret and this line.
            text += "\n:base 7,7,512 builds the head on that shape (:base 7,7,512 5 for 5 classes)"
        }
        state.message = StatusMessage(text, kind: .error)
        return false
    }
}

/// `:base H,W,C [CLASSES]`: the last pasted block with an elided base (`#...`), its head built on that shape.
func buildElidedHead(_ state: inout AppState, _ arg: String) {
    guard let source = state.elidedSource else {
        state.message = StatusMessage("base works on a pasted block that starts with #... (its base left out); "
                                      + "paste one first", kind: .error)
        return
    }
    var words = arg.split(whereSeparator: { $0 == " " }).map(String.init)
    var classes = 10
    // `base 7,7,512 5`: a last word after a complete shape (not `7, 7, 512`) is the class count.
    if words.count > 1, !words[words.count - 2].hasSuffix(","), let n = Int(words.last!), n > 0 {
        classes = n
        words.removeLast()
    }
    let shapeText = words.joined(separator: " ")
    guard !shapeText.isEmpty else {
        state.message = StatusMessage("base takes the shape the base hands over: base 7,7,512 (VGG16 on 224×224), "
                                      + "and optionally the classes: base 7,7,512 5", kind: .error)
        return
    }
    do {
        let shape = try KerasParser.parseInputShape(shapeText)
        let (model, notes) = try KerasParser.parseHead(source, inputShape: shape, classes: classes)
        state.commit(model)
        state.selection = min(state.selection, state.rowCount - 1)
        state.stashedHeads = [:]
        state.message = StatusMessage("head on \(ShapeFormat.tuple(shape)): " + notes.dropFirst().joined(separator: "; ")
                                      + (notes.count > 1 ? "" : "\(model.layers.count) layers"))
    } catch let e {
        state.message = StatusMessage(e.rendered(source: source, fileName: nil), kind: .error)
    }
}

func parseLayer(_ state: inout AppState, _ text: String) -> LayerSpec? {
    do {
        return try KerasParser.parseLayer(text)
    } catch let e {
        state.message = StatusMessage(e.rendered(source: text, fileName: nil), kind: .error)
        return nil
    }
}

/// A functional model's layers form a graph: the builder changes a layer in place but doesn't add,
/// remove or move one. True (with the reason shown) when the edit is refused.
func refusesGraphEdit(_ state: inout AppState, _ what: String) -> Bool {
    guard state.model.isFunctional else { return false }
    state.message = StatusMessage("this is a functional model (its layers are connected as a graph): \(what) a layer "
                                  + "is not supported here; change a layer with Enter, or edit the code", kind: .error)
    return true
}

func addLayer(_ state: inout AppState, _ text: String, at index: Int?) {
    if refusesGraphEdit(&state, "adding") { return }
    guard var spec = parseLayer(&state, text) else { return }
    spec.location = nil
    let i = max(0, min(index ?? state.selection, state.model.layers.count))
    var m = state.model
    m.layers.insert(spec, at: i)
    state.commit(m)
    state.selection = i + 1
    state.message = StatusMessage(addedMessage(state, i))
}

func addedMessage(_ state: AppState, _ i: Int) -> String {
    guard let row = state.derived.summary?.layers[safe: i] else {
        return "added \(state.model.layers[i].typeName)" + (state.derived.error.map { " · \($0.reason)" } ?? "")
    }
    return "added \(row.name): output \(ShapeFormat.tuple(row.outputShape)), \(KerasFormat.grouped(row.params)) params"
}

func removeLayer(_ state: inout AppState, _ i: Int) {
    if refusesGraphEdit(&state, "removing") { return }
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

func replaceLayer(_ state: inout AppState, _ i: Int, _ text: String) {
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

func moveLayer(_ state: inout AppState, from: Int, to: Int) {
    guard state.model.layers.indices.contains(from), state.model.layers.indices.contains(to) else { return }
    if refusesGraphEdit(&state, "moving") { return }
    var m = state.model
    let layer = m.layers.remove(at: from)
    m.layers.insert(layer, at: to)
    state.commit(m)
    state.selection = to + 1
}

func undo(_ state: inout AppState) {
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

func redo(_ state: inout AppState) {
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
