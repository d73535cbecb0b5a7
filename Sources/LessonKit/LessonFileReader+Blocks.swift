import CNNCompute
import Race
import CNNModel
import Yams

extension LessonFileReader {
    // MARK: - Fenced blocks

    /// Parses one fenced block: a code sample, or an action.
    mutating func block(info: String, body: [String], fenceLine: Int) {
        let words = info.split(separator: " ").map(String.init)
        let name = words.first ?? ""
        let args = Array(words.dropFirst())
        if LessonParser.displayLanguages.contains(name.lowercased()) {
            addProse(.code(body.joined(separator: "\n"), language: name, line: fenceLine))
            return
        }
        guard ActionKind.names.contains(name) else {
            error(fenceLine, "unknown action '\(name)'; use one of \(ActionKind.names.joined(separator: ", ")), or ```text for a sample")
            return
        }
        let first = fenceLine + 1
        let kind: ActionKind?
        do {
            kind = try action(name, args: args, body: body, firstLine: first, fenceLine: fenceLine)
        } catch {
            errors.append(contentsOf: error.errors)
            return
        }
        if let kind { addAction(kind, line: fenceLine) }
    }

    /// The lines that carry content: not blank, not `#` comments; with their file lines.
    func contentLines(_ body: [String], firstLine: Int) -> [(line: Int, text: String)] {
        body.enumerated().compactMap { i, raw in
            let t = raw.trimmingSpaces()
            return t.isEmpty || t.hasPrefix("#") ? nil : (firstLine + i, t)
        }
    }

    /// Groups lines into layer expressions, joining lines until the brackets balance.
    func layerCodes(_ body: [String], firstLine: Int) throws(LessonErrors) -> [LayerCode] {
        var out: [LayerCode] = []
        var errs: [LessonError] = []
        var pending: (line: Int, text: String)?
        for (line, text) in contentLines(body, firstLine: firstLine) {
            let joined = pending.map { ($0.line, $0.text + " " + text) } ?? (line, text)
            var depth = 0
            for c in joined.1 { if "([{".contains(c) { depth += 1 } else if ")]}".contains(c) { depth -= 1 } }
            if depth > 0 { pending = joined; continue }
            pending = nil
            var code = joined.1
            if code.hasSuffix(",") { code.removeLast() }
            do {
                out.append(LayerCode(code: code, spec: try KerasSource.layer(code, file: file, line: joined.0)))
            } catch {
                errs.append(error)
            }
        }
        if let pending { errs.append(LessonError(file: file, line: pending.line, "unbalanced brackets in '\(pending.text)'")) }
        if !errs.isEmpty { throw LessonErrors(errs) }
        return out
    }

    func one(_ e: LessonError) -> LessonErrors { LessonErrors([e]) }

    /// Builds the action a block describes.
    mutating func action(_ name: String, args: [String], body: [String], firstLine: Int, fenceLine: Int) throws(LessonErrors) -> ActionKind? {
        let content = contentLines(body, firstLine: firstLine)
        func fail(_ message: String, _ line: Int = fenceLine) -> LessonErrors { one(LessonError(file: file, line: line, message)) }
        switch name {
        case "model":
            let source = body.joined(separator: "\n")
            guard !content.isEmpty else { throw fail("model block is empty; write a keras.Sequential([...]) model") }
            do {
                let model = try KerasSource.model(source, file: file, firstLine: firstLine)
                return .model(source: source, model: model, saveAs: args.first)
            } catch {
                throw one(error)
            }
        case "add":
            var before: String?
            if !args.isEmpty {
                guard args.count == 2, args[0] == "before" else { throw fail("write '```add' or '```add before LAYER_NAME'") }
                before = args[1]
            }
            let layers = try layerCodes(body, firstLine: firstLine)
            guard !layers.isEmpty else { throw fail("add block has no layers; write one Keras layer per line") }
            return .add(layers, before: before)
        case "remove":
            let names = args + content.map(\.text)
            guard !names.isEmpty else { throw fail("remove needs layer names, as in '```remove flatten'") }
            return .remove(names)
        case "replace":
            let names = args.filter { $0 != "through" && $0 != "to" && $0 != ".." }
            guard (1...2).contains(names.count) else { throw fail("write '```replace LAYER' or '```replace FIRST LAST', then the new layers") }
            let layers = try layerCodes(body, firstLine: firstLine)
            guard !layers.isEmpty else { throw fail("replace block has no new layers") }
            return .replace(from: names[0], through: names.count == 2 ? names[1] : nil, with: layers)
        case "input":
            let text = args.isEmpty ? content.map(\.text).joined(separator: " ") : args.joined(separator: " ")
            guard !text.isEmpty else { throw fail("input needs a shape, as in '```input 224, 224, 3'") }
            do {
                return .input(try KerasSource.inputShape(text, file: file, line: args.isEmpty ? (content.first?.line ?? fenceLine) : fenceLine))
            } catch {
                throw one(error)
            }
        case "view":
            let words = args.isEmpty ? content.flatMap { $0.text.split(separator: " ").map(String.init) } : args
            guard let view = words.first else { throw fail("view needs a screen: \(ActionKind.views.joined(separator: ", "))") }
            guard ActionKind.views.contains(view) else {
                throw fail("unknown view '\(view)'; use one of \(ActionKind.views.joined(separator: ", "))")
            }
            return .view(view, args: Array(words.dropFirst()))
        case "run":
            return .run(args: args + content.map(\.text))
        case "step":
            let words = args + content.flatMap { $0.text.split(separator: " ").map(String.init) }
            let numbers = words.dropFirst().compactMap { Int($0) }
            guard let layer = words.first, numbers.count == words.count - 1, [1, 3].contains(numbers.count) else {
                throw fail("step needs a layer and a cell: 'step conv2d 0 0 5' (row, column, channel) or 'step global_average_pooling2d 5' (a channel)")
            }
            return .step(layer: layer, at: numbers.count == 1 ? [0, 0, numbers[0]] : numbers)
        case "experiment":
            let words = args + content.flatMap { $0.text.split(separator: " ").map(String.init) }
            do {
                return .experiment(try ExperimentConfiguration.lessonSettings(words))
            } catch {
                throw fail("experiment: \(error.message)")
            }
        case "save", "load":
            let names = args + content.map(\.text)
            guard names.count == 1, let n = names.first, n.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw fail("\(name) needs one name made of letters, digits and '_', as in '```\(name) flatten_head'")
            }
            return name == "save" ? .save(n) : .load(n)
        case "expect":
            var assertions: [LocatedAssertion] = []
            var errs: [LessonError] = []
            for (line, text) in content {
                do {
                    assertions.append(LocatedAssertion(try Assertion.parse(text), line: line))
                } catch {
                    errs.append(LessonError(file: file, line: line, "expect: \(error.message)"))
                }
            }
            if !errs.isEmpty { throw LessonErrors(errs) }
            guard !assertions.isEmpty else { throw fail("expect block is empty; write one check per line, such as 'total_params == 66,602'") }
            return .expect(assertions)
        case "quiz":
            return .quiz(try quiz(body.joined(separator: "\n"), firstLine: firstLine, fenceLine: fenceLine))
        case "task":
            return .task(try task(body.joined(separator: "\n"), firstLine: firstLine, fenceLine: fenceLine))
        default:
            return nil
        }
    }
}
