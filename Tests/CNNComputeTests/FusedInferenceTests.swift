import CNNModel
import Testing
@testable import CNNCompute

/// `predict`, the fused inference path the experiment and `bench` run, gives
/// exactly the values of the layer-by-layer `forward`, with no reference data.
@Suite struct FusedInferenceTests {
    static func input(_ shape: [Int], batch: Int = 2) -> Tensor {
        var rng = SeededGenerator(seed: 9)
        return Tensor(shape: [batch] + shape, data: (0..<(batch * shape.reduce(1, *))).map { _ in rng.uniform(-1, 1) })
    }

    /// The article's model with random weights, on sizes where the 2×2
    /// poolings floor an odd map and where they don't.
    @Test(arguments: [[32, 32, 1], [37, 41, 3], [64, 48, 1]], KernelWidth.allCases)
    func predictMatchesForward(_ shape: [Int], _ width: KernelWidth) throws {
        try KernelWidth.$forced.withValue(width) { try check(shape) }
    }

    func check(_ shape: [Int]) throws {
        for head in [SeedArticle.Head.flatten, .globalAveragePooling] {
            let network = try Network(model: SeedArticle.model(head: head, inputShape: shape), seed: 5)
            let x = Self.input(shape)
            let layered = try #require(try network.forward(x).last)
            let fused = try network.predict(x)
            #expect(fused.shape == layered.shape)
            #expect(fused == layered, "\(head) at \(shape)")
        }
    }

    /// Each convolution → 2×2 max pooling pair of the article's model runs
    /// fused (so the test above exercises the fused kernel), and gives the
    /// pooling's output exactly.
    @Test func eachFusedPairGivesThePoolingsOutput() throws {
        let network = try Network(model: SeedArticle.model(head: .flatten, inputShape: [37, 41, 3]), seed: 5)
        let x = Self.input([37, 41, 3])
        let outputs = try network.forward(x)
        var fusedPairs = 0
        for i in 0..<(network.layers.count - 1) {
            guard let conv = network.layers[i] as? ConvLayer, let pool = network.layers[i + 1] as? PoolLayer else { continue }
            let fused = try #require(conv.forwardPooled(i == 0 ? x : outputs[i - 1], pool: pool),
                                     "\(network.layerNames[i]) → \(network.layerNames[i + 1]) does not fuse")
            #expect(fused == outputs[i + 1], "\(network.layerNames[i]) → \(network.layerNames[i + 1])")
            fusedPairs += 1
        }
        #expect(fusedPairs == 2)
    }
}
