/// Calls while reading a model file: layers, Input, Sequential, keras.Model, the code's own functions,
/// a few builtins, and library calls kept as code (`keras.regularizers.l2(0.01)`).
extension ModelReader {
    mutating func call(_ callee: PythonExpression, _ args: [PythonArgument], at loc: SourceLocation) throws(ParseError) -> RuntimeValue {
        let target = try evaluate(callee)
        switch target {
        case .value(.reference(let path)):
            return try callReference(path, callee: callee, args, at: loc)
        case .layer(let id):
            return try callLayer(id, args, at: loc)
        case .function(let f):
            return try callFunction(f, args, at: loc)
        case .method(let model, let name):
            guard name == "add" else { return .value(.none) }  // summary(), compile(...), fit(...): not the model
            touched = true
            return try add(to: model, args, at: loc)
        case .model:
            touched = true
            throw ParseError("a model used as a layer (model(x)), such as a keras.Sequential block of augmentation layers "
                             + "called on the inputs, is not supported: Keras shows it as one row. Call its layers one by "
                             + "one (x = layers.RandomFlip(\"horizontal\")(x)), or apply it to the data instead", at: loc)
        case .tensor:
            touched = true
            throw ParseError("a tensor can't be called; call a layer on it, such as layers.Dense(10)(x)", at: loc)
        case .opaque(let what):
            return .opaque(what)
        default:
            return .opaque("a call")
        }
    }

    mutating func callReference(_ path: [String], callee: PythonExpression, _ args: [PythonArgument],
                                at loc: SourceLocation) throws(ParseError) -> RuntimeValue {
        let last = path.last!
        let prefix = Array(path.dropLast())
        let calleeLoc = callee.location
        // A misspelt layer (`layers.Conv2d`) goes on to the layer call, which names it and suggests the spelling.
        func looksLikeLayer() -> Bool {
            last.first?.isUppercase == true && last != "Sequential" && last != "Model" && last != "Functional"
                && (prefix.last == "layers" || prefix.isEmpty && Suggestion.closest(to: last, in: LayerCatalog.layerNames) != nil)
        }
        if LayerCall.isLayerPath(path) && (prefix.isEmpty || prefix.contains("layers") || prefix.contains("keras"))
            || looksLikeLayer() {
            touched = true
            return try makeLayer(path, at: calleeLoc, args)
        }
        // `layers.add([x, y])`: the functional form of `layers.Add()([x, y])`.
        if let op = Merge.Op.allCases.first(where: { $0.rawValue.lowercased() == last }),
           prefix.last == "layers", LayerCall.layerPrefixes.contains(prefix) {
            touched = true
            guard let inputs = args.first(where: { $0.keyword == nil || $0.keyword == "inputs" }) else {
                throw ParseError("\(last) takes a list of tensors: layers.\(last)([x, y])", at: loc)
            }
            let options = args.filter { $0.keyword != nil && $0.keyword != "inputs" }
            guard case .layer(let id) = try makeLayer(prefix + [op.rawValue], at: calleeLoc, options) else {
                throw ParseError("expected a merge layer", at: loc)
            }
            return try callLayer(id, [PythonArgument(keyword: nil, keywordLocation: nil, value: inputs.value)], at: loc)
        }
        if last == "Sequential", LayerCall.sequentialPrefixes.contains(prefix) {
            touched = true
            return try makeSequential(args, at: loc)
        }
        if last == "Model" || last == "Functional", Self.modelPrefixes.contains(prefix) {
            touched = true
            return try makeFunctional(args, at: loc)
        }
        if path.count == 1, Self.builtins.contains(last) {
            return try builtin(last, args, at: loc)
        }
        // A library call: kept as code when it is a Keras one with plain arguments.
        let root = path.first ?? ""
        guard ["keras", "tf", "tensorflow"].contains(root) || ["regularizers", "initializers", "constraints",
                                                              "activations"].contains(root) else {
            return .opaque("`\(path.joined(separator: "."))(...)`")
        }
        var rendered: [String] = []
        for arg in args {
            guard case .value(let v) = (try? evaluate(arg.value)) ?? .opaque("") else {
                return .opaque("`\(path.joined(separator: "."))(...)`")
            }
            rendered.append((arg.keyword.map { "\($0)=" } ?? "") + v.pythonDescription)
        }
        var canonical = path
        if root == "tf" || root == "tensorflow", path.count > 1, path[1] == "keras" { canonical.removeFirst() }
        else if root != "keras" { canonical.insert("keras", at: 0) }
        return .value(.call(canonical.joined(separator: ".") + "(" + rendered.joined(separator: ", ") + ")"))
    }

