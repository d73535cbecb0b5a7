import CNNCompute
import CNNModel

/// A short, seeded training run of any model on the synthetic shapes, so that
/// the feature maps can show what a trained network sees.
///
/// ```swift
/// let plan = try ModelTraining.plan(for: model)          // which input size, or why not
/// let outcome = try ModelTraining.train(model, plan: plan, settings: .init()) { p in print(p.step) }
/// outcome.weights["conv2d/kernel"]                        // Keras names and layouts
/// ```
public enum ModelTraining {
    /// How long and how fast to train; the same settings give the same weights.
    public struct Settings: Sendable, Hashable {
        public var seed: UInt64
        public var steps: Int
        public var batchSize: Int
        public var learningRate: Float
        /// Test images for the accuracy before and after.
        public var testCount: Int
        public init(seed: UInt64 = 42, steps: Int = 60, batchSize: Int = 32, learningRate: Float = 2e-3, testCount: Int = 200) {
            self.seed = seed
            self.steps = steps
            self.batchSize = batchSize
            self.learningRate = learningRate
            self.testCount = testCount
        }
    }

    /// The input the model trains on, worked out from its own.
    public struct Plan: Sendable, Hashable {
        /// (side, side, channels): the shapes are drawn at `side`.
        public var inputShape: [Int]
        /// What was adapted, for the learner: "grayscale shapes on 3 channels", "trained at 32×32".
        public var notes: [String]
    }

    /// One step done.
    public struct Progress: Sendable, Hashable {
        public var step: Int
        public var steps: Int
        public var loss: Float
        public var accuracy: Float
    }

    /// What the run produced.
    public struct Outcome: Sendable {
        public var plan: Plan
        public var initialWeights: [String: Tensor]
        public var weights: [String: Tensor]
        public var steps: Int
        /// Test accuracy (inference mode) before the first step and after the last.
        public var accuracyBefore: Double
        public var accuracyAfter: Double
        public var lastLoss: Float
        /// The first test image, (side, side, channels), as the model saw it.
        public var sampleImage: Tensor
        public var sampleLabel: Int
    }

    /// The side the shapes are drawn at when the model's own input can't be used.
    public static let defaultSide = 32
    /// The glyph classes the model must predict.
    public static var classes: Int { Glyph.allCases.count }

    /// Which input the model trains on, or a clear reason why it can't.
    ///
    /// The shapes are grayscale: a 3-channel model gets the gray value on each
    /// channel. A square input from 16 to 64 pixels is drawn at its own size;
    /// a model whose weights don't depend on the size (a pooled head) trains
    /// at 32×32; anything else is refused, saying what to change.
    public static func plan(for model: Model) throws(ExperimentError) -> Plan {
        guard let shape = model.inputShape, shape.count == 3 else {
            let s = model.inputShape.map(ShapeFormat.tuple) ?? "missing"
            throw ExperimentError("the synthetic shapes are images (height, width, channels); this model's input is \(s)")
        }
        let (h, w, c) = (shape[0], shape[1], shape[2])
        guard c == 1 || c == 3 else {
            throw ExperimentError("the synthetic shapes are grayscale (1 channel, or repeated on 3); this model's input has \(c) channels")
        }
        let own: ModelSummary
        do { own = try model.summary() } catch { throw ExperimentError(error.description) }
        guard own.outputShape == [classes] else {
            throw ExperimentError("the synthetic shapes have \(classes) classes, but this model ends in "
                + ShapeFormat.keras(own.outputShape) + "; end it with Dense(\(classes), activation='softmax')")
        }
        var notes: [String] = c == 3 ? ["grayscale shapes on 3 channels"] : []
        if h == w, (16...64).contains(h) { return Plan(inputShape: [h, w, c], notes: notes) }
        let side = defaultSide
        let small = try? model.summary(inputShape: [side, side, c])
        guard let small, small.totalParams == own.totalParams, small.outputShape == own.outputShape else {
            throw ExperimentError("the shapes are 16×16 to 64×64 and this model's Flatten head fixes its weights "
                + "to \(h)×\(w): set the input to 32 (i) or pool the head (h)")
        }
        notes.append("trained at \(side)×\(side), the shapes' size: its weights don't depend on the input size")
        return Plan(inputShape: [side, side, c], notes: notes)
    }

