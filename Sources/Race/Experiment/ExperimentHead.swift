import CNNCompute
import CNNModel

/// The two heads the experiment races on the seed article's backbone
/// (``SeedArticle``), scaled to the race's small images.
///
/// The backbone's BatchNormalization layers use momentum 0.9 instead of
/// Keras' 0.99: with 0.99 the moving variance starts at 1, the real one is
/// about 10⁻⁴, and a few hundred steps leave inference mode at chance level.
public enum ExperimentHead: String, CaseIterable, Sendable, Codable {
    /// Flatten → Dropout(0.3) → Dense 64 → Dense 32 → Dense 10.
    case flatten
    /// GlobalAveragePooling2D → Dropout(0.3) → Dense 10.
    case globalPooling = "gap"

    /// A short title for tables and plots.
    public var title: String {
        switch self {
        case .flatten: "Flatten head"
        case .globalPooling: "GAP head"
        }
    }

    /// The article's model with this head on a `side`×`side`×1 input, for ten classes.
    public func model(side: Int = 32) -> Model {
        model(inputShape: [side, side, 1], classes: 10)
    }

    /// The article's model with this head on `inputShape` (H, W, C), ending in `classes` outputs.
    public func model(inputShape: [Int], classes: Int) -> Model {
        var model = SeedArticle.model(head: self == .flatten ? .flatten : .globalAveragePooling,
                                      inputShape: inputShape, classes: classes)
        for i in model.layers.indices {
            guard case .batchNorm(var norm) = model.layers[i].kind else { continue }
            norm.momentum = 0.9
            model.layers[i].kind = .batchNorm(norm)
        }
        return model
    }
}

/// Why the experiment can't run: the message says what went wrong.
public struct ExperimentError: Error, Sendable, CustomStringConvertible, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
