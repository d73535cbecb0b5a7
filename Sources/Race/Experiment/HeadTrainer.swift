import CNNCompute
import CNNModel

/// One head in the race: its network, its optimizer's state and what it measured.
final class HeadTrainer {
    let head: ExperimentHead
    let model: Model
    let network: Network
    let optimizer: Optimizer
    let peakBytes: Int
    let evaluationBatchSize: Int

    var epochs: [EpochRecord] = []
    var batchLosses: [Double] = []
    var batchAccuracies: [Double] = []
    var stopped: StopReason?
    /// Set when the training loss stopped being a number.
    var divergence: Divergence?
    private let configuration: ExperimentConfiguration
    var timings: HeadTimings
    /// Why the last ``evaluate(_:on:)`` gave nil, when a layer said so.
    var evaluationError: String?

    // MARK: - The current epoch's sums

    private var lossSum = 0.0
    private var accuracySum = 0.0
    private var images = 0
    private var epochSeconds = 0.0
    private var trainSeconds = 0.0
    private var trainedImages = 0

    init(head: ExperimentHead, inputShape: [Int], classes: Int, configuration c: ExperimentConfiguration) throws(ExperimentError) {
        self.head = head
        configuration = c
        model = head.model(inputShape: inputShape, classes: classes)
        do {
            network = try Network(model: model, seed: c.seed)
        } catch {
            throw ExperimentError("the \(head.title) can't be built: \(error.message)")
        }
        optimizer = Optimizer(c.optimizerKind)
        evaluationBatchSize = c.evaluationBatchSize
        peakBytes = TrainingMemory.peakBytes(network.summary, batchSize: c.batchSize)
        if let why = RunBudget.trainingRefusal(network.summary, batchSize: c.batchSize) {
            throw ExperimentError("the \(head.title) can't train: \(why); try a smaller batch")
        }
        timings = HeadTimings(head: head)
    }

    var summary: ModelSummary { network.summary }

    /// Params of the layers from the first Flatten or global pooling on.
    var headParams: Int {
        let layers = summary.layers
        let start = layers.firstIndex {
            switch $0.spec.kind {
            case .flatten, .globalPool: true
            default: false
            }
        } ?? layers.count
        return layers[start...].reduce(0) { $0 + $1.params }
    }

    // MARK: - Training

    /// One optimizer step on a batch; a non-finite loss stops this head and says so in ``divergence``.
    func train(_ x: Tensor, labels: [Int], epoch: Int, batch: Int, clock: () -> Double) {
        guard stopped == nil else { return }
        let t0 = clock()
        let step: Network.Step
        do {
            step = try network.trainStep(x, labels: labels, optimizer: optimizer)
        } catch {
            stopped = StopReason(epoch: epoch, batch: batch, message:
                "at epoch \(epoch), batch \(batch): \(error.message); this head stopped training")
            if error.layer != nil {
                // A non-finite value inside the pass: the same divergence, found a layer earlier.
                divergence = Divergence(head: head, epoch: epoch, batch: batch, value: .nan,
                                        site: .trainingPass(error.message), configuration: configuration)
            }
            return
        }
        let dt = clock() - t0
        guard step.loss.isFinite else {
            divergence = Divergence(head: head, epoch: epoch, batch: batch, value: step.loss, configuration: configuration)
            stopped = StopReason(epoch: epoch, batch: batch, message:
                "the training loss became \(step.loss) at epoch \(epoch), batch \(batch); "
                + "this head stopped training and its last weights are not used")
            return
        }
        let n = labels.count
        lossSum += Double(step.loss) * Double(n)
        accuracySum += Double(step.accuracy) * Double(n)
        images += n
        epochSeconds += dt
        trainSeconds += dt
        trainedImages += n
        batchLosses.append(Double(step.loss))
        batchAccuracies.append(Double(step.accuracy))
        timings.imagesPerSecond = trainSeconds > 0 ? Double(trainedImages) / trainSeconds : 0
    }

    /// Closes an epoch: the mean training figures and the test split's.
    func finishEpoch(_ epoch: Int, test: ShapeDataset, clock: () -> Double) {
        guard stopped == nil else { return }
        let t0 = clock()
        let result = evaluate(network, on: test)
        epochSeconds += clock() - t0
        guard let evaluation = result?.evaluation else {
            // Inf or NaN on the test split is the same divergence, seen one pass later.
            divergence = Divergence(head: head, epoch: epoch, batch: 0, value: .nan,
                                    site: .testSplit(evaluationError), configuration: configuration)
            stopped = StopReason(epoch: epoch, batch: 0, message: evaluationError.map {
                "on the test split after epoch \(epoch): \($0); this head stopped"
            } ?? "the test loss is not a finite number after epoch \(epoch); this head stopped")
            return
        }
        epochs.append(EpochRecord(epoch: epoch, trainLoss: lossSum / Double(max(images, 1)),
                                  trainAccuracy: accuracySum / Double(max(images, 1)),
                                  testLoss: evaluation.loss, testAccuracy: evaluation.accuracy))
        timings.epochSeconds.append(epochSeconds)
        lossSum = 0
        accuracySum = 0
        images = 0
        epochSeconds = 0
    }

    var progress: HeadProgress {
        HeadProgress(head: head, params: summary.totalParams, peakMemoryBytes: peakBytes,
                     batchLosses: batchLosses, batchAccuracies: batchAccuracies, epochs: epochs,
                     runningLoss: images > 0 ? lossSum / Double(images) : epochs.last?.trainLoss ?? 0,
                     runningAccuracy: images > 0 ? accuracySum / Double(images) : epochs.last?.trainAccuracy ?? 0,
                     imagesPerSecond: timings.imagesPerSecond, stopped: stopped)
    }

    // MARK: - Evaluation

    /// What a network predicts for every image of a split.
    struct Predictions {
        var evaluation: Evaluation
        var labels: [Int]
        var confidences: [Double]
    }

    /// Inference over a split in batches; nil when the loss is not finite.
    func evaluate(_ net: Network, on data: ShapeDataset) -> Predictions? {
        var lossSum = 0.0, right = 0
        var labels: [Int] = [], confidences: [Double] = []
        var start = 0
        evaluationError = nil
        while start < data.count {
            let end = min(start + evaluationBatchSize, data.count)
            let (x, y) = data.batch(start..<end)
            let p: Tensor
            do {
                p = try net.predict(x)
            } catch {
                evaluationError = error.message
                return nil
            }
            lossSum += Double(SparseCategoricalCrossEntropy.loss(p, labels: y)) * Double(y.count)
            let k = p.count / max(y.count, 1)
            for b in 0..<y.count {
                var best = 0
                for j in 1..<k where p.data[b * k + j] > p.data[b * k + best] { best = j }
                labels.append(best)
                confidences.append(Double(p.data[b * k + best]))
                if best == y[b] { right += 1 }
            }
            start = end
        }
        let loss = lossSum / Double(max(data.count, 1))
        guard loss.isFinite, confidences.allSatisfy(\.isFinite) else { return nil }
        return Predictions(evaluation: Evaluation(loss: loss, accuracy: Double(right) / Double(max(data.count, 1)),
                                                  images: data.count),
                           labels: labels, confidences: confidences)
    }
}
