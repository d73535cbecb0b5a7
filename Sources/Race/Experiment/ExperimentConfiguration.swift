import CNNCompute
/// How the experiment trains: the data, the seed, the epochs, the batch
/// size, the optimizer and its learning rate, and how many images each split holds.
public struct ExperimentConfiguration: Sendable, Hashable, Encodable {
    public var seed: UInt64
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Float
    public var optimizer: RaceOptimizer
    /// SGD's momentum (Adam ignores it).
    public var momentum: Float
    /// The side of the square canvas the GAP head trains and tests on; the
    /// images sit in its middle. Nil: the images' own size, as the Flatten head.
    public var gapInput: Int? {
        get { gapSide > 0 ? gapSide : nil }
        set { gapSide = newValue ?? 0 }
    }
    /// A dataset on disk (``DataFolder``); nil for the synthetic shapes.
    public var dataPath: String? {
        get { dataFolder.isEmpty ? nil : dataFolder }
        set { dataFolder = newValue ?? "" }
    }
    // Stored as plain values, 0 and "" for none, as the JSON writes them.
    private var gapSide = 0
    private var dataFolder = ""
    public var trainCount: Int
    public var testCount: Int
    public var shiftedCount: Int
    /// Images per larger canvas.
    public var largeCount: Int
    public var largeCanvases: [Int]
    /// Images per forward pass when evaluating.
    public var evaluationBatchSize: Int

    /// The default run: sized to finish in well under a minute on two cores,
    /// with few enough images (100 of each shape) that the Flatten head, which
    /// must learn each shape at each place, falls behind on the ordinary test split too.
    public init(seed: UInt64 = 1, epochs: Int = 4, batchSize: Int = 32, learningRate: Float = 1e-3,
                trainCount: Int = 1000, testCount: Int = 500, shiftedCount: Int = 500,
                largeCount: Int = 200, largeCanvases: [Int] = [48, 64], evaluationBatchSize: Int = 100,
                optimizer: RaceOptimizer = .adam, momentum: Float = 0.9, gapInput: Int? = nil, dataPath: String? = nil) {
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
        self.optimizer = optimizer
        self.momentum = momentum
        self.gapInput = gapInput
        self.dataPath = dataPath
    }

    /// Training images of a real dataset (``dataPath``) when none are asked for: a real dataset has plenty.
    public static let realDataTrainCount = 4000

    /// Batches per epoch of the synthetic data (a real dataset may hold fewer images); the last one may be smaller.
    public var batchesPerEpoch: Int { (trainCount + batchSize - 1) / max(batchSize, 1) }

    /// The synthetic dataset these settings draw.
    public var dataset: SyntheticShapes.Configuration {
        var c = SyntheticShapes.Configuration(seed: seed, trainCount: trainCount, testCount: testCount,
                                              shiftedCount: shiftedCount, largeCount: largeCount)
        c.largeCanvases = largeCanvases
        return c
    }

    /// The optimizer's update rule with these settings.
    public var optimizerKind: OptimizerKind {
        switch optimizer {
        case .adam: .adam(learningRate: learningRate)
        case .sgd: .sgd(learningRate: learningRate, momentum: momentum)
        }
    }

    /// `Adam, learning rate 0.001` or `SGD with momentum 0.9, learning rate 0.01`.
    public var optimizerText: String {
        switch optimizer {
        case .adam: "Adam, learning rate \(learningRate)"
        case .sgd: momentum == 0 ? "SGD, learning rate \(learningRate)"
            : "SGD with momentum \(momentum), learning rate \(learningRate)"
        }
    }

    /// Refuses settings that can't train, with a message that says which.
    public func validate() throws(ExperimentError) {
        if epochs < 1 { throw ExperimentError("--epochs must be at least 1 (got \(epochs))") }
        if epochs > 1000 { throw ExperimentError("--epochs must be at most 1000 (got \(epochs))") }
        if batchSize < 1 { throw ExperimentError("the batch size must be at least 1 (got \(batchSize))") }
        if batchSize > 4096 { throw ExperimentError("the batch size must be at most 4096 (got \(batchSize))") }
        if trainCount < 1 || testCount < 1 || shiftedCount < 1 || largeCount < 1 {
            throw ExperimentError("every split needs at least one image")
        }
        if evaluationBatchSize < 1 { throw ExperimentError("the evaluation batch size must be at least 1") }
        if !learningRate.isFinite || learningRate <= 0 {
            throw ExperimentError("the learning rate must be a positive number (got \(learningRate))")
        }
        if !momentum.isFinite || momentum < 0 || momentum >= 1 {
            throw ExperimentError("the momentum must be at least 0 and below 1 (got \(momentum))")
        }
        if let g = gapInput, g < 16 || g > 256 {
            throw ExperimentError("the GAP head's input size must be between 16 and 256 pixels (got \(g))")
        }
        if let bad = largeCanvases.first(where: { $0 < 32 || $0 > 512 }) {
            throw ExperimentError("a large canvas must be between 32 and 512 pixels (got \(bad))")
        }
    }

    enum CodingKeys: String, CodingKey {
        case seed, epochs, optimizer, momentum
        case batchSize = "batch_size"
        case learningRate = "learning_rate"
        case gapSide = "gap_input"
        case dataFolder = "data"
        case trainCount = "train_images"
        case testCount = "test_images"
        case shiftedCount = "shifted_images"
        case largeCount = "large_images"
        case largeCanvases = "large_canvases"
        case evaluationBatchSize = "evaluation_batch_size"
    }
}

/// The optimizers the race offers, with Keras' update rules.
public enum RaceOptimizer: String, Sendable, Hashable, Codable, CaseIterable {
    case adam
    /// SGD, with ``ExperimentConfiguration/momentum``.
    case sgd

    /// `Adam` or `SGD`.
    public var title: String { self == .adam ? "Adam" : "SGD" }
}
