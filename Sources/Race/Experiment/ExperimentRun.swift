import CNNCompute
import CNNModel
import Foundation

/// The experiment, one batch at a time: both heads train with Adam on the
/// same shuffled batches of the synthetic shapes, then meet the shifted and
/// the large splits.
///
/// ```swift
/// let run = try ExperimentRun(ExperimentConfiguration(seed: 1))
/// while run.progress.phase == .training { run.step() }   // or from a worker thread
/// let result = run.finish()
/// ```
/// Use a run from one thread at a time; the app keeps it on a worker thread
/// and sends ``progress`` back to the UI as messages.
public final class ExperimentRun: @unchecked Sendable {
    public let configuration: ExperimentConfiguration
    public let data: SyntheticShapes
    public private(set) var progress: ExperimentProgress
    private let trainers: [HeadTrainer]
    private let clock: @Sendable () -> Double
    private let started: Double
    private let datasetSeconds: Double
    private var order: [Int] = []
    private var finalResult: ExperimentResult?

    /// Draws the dataset and builds both networks with the seed's weights.
    ///
    /// - Parameter clock: seconds from any origin; tests pass a fake one.
    public init(_ configuration: ExperimentConfiguration,
                clock: @escaping @Sendable () -> Double = ExperimentRun.uptime) throws(ExperimentError) {
        try configuration.validate()
        self.configuration = configuration
        self.clock = clock
        started = clock()
        data = SyntheticShapes(configuration.dataset)
        datasetSeconds = clock() - started
        var trainers: [HeadTrainer] = []
        for head in ExperimentHead.allCases {
            trainers.append(try HeadTrainer(head: head, configuration: configuration))
        }
        self.trainers = trainers
        progress = ExperimentProgress(phase: .training, epoch: 1, epochs: configuration.epochs, batch: 0,
                                      batchesPerEpoch: configuration.batchesPerEpoch,
                                      heads: trainers.map(\.progress))
        shuffle()
    }

    /// Seconds since boot, from the monotonic clock.
    public static let uptime: @Sendable () -> Double = {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }

    // MARK: - Training

    /// Trains every running head on the next batch; after an epoch's last
    /// batch, measures the test split. Does nothing once training is over.
    public func step() {
        guard progress.phase == .training else { return }
        let size = configuration.batchSize
        let start = progress.batch * size
        let batch = data.train.batch(order[start ..< min(start + size, order.count)])
        for trainer in trainers {
            trainer.train(batch.images, labels: batch.labels, epoch: progress.epoch,
                          batch: progress.batch + 1, clock: clock)
        }
        progress.batch += 1
        if progress.batch == progress.batchesPerEpoch {
            for trainer in trainers { trainer.finishEpoch(progress.epoch, test: data.test, clock: clock) }
            if progress.epoch == progress.epochs {
                progress.phase = .evaluating
            } else {
                progress.epoch += 1
                progress.batch = 0
                shuffle()
            }
        }
        if trainers.allSatisfy({ $0.stopped != nil }) { progress.phase = .evaluating }
        progress.heads = trainers.map(\.progress)
    }

    /// Stops training where it is; ``finish()`` then skips the final measurements.
    public func cancel() {
        if progress.phase == .training || progress.phase == .evaluating { progress.phase = .cancelled }
    }

    /// The epoch's order of the training images: a seeded shuffle, the same for both heads.
    private func shuffle() {
        var rng = DatasetRandom(seed: configuration.seed, stream: 1000 + UInt64(progress.epoch))
        order = Array(0..<data.train.count)
        rng.shuffle(&order)
    }

    // MARK: - Results

    /// Trains to the end, reporting after every batch, and measures everything.
    public static func run(_ configuration: ExperimentConfiguration,
                           clock: @escaping @Sendable () -> Double = ExperimentRun.uptime,
                           onProgress: (ExperimentProgress) -> Void = { _ in }) throws(ExperimentError) -> ExperimentResult {
        let run = try ExperimentRun(configuration, clock: clock)
        while run.progress.phase == .training {
            run.step()
            onProgress(run.progress)
        }
        return run.finish()
    }

