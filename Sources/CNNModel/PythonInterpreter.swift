/// What a name or an expression holds while the reader runs a model file.
enum RuntimeValue {
    case value(PythonValue)
    /// A tuple or list that holds tensors, layers or models.
    case sequence([RuntimeValue])
    /// A tensor of the functional graph: a node in ``ModelReader/nodes``.
    case tensor(Int)
    /// A layer object: an entry of ``ModelReader/layerObjects``.
    case layer(Int)
    /// A model: an entry of ``ModelReader/models``.
    case model(Int)
    /// A model's method, such as `model.add`.
    case method(model: Int, name: String)
    case function(FunctionValue)
    /// What code the reader doesn't run produced; the text says where it came from.
    case opaque(String)
}

/// A `def` with its defaults evaluated when it was defined, as Python does.
struct FunctionValue {
    var definition: PythonFunction
    var defaults: [RuntimeValue?]
}

/// A node of the functional graph: the model's input, or a layer called on earlier nodes.
struct GraphNode {
    enum Kind {
        case input(shape: [Int], name: String, SourceLocation, batch: Int?)
        case layer(Int)
    }
    var kind: Kind
    var inputs: [Int]
}

/// A layer object, with the name Keras gave it when the code created it.
struct LayerObject {
    var spec: LayerSpec
    var autoName: String
    var inputShape: [Int]?
    /// Where it has been used: called on a tensor, or put in a Sequential model.
    var used = false
}

/// Runs a model file's Python, the part that builds the model, and assembles the model.
///
/// Statements that don't touch the model (data loading, training, plotting) are
/// skipped when they fail or hold Python the reader doesn't know; an error in a
/// statement that builds layers is reported with its line and column.
struct ModelReader {
    var parser: PythonParser
    var globals: [String: RuntimeValue] = ["__name__": .value(.string("__main__"))]
    var frames: [[String: RuntimeValue]] = []
    var nodes: [GraphNode] = []
    var layerObjects: [LayerObject] = []
    var models: [Model] = []
    /// Keras' per-name counters for auto-names (`conv2d`, `conv2d_1`, …).
    var nameCounters: [String: Int] = [:]
    /// Each Sequential model's layers' auto-names, by model index.
    var sequentialAutoNames: [Int: [String]] = [:]
    /// Each class name's snake case, computed once.
    var snakeCase: [String: String] = [:]
    /// Whether the statement being run has built or used a layer, a tensor or a model.
    var touched = false
    var steps = 0
    /// Why a top-level assignment that built layers failed, by the name's opaque description: raised
    /// only if the model uses the name (a data-augmentation block the model never calls is skipped).
    var deferred: [String: ParseError] = [:]
    var firstDeferred: ParseError?

    /// What a builtin over a model's attribute (`enumerate(model.layers)`) gives: nothing the reader runs.
    static let modelLayers = "a built model's layers"
    static let maxSteps = 200_000
    static let maxDepth = 64
    static let modelPrefixes: [[String]] = [["keras"], ["keras", "models"], ["models"], ["tf", "keras"],
                                            ["tf", "keras", "models"], ["tensorflow", "keras"],
                                            ["tensorflow", "keras", "models"], []]

    init(source: String) throws(ParseError) {
        parser = PythonParser(tokens: try PythonLexer.tokenize(source))
    }

    init(parser: PythonParser) { self.parser = parser }

    mutating func read() throws(ParseError) -> Model {
        let program = parser.statements(indent: parser.current.location.column, top: true)
        for statement in program {
            if case .returned = try run(statement) { break }
        }
        return try chosenModel()
    }

