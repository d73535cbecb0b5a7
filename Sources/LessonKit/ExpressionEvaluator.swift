import CNNModel

// MARK: - Evaluation

extension LessonExpression {
    /// Computes the expression on a lesson state with the model engine.
    public func evaluate(in state: LessonState) throws(LessonExpressionError) -> LessonValue {
        switch self {
        case .literal(let v):
            return v
        case .query(let q, let saved):
            if let v = try q.evaluateExperiment(in: state) { return v }
            if case .cell(let ref, let at) = q { return try CellQuery.value(ref, at, model: state.model(saved: saved)) }
            return try q.evaluate(on: state.summary(saved: saved))
        case .negate(let e):
            return .number(-(try e.evaluate(in: state).number()))
        case .binary(let op, let l, let r):
            let a = try l.evaluate(in: state).number(), b = try r.evaluate(in: state).number()
            switch op {
            case "+": return .number(a + b)
            case "-": return .number(a - b)
            case "*": return .number(a * b)
            default:
                guard b != 0 else { throw LessonExpressionError("division by zero") }
                return .number(a / b)
            }
        case .tuple(let items):
            var dims: [Int] = []
            for item in items {
                let x = try item.evaluate(in: state).number()
                guard x == x.rounded() else { throw LessonExpressionError("a shape's sizes must be whole numbers, not \(x)") }
                dims.append(Int(x))
            }
            return .shape(dims)
        case .product(let e):
            switch try e.evaluate(in: state) {
            case .shape(let s): return .number(s.reduce(1.0) { $0 * Double($1) })
            case .number(let x): return .number(x)
            case .text(let t): throw LessonExpressionError("'product' needs a shape, not the word '\(t)'")
            }
        }
    }
}

extension LessonValue {
    func number() throws(LessonExpressionError) -> Double {
        switch self {
        case .number(let x): return x
        case .shape(let s) where s.count == 1: return Double(s[0])
        default: throw LessonExpressionError("expected a number, got \(kindName) \(self)")
        }
    }
}

extension Query {
    /// Reads this fact from a summary.
    func evaluate(on summary: ModelSummary) throws(LessonExpressionError) -> LessonValue {
        switch self {
        case .totalParams: return .number(Double(summary.totalParams))
        case .trainableParams: return .number(Double(summary.trainableParams))
        case .nonTrainableParams: return .number(Double(summary.nonTrainableParams))
        case .multAdds: return .number(Double(summary.totalMultAdds))
        case .activationBytes: return .number(Double(summary.totalActivationBytes))
        case .inputShape: return .shape(summary.inputShape)
        case .outputShape: return .shape(summary.outputShape)
        case .layerCount: return .number(Double(summary.layers.count))
        case .lastLayerType:
            guard let last = summary.layers.last else { throw LessonExpressionError("the model has no layers") }
            return .text(last.typeName)
        case .largestLayer:
            guard let top = summary.layers.max(by: { $0.params < $1.params }) else { throw LessonExpressionError("the model has no layers") }
            return .text(top.name)
        case .convolutions:
            return .number(Double(summary.layers.filter { if case .conv = $0.spec.kind { true } else { false } }.count))
        case .pooledHead:
            guard let pool = summary.layers.lastIndex(where: { if case .globalPool = $0.spec.kind { true } else { false } }),
                  let last = summary.layers.indices.last, last > pool, case .dense = summary.layers[last].spec.kind
            else { return .text("no") }
            let between = summary.layers[(pool + 1)..<last].allSatisfy {
                switch $0.spec.kind {
                case .dropout, .activation, .relu: true
                default: false
                }
            }
            return .text(between ? "yes" : "no")
        case .count(let prefix):
            return .number(Double(summary.layers.filter { $0.typeName.hasPrefix(prefix) }.count))
        case .experiment, .experimentSetting:
            throw LessonExpressionError("'\(sourceText)' reads the experiment run, not a model")
        case .cell:
            throw LessonExpressionError("'\(sourceText)' runs the model, which a summary alone can't")
        case .layer(let ref, let prop):
            let row = try Self.find(ref, in: summary)
            switch prop {
            case .params: return .number(Double(row.params))
            case .trainable_params: return .number(Double(row.trainableParams))
            case .non_trainable_params: return .number(Double(row.nonTrainableParams))
            case .output_shape: return .shape(row.outputShape)
            case .input_shape: return .shape(row.inputShape)
            case .output_size: return .number(row.outputShape.reduce(1.0) { $0 * Double($1) })
            case .input_size: return .number(row.inputShape.reduce(1.0) { $0 * Double($1) })
            case .height, .width:
                let axis = prop == .height ? 0 : 1
                guard row.outputShape.count > axis + 1 else {
                    throw LessonExpressionError("layer '\(row.name)' outputs \(ShapeFormat.tuple(row.outputShape)), which has no \(prop.rawValue)")
                }
                return .number(Double(row.outputShape[axis]))
            case .channels: return .number(Double(row.outputShape.last ?? 0))
            case .type: return .text(row.typeName)
            case .stride:
                guard case .spatial(_, let jump) = row.receptiveField else {
                    throw LessonExpressionError("layer '\(row.name)' has no positions left: every output sees the whole input")
                }
                return Set(jump).count == 1 ? .number(Double(jump[0])) : .shape(jump)
            case .activation:
                switch row.spec.kind {
                case .conv(let c): return .text(c.activation.rawValue)
                case .dense(let d): return .text(d.activation.rawValue)
                case .activation(let f): return .text(f.rawValue)
                case .relu: return .text("relu")
                case .softmax: return .text("softmax")
                default: return .text("none")
                }
            case .name: return .text(row.name)
            case .mult_adds: return .number(Double(row.multAdds))
            case .output_bytes: return .number(Double(row.outputBytes))
            case .receptive_field:
                switch row.receptiveField {
                case .spatial(let size, _): return size.count == 1 ? .number(Double(size[0])) : .shape(size)
                case .global: return .text("global")
                }
            }
        }
    }

    static func find(_ ref: LayerRef, in summary: ModelSummary) throws(LessonExpressionError) -> LayerSummary {
        switch ref {
        case .name(let name):
            if let row = summary.layers.first(where: { $0.name == name }) { return row }
            let names = summary.layers.map(\.name).joined(separator: ", ")
            throw LessonExpressionError("no layer named '\(name)'; the model has: \(names.isEmpty ? "no layers" : names)")
        case .index(let i):
            let n = summary.layers.count
            let k = i < 0 ? n + i : i
            guard k >= 0, k < n else { throw LessonExpressionError("no layer at index \(i); the model has \(n) layers") }
            return summary.layers[k]
        }
    }
}
