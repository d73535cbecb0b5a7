import CNNModel
import Foundation
import Testing
import CNNCompute
@testable import Race

/// The experiment: reproducible for a seed, the seed's parameter counts, the
/// Flatten head's shape error on larger images, and clean stops.
@Suite struct ExperimentTests {
    /// Small enough for a debug build: two batches of four per epoch.
    static func tiny(seed: UInt64 = 1, epochs: Int = 1) -> ExperimentConfiguration {
        ExperimentConfiguration(seed: seed, epochs: epochs, batchSize: 4, trainCount: 8, testCount: 4,
                                shiftedCount: 4, largeCount: 2, evaluationBatchSize: 4)
    }

    /// One run that several tests read.
    static let shared: Result<ExperimentResult, ExperimentError> = Result { () throws(ExperimentError) in
        try ExperimentRun.run(tiny())
    }

    /// A clock that ticks one second per reading, so timings are fixed too.
    static func fakeClock() -> @Sendable () -> Double {
        let ticks = Counter()
        return { ticks.next() }
    }

    final class Counter: @unchecked Sendable {
        private var value = 0.0
        private let lock = NSLock()
        func next() -> Double { lock.withLock { value += 1; return value } }
    }

    // MARK: - Determinism

    /// Two runs with one seed give the same numbers, and the same JSON once
    /// the measured times are set aside.
    @Test func sameSeedSameNumbers() throws {
        let a = try ExperimentTests.shared.get()
        let b = try ExperimentRun.run(ExperimentTests.tiny())
        #expect(a.withoutTimings == b.withoutTimings)
        #expect(a.withoutTimings.json == b.withoutTimings.json)
        #expect(a.heads.allSatisfy { $0.epochs.count == 1 && $0.batchLosses.count == 2 })
        let c = try ExperimentRun(ExperimentTests.tiny(seed: 2))
        c.step()
        #expect(c.progress.heads[0].batchLosses[0] != a.heads[0].batchLosses[0])
    }

    /// With a fake clock that ticks once per reading, the timings are exact.
    @Test func fakeClockFixesTimings() throws {
        let run = try ExperimentRun(ExperimentTests.tiny(), clock: ExperimentTests.fakeClock())
        run.step()
        run.step()
        // Each training step reads the clock twice: one "second" for four images.
        #expect(run.progress.heads.allSatisfy { $0.imagesPerSecond == 4 })
    }

    /// JSON keeps every clock reading under "timings".
    @Test func jsonPutsTimesApart() throws {
        let r = try ExperimentTests.shared.get()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(r.json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["configuration", "dataset", "heads", "examples", "cancelled", "timings"])
        let heads = try #require(object["heads"] as? [[String: Any]])
        #expect(heads.map { $0["head"] as? String } == ["flatten", "gap"])
        for head in heads {
            #expect(head.keys.allSatisfy { !$0.contains("second") && !$0.contains("per_second") })
        }
    }

    // MARK: - The models

    /// The backbone's 65,376 parameters plus each head's Dense layers.
    @Test func parameterCounts() throws {
        let backbone = (9 * 1 + 1) * 32 + (9 * 32 + 1) * 32 + 4 * 32 + (9 * 32 + 1) * 64 + (9 * 64 + 1) * 64 + 4 * 64
        let flattenHead = (5 * 5 * 64 + 1) * 64 + (64 + 1) * 32 + (32 + 1) * 10
        let gapHead = (64 + 1) * 10
        let flatten = try ExperimentHead.flatten.model().summary()
        let gap = try ExperimentHead.globalPooling.model().summary()
        #expect(flatten.totalParams == backbone + flattenHead)
        #expect(gap.totalParams == backbone + gapHead)
        #expect(flatten.nonTrainableParams == 2 * (32 + 64))
        #expect(flatten.outputShape == [10] && gap.outputShape == [10])
    }

    @Test func headsShareTheBackbone() throws {
        let f = ExperimentHead.flatten.model(), g = ExperimentHead.globalPooling.model()
        #expect(Array(f.layers.prefix(8)) == Array(g.layers.prefix(8)))
        #expect(f.layers[8].typeName == "Flatten" && g.layers[8].typeName == "GlobalAveragePooling2D")
    }

    // MARK: - Larger images