    /// The model the file defines: the one named `model`, or the only one made.
    func chosenModel() throws(ParseError) -> Model {
        if case .model(let i)? = globals["model"] { return named(i) }
        // `model = …` failed while building layers: its error, not another model the file made.
        if case .opaque(let what)? = globals["model"], let error = firstDeferred ?? deferred[what] { throw error }
        var bound: [(String, Int)] = []
        for (name, value) in globals { if case .model(let i) = value { bound.append((name, i)) } }
        let distinct = Set(bound.map(\.1))
        if distinct.count == 1 { return named(distinct.first!) }
        // A block without an input (`data_augmentation = keras.Sequential([...])`, applied to the data)
        // beside the one model that has one: that model.
        let built = distinct.filter { models[$0].inputShape != nil || models[$0].graph != nil }
        if built.count == 1, distinct.count > 1, let only = built.first { return named(only) }
        if distinct.count > 1 {
            let names = bound.map { $0.0 }.sorted().joined(separator: ", ")
            throw ParseError("several models (\(names)); cnn-tutor reads one: name it `model`", at: SourceLocation(line: 1, column: 1))
        }
        // A model statement that failed: its error, not a half-built model.
        if let firstDeferred { throw firstDeferred }
        if !models.isEmpty { return named(models.count - 1) }
        if let input = nodes.first, case .input(_, _, let loc, _) = input.kind, nodes.count > 1 {
            throw ParseError("the layers are connected but no model is made: finish with "
                             + "model = keras.Model(inputs, outputs)", at: loc)
        }
        throw ParseError("no model found: write keras.Sequential([...]) or model = keras.Sequential() with "
                         + "model.add(...) lines", at: SourceLocation(line: 1, column: 1))
    }

    /// Model `i` with the names Keras' session-wide counters gave its layers, where they differ from
    /// counting within the model.
    func named(_ i: Int) -> Model {
        var model = models[i]
        if model.graph == nil, let names = sequentialAutoNames[i], names.count == model.layers.count {
            model.autoNames = nil
            if names != model.layerNames { model.autoNames = names }
        }
        return model
    }

    // MARK: - Statements

    enum Flow {
        case normal
        case returned(RuntimeValue)
        case broke
        case continued
    }

    /// Runs one statement; one that fails without touching the model is skipped.
    mutating func run(_ statement: PythonStatement) throws(ParseError) -> Flow {
        let outer = touched
        touched = false
        defer { touched = outer || touched }
        steps += 1
        if steps > Self.maxSteps {
            touched = true
            throw ParseError("the code runs too long (over \(Self.maxSteps) statements); cnn-tutor reads model "
                             + "definitions, not long computations", at: parser.current.location)
        }
        do {
            return try execute(statement)
        } catch {
            guard case .assign(let targets, _) = statement else {
                if touched { throw error }
                return .normal
            }
            if touched {
                guard frames.isEmpty, targets.allSatisfy({ if case .name(let p, _) = $0 { p.count == 1 } else { false } }) else {
                    throw error
                }
                firstDeferred = firstDeferred ?? error
            }
            for t in targets {
                bindOpaque(t, line: t.location.line)
                // Checked above: when touched, every target is a plain name.
                if touched, case .name(let parts, _) = t, case .opaque(let what)? = lookup(parts[0]) {
                    deferred[what] = error
                }
            }
            return .normal
        }
    }

    mutating func runBlock(_ body: [PythonStatement]) throws(ParseError) -> Flow {
        for s in body {
            let flow = try run(s)
            if case .normal = flow { continue }
            return flow
        }
        return .normal
    }