    // MARK: - Layers and models

    mutating func evaluatedArguments(_ args: [PythonArgument]) throws(ParseError) -> [EvaluatedArgument] {
        var out: [EvaluatedArgument] = []
        for arg in args {
            let v = try plain(try evaluate(arg.value), at: arg.value.location)
            out.append(EvaluatedArgument(keyword: arg.keyword, keywordLocation: arg.keywordLocation, value: v,
                                         location: arg.value.location))
        }
        return out
    }

    mutating func autoName(_ base: String) -> String {
        let n = nameCounters[base, default: 0]
        nameCounters[base] = n + 1
        return n == 0 ? base : "\(base)_\(n)"
    }

    mutating func makeLayer(_ path: [String], at pathLoc: SourceLocation, _ args: [PythonArgument]) throws(ParseError) -> RuntimeValue {
        switch try LayerCall.layer(path: path, at: pathLoc, arguments: try evaluatedArguments(args)) {
        case .input(let shape, let name, let loc, let batch):
            let inputName = name ?? autoName("input_layer")
            nodes.append(GraphNode(kind: .input(shape: shape, name: inputName, loc, batch: batch), inputs: []))
            return .tensor(nodes.count - 1)
        case .layer(let spec, let inputShape):
            let typeName = spec.typeName
            let base = snakeCase[typeName] ?? KerasNaming.snakeCase(typeName)
            snakeCase[typeName] = base
            let autoName = spec.name ?? self.autoName(base)
            layerObjects.append(LayerObject(spec: spec, autoName: autoName, inputShape: inputShape))
            return .layer(layerObjects.count - 1)
        }
    }

    /// `layer(x)` or `layer([x, y])`: a new node of the graph.
    mutating func callLayer(_ id: Int, _ args: [PythonArgument], at loc: SourceLocation) throws(ParseError) -> RuntimeValue {
        touched = true
        let object = layerObjects[id]
        let name = object.spec.name ?? object.autoName
        if object.used {
            throw ParseError("'\(name)' is used a second time: a shared layer (one layer called on several tensors) "
                             + "is not supported; create a new layer for each call", at: loc)
        }
        guard let first = args.first(where: { $0.keyword == nil || $0.keyword == "inputs" }) else {
            throw ParseError("\(object.spec.typeName) is called without an input tensor", at: loc)
        }
        let value = try evaluate(first.value)
        var inputs: [Int] = []
        var isList = false
        switch value {
        case .tensor(let node): inputs = [node]
        case .sequence(let items):
            isList = true
            for item in items {
                guard case .tensor(let node) = item else {
                    throw ParseError("\(object.spec.typeName) takes a list of tensors", at: first.value.location)
                }
                inputs.append(node)
            }
        case .opaque(let what):
            if let error = deferred[what] { throw error }
            throw ParseError("the input here comes from \(what); call layers on keras.Input(...) or on other layers' outputs",
                             at: first.value.location)
        default:
            throw ParseError("\(object.spec.typeName) must be called on a tensor, such as keras.Input(shape=...) or "
                             + "another layer's output", at: first.value.location)
        }
        if case .merge = object.spec.kind {
            if !isList {
                throw ParseError("A merge layer should be called on a list of inputs, such as "
                                 + "layers.\(object.spec.typeName)()([x, y])", at: first.value.location)
            }
            if inputs.isEmpty { throw ParseError("A merge layer should be called on a list of at least 1 input", at: loc) }
        } else if isList {
            guard inputs.count == 1 else {
                throw ParseError("\(object.spec.typeName) takes one tensor, got a list of \(inputs.count); "
                                 + "merge them first, such as layers.Concatenate()([x, y])", at: first.value.location)
            }
        }
        layerObjects[id].used = true
        nodes.append(GraphNode(kind: .layer(id), inputs: inputs))
        return .tensor(nodes.count - 1)
    }