    /// Trains `model` with Adam on seeded batches of synthetic shapes.
    ///
    /// BatchNormalization trains with momentum 0.9 here, as in the race: with
    /// Keras' 0.99 a run this short leaves the moving statistics near their
    /// start and inference near chance. `shouldStop` is asked before each step.
    public static func train(_ model: Model, plan: Plan, settings s: Settings,
                             shouldStop: () -> Bool = { false },
                             progress: (Progress) -> Void = { _ in }) throws(ExperimentError) -> Outcome {
        var runModel = model
        runModel.inputShape = plan.inputShape
        for i in runModel.layers.indices {
            guard case .batchNorm(var norm) = runModel.layers[i].kind else { continue }
            norm.momentum = min(norm.momentum, 0.9)
            runModel.layers[i].kind = .batchNorm(norm)
        }
        let network: Network
        do { network = try Network(model: runModel, seed: s.seed) } catch { throw ExperimentError(error.message) }
        let batch = max(1, s.batchSize)
        if let why = RunBudget.trainingRefusal(network.summary, batchSize: batch) {
            throw ExperimentError("this model can't train here: \(why); try a smaller input")
        }
        let side = plan.inputShape[0], channels = plan.inputShape[2]
        var data = SyntheticShapes.Configuration(seed: s.seed)
        data.canvas = side
        let train = SyntheticShapes.split(.train, count: max(batch, min(s.steps * batch, 2000)), configuration: data)
        let test = SyntheticShapes.split(.test, count: max(1, s.testCount), configuration: data)
        let initial = network.weights
        let before = try accuracy(network, on: test, channels: channels)
        var order = Array(0..<train.count)
        var rng = DatasetRandom(seed: s.seed, stream: 7)
        rng.shuffle(&order)
        let optimizer = Optimizer.adam(learningRate: s.learningRate)
        var cursor = 0, lastLoss: Float = .nan, done = 0
        for step in 0..<max(0, s.steps) {
            if shouldStop() { throw ExperimentError("cancelled") }
            if cursor + batch > order.count { rng.shuffle(&order); cursor = 0 }
            let (x, y) = train.batch(order[cursor..<(cursor + batch)])
            cursor += batch
            let result: Network.Step
            do {
                result = try network.trainStep(repeated(x, channels: channels), labels: y, optimizer: optimizer)
            } catch {
                throw ExperimentError("training stopped at step \(step + 1): \(error.message)")
            }
            guard result.loss.isFinite else {
                throw ExperimentError("the loss became \(result.loss) at step \(step + 1); try a smaller learning rate")
            }
            lastLoss = result.loss
            done = step + 1
            progress(Progress(step: done, steps: s.steps, loss: result.loss, accuracy: result.accuracy))
        }
        let after = try accuracy(network, on: test, channels: channels)
        let (sample, labels) = test.batch(0..<1)
        let image = repeated(sample, channels: channels)
        return Outcome(plan: plan, initialWeights: initial, weights: network.weights, steps: done,
                       accuracyBefore: before, accuracyAfter: after, lastLoss: lastLoss,
                       sampleImage: image.reshaped(Array(image.shape.dropFirst())), sampleLabel: labels[0])
    }

    /// Inference-mode accuracy over a split.
    static func accuracy(_ net: Network, on data: ShapeDataset, channels: Int) throws(ExperimentError) -> Double {
        var right = 0, start = 0
        while start < data.count {
            let end = min(start + 50, data.count)
            let (x, y) = data.batch(start..<end)
            let p: Tensor
            do { p = try net.predict(repeated(x, channels: channels)) } catch { throw ExperimentError(error.message) }
            let k = p.count / max(1, y.count)
            for b in 0..<y.count {
                var best = 0
                for j in 1..<k where p.data[b * k + j] > p.data[b * k + best] { best = j }
                if best == y[b] { right += 1 }
            }
            start = end
        }
        return Double(right) / Double(max(1, data.count))
    }

    /// A (N, H, W, 1) batch with its one channel repeated `channels` times.
    static func repeated(_ x: Tensor, channels: Int) -> Tensor {
        guard channels > 1 else { return x }
        var out = [Float](repeating: 0, count: x.count * channels)
        for i in 0..<x.count { for c in 0..<channels { out[i * channels + c] = x.data[i] } }
        return Tensor(shape: Array(x.shape.dropLast()) + [channels], data: out)
    }
}