    mutating func execute(_ statement: PythonStatement) throws(ParseError) -> Flow {
        switch statement {
        case .expression(let e):
            let createdBefore = layerObjects.count
            let value = try evaluate(e)
            if case .layer(let id) = value, id >= createdBefore, !layerObjects[id].used {
                touched = true
                throw ParseError("a layer on its own does nothing; put it in keras.Sequential([...]) or "
                                 + "model.add(...), or call it on a tensor", at: layerObjects[id].spec.location ?? e.location)
            }
        case .assign(let targets, let valueExpr):
            let value = try evaluate(valueExpr)
            for t in targets {
                // A name set by code that isn't run is reported by its own name where a layer uses it.
                if case .opaque = value { bindOpaque(t, line: t.location.line) } else { try bind(t, value) }
            }
        case .augmentedAssign(let target, let op, let valueExpr):
            let value = try binary(op, try evaluate(target), try evaluate(valueExpr), at: valueExpr.location)
            try bind(target, value)
        case .function(let f):
            var defaults: [RuntimeValue?] = []
            for p in f.parameters {
                if let d = p.defaultValue {
                    do { defaults.append(try evaluate(d)) } catch { defaults.append(.opaque("the default of `\(p.name)`")) }
                } else {
                    defaults.append(nil)
                }
            }
            set(f.name, .function(FunctionValue(definition: f, defaults: defaults)))
        case .forLoop(let target, let iterableExpr, let body, let buildsLayers, let loc):
            let iterable: RuntimeValue
            do { iterable = try evaluate(iterableExpr) } catch {
                if buildsLayers { touched = true }
                throw error
            }
            // `for layer in model.layers:` (or enumerate(model.layers)) looks into a built model: skipped.
            if case .method = iterable { return .normal }
            if case .opaque(let what) = iterable, what == Self.modelLayers { return .normal }
            if buildsLayers { touched = true }
            let items: [RuntimeValue]
            switch iterable {
            case .value(.tuple(let values)): items = values.map { .value($0) }
            case .value(.string(let s)): items = s.map { .value(.string(String($0))) }
            case .sequence(let values): items = values
            default:
                throw ParseError("the loop runs over values cnn-tutor can't work out; loop over a list, a tuple "
                                 + "or range(...)", at: loc)
            }
            for item in items {
                try bind(target, item)
                switch try runBlock(body) {
                case .normal, .continued: continue
                case .broke: return .normal
                case .returned(let v): return .returned(v)
                }
            }
        case .ifBlock(let branches, let orElse, let buildsLayers):
            if buildsLayers { touched = true }
            for branch in branches {
                let condition = try evaluate(branch.condition)
                guard case .value(let v) = condition else {
                    if case .opaque(let what) = condition {
                        throw ParseError("the condition depends on \(what)", at: branch.condition.location)
                    }
                    return try runBlock(branch.body)  // a tensor, layer or model is true
                }
                if v.isTrue { return try runBlock(branch.body) }
            }
            return try runBlock(orElse)
        case .returnValue(let e, _):
            return .returned(try e.map { (e) throws(ParseError) in try evaluate(e) } ?? .value(.none))
        case .block(let body):
            return try runBlock(body)
        case .importNames(let names):
            for (name, path) in names { set(name, .value(.reference(path))) }
        case .loopControl(let isBreak):
            return isBreak ? .broke : .continued
        case .skipped(let code):
            if let name = code.defines { set(name, .opaque("the class '\(name)', which cnn-tutor doesn't run")) }
            guard let error = code.error else {
                if PythonParser.buildsLayers(code.names), code.names.contains("while") {
                    touched = true
                    throw ParseError("a while loop that builds layers is not supported; use for ... in range(...)",
                                     at: parser.current.location)
                }
                return .normal
            }
            let usesModel = code.names.contains { name in
                switch lookup(name) {
                // A model alone (`ds.map(lambda x, y: (augment(x), y))`, `model.fit(...)`) is used, not built.
                case .tensor?, .layer?: return true
                default: return PythonParser.buildsLayers([name]) && name != "add"
                }
            }
            if usesModel { touched = true; throw error }
        }
        return .normal
    }

    // MARK: - Names

    func lookup(_ name: String) -> RuntimeValue? {
        if let frame = frames.last, let v = frame[name] { return v }
        return globals[name]
    }

    mutating func set(_ name: String, _ value: RuntimeValue) {
        if frames.isEmpty { globals[name] = value } else { frames[frames.count - 1][name] = value }
    }

    mutating func bind(_ target: PythonExpression, _ value: RuntimeValue) throws(ParseError) {
        switch target {
        case .name(let parts, _) where parts.count == 1:
            set(parts[0], value)
        case .tuple(let items, let loc), .list(let items, let loc):
            let values: [RuntimeValue]
            switch value {
            case .value(.tuple(let v)): values = v.map { .value($0) }
            case .sequence(let v): values = v
            default:
                for item in items { bindOpaque(item, line: loc.line) }
                return
            }
            guard values.count == items.count else {
                throw ParseError("can't unpack \(values.count) values into \(items.count) names", at: loc)
            }
            for (item, v) in zip(items, values) { try bind(item, v) }
        default:
            break  // `model.trainable = False`, `x[0] = …`: not part of the model's structure
        }
    }

    mutating func bindOpaque(_ target: PythonExpression, line: Int) {
        switch target {
        case .name(let parts, _) where parts.count == 1:
            set(parts[0], .opaque("'\(parts[0])', which line \(line) sets with code cnn-tutor doesn't run"))
        case .tuple(let items, _), .list(let items, _):
            for item in items { bindOpaque(item, line: line) }
        default:
            break
        }
    }

    // MARK: - Expressions