    mutating func makeSequential(_ args: [PythonArgument], at loc: SourceLocation) throws(ParseError) -> RuntimeValue {
        models.append(Model())
        let index = models.count - 1
        var layerList: PythonExpression?
        for (i, arg) in args.enumerated() {
            switch arg.keyword {
            case nil where i == 0, "layers": layerList = arg.value
            case "name", "trainable": continue
            default:
                throw ParseError("Sequential takes a list of layers and an optional name", at: arg.keywordLocation ?? arg.value.location)
            }
        }
        if let layerList {
            let items: [RuntimeValue]
            switch try evaluate(layerList) {
            case .sequence(let values): items = values
            case .value(.none): items = []
            case .value(.tuple(let values)) where values.isEmpty: items = []
            default:
                throw ParseError("Sequential expects a list of layers in [ ... ]", at: layerList.location)
            }
            let locations: [SourceLocation]
            switch layerList {
            case .list(let exprs, _), .tuple(let exprs, _): locations = exprs.map(\.location)
            default: locations = items.map { _ in layerList.location }
            }
            for (item, itemLoc) in zip(items, locations) { try append(item, to: index, at: itemLoc) }
        }
        return .model(index)
    }

    mutating func add(to model: Int, _ args: [PythonArgument], at loc: SourceLocation) throws(ParseError) -> RuntimeValue {
        guard models[model].graph == nil else {
            throw ParseError("add works on a Sequential model; this one is functional", at: loc)
        }
        guard args.count == 1, args[0].keyword == nil else { throw ParseError("add takes exactly one layer", at: loc) }
        try append(try evaluate(args[0].value), to: model, at: args[0].value.location)
        return .value(.none)
    }

    /// Appends a layer (or the Input) to a Sequential model.
    mutating func append(_ item: RuntimeValue, to index: Int, at loc: SourceLocation) throws(ParseError) {
        switch item {
        case .tensor(let node):
            guard case .input(let shape, _, let inputLoc, let batch) = nodes[node].kind else {
                throw ParseError("a Sequential model takes layers, not a layer's output; write the layer without (x)", at: loc)
            }
            if models[index].inputShape != nil || !models[index].layers.isEmpty {
                throw ParseError("Input must come first, and only once", at: inputLoc)
            }
            models[index].inputShape = shape
            models[index].batchSize = batch
            models[index].inputLocation = inputLoc
        case .layer(let id):
            let object = layerObjects[id]
            if object.used {
                throw ParseError("'\(object.spec.name ?? object.autoName)' is already used; a shared layer is not "
                                 + "supported: create a new layer", at: loc)
            }
            layerObjects[id].used = true
            if let inputShape = object.inputShape {
                if models[index].inputShape != nil || !models[index].layers.isEmpty {
                    throw ParseError("`input_shape` belongs on the first layer only", at: object.spec.location ?? loc)
                }
                models[index].inputShape = inputShape
                models[index].inputLocation = object.spec.location
            }
            models[index].layers.append(object.spec)
            sequentialAutoNames[index, default: []].append(object.autoName)
        case .model:
            throw ParseError("a model inside a Sequential model is not supported; write its layers out", at: loc)
        default:
            throw ParseError("expected a layer such as keras.layers.Conv2D(32, 3)", at: loc)
        }
    }

