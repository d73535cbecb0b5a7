import CNNCompute
/// Everything one experiment run measured. The numbers depend only on the
/// configuration; wall-clock times live apart, in ``timings``, so that two
/// runs with one seed compare equal once those are set aside.
public struct ExperimentResult: Sendable, Equatable, Encodable {
    public var configuration: ExperimentConfiguration
    public var dataset: DatasetFacts
    public var heads: [HeadResult]
    /// A few images of each split with each head's prediction.
    public var examples: [ExampleImage]
    /// Set when the run was cancelled before its last epoch.
    public var cancelled: Bool
    /// Set when a loss stopped being a number and stopped the run.
    public var divergence: Divergence? = nil
    /// Measured times: they differ from run to run.
    public var timings: ExperimentTimings

    /// The result of one head.
    public func head(_ head: ExperimentHead) -> HeadResult? { heads.first { $0.head == head } }

    /// The same result without anything a clock measured.
    public var withoutTimings: ExperimentResult {
        var copy = self
        copy.timings = ExperimentTimings()
        return copy
    }
}

/// What the dataset looks like: its name, the classes and where the objects sit.
public struct DatasetFacts: Sendable, Equatable, Encodable {
    /// `synthetic shapes`, `MNIST`, `CIFAR-10`, or an image folder's name.
    public var name: String
    public var classes: [String]
    /// One image's shape, (H, W, C).
    public var imageShape: [Int]
    /// The mean L∞ distance (pixels) of each image's ink centre from the canvas centre.
    public var trainMeanOffset: Double
    public var shiftedMeanOffset: Double
    /// Real data: how far the shifted split moves each test image, in pixels.
    public var shift: Int?
    /// Real data: how many train and test images the files hold.
    public var availableTrain: Int?
    public var availableTest: Int?
    /// The shape the GAP head trains on (its own canvas, when it has one).
    public var gapImageShape: [Int]

    public init(name: String = "synthetic shapes", classes: [String], imageShape: [Int] = [32, 32, 1],
                trainMeanOffset: Double, shiftedMeanOffset: Double, shift: Int? = nil,
                availableTrain: Int? = nil, availableTest: Int? = nil, gapImageShape: [Int]? = nil) {
        self.name = name
        self.classes = classes
        self.imageShape = imageShape
        self.trainMeanOffset = trainMeanOffset
        self.shiftedMeanOffset = shiftedMeanOffset
        self.shift = shift
        self.availableTrain = availableTrain
        self.availableTest = availableTest
        self.gapImageShape = gapImageShape ?? imageShape
    }

    enum CodingKeys: String, CodingKey {
        case name, classes, shift
        case imageShape = "image_shape"
        case trainMeanOffset = "train_mean_offset"
        case shiftedMeanOffset = "shifted_mean_offset"
        case availableTrain = "available_train"
        case availableTest = "available_test"
        case gapImageShape = "gap_image_shape"
    }
}

/// One head's parameters, curves and accuracies.
public struct HeadResult: Sendable, Equatable, Encodable {
    public var head: ExperimentHead
    public var params: Int
    public var trainableParams: Int
    public var nonTrainableParams: Int
    /// The parameters of the head alone (every layer after the backbone).
    public var headParams: Int
    public var multAddsPerImage: Int
    /// An estimate of the bytes that training one batch holds at its peak.
    public var peakMemoryBytes: Int
    public var epochs: [EpochRecord]
    /// The loss of every training batch, in order (the live curve).
    public var batchLosses: [Double]
    public var shifted: Evaluation?
    public var large: [LargeInputResult]
    /// Why training stopped early, if it did.
    public var stopped: StopReason?

    /// The test accuracy after the last epoch that finished.
    public var finalTestAccuracy: Double? { epochs.last?.testAccuracy }

    enum CodingKeys: String, CodingKey {
        case head, params, epochs, shifted, large, stopped
        case trainableParams = "trainable_params"
        case nonTrainableParams = "non_trainable_params"
        case headParams = "head_params"
        case multAddsPerImage = "mult_adds_per_image"
        case peakMemoryBytes = "peak_memory_bytes"
        case batchLosses = "batch_losses"
    }
}

/// One epoch's mean training loss and accuracy, and the test split's after it.
public struct EpochRecord: Sendable, Equatable, Encodable {
    public var epoch: Int
    public var trainLoss: Double
    public var trainAccuracy: Double
    public var testLoss: Double
    public var testAccuracy: Double

    enum CodingKeys: String, CodingKey {
        case epoch
        case trainLoss = "train_loss"
        case trainAccuracy = "train_accuracy"
        case testLoss = "test_loss"
        case testAccuracy = "test_accuracy"
    }
}

/// Loss and accuracy on a split, in inference mode.
public struct Evaluation: Sendable, Equatable, Encodable {
    public var loss: Double
    public var accuracy: Double
    public var images: Int
}

/// What a head did with a larger canvas: an accuracy, or the error that
/// stopped it and why.
public struct LargeInputResult: Sendable, Equatable, Encodable {
    public var canvas: Int
    /// Set when the head ran.
    public var evaluation: Evaluation?
    /// The shape error, as the model engine words it, when the head can't run.
    public var error: String?
    /// The error explained for a learner, or what running on this canvas means.
    public var explanation: String?
    /// The size of the vector the head's first Dense layer receives on this canvas.
    public var denseInputs: Int
}

/// Why a head stopped training before the last epoch.
public struct StopReason: Sendable, Equatable, Encodable {
    public var epoch: Int
    /// The batch within the epoch, from 1.
    public var batch: Int
    public var message: String
}

/// One image with each head's answer.
public struct ExampleImage: Sendable, Equatable, Encodable {
    /// `test`, `shifted`, `large 48×48`, …
    public var split: String
    public var index: Int
    public var label: Int
    /// The width in pixels.
    public var side: Int
    public var height: Int
    /// Grayscale pixels (colour images as their channels' mean), row-major; left out of JSON.
    public var pixels: [Float]
    /// Per head, in ``ExperimentHead`` order: the predicted class, or nil when the head can't run.
    public var predictions: [Prediction?]

    public struct Prediction: Sendable, Equatable, Encodable {
        public var label: Int
        public var confidence: Double
    }

    enum CodingKeys: String, CodingKey {
        case split, index, label, side, predictions
    }
}

/// Wall-clock measurements, apart from the reproducible numbers.
public struct ExperimentTimings: Sendable, Equatable, Encodable {
    public var totalSeconds: Double = 0
    public var datasetSeconds: Double = 0
    /// Per head, in ``ExperimentHead`` order.
    public var heads: [HeadTimings] = []
    /// The process's peak resident memory, where the system reports it.
    public var processPeakBytes: Int?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case heads
        case totalSeconds = "total_seconds"
        case datasetSeconds = "dataset_seconds"
        case processPeakBytes = "process_peak_bytes"
    }
}

/// One head's measured times.
public struct HeadTimings: Sendable, Equatable, Encodable {
    public var head: ExperimentHead
    /// Training plus test evaluation, per epoch.
    public var epochSeconds: [Double] = []
    /// Training images per second of training time.
    public var imagesPerSecond: Double = 0

    public init(head: ExperimentHead) { self.head = head }

    enum CodingKeys: String, CodingKey {
        case head
        case epochSeconds = "epoch_seconds"
        case imagesPerSecond = "images_per_second"
    }
}