    /// Measures the shifted and large splits (unless cancelled) and returns
    /// everything; later calls return the same result.
    public func finish() -> ExperimentResult {
        if let finalResult { return finalResult }
        let cancelled = progress.phase == .cancelled || progress.phase == .training
        var heads: [HeadResult] = []
        var splitPredictions: [String: [HeadTrainer.Predictions?]] = [:]
        let largeSets = data.large
        for (h, trainer) in trainers.enumerated() {
            var shifted: Evaluation?
            var large: [LargeInputResult] = []
            if !cancelled, trainer.stopped == nil {
                let test = trainer.evaluate(trainer.network, on: data.test)
                let shift = trainer.evaluate(trainer.network, on: data.shifted)
                shifted = shift?.evaluation
                splitPredictions[data.test.name, default: Array(repeating: nil, count: trainers.count)][h] = test
                splitPredictions[data.shifted.name, default: Array(repeating: nil, count: trainers.count)][h] = shift
                for set in largeSets {
                    let (outcome, predictions) = measureLarge(trainer, on: set)
                    large.append(outcome)
                    splitPredictions[set.name, default: Array(repeating: nil, count: trainers.count)][h] = predictions
                }
            }
            let s = trainer.summary
            heads.append(HeadResult(head: trainer.head, params: s.totalParams, trainableParams: s.trainableParams,
                                    nonTrainableParams: s.nonTrainableParams, headParams: trainer.headParams,
                                    multAddsPerImage: s.totalMultAdds, peakMemoryBytes: trainer.peakBytes,
                                    epochs: trainer.epochs, batchLosses: trainer.batchLosses,
                                    shifted: shifted, large: large, stopped: trainer.stopped))
        }
        var examples: [ExampleImage] = []
        if !cancelled {
            let picks = [(data.test, 4), (data.shifted, 4)] + largeSets.map { ($0, 2) }
            for (set, n) in picks {
                for i in 0..<min(n, set.count) {
                    let predictions = (splitPredictions[set.name] ?? []).map { p in
                        p.map { ExampleImage.Prediction(label: $0.labels[i], confidence: $0.confidences[i]) }
                    }
                    examples.append(ExampleImage(split: set.name, index: i, label: set.samples[i].label,
                                                 side: set.width, pixels: Array(set.image(i)),
                                                 predictions: predictions))
                }
            }
        }
        var timings = ExperimentTimings()
        timings.totalSeconds = clock() - started
        timings.datasetSeconds = datasetSeconds
        timings.heads = trainers.map(\.timings)
        timings.processPeakBytes = TrainingMemory.processPeakBytes()
        let dataset = DatasetFacts(classes: Glyph.names, trainMeanOffset: data.train.meanCentreOffset,
                                   shiftedMeanOffset: data.shifted.meanCentreOffset)
        let result = ExperimentResult(configuration: configuration, dataset: dataset, heads: heads,
                                      examples: examples, cancelled: cancelled, timings: timings)
        if progress.phase != .cancelled { progress.phase = .finished }
        finalResult = result
        return result
    }

    /// Runs a head's trained weights on a larger canvas, or reports the shape
    /// error that stops it.
    private func measureLarge(_ trainer: HeadTrainer, on set: ShapeDataset) -> (LargeInputResult, HeadTrainer.Predictions?) {
        let trained = trainer.network.inputShape
        let shape = set.imageShape
        let denseInputs = (try? trainer.model.summary(inputShape: shape))?.layers
            .first { if case .dense = $0.spec.kind { true } else { false } }?.inputShape.reduce(1, *) ?? 0
        var outcome = LargeInputResult(canvas: set.width, evaluation: nil, error: nil, explanation: nil,
                                       denseInputs: denseInputs)
        do {
            try TrainedShapeCheck.check(trainer.model, trainedOn: trained, input: shape)
        } catch {
            outcome.error = error.description
            outcome.explanation = TrainedShapeCheck.explanation(trainer.model, trainedOn: trained, input: shape)
            return (outcome, nil)
        }
        if let summary = try? trainer.model.summary(inputShape: shape),
           let why = RunBudget.inferenceRefusal(summary, batchSize: configuration.evaluationBatchSize, keepOutputs: false) {
            outcome.error = why
            return (outcome, nil)
        }
        do {
            let net = try Network(model: trainer.model, inputShape: shape, seed: configuration.seed)
            try net.load(trainer.network.weights)
            let predictions = trainer.evaluate(net, on: set)
            outcome.evaluation = predictions?.evaluation
            outcome.explanation = TrainedShapeCheck.poolingNote(trainer.model, trainedOn: trained, input: shape)
            if predictions == nil { outcome.error = "the loss on this canvas is not a finite number" }
            return (outcome, predictions)
        } catch {
            outcome.error = error.message
            return (outcome, nil)
        }
    }
}
