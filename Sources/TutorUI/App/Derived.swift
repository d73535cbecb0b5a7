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
    /// One side of the comparison.
    public struct Side: Hashable, Sendable {
        public var kind: HeadKind
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
    public static func make(_ model: Model, pooling: HeadKind) -> Comparison? {
        guard let start = HeadSwap.headStart(model.layers), let kind = HeadSwap.kind(of: model.layers) else { return nil }
        let pooledKind: HeadKind = kind == .flatten ? pooling : kind
        guard let flatLayers = kind == .flatten ? model.layers : HeadSwap.swapped(model.layers, to: .flatten, inputShape: model.inputShape),
              let poolLayers = kind == .flatten ? HeadSwap.swapped(model.layers, to: pooledKind, inputShape: model.inputShape) : model.layers
        else { return nil }
        func side(_ kind: HeadKind, _ layers: [LayerSpec]) -> Side {
            var m = model
            m.layers = layers
            var summary: ModelSummary?, error: ModelError?
            do { summary = try m.summary() } catch let e { error = e }
            var curve: [Int?] = []
            if let input = m.inputShape, input.count == 3 {
                curve = plotSizes.map { s in try? m.summary(inputShape: [s, s, input[2]]).totalParams }
            }
            return Side(kind: kind, model: m, summary: summary, error: error, curve: curve)
        }
        return Comparison(headStart: start, flatten: side(.flatten, flatLayers), pooled: side(pooledKind, poolLayers),
                          sizes: plotSizes)
    }
}
