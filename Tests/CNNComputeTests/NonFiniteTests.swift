import CNNModel
import Foundation
import Testing
@testable import CNNCompute

/// NaN and infinity never pass silently: every forward and training step
/// names the layer where they first appear; the softmax loss stays exact for huge logits.
@Suite struct NonFiniteTests {
    static let model = """
        keras.Sequential([
            keras.Input(shape=(4, 4, 1)),
            Conv2D(2, 3, activation='relu'),
            Conv2D(3, 2),
            Flatten(),
            Dense(3, activation='softmax'),
        ])
        """

    static func network(seed: UInt64 = 3) throws -> Network {
        try Network(model: KerasParser.parse(model), seed: seed)
    }

    static func input(_ value: Float = 0.5) -> Tensor {
        Tensor(shape: [2, 4, 4, 1], data: (0..<32).map { Float($0 % 5) * 0.1 + value })
    }

    @Test func aNaNInTheInputIsRefusedBeforeAnyLayerRuns() throws {
        let net = try Self.network()
        var x = Self.input()
        x.data[7] = .nan
        #expect(throws: NetworkError.self) { try net.forward(x) }
        do {
            _ = try net.gradients(x, labels: [0, 1])
            Issue.record("a NaN input trained without a word")
        } catch {
            #expect(error.message.contains("non-finite values (NaN) in the input, first at index 7"), "\(error.message)")
        }
    }

    @Test func nanWeightsAreReportedByLayerAndWeight() throws {
        let net = try Self.network()
        var w = net.weights
        w["conv2d_1/kernel"]!.data[2] = .nan
        try net.load(w)
        do {
            _ = try net.forward(Self.input())
            Issue.record("NaN weights gave outputs without a word")
        } catch {
            #expect(error.layer == "conv2d_1")
            #expect(error.message.contains("first appear in the output of layer conv2d_1 (Conv2D)"), "\(error.message)")
            #expect(error.message.contains("'conv2d_1/kernel' holds NaN at index 2"), "\(error.message)")
        }
        #expect(throws: NetworkError.self) { try net.predict(Self.input()) }
        #expect(throws: NetworkError.self) { try net.gradients(Self.input(), labels: [0, 1]) }
    }

    /// A training step checks only the loss and the weight gradients, then
    /// runs a failed step again to find the layer: the message is the forward pass's.
    @Test func aFailedTrainingStepNamesTheLayerAsTheForwardPassDoes() throws {
        let net = try Self.network()
        var w = net.weights
        w["conv2d_1/kernel"]!.data[2] = .nan
        try net.load(w)
        do {
            _ = try net.gradients(Self.input(), labels: [0, 1])
            Issue.record("NaN weights trained without a word")
        } catch {
            #expect(error.layer == "conv2d_1")
            #expect(error.message.contains("first appear in the output of layer conv2d_1 (Conv2D)"), "\(error.message)")
        }
    }

    /// The checked rerun of a failed step starts from the moving statistics
    /// as they were: they move once, as in a pass that succeeds.
    @Test func theRerunOfAFailedStepMovesTheStatisticsOnce() throws {
        let code = """
            keras.Sequential([
                keras.Input(shape=(4, 4, 1)),
                Conv2D(2, 3),
                BatchNormalization(),
                Flatten(),
                Dense(3, activation='softmax'),
            ])
            """
        let failing = try Network(model: KerasParser.parse(code), seed: 5)
        let passing = try Network(model: KerasParser.parse(code), seed: 5)
        var w = failing.weights
        w["dense/kernel"]!.data[1] = .nan
        try failing.load(w)
        #expect(throws: NetworkError.self) { try failing.gradients(Self.input(), labels: [0, 1]) }
        _ = try passing.gradients(Self.input(), labels: [0, 1])
        let moved = try #require(passing.weights["batch_normalization/moving_mean"])
        #expect(moved.data.contains { $0 != 0 }, "the statistics did not move")
        #expect(failing.weights["batch_normalization/moving_mean"] == moved)
        #expect(failing.weights["batch_normalization/moving_variance"] == passing.weights["batch_normalization/moving_variance"])
    }

    @Test func hugeWeightsOverflowAndSaySoWithAdvice() throws {
        let net = try Self.network()
        var w = net.weights
        for key in ["conv2d/kernel", "conv2d_1/kernel"] { w[key]!.data = w[key]!.data.map { _ in 1e38 } }
        try net.load(w)
        do {
            _ = try net.forward(Self.input())
            Issue.record("weights of 1e38 gave outputs without a word")
        } catch {
            #expect(error.message.contains("Inf) first appear in the output of layer conv2d"), "\(error.message)")
            #expect(error.message.contains("try smaller weights, smaller inputs or a lower learning rate"), "\(error.message)")
        }
    }

    @Test func aTrainingStepThatOverflowsLeavesTheWeightsAlone() throws {
        let net = try Self.network()
        var w = net.weights
        w["dense/kernel"]!.data = w["dense/kernel"]!.data.map { $0 * 1e37 }
        try net.load(w)
        let before = net.weights
        let optimizer = Optimizer.adam(learningRate: 0.01)
        #expect(throws: NetworkError.self) { try net.trainStep(Self.input(3e37), labels: [0, 2], optimizer: optimizer) }
        #expect(net.weights == before, "a failed step changed the weights")
    }

    @Test func huge_equal_logitsGiveLn3NotZero() throws {
        // Logits of 1e38 on each of 3 classes: softmax is (⅓, ⅓, ⅓), so the loss is ln 3.
        let z = Tensor(shape: [1, 3], data: [1e38, 1e38, 1e38])
        let loss = SparseCategoricalCrossEntropy.loss(logits: z, labels: [1])
        #expect(abs(loss - Float(Foundation.log(3.0))) < 1e-6, "loss \(loss)")
        let p = SoftmaxOp.forward(z, axis: 1)
        #expect(p.data.allSatisfy { abs($0 - 1 / 3) < 1e-6 }, "softmax \(p.data)")
    }

    @Test func theFiniteScanFindsTheFirstBadValueAnywhere() {
        for count in [1, 7, 8, 9, 64, 1001] {
            for position in Set([0, count / 2, count - 1]) {
                for bad in [Float.nan, .infinity, -.infinity] {
                    var t = Tensor(repeating: 1e30, shape: [count])
                    #expect(t.firstNonFinite == nil)
                    t.data[position] = bad
                    #expect(t.firstNonFinite?.index == position, "count \(count), position \(position), \(bad)")
                }
            }
        }
    }
}

