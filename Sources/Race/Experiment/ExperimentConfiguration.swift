import CNNCompute
/// How the experiment trains: the seed, the epochs, the batch size and how
/// many synthetic images each split holds.
public struct ExperimentConfiguration: Sendable, Hashable, Encodable {
    public var seed: UInt64
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Float
    public var trainCount: Int
    public var testCount: Int
    public var shiftedCount: Int
    /// Images per larger canvas.
    public var largeCount: Int
    public var largeCanvases: [Int]
    /// Images per forward pass when evaluating.
    public var evaluationBatchSize: Int

    /// The default run: sized to finish in well under a minute on two cores.
    public init(seed: UInt64 = 1, epochs: Int = 4, batchSize: Int = 32, learningRate: Float = 1e-3,
                trainCount: Int = 4000, testCount: Int = 500, shiftedCount: Int = 500,
                largeCount: Int = 200, largeCanvases: [Int] = [48, 64], evaluationBatchSize: Int = 100) {
        self.seed = seed
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.trainCount = trainCount
        self.testCount = testCount
        self.shiftedCount = shiftedCount
        self.largeCount = largeCount
        self.largeCanvases = largeCanvases
        self.evaluationBatchSize = evaluationBatchSize
    }

    /// Batches per epoch; the last one may be smaller.
    public var batchesPerEpoch: Int { (trainCount + batchSize - 1) / max(batchSize, 1) }

    /// The dataset these settings draw.
    public var dataset: SyntheticShapes.Configuration {
        var c = SyntheticShapes.Configuration(seed: seed, trainCount: trainCount, testCount: testCount,
                                              shiftedCount: shiftedCount, largeCount: largeCount)
        c.largeCanvases = largeCanvases
        return c
    }

    /// Refuses settings that can't train, with a message that says which.
    public func validate() throws(ExperimentError) {
        if epochs < 1 { throw ExperimentError("--epochs must be at least 1 (got \(epochs))") }
        if epochs > 1000 { throw ExperimentError("--epochs must be at most 1000 (got \(epochs))") }
        if batchSize < 1 { throw ExperimentError("the batch size must be at least 1 (got \(batchSize))") }
        if trainCount < 1 || testCount < 1 || shiftedCount < 1 || largeCount < 1 {
            throw ExperimentError("every split needs at least one image")
        }
        if evaluationBatchSize < 1 { throw ExperimentError("the evaluation batch size must be at least 1") }
        if !learningRate.isFinite || learningRate <= 0 {
            throw ExperimentError("the learning rate must be a positive number (got \(learningRate))")
        }
        if let bad = largeCanvases.first(where: { $0 < 32 || $0 > 512 }) {
            throw ExperimentError("a large canvas must be between 32 and 512 pixels (got \(bad))")
        }
    }

    enum CodingKeys: String, CodingKey {
        case seed, epochs
        case batchSize = "batch_size"
        case learningRate = "learning_rate"
        case trainCount = "train_images"
        case testCount = "test_images"
        case shiftedCount = "shifted_images"
        case largeCount = "large_images"
        case largeCanvases = "large_canvases"
        case evaluationBatchSize = "evaluation_batch_size"
    }
}