    mutating func evaluate(_ expr: PythonExpression) throws(ParseError) -> RuntimeValue {
        switch expr {
        case .int(let n, _): return .value(.int(n))
        case .float(let x, _): return .value(.float(x))
        case .string(let s, _): return .value(.string(s))
        case .bool(let b, _): return .value(.bool(b))
        case .none: return .value(.none)
        case .dict: return .opaque("a dict")
        case .tuple(let items, _), .list(let items, _):
            var values: [RuntimeValue] = []
            var plain: [PythonValue] = []
            for item in items {
                let v = try evaluate(item)
                values.append(v)
                if case .value(let p) = v { plain.append(p) }
            }
            return plain.count == values.count ? .value(.tuple(plain)) : .sequence(values)
        case .fstring(let text, let loc):
            return try formatted(text, at: loc)
        case .name(let parts, let loc):
            if let bound = lookup(parts[0]) {
                if parts.count == 1 { return bound }
                switch bound {
                case .value(.reference(let base)): return .value(.reference(base + parts.dropFirst()))
                case .model(let i) where parts.count == 2: return .method(model: i, name: parts[1])
                case .tensor(let node) where parts.count == 2 && parts[1] == "shape":
                    touched = true
                    return .value(.tuple([.none] + (try shape(of: node, at: loc)).map { .int($0) }))
                case .opaque(let what): return .opaque(what)
                default: return .opaque("`\(parts.joined(separator: "."))`")
                }
            }
            if parts.count == 1 {
                // A class name (Sequential, Conv2D, a misspelt layer) stays a name, as the tutorials' bare imports intend.
                if Self.builtins.contains(parts[0]) || parts[0].first?.isUppercase == true || parts[0] == "keras" {
                    return .value(.reference(parts))
                }
                throw ParseError("'\(parts[0])' is not defined; give a number, a string or a tuple", at: loc)
            }
            return .value(.reference(parts))
        case .negate(let inner, let loc):
            switch try evaluate(inner) {
            case .value(.int(let n)): return .value(.int(-n))
            case .value(.float(let x)): return .value(.float(-x))
            case .opaque(let what): return .opaque(what)
            default: throw ParseError("only a number can be negated", at: loc)
            }
        case .binary(let op, let lhs, let rhs, let loc):
            return try binary(op, try evaluate(lhs), try evaluate(rhs), at: loc)
        case .not(let inner, let loc):
            let v = try evaluate(inner)
            guard case .value(let p) = v else { return try opaqueOr(v, "`not` of this", at: loc) }
            return .value(.bool(!p.isTrue))
        case .logical(let op, let lhs, let rhs, let loc):
            let a = try evaluate(lhs)
            guard case .value(let p) = a else { return try opaqueOr(a, "`\(op)` of this", at: loc) }
            if op == "and" ? !p.isTrue : p.isTrue { return a }
            return try evaluate(rhs)
        case .compare(let op, let lhs, let rhs, let loc):
            let a = try evaluate(lhs), b = try evaluate(rhs)
            guard case .value(let x) = a, case .value(let y) = b else {
                if case .opaque(let what) = a { return .opaque(what) }
                if case .opaque(let what) = b { return .opaque(what) }
                throw ParseError("can't compare these with `\(op)`", at: loc)
            }
            return .value(.bool(try PythonValue.compare(op, x, y, at: loc)))
        case .conditional(let value, let condition, let orElse, let loc):
            let c = try evaluate(condition)
            guard case .value(let p) = c else { return try opaqueOr(c, "the condition", at: loc) }
            return try evaluate(p.isTrue ? value : orElse)
        case .item(let base, let index, let loc):
            let b = try evaluate(base)
            guard let index else { return .opaque("a slice") }
            let i = try evaluate(index)
            guard case .value(.int(let n)) = i else { return .opaque("a subscript") }
            let items: [RuntimeValue]
            switch b {
            case .value(.tuple(let t)): items = t.map { .value($0) }
            case .sequence(let s): items = s
            default: return .opaque("a subscript")
            }
            let k = n < 0 ? n + items.count : n
            guard k >= 0, k < items.count else { throw ParseError("index \(n) is out of range", at: loc) }
            return items[k]
        case .attribute:
            return .opaque("an attribute")
        case .call(let callee, let args, let loc):
            return try call(callee, args, at: loc)
        }
    }

