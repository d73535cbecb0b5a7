import CNNModel

/// A model run one layer at a time, keeping every layer's output and weights:
/// the feature maps' forward pass, and the one behind a lesson's `cell` numbers.
///
/// Each layer is its own ``Network`` seeded `seed + index`, so a layer's
/// initial weights don't change when another layer is edited; `weights`
/// (keyed `<layer>/<weight>`) replace them. Inference mode.
public enum LayerByLayer {
    /// One layer's output, with the weights it ran.
    public struct Step: Sendable {
        public var row: LayerSummary
        public var output: Tensor
        public var weights: [String: Tensor]
    }

    /// The image as the feature maps feed it: centred to −1…1 for random
    /// weights (so that they give maps of both signs), as it is (0…1) for
    /// trained or loaded ones.
    public static func input(_ image: SampleImage, centred: Bool) -> Tensor {
        Tensor(shape: [1, image.height, image.width, image.channels], data: centred ? image.pixels.map { $0 * 2 - 1 } : image.pixels)
    }

    /// Runs every layer of `model` on `input` (batch first).
    ///
    /// - Parameters:
    ///   - isCancelled: asked before each layer; true stops with an error.
    ///   - progress: layers done and the total, after each.
    public static func run(_ model: Model, input: Tensor, seed: UInt64, weights: [String: Tensor]? = nil,
                           isCancelled: () -> Bool = { false },
                           progress: (Int, Int) -> Void = { _, _ in }) throws(NetworkError) -> [Step] {
        let summary: ModelSummary
        do { summary = try model.summary(inputShape: Array(input.shape.dropFirst())) } catch { throw NetworkError(error.description) }
        var x = input
        var steps: [Step] = []
        progress(0, summary.layers.count)
        for row in summary.layers {
            if isCancelled() { throw NetworkError("cancelled: the model changed") }
            var spec = row.spec
            spec.name = row.name
            do {
                let net = try Network(model: Model(inputShape: row.inputShape, layers: [spec]), seed: seed &+ UInt64(row.index))
                if let weights { try net.load(weights.filter { $0.key.hasPrefix(row.name + "/") }) }
                x = try net.predict(x)
                steps.append(Step(row: row, output: x, weights: net.weights))
            } catch {
                throw NetworkError("\(row.name): \(error.message)", layer: row.name)
            }
            progress(row.index + 1, summary.layers.count)
        }
        return steps
    }
}
