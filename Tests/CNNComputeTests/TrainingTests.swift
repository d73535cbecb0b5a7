import Foundation
import CNNModel
import Testing
@testable import CNNCompute

/// A small seeded training problem: the loss goes down, and the same seed
/// gives the same weights bit for bit.
@Suite struct TrainingTests {
    static let model = """
        keras.Sequential([
            keras.Input(shape=(8, 8, 1)),
            Conv2D(16, 3, padding='same', activation='relu'),
            MaxPooling2D(2),
            BatchNormalization(),
            Conv2D(16, 3, activation='relu'),
            GlobalAveragePooling2D(),
            Dropout(0.2),
            Dense(2, activation='softmax'),
        ])
        """

    /// Class 0: a bright left half; class 1: a bright right half; plus noise.
    static func batch(_ g: inout SeededGenerator, size: Int) -> (Tensor, [Int]) {
        var data = [Float](repeating: 0, count: size * 64)
        var labels: [Int] = []
        for b in 0..<size {
            let label = Int(g.next() % 2)
            labels.append(label)
            for y in 0..<8 {
                for x in 0..<8 {
                    let bright = (x < 4) == (label == 0)
                    data[b * 64 + y * 8 + x] = (bright ? 1 : 0) + 0.3 * g.normal()
                }
            }
        }
        return (Tensor(shape: [size, 8, 8, 1], data: data), labels)
    }

    static func train(seed: UInt64, optimizer: Optimizer, steps: Int) throws -> (first: Float, last: Float, weights: [String: Tensor]) {
        let net = try Network(model: KerasParser.parse(model), seed: seed)
        var g = SeededGenerator(seed: seed &+ 1)
        var losses: [Float] = []
        for _ in 0..<steps {
            let (x, y) = batch(&g, size: 16)
            losses.append(try net.trainStep(x, labels: y, optimizer: optimizer).loss)
        }
        let head = losses.prefix(5).reduce(0, +) / 5, tail = losses.suffix(5).reduce(0, +) / 5
        return (head, tail, net.weights)
    }

    @Test func adamLowersTheLoss() throws {
        let r = try Self.train(seed: 4, optimizer: .adam(learningRate: 1e-2), steps: 60)
        #expect(r.last < r.first * 0.6, "loss \(r.first) → \(r.last)")
    }

    @Test func sgdWithMomentumLowersTheLoss() throws {
        let r = try Self.train(seed: 4, optimizer: .sgd(learningRate: 0.05, momentum: 0.9), steps: 60)
        #expect(r.last < r.first * 0.8, "loss \(r.first) → \(r.last)")
    }

    @Test func sameSeedGivesIdenticalWeights() throws {
        let a = try Self.train(seed: 9, optimizer: .adam(), steps: 8)
        let b = try Self.train(seed: 9, optimizer: .adam(), steps: 8)
        let c = try Self.train(seed: 10, optimizer: .adam(), steps: 8)
        #expect(a.weights == b.weights)
        #expect(a.weights != c.weights)
    }

    @Test func batchNormUpdatesMovingStatistics() throws {
        let net = try Network(model: KerasParser.parse(Self.model), seed: 1)
        var g = SeededGenerator(seed: 2)
        let (x, y) = Self.batch(&g, size: 8)
        _ = try net.gradients(x, labels: y)
        let variance = try #require(net.weights["batch_normalization/moving_variance"])
        let mean = try #require(net.weights["batch_normalization/moving_mean"])
        // After one step from (0, 1): 0.99 · old + 0.01 · batch statistic.
        #expect(mean.data.contains { $0 != 0 })
        #expect(variance.data.allSatisfy { $0 > 0.99 * 1 - 1e-6 && $0 != 1 })
    }

    @Test func adamMatchesKerasFirstStep() throws {
        // One Adam step moves each weight by about lr·sign(g) on the first step.
        let net = try Network(model: KerasParser.parse("keras.Sequential([Input(shape=(3,)), Dense(2, activation='softmax')])"), seed: 1)
        let before = net.weights["dense/kernel"]!
        let x = Tensor(shape: [2, 3], data: [1, 2, 3, -1, 0.5, 2])
        let grads = try net.gradients(x, labels: [0, 1]).gradients["dense/kernel"]!
        try net.trainStep(x, labels: [0, 1], optimizer: .adam())
        let after = net.weights["dense/kernel"]!
        for i in 0..<before.count where abs(grads.data[i]) > 1e-4 {
            let step = after.data[i] - before.data[i]
            #expect(abs(abs(step) - 1e-3) < 1e-5 && (step < 0) == (grads.data[i] > 0))
        }
    }