    /// `keras.Model(inputs, outputs)`: the layers between them, in Keras' order.
    mutating func makeFunctional(_ args: [PythonArgument], at loc: SourceLocation) throws(ParseError) -> RuntimeValue {
        var inputsArg: PythonArgument?, outputsArg: PythonArgument?, modelName: String?
        for (i, arg) in args.enumerated() {
            switch arg.keyword {
            case nil where i == 0, "inputs": inputsArg = arg
            case nil where i == 1, "outputs": outputsArg = arg
            case "name":
                if case .value(.string(let s)) = try evaluate(arg.value) { modelName = s }
            case "trainable": continue
            default:
                throw ParseError("keras.Model takes inputs, outputs and an optional name; a subclassed model is not "
                                 + "supported", at: arg.keywordLocation ?? arg.value.location)
            }
        }
        guard let inputsArg, let outputsArg else {
            throw ParseError("keras.Model needs inputs and outputs: keras.Model(inputs, outputs)", at: loc)
        }
        func single(_ arg: PythonArgument, _ what: String) throws(ParseError) -> Int {
            var value = try evaluate(arg.value)
            if case .sequence(let items) = value {
                guard items.count == 1 else {
                    throw ParseError("a model with \(items.count) \(what)s is not supported; cnn-tutor reads models "
                                     + "with one input and one output", at: arg.value.location)
                }
                value = items[0]
            }
            guard case .tensor(let node) = value else {
                throw ParseError("the model's \(what) must be a tensor, such as keras.Input(...) or a layer's output",
                                 at: arg.value.location)
            }
            return node
        }
        let input = try single(inputsArg, "input")
        let output = try single(outputsArg, "output")
        guard case .input(let shape, let inputName, let inputLoc, let batch) = nodes[input].kind else {
            throw ParseError("the model's input must be a keras.Input(...)", at: inputsArg.value.location)
        }
        // Every path from the output must lead back to this input (Keras: "graph disconnected").
        var inbound: [[Int]] = []
        for node in nodes {
            inbound.append(node.inputs.map { $0 == input ? -1 : $0 })
        }
        var seen = Set<Int>(), stack = [output]
        while let n = stack.popLast() {
            if n < 0 || !seen.insert(n).inserted { continue }
            if case .input(_, let otherName, _, _) = nodes[n].kind {
                throw ParseError("the outputs depend on the Input '\(otherName)', which is not the model's input "
                                 + "(Keras: graph disconnected)", at: outputsArg.value.location)
            }
            stack.append(contentsOf: inbound[n])
        }
        if output == input { throw ParseError("the model has no layers between its input and its output", at: loc) }
        let order = ModelGraph.kerasOrder(inbound: inbound, output: output)
        var position: [Int: Int] = [:]
        for (i, node) in order.enumerated() { position[node] = i }
        var specs: [LayerSpec] = [], names: [String] = [], layerInbound: [[Int]] = []
        for node in order {
            guard case .layer(let id) = nodes[node].kind else { continue }
            specs.append(layerObjects[id].spec)
            names.append(layerObjects[id].autoName)
            layerInbound.append(inbound[node].map { $0 < 0 ? -1 : position[$0]! })
        }
        var model = Model(inputShape: shape, layers: specs, inputLocation: inputLoc,
                          graph: ModelGraph(inputName: inputName, inbound: layerInbound, autoNames: names,
                                            modelName: modelName))
        model.batchSize = batch
        models.append(model)
        return .model(models.count - 1)
    }

    // MARK: - Functions and builtins

    mutating func callFunction(_ f: FunctionValue, _ args: [PythonArgument], at loc: SourceLocation) throws(ParseError) -> RuntimeValue {
        if frames.count >= Self.maxDepth {
            touched = true
            throw ParseError("calls nest more than \(Self.maxDepth) deep", at: loc)
        }
        let params = f.definition.parameters
        var frame: [String: RuntimeValue] = [:]
        var positional = 0
        for arg in args {
            let value = try evaluate(arg.value)
            if let keyword = arg.keyword {
                guard params.contains(where: { $0.name == keyword }) else {
                    throw ParseError("\(f.definition.name)() has no parameter '\(keyword)'", at: arg.keywordLocation ?? loc)
                }
                frame[keyword] = value
            } else {
                guard positional < params.count else {
                    throw ParseError("\(f.definition.name)() takes \(params.count) arguments", at: arg.value.location)
                }
                frame[params[positional].name] = value
                positional += 1
            }
        }
        for (p, d) in zip(params, f.defaults) where frame[p.name] == nil {
            guard let d else {
                throw ParseError("\(f.definition.name)() is missing the argument '\(p.name)'", at: loc)
            }
            frame[p.name] = d
        }
        frames.append(frame)
        defer { frames.removeLast() }
        if case .returned(let v) = try runBlock(f.definition.body) { return v }
        return .value(.none)
    }