    @Test func flattenHeadRefusesLargerImagesInKerasWords() throws {
        let model = ExperimentHead.flatten.model()
        let error = #expect(throws: ModelError.self) {
            try TrainedShapeCheck.check(model, trainedOn: [32, 32, 1], input: [48, 48, 1])
        }
        #expect(error?.layerName == "dense")
        #expect(error?.inputShape == [5184])
        #expect(error?.reason == "Input 0 of layer \"dense\" is incompatible with the layer: expected axis -1 "
            + "of input shape to have value 1600, but received input with shape (None, 5184)")
        let why = try #require(TrainedShapeCheck.explanation(model, trainedOn: [32, 32, 1], input: [48, 48, 1]))
        #expect(why.contains("(9, 9, 64)") && why.contains("5,184") && why.contains("1,600"))
    }

    @Test func gapHeadAcceptsLargerImages() throws {
        let model = ExperimentHead.globalPooling.model()
        try TrainedShapeCheck.check(model, trainedOn: [32, 32, 1], input: [64, 64, 1])
        #expect(TrainedShapeCheck.explanation(model, trainedOn: [32, 32, 1], input: [64, 64, 1]) == nil)
        let note = try #require(TrainedShapeCheck.poolingNote(model, trainedOn: [32, 32, 1], input: [64, 64, 1]))
        #expect(note.contains("64 values") && note.contains("(13, 13, 64)") && note.contains("169 positions instead of 25"))
        #expect(TrainedShapeCheck.poolingNote(ExperimentHead.flatten.model(), trainedOn: [32, 32, 1], input: [64, 64, 1]) == nil)
    }

    @Test func runReportsLargeSplitPerHead() throws {
        let r = try ExperimentTests.shared.get()
        let flatten = try #require(r.head(.flatten)), gap = try #require(r.head(.globalPooling))
        #expect(flatten.large.map(\.canvas) == [48, 64])
        #expect(flatten.large.allSatisfy { $0.evaluation == nil && $0.error?.contains("dense") == true })
        #expect(flatten.large.map(\.denseInputs) == [9 * 9 * 64, 13 * 13 * 64])
        #expect(gap.large.allSatisfy { $0.evaluation?.images == 2 && $0.error == nil && $0.explanation != nil })
        #expect(gap.large.map(\.denseInputs) == [64, 64])
        #expect(gap.shifted?.images == 4 && flatten.shifted?.images == 4)
        // Examples: 4 test, 4 shifted, 2 per large canvas; Flatten has no answer on large ones.
        #expect(r.examples.count == 12)
        let large = r.examples.filter { $0.side > 32 }
        #expect(large.allSatisfy { $0.predictions[0] == nil && $0.predictions[1] != nil })
        #expect(large.allSatisfy { $0.pixels.count == $0.side * $0.side })
    }

    // MARK: - Stops

    /// A learning rate of 10³⁰ blows the weights up: a layer's output turns
    /// non-finite, the heads stop naming that layer, and the run still returns a result that encodes.
    @Test func nonFiniteLossStopsCleanly() throws {
        var c = ExperimentTests.tiny(epochs: 2)
        c.learningRate = 1e30
        let r = try ExperimentRun.run(c)
        #expect(r.heads.contains { $0.stopped != nil })
        for head in r.heads {
            #expect(head.batchLosses.allSatisfy { $0.isFinite })
            if let stop = head.stopped {
                #expect(stop.message.contains("non-finite values") && stop.message.contains("of layer "), "\(stop.message)")
            }
        }
        #expect(r.json.contains("\"stopped\""))
    }

    @Test func badSettingsAreRefused() {
        var c = ExperimentTests.tiny()
        c.epochs = 0
        #expect(throws: ExperimentError.self) { try ExperimentRun(c) }
        c = ExperimentTests.tiny()
        c.learningRate = -1
        #expect(throws: ExperimentError.self) { try ExperimentRun(c) }
    }

    @Test func cancelStopsWithoutFinalMeasurements() throws {
        let run = try ExperimentRun(ExperimentTests.tiny(epochs: 3))
        run.step()
        #expect(run.progress.batch == 1 && run.progress.phase == .training)
        run.cancel()
        run.step()
        #expect(run.progress.batch == 1)
        let r = run.finish()
        #expect(r.cancelled && r.examples.isEmpty)
        #expect(r.heads.allSatisfy { $0.shifted == nil && $0.batchLosses.count == 1 })
        #expect(run.progress.phase == .cancelled)
    }

    @Test func progressCountsBatchesAndEpochs() throws {
        let run = try ExperimentRun(ExperimentTests.tiny(epochs: 2))
        var seen: [Int] = []
        while run.progress.phase == .training {
            run.step()
            seen.append(run.progress.done)
        }
        #expect(seen == [1, 2, 3, 4])
        #expect(run.progress.phase == .evaluating)
        #expect(run.progress.heads.allSatisfy { $0.epochs.count == 2 && $0.batchLosses.count == 4 })
        #expect(run.progress.fraction == 1)
    }

    @Test func memoryEstimateGrowsWithTheBatch() throws {
        let s = try ExperimentHead.flatten.model().summary()
        let small = TrainingMemory.peakBytes(s, batchSize: 1), big = TrainingMemory.peakBytes(s, batchSize: 32)
        #expect(small > s.totalParams * 16)
        let twoLargest = s.layers.map(\.outputBytes).sorted(by: >).prefix(2).reduce(0, +)
        #expect(big - small == 31 * (s.totalActivationBytes + 32 * 32 * 4 + twoLargest))
    }
}
