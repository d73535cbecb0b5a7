import CNNModel

/// Everything the views show that follows from the model and the input size.
///
/// Recomputed once per change by ``AppState/rederive()``, so that drawing a
/// frame never re-runs shape inference.
public struct Derived: Hashable, Sendable {
    public var summary: ModelSummary?
    public var error: ModelError?
    public var compare: Comparison?
}

/// The same backbone with a Flatten head and with a global-pooling head.
public struct Comparison: Hashable, Sendable {
    /// Where a side's model comes from, so the screen can name it.
    public enum Source: Hashable, Sendable {
        /// The model in the builder.
        case builder
        /// The builder's backbone with the other kind of head.
        case swapped
        /// The builder's backbone with the head of the lesson's own Flatten model.
        case lesson
    }

    /// One side of the comparison.
    public struct Side: Hashable, Sendable {
        public var kind: HeadKind
        public var source: Source
        public var model: Model
        public var summary: ModelSummary?
        public var error: ModelError?
        /// Total parameters at each size of ``Comparison/sizes``; nil where the model can't be built.
        public var curve: [Int?]
    }
    public var headStart: Int
    public var flatten: Side
    public var pooled: Side
    /// The square input sizes of the plot.
    public var sizes: [Int]

    public static let plotSizes = Array(stride(from: 32, through: 512, by: 16))

    /// Builds both sides for a model with a head; nil when it has none.
    ///
    /// - Parameter flattenReference: a model whose Flatten head the Flatten side
    ///   takes when `model` pools (a lesson's own Flatten model), instead of one
    ///   derived from the pooled head.
    public static func make(_ model: Model, pooling: HeadKind, flattenReference: Model? = nil) -> Comparison? {
        guard let start = HeadSwap.headStart(model.layers), let kind = HeadSwap.kind(of: model.layers) else { return nil }
        let pooledKind: HeadKind = kind == .flatten ? pooling : kind
        let referenced = kind == .flatten ? nil : flattenReference.flatMap { HeadSwap.withFlattenHead(of: $0.layers, on: model.layers) }
        guard let flatLayers = kind == .flatten ? model.layers
                : referenced ?? HeadSwap.swapped(model.layers, to: .flatten, inputShape: model.inputShape),
              let poolLayers = kind == .flatten ? HeadSwap.swapped(model.layers, to: pooledKind, inputShape: model.inputShape) : model.layers
        else { return nil }
        func side(_ kind: HeadKind, _ layers: [LayerSpec], _ source: Source) -> Side {
            var m = model
            m.layers = layers
            var summary: ModelSummary?, error: ModelError?
            do { summary = try m.summary() } catch let e { error = e }
            var curve: [Int?] = []
            if let input = m.inputShape, input.count == 3 {
                curve = plotSizes.map { s in try? m.summary(inputShape: [s, s, input[2]]).totalParams }
            }
            return Side(kind: kind, source: source, model: m, summary: summary, error: error, curve: curve)
        }
        let flatSource: Source = kind == .flatten ? .builder : referenced != nil ? .lesson : .swapped
        return Comparison(headStart: start, flatten: side(.flatten, flatLayers, flatSource),
                          pooled: side(pooledKind, poolLayers, kind == .flatten ? .swapped : .builder), sizes: plotSizes)
    }
}