    mutating func builtin(_ name: String, _ args: [PythonArgument], at loc: SourceLocation) throws(ParseError) -> RuntimeValue {
        if name == "print" || name == "isinstance" || name == "type" { return .value(.none) }
        var values: [RuntimeValue] = []
        for arg in args where arg.keyword == nil { values.append(try evaluate(arg.value)) }
        for v in values {
            if case .opaque(let what) = v { return .opaque(what) }
            if case .method = v { return .opaque(ModelReader.modelLayers) }
        }
        func int(_ v: RuntimeValue) throws(ParseError) -> Int {
            guard case .value(.int(let n)) = v else { throw ParseError("\(name)() expects integers", at: loc) }
            return n
        }
        func items(_ v: RuntimeValue) throws(ParseError) -> [RuntimeValue] {
            switch v {
            case .value(.tuple(let t)): return t.map { .value($0) }
            case .sequence(let s): return s
            default: throw ParseError("\(name)() expects a list or a tuple", at: loc)
            }
        }
        func pack(_ list: [RuntimeValue]) -> RuntimeValue {
            var plain: [PythonValue] = []
            for v in list { if case .value(let p) = v { plain.append(p) } }
            return plain.count == list.count ? .value(.tuple(plain)) : .sequence(list)
        }
        switch name {
        case "range":
            guard (1...3).contains(values.count) else { throw ParseError("range() takes 1 to 3 integers", at: loc) }
            let start = values.count > 1 ? try int(values[0]) : 0
            let stop = try int(values[values.count > 1 ? 1 : 0])
            let step = values.count > 2 ? try int(values[2]) : 1
            guard step != 0 else { throw ParseError("range() step must not be zero", at: loc) }
            let r = Swift.stride(from: start, to: stop, by: step)
            guard r.underestimatedCount <= 10_000 else { throw ParseError("range() of over 10,000 values", at: loc) }
            return .value(.tuple(r.map { .int($0) }))
        case "len":
            guard values.count == 1 else { break }
            if case .value(.string(let s)) = values[0] { return .value(.int(s.count)) }
            return .value(.int(try items(values[0]).count))
        case "list", "tuple":
            return values.isEmpty ? .value(.tuple([])) : pack(try items(values[0]))
        case "enumerate":
            guard values.count == 1 else { break }
            return .sequence(try items(values[0]).enumerated().map { pack([.value(.int($0)), $1]) })
        case "zip":
            var lists: [[RuntimeValue]] = []
            for v in values { lists.append(try items(v)) }
            let n = lists.map(\.count).min() ?? 0
            return .sequence((0..<n).map { i in pack(lists.map { $0[i] }) })
        default:
            break
        }
        var numbers: [PythonValue] = []
        for v in values {
            guard case .value(let p) = v else { throw ParseError("\(name)() expects numbers", at: loc) }
            numbers.append(p)
        }
        if numbers.count == 1, case .tuple(let t) = numbers[0], ["min", "max", "sum"].contains(name) { numbers = t }
        switch (name, numbers.count) {
        case ("int", 1):
            if case .string(let s) = numbers[0], let n = Int(s) { return .value(.int(n)) }
            guard let x = numbers[0].number, x.isFinite, abs(x) < 1e18 else { break }
            return .value(.int(Int(x)))
        case ("float", 1):
            guard let x = numbers[0].number else { break }
            return .value(.float(x))
        case ("str", 1):
            if case .string = numbers[0] { return .value(numbers[0]) }
            return .value(.string(numbers[0].pythonDescription))
        case ("bool", 1): return .value(.bool(numbers[0].isTrue))
        case ("abs", 1):
            if case .int(let n) = numbers[0] { return .value(.int(abs(n))) }
            guard let x = numbers[0].number else { break }
            return .value(.float(abs(x)))
        case ("round", 1):
            guard let x = numbers[0].number else { break }
            return .value(.int(Int(x.rounded(.toNearestOrEven))))
        case ("min", 1...), ("max", 1...):
            var best = numbers[0]
            for n in numbers.dropFirst() {
                let less = try PythonValue.compare("<", n, best, at: loc)
                if name == "min" ? less : try PythonValue.compare(">", n, best, at: loc) { best = n }
            }
            return .value(best)
        case ("sum", _):
            var total = PythonValue.int(0)
            for n in numbers { total = try PythonValue.binary("+", total, n, at: loc) }
            return .value(total)
        default:
            break
        }
        throw ParseError("\(name)() can't take these arguments here", at: loc)
    }
}
