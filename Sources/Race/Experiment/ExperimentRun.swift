import CNNCompute
import CNNModel
import Foundation

/// The experiment, one batch at a time: both heads train with the same
/// optimizer on the same shuffled batches of the synthetic shapes (or of a
/// dataset on disk), then meet the shifted and the large splits. A loss that
/// stops being a number stops the run (``ExperimentProgress/divergence``).
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
    public let data: RaceData
    public private(set) var progress: ExperimentProgress
    private let trainers: [HeadTrainer]
    /// Each head's train, test and shifted splits: the data's own, or placed on the GAP head's canvas.
    private let views: [(train: ShapeDataset, test: ShapeDataset, shifted: ShapeDataset)]
    private let clock: @Sendable () -> Double
    private let started: Double
    private let datasetSeconds: Double
    private var order: [Int] = []
    private var finalResult: ExperimentResult?

    /// Draws (or reads) the dataset and builds both networks with the seed's weights.
    ///
    /// - Parameter clock: seconds from any origin; tests pass a fake one.
    public init(_ configuration: ExperimentConfiguration,
                clock: @escaping @Sendable () -> Double = ExperimentRun.uptime) throws(ExperimentError) {
        try configuration.validate()
        self.configuration = configuration
        self.clock = clock
        started = clock()
        data = try ExperimentRun.data(for: configuration)
        datasetSeconds = clock() - started
        var trainers: [HeadTrainer] = []
        var views: [(train: ShapeDataset, test: ShapeDataset, shifted: ShapeDataset)] = []
        for head in ExperimentHead.allCases {
            var view = (train: data.train, test: data.test, shifted: data.shifted)
            if head == .globalPooling, let g = configuration.gapInput, g != data.train.height || g != data.train.width {
                guard g >= max(data.train.height, data.train.width) else {
                    throw ExperimentError("the GAP head's input size (\(g)) must be at least the images' size "
                        + "(\(data.train.height)×\(data.train.width))")
                }
                view = (data.train.padded(height: g, width: g), data.test.padded(height: g, width: g),
                        data.shifted.padded(height: g, width: g))
            }
            views.append(view)
            trainers.append(try HeadTrainer(head: head, inputShape: view.train.imageShape,
                                            classes: data.classNames.count, configuration: configuration))
        }
        self.trainers = trainers
        self.views = views
        progress = ExperimentProgress(phase: .training, epoch: 1, epochs: configuration.epochs, batch: 0,
                                      batchesPerEpoch: (data.train.count + configuration.batchSize - 1) / configuration.batchSize,
                                      heads: trainers.map(\.progress))
        shuffle()
    }

    /// The synthetic shapes, or the dataset at the configuration's path.
    static func data(for c: ExperimentConfiguration) throws(ExperimentError) -> RaceData {
        guard let path = c.dataPath else { return RaceData(SyntheticShapes(c.dataset)) }
        let contents: DataFolder.Contents
        do {
            contents = try loadedData.contents(path)
        } catch {
            throw ExperimentError(error.description)
        }
        return RaceData(contents, seed: c.seed, trainCount: c.trainCount, testCount: c.testCount,
                        shiftedCount: c.shiftedCount, largeCount: c.largeCount, largeCanvases: c.largeCanvases)
    }

    /// The last dataset read from disk, so that a rerun doesn't read (and gunzip) it again.
    private static let loadedData = LoadedData()

    private final class LoadedData: @unchecked Sendable {
        let lock = NSLock()
        var last: (path: String, contents: DataFolder.Contents)?

        func contents(_ path: String) throws(DataError) -> DataFolder.Contents {
            lock.lock()
            defer { lock.unlock() }
            if let last, last.path == path { return last.contents }
            let contents = try DataFolder.load(path)
            last = (path, contents)
            return contents
        }
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
        let indices = order[start ..< min(start + size, order.count)]
        let plain = data.train.batch(indices)
        for (trainer, view) in zip(trainers, views) {
            let batch = view.train.height == data.train.height && view.train.width == data.train.width
                ? plain : view.train.batch(indices)
            trainer.train(batch.images, labels: batch.labels, epoch: progress.epoch,
                          batch: progress.batch + 1, clock: clock)
        }
        progress.batch += 1
        if let divergence = trainers.lazy.compactMap(\.divergence).first {
            // A loss that is not a number stops the whole run: nothing after it would mean anything.
            progress.divergence = divergence
            progress.phase = .evaluating
            progress.heads = trainers.map(\.progress)
            return
        }
        if progress.batch == progress.batchesPerEpoch {
            for (trainer, view) in zip(trainers, views) { trainer.finishEpoch(progress.epoch, test: view.test, clock: clock) }
            if progress.epoch == progress.epochs {
                progress.phase = .evaluating
            } else {
                progress.epoch += 1
                progress.batch = 0
                shuffle()
            }
        }
        if let divergence = trainers.lazy.compactMap(\.divergence).first {
            progress.divergence = divergence
            progress.phase = .evaluating
        }
        if trainers.allSatisfy({ $0.stopped != nil }) { progress.phase = .evaluating }
        progress.heads = trainers.map(\.progress)
    }

    /// Each head with its network (the trained weights) and its model.
    public var headNetworks: [(head: ExperimentHead, network: Network, model: Model)] {
        trainers.map { ($0.head, $0.network, $0.model) }
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
        let measure = !cancelled && progress.divergence == nil
        var heads: [HeadResult] = []
        var splitPredictions: [String: [HeadTrainer.Predictions?]] = [:]
        let largeSets = data.large
        for (h, trainer) in trainers.enumerated() {
            var shifted: Evaluation?
            var large: [LargeInputResult] = []
            if measure, trainer.stopped == nil {
                let test = trainer.evaluate(trainer.network, on: views[h].test)
                let shift = trainer.evaluate(trainer.network, on: views[h].shifted)
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
        if measure {
            let picks = [(data.test, 4), (data.shifted, 4)] + largeSets.map { ($0, 2) }
            for (set, n) in picks {
                for i in 0..<min(n, set.count) {
                    let predictions = (splitPredictions[set.name] ?? []).map { p in
                        p.map { ExampleImage.Prediction(label: $0.labels[i], confidence: $0.confidences[i]) }
                    }
                    examples.append(ExampleImage(split: set.name, index: i, label: set.labels[i],
                                                 side: set.width, height: set.height, pixels: set.gray(i),
                                                 predictions: predictions))
                }
            }
        }
        var timings = ExperimentTimings()
        timings.totalSeconds = clock() - started
        timings.datasetSeconds = datasetSeconds
        timings.heads = trainers.map(\.timings)
        timings.processPeakBytes = TrainingMemory.processPeakBytes()
        let dataset = DatasetFacts(name: data.name, classes: data.classNames, imageShape: data.train.imageShape,
                                   trainMeanOffset: data.train.meanCentreOffset,
                                   shiftedMeanOffset: data.shifted.meanCentreOffset, shift: data.shift,
                                   availableTrain: data.available?.train, availableTest: data.available?.test,
                                   gapImageShape: views[ExperimentHead.allCases.firstIndex(of: .globalPooling) ?? 0].train.imageShape)
        var result = ExperimentResult(configuration: configuration, dataset: dataset, heads: heads,
                                      examples: examples, cancelled: cancelled, timings: timings)
        result.divergence = progress.divergence
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