    /// An opaque value passes through; anything else can't be used this way.
    func opaqueOr(_ v: RuntimeValue, _ what: String, at loc: SourceLocation) throws(ParseError) -> RuntimeValue {
        if case .opaque = v { return v }
        throw ParseError("can't compute \(what) here", at: loc)
    }

    mutating func binary(_ op: String, _ a: RuntimeValue, _ b: RuntimeValue, at loc: SourceLocation) throws(ParseError) -> RuntimeValue {
        switch (a, b) {
        case (.value(let x), .value(let y)): return .value(try PythonValue.binary(op, x, y, at: loc))
        case (.tensor, _), (_, .tensor):
            touched = true
            let layer = ["+": "Add", "-": "Subtract", "*": "Multiply"][op] ?? "a merge layer"
            throw ParseError("arithmetic on tensors (x \(op) y) is not supported; use layers.\(layer)()([x, y])", at: loc)
        case (.opaque(let what), _), (_, .opaque(let what)): return .opaque(what)
        case (.sequence(let x), .sequence(let y)) where op == "+": return .sequence(x + y)
        case (.sequence(let x), .value(.tuple(let y))) where op == "+": return .sequence(x + y.map { .value($0) })
        case (.value(.tuple(let x)), .sequence(let y)) where op == "+": return .sequence(x.map { .value($0) } + y)
        default: throw ParseError("can't compute '\(op)' on these values", at: loc)
        }
    }

    /// An f-string with its `{name}` fields filled in from plain values.
    mutating func formatted(_ text: String, at loc: SourceLocation) throws(ParseError) -> RuntimeValue {
        var out = "", field = "", inField = false
        for c in text {
            if inField {
                if c == "}" {
                    // The field's expression, without a format spec or conversion.
                    let source = String(field.split(separator: ":", maxSplits: 1).first ?? "")
                        .split(separator: "!", maxSplits: 1).first.map(String.init) ?? ""
                    guard let tokens = try? PythonLexer.tokenize(source) else { return .opaque("an f-string") }
                    var sub = PythonParser(tokens: tokens)
                    guard let e = try? sub.expression(), let v = try? evaluate(e), case .value(let p) = v else {
                        return .opaque("an f-string")
                    }
                    if case .string(let s) = p { out += s } else { out += p.pythonDescription }
                    inField = false
                    field = ""
                } else {
                    field.append(c)
                }
            } else if c == "{" {
                inField = true
            } else {
                out.append(c)
            }
        }
        return .value(.string(out))
    }

    /// A tensor's shape without the batch axis, as the layers so far give it (`x.shape`).
    func shape(of node: Int, at loc: SourceLocation) throws(ParseError) -> [Int] {
        switch nodes[node].kind {
        case .input(let shape, _, _, _): return shape
        case .layer(let id):
            var inputs: [[Int]] = []
            for n in nodes[node].inputs { inputs.append(try shape(of: n, at: loc)) }
            let spec = layerObjects[id].spec
            do {
                if case .merge(let m) = spec.kind { return try m.outputShape(for: inputs) }
                return try spec.outputShape(for: inputs[0])
            } catch {
                throw ParseError("layer '\(spec.name ?? layerObjects[id].autoName)' (\(spec.typeName)) with input shape "
                                 + "\(ShapeFormat.keras(inputs[0])): \(error.reason)", at: spec.location ?? loc)
            }
        }
    }

    /// A plain value for a layer argument, or why this one can't be.
    func plain(_ value: RuntimeValue, at loc: SourceLocation) throws(ParseError) -> PythonValue {
        switch value {
        case .value(let v): return v
        case .sequence(let items):
            var out: [PythonValue] = []
            for item in items { out.append(try plain(item, at: loc)) }
            return .tuple(out)
        case .opaque(let what):
            if let error = deferred[what] { throw error }
            throw ParseError("this value comes from \(what); give a number, a string or a tuple", at: loc)
        case .tensor: throw ParseError("a tensor can't be an argument here", at: loc)
        case .layer: throw ParseError("a layer can't be an argument here", at: loc)
        case .model, .method: throw ParseError("a model can't be an argument here", at: loc)
        case .function: throw ParseError("a function can't be an argument here", at: loc)
        }
    }

    static let builtins: Set<String> = ["range", "len", "int", "float", "str", "abs", "min", "max", "round", "list",
                                        "tuple", "print", "enumerate", "zip", "sum", "bool", "isinstance", "type"]
}
