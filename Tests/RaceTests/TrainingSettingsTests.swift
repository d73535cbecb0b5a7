import CNNCompute
import CNNModel
import Foundation
import Testing
@testable import Race

/// The training settings the race takes (optimizer, learning rate, the GAP
/// head's input), the stop on a loss that is not a number, and the weights it saves.
@Suite struct TrainingSettingsTests {
    static func tiny(epochs: Int = 1) -> ExperimentConfiguration {
        ExperimentConfiguration(seed: 3, epochs: epochs, batchSize: 4, trainCount: 8, testCount: 4,
                                shiftedCount: 4, largeCount: 2, evaluationBatchSize: 4)
    }

    // MARK: - Optimizers

    @Test func sgdWithMomentumTrainsDifferentlyFromAdam() throws {
        var sgd = Self.tiny()
        sgd.optimizer = .sgd
        sgd.learningRate = 0.01
        let a = try ExperimentRun.run(Self.tiny()), b = try ExperimentRun.run(sgd)
        #expect(a.heads[0].batchLosses[0] == b.heads[0].batchLosses[0], "the first loss comes before any step")
        #expect(a.heads[0].batchLosses[1] != b.heads[0].batchLosses[1])
        #expect(b.text.contains("SGD with momentum 0.9, learning rate 0.01"))
        #expect(sgd.optimizerKind == .sgd(learningRate: 0.01, momentum: 0.9))
    }

    @Test func momentumOutOfRangeIsRefused() {
        var c = Self.tiny()
        c.momentum = 1
        #expect(throws: ExperimentError.self) { try c.validate() }
    }

    @Test func gapHeadTrainsOnItsOwnCanvas() throws {
        var c = Self.tiny()
        c.gapInput = 48
        let run = try ExperimentRun(c)
        let gap = try #require(run.headNetworks.first { $0.head == .globalPooling })
        let flatten = try #require(run.headNetworks.first { $0.head == .flatten })
        #expect(gap.network.inputShape == [48, 48, 1])
        #expect(flatten.network.inputShape == [32, 32, 1])
        let r = run.finish()
        #expect(r.dataset.gapImageShape == [48, 48, 1])
        #expect(r.text.replacingOccurrences(of: "\n        ", with: " ").contains("on a 48×48×1 canvas"))
        c.gapInput = 24
        #expect(throws: ExperimentError.self) { try ExperimentRun(c) }
    }

    // MARK: - Divergence

    /// SGD at a learning rate of 10⁶ overflows within a few steps: the run
    /// stops there, for both heads, and says what to try.
    @Test func divergingLearningRateStopsTheRun() throws {
        var c = Self.tiny(epochs: 3)
        c.optimizer = .sgd
        c.learningRate = 1e6
        let run = try ExperimentRun(c)
        while run.progress.phase == .training { run.step() }
        let d = try #require(run.progress.divergence)
        #expect(run.progress.done < 3 * run.progress.batchesPerEpoch, "the run went on after the loss stopped being a number")
        let r = run.finish()
        #expect(r.divergence == d)
        #expect(r.heads.allSatisfy { $0.shifted == nil }, "nothing is measured after a divergence")
        #expect(d.advice.contains("lower the learning rate (now 1e+06; try 100000)"))
        #expect(d.advice.contains("use Adam"))
        #expect(d.message.hasPrefix("The \(d.head.title)"))
        #expect(d.message.contains("Training stopped there"))
        #expect(r.text.replacingOccurrences(of: "\n", with: " ").contains("STOPPED: \(d.message.prefix(40))"))
        #expect(r.json.contains("\"divergence\""))
    }

    /// Each place a non-finite value can show up gets its own first sentence.
    @Test func divergenceSaysWhereItHappened() {
        let c = ExperimentConfiguration()
        let loss = Divergence(head: .flatten, epoch: 2, batch: 7, value: .infinity, configuration: c)
        #expect(loss.message.hasPrefix("The \(ExperimentHead.flatten.title)'s training loss became inf at epoch 2, batch 7."))
        let pass = Divergence(head: .globalPooling, epoch: 1, batch: 3, value: .nan,
                              site: .trainingPass("non-finite values (NaN) first appear in conv2d"), configuration: c)
        #expect(pass.message.contains("stopped at epoch 1, batch 3: non-finite values (NaN) first appear in conv2d."))
        #expect(!pass.message.contains("training loss"))
        let test = Divergence(head: .flatten, epoch: 3, batch: 0, value: .nan, site: .testSplit(nil), configuration: c)
        #expect(test.message.contains("test pass after epoch 3"))
        #expect(!test.message.contains("training loss"))
        #expect(test.advice == "Try: lower the learning rate (now 0.001; try 0.0001).")
    }

    @Test func aSensibleRateDoesNotDiverge() throws {
        let r = try ExperimentRun.run(Self.tiny())
        #expect(r.divergence == nil)
    }

    // MARK: - Saved weights

    /// The saved Keras code and safetensors, read back as `cnn-tutor forward`
    /// reads them (parser, network, load), predict what the race's networks predict.
    @Test func savedWeightsRoundTrip() throws {
        let run = try ExperimentRun(Self.tiny())
        while run.progress.phase == .training { run.step() }
        _ = run.finish()
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("race-weights-\(getpid())-\(UUID().uuidString.prefix(6))")
        let files = try run.saveWeights(to: dir)
        #expect(files.count == 4)
        let (x, _) = run.data.test.batch(0..<4)
        for (head, network, _) in run.headNetworks {
            let names = ExperimentRun.weightFiles(head)
            let code = try String(contentsOfFile: (dir as NSString).appendingPathComponent(names.model), encoding: .utf8)
            let model = try KerasParser.parse(code)
            let loaded = try Network(model: model, seed: 99)
            let stored = try SafeTensors.read(contentsOf: (dir as NSString).appendingPathComponent(names.weights))
            #expect(stored["conv2d/kernel"]?.shape == [3, 3, 1, 32], "Keras' layout: (kh, kw, in, out)")
            try loaded.load(stored.mapValues(\.floatTensor))
            let expected = try network.predict(x), got = try loaded.predict(x)
            #expect(got.shape == expected.shape)
            #expect(got.data == expected.data, "\(head.title): the saved model predicts otherwise")
        }
    }
}
