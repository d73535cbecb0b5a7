/// Code blocks that leave the base network out (`#...` then the head), as the seed article writes them.
extension KerasParser {
    /// The `#...` line that stands for an elided base, if the block starts with one.
    public static func elidedBase(in source: String) -> SourceLocation? {
        for (i, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            guard text.hasPrefix("#") else { return nil }
            let rest = text.dropFirst().trimmingCharacters(in: .whitespaces)
            if rest.hasPrefix("...") || rest.hasPrefix("…") { return SourceLocation(line: i + 1, column: 1, length: text.count) }
        }
        return nil
    }

    /// The names tutorials use for the number of classes.
    static let classNames = ["n_classes", "num_classes", "nb_classes", "NUM_CLASSES", "N_CLASSES", "classes"]

    /// Parses a head whose base is elided, on the input shape the base would hand over.
    ///
    /// `model.add(...)` lines go onto a Sequential model that starts with that input; functional lines
    /// read `x` (or `inputs`) as that input. A class count the block uses but never sets is `classes`,
    /// and the notes say so.
    public static func parseHead(_ source: String, inputShape: [Int], classes: Int = 10) throws(ParseError)
        -> (model: Model, notes: [String]) {
        var reader = try ModelReader(source: source)
        var assigned: Set<String> = [], used: Set<String> = []
        let tokens = reader.parser.tokens
        for (i, t) in tokens.enumerated() {
            guard case .name(let n) = t.kind else { continue }
            used.insert(n)
            if i + 1 < tokens.count, tokens[i + 1].kind == .punct("="), i == 0 || tokens[i - 1].kind == .newline {
                assigned.insert(n)
            }
        }
        var notes: [String] = []
        for name in classNames where used.contains(name) && !assigned.contains(name) {
            reader.globals[name] = .value(.int(classes))
            notes.append("`\(name)` is not set in the block: \(classes) classes assumed (add \(name) = … to change it)")
        }
        let loc = elidedBase(in: source) ?? SourceLocation(line: 1, column: 1)
        reader.nodes.append(GraphNode(kind: .input(shape: inputShape, name: reader.autoName("input_layer"), loc, batch: nil), inputs: []))
        if used.contains("model"), !assigned.contains("model") {
            reader.models.append(Model(inputShape: inputShape, inputLocation: loc))
            reader.globals["model"] = .model(reader.models.count - 1)
        }
        for name in ["x", "inputs"] where !assigned.contains(name) || name == "x" {
            reader.globals[name] = .tensor(0)
        }
        notes.insert("the block starts with `#...`: its base is left out, so the head is built on the shape "
                     + "\(ShapeFormat.tuple(inputShape)) that the base would hand over", at: 0)
        let program = reader.parser.statements(indent: reader.parser.current.location.column, top: true)
        for statement in program {
            if case .returned = try reader.run(statement) { break }
        }
        if case .model(let i)? = reader.globals["model"], !reader.models[i].layers.isEmpty || reader.nodes.count == 1 {
            return (reader.models[i], notes)
        }
        if reader.models.count > (used.contains("model") && !assigned.contains("model") ? 1 : 0) {
            return (try reader.chosenModel(), notes)
        }
        guard reader.nodes.count > 1 else {
            throw ParseError("the block builds no layers after its elided base", at: loc)
        }
        // No keras.Model(...) line: the head runs from the base's output to the last layer.
        let args = [PythonArgument(keyword: nil, keywordLocation: nil, value: .name(["__input"], loc)),
                    PythonArgument(keyword: nil, keywordLocation: nil, value: .name(["__output"], loc))]
        reader.globals["__input"] = .tensor(0)
        reader.globals["__output"] = .tensor(reader.nodes.count - 1)
        guard case .model(let i) = try reader.makeFunctional(args, at: loc) else { throw ParseError("no model", at: loc) }
        return (reader.models[i], notes)
    }

    /// The reason to give when a block with an elided base is read without an input shape.
    static func elidedBaseError(at loc: SourceLocation) -> ParseError {
        ParseError("this block starts with `#...`: the base network (its convolutions) is left out, so the head has "
                   + "no input. Give the shape the base hands over: VGG16's last map is (7, 7, 512) on a 224×224 "
                   + "image, (14, 14, 512) before its last pooling (`summary` or `build` with --input-shape 7,7,512)", at: loc)
    }
}