    @Test func lossUsesTheSoftmaxLogitsAsKerasDoes() throws {
        // A confidently wrong prediction: p(label) ≈ e^-40, far below the 1e-7 clip.
        let net = try Network(model: KerasParser.parse("keras.Sequential([Input(shape=(2,)), Dense(2, activation='softmax')])"))
        try net.load(["dense/kernel": Tensor(shape: [2, 2], data: [20, -20, 0, 0]), "dense/bias": Tensor(zeros: [2])])
        let r = try net.gradients(Tensor(shape: [1, 2], data: [1, 0]), labels: [1])
        #expect(abs(r.step.loss - 40) < 1e-3, "loss \(r.step.loss)")
        let g = try #require(r.gradients["dense/bias"])
        #expect(abs(g.data[0] - 1) < 1e-5 && abs(g.data[1] + 1) < 1e-5)
    }

    @Test func lossWithoutSoftmaxClipsProbabilities() throws {
        let net = try Network(model: KerasParser.parse("keras.Sequential([Input(shape=(2,)), Dense(2, activation='sigmoid')])"))
        try net.load(["dense/kernel": Tensor(shape: [2, 2], data: [40, -40, 0, 0]), "dense/bias": Tensor(zeros: [2])])
        let r = try net.gradients(Tensor(shape: [1, 2], data: [1, 0]), labels: [1])
        #expect(abs(r.step.loss - Float(-log(1e-7))) < 1e-3, "loss \(r.step.loss)")
    }

    @Test func badLabelsAndShapesAreErrors() throws {
        let net = try Network(model: KerasParser.parse(Self.model), seed: 1)
        var g = SeededGenerator(seed: 2)
        let (x, _) = Self.batch(&g, size: 2)
        #expect(throws: NetworkError.self) { try net.gradients(x, labels: [0, 5]) }
        #expect(throws: NetworkError.self) { try net.gradients(x, labels: [0]) }
        #expect(throws: NetworkError.self) { try net.forward(Tensor(zeros: [1, 7, 8, 1])) }
    }
}

/// `trainable=False`: a frozen layer's weights and BatchNormalization's moving
/// statistics stay as they are through training, and get no gradient.
@Test func frozenLayersDoNotTrain() throws {
    let model = try KerasParser.parse("""
        keras.Sequential([keras.Input(shape=(6, 6, 1)), Conv2D(4, 3, trainable=False),
                          BatchNormalization(trainable=False), Conv2D(4, 3), GlobalAveragePooling2D(),
                          Dense(2, activation='softmax')])
        """)
    let net = try Network(model: model, seed: 3)
    var g = SeededGenerator(seed: 9)
    let x = Tensor(shape: [4, 6, 6, 1], data: (0..<144).map { _ in g.normal() })
    let before = net.weights
    let grads = try net.gradients(x, labels: [0, 1, 0, 1]).gradients
    #expect(grads.keys.sorted() == ["conv2d_1/bias", "conv2d_1/kernel", "dense/bias", "dense/kernel"])
    let optimizer = Optimizer.adam(learningRate: 0.1)
    for _ in 0..<3 { try net.trainStep(x, labels: [0, 1, 0, 1], optimizer: optimizer) }
    let after = net.weights
    for key in ["conv2d/kernel", "conv2d/bias", "batch_normalization/gamma", "batch_normalization/moving_mean",
                "batch_normalization/moving_variance"] {
        #expect(after[key] == before[key], "\(key) changed")
    }
    #expect(after["conv2d_1/kernel"] != before["conv2d_1/kernel"])
}

/// `glu` and `threshold` build as Keras' summary shows them, but the core says why it can't run them.
@Test func activationsThatCantRunAreRefusedWithTheLayer() throws {
    for name in ["glu", "threshold"] {
        let model = try KerasParser.parse("keras.Sequential([keras.Input(shape=(4,)), Dense(6, activation='\(name)')])")
        #expect(try model.summary().layers[0].outputShape == [6])
        #expect(throws: NetworkError.self) { try Network(model: model) }
        do { _ = try Network(model: model) } catch { #expect(error.message.contains("dense") && error.message.contains(name)) }
    }
}
