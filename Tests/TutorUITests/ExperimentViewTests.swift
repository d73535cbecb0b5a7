import CNNCompute
import Race
import Foundation
import Testing
@testable import TutorUI

/// The experiment screen mid-training and after it, from a real seeded run
/// with a clock that ticks one second per reading (so images/s are fixed).
@Suite struct ExperimentViewTests {
    static let config = ExperimentConfiguration(seed: 1, epochs: 2, batchSize: 4, trainCount: 16, testCount: 8,
                                                shiftedCount: 8, largeCount: 4, evaluationBatchSize: 8)

    final class Ticks: @unchecked Sendable {
        private var value = 0.0
        private let lock = NSLock()
        func next() -> Double { lock.withLock { value += 1; return value } }
    }

    /// The progress after 6 of 8 batches, after all 8, and the result.
    static let recorded: (mid: ExperimentProgress, end: ExperimentProgress, result: ExperimentResult) = {
        let ticks = Ticks()
        let run = try! ExperimentRun(config, clock: { ticks.next() })
        var mid: ExperimentProgress?
        while run.progress.phase == .training {
            run.step()
            if run.progress.done == 6 { mid = run.progress }
        }
        let end = run.progress
        return (mid!, end, run.finish())
    }()

    static func started(width: Int = 80, height: Int = 24, caps: Capabilities = .full) -> AppState {
        var state = AppState(width: width, height: height, caps: caps)
        Fixtures.send(&state, .show(.experiment), .experiment(.start(config)))
        return state
    }

    static let sizes = [(80, 24), (120, 40)]

    // MARK: - Snapshots

    @Test func beforeTheRun() {
        var state = AppState(width: 80, height: 24)
        Fixtures.send(&state, .show(.experiment))
        Snapshot.assert("experiment-intro-80x24", Fixtures.render(state).plainText)
    }

    @Test(arguments: sizes) func midTraining(_ size: (Int, Int)) {
        var state = ExperimentViewTests.started(width: size.0, height: size.1)
        Fixtures.send(&state, .experiment(.progress(generation: 1, ExperimentViewTests.recorded.mid)))
        let screen = Fixtures.render(state)
        Snapshot.assert("experiment-mid-\(size.0)x\(size.1)", screen.plainText)
        #expect(screen.find("epoch 2/2") != nil)
        #expect(screen.find("batch 2/4") != nil)
        #expect(screen.find("training") != nil)
    }

    @Test func midTrainingASCII() {
        var state = ExperimentViewTests.started(caps: .ascii)
        Fixtures.send(&state, .experiment(.progress(generation: 1, ExperimentViewTests.recorded.mid)))
        Snapshot.assert("experiment-mid-ascii-80x24", Fixtures.render(state).plainText)
    }

    @Test(arguments: sizes) func afterTraining(_ size: (Int, Int)) {
        var state = ExperimentViewTests.started(width: size.0, height: size.1)
        let r = ExperimentViewTests.recorded
        Fixtures.send(&state, .experiment(.progress(generation: 1, r.end)), .experiment(.finished(generation: 1, r.result)))
        #expect(state.experiment.status == .finished)
        #expect(state.experiment.page == .results)
        let results = Fixtures.render(state)
        Snapshot.assert("experiment-results-\(size.0)x\(size.1)", results.plainText)
        #expect(results.find("shape error") != nil)
        #expect(results.find("66,026") != nil && results.find("170,250") != nil)

        Fixtures.send(&state, .key(.tab))
        #expect(state.experiment.page == .examples)
        Snapshot.assert("experiment-examples-\(size.0)x\(size.1)", Fixtures.render(state).plainText)
        Fixtures.send(&state, .key(.tab))
        Snapshot.assert("experiment-curves-\(size.0)x\(size.1)", Fixtures.render(state).plainText)
    }

    /// On a small screen the explanation scrolls under the results table.
    /// A learning rate of 10³⁰ stops both heads at a non-finite value: the race reads as failed and names the layer.
    @Test func headsStoppedByNonFiniteValuesFailTheRace() throws {
        var c = ExperimentViewTests.config
        c.epochs = 1
        c.learningRate = 1e30
        let run = try ExperimentRun(c, clock: { 0 })
        while run.progress.phase == .training { run.step() }
        let end = run.progress
        var state = ExperimentViewTests.started(width: 120, height: 40)
        Fixtures.send(&state, .experiment(.progress(generation: 1, end)), .experiment(.finished(generation: 1, run.finish())))
        let screen = Fixtures.render(state)
        #expect(end.heads.allSatisfy { $0.stopped != nil }, "a head trained through a learning rate of 1e30")
        // The run stops at the first non-finite value, says so, and says what to try.
        #expect(screen.find("stopped: loss nan") != nil, "\(screen.plainText)")
        #expect(screen.plainText.contains("lower the learning rate"), "\(screen.plainText)")
        #expect(screen.plainText.contains("non-finite values"), "\(screen.plainText)")
    }

    @Test func resultNotesScroll() {
        var state = ExperimentViewTests.started()
        let r = ExperimentViewTests.recorded
        Fixtures.send(&state, .experiment(.progress(generation: 1, r.end)), .experiment(.finished(generation: 1, r.result)))
        let before = Fixtures.render(state)
        #expect(before.find("j/k") != nil)
        Fixtures.typeKeys(&state, "jjjj")
        let after = Fixtures.render(state)
        Snapshot.assert("experiment-results-scrolled-80x24", after.plainText)
        #expect(after.find("kernel has one row") != nil)
        #expect(before.find("kernel has one row") == nil)
        Fixtures.typeKeys(&state, "kkkkkkkk")
        #expect(Fixtures.render(state).plainText == before.plainText)
    }

    // MARK: - Messages and keys

    @Test func keysPauseResumeAndCancel() {
        var state = AppState(width: 80, height: 24)
        Fixtures.send(&state, .key(.char("4")))
        #expect(state.screen == .experiment)
        let start = update(&state, .key(.enter))
        #expect(start == [.experiment(.start(generation: 1, ExperimentConfiguration()))])
        #expect(update(&state, .key(.char(" "))) == [.experiment(.pause(generation: 1))])
        #expect(state.experiment.status == .paused)
        #expect(update(&state, .key(.char(" "))) == [.experiment(.resume(generation: 1))])
        #expect(state.experiment.status == .running)
        #expect(update(&state, .key(.char("x"))) == [.experiment(.cancel(generation: 1))])
        #expect(state.experiment.status == .cancelled)
        #expect(update(&state, .key(.char("x"))) == [])
        // Running again cancels nothing (the old run is over) and starts generation 2.
        #expect(update(&state, .key(.char("r"))) == [.experiment(.start(generation: 2, ExperimentConfiguration()))])
    }

    @Test func reportsFromAnOlderRunAreDropped() {
        var state = ExperimentViewTests.started()
        Fixtures.send(&state, .experiment(.start(ExperimentViewTests.config)))
        #expect(state.experiment.generation == 2)
        Fixtures.send(&state, .experiment(.progress(generation: 1, ExperimentViewTests.recorded.mid)))
        #expect(state.experiment.progress == nil)
    }

    @Test func badSettingsShowAnError() {
        var state = AppState(width: 80, height: 24)
        var bad = ExperimentViewTests.config
        bad.epochs = 0
        let effects = update(&state, .experiment(.start(bad)))
        #expect(effects.isEmpty)
        #expect(state.experiment.status == .failed("--epochs must be at least 1 (got 0)"))
    }

    /// The worker trains on its own thread and reports through `post`.
    @Test func workerTrainsOffTheCallingThread() {
        let worker = ExperimentWorker()
        let inbox = Inbox()
        let caller = pthread_self()
        worker.run(.start(generation: 7, ExperimentViewTests.config)) { inbox.append($0) }
        worker.waitUntilIdle()
        let msgs = inbox.all
        #expect(inbox.threads.count == msgs.count)
        #expect(inbox.threads.allSatisfy { pthread_equal($0, caller) == 0 }, "a report was posted on the calling thread")
        let progress = msgs.filter { if case .progress(7, _) = $0 { true } else { false } }
        #expect(progress.count == 9)  // the start and one per batch
        guard case .finished(7, let result)? = msgs.last else {
            Issue.record("the last message is not the result")
            return
        }
        #expect(!result.cancelled)
        #expect(result.withoutTimings.heads == ExperimentViewTests.recorded.result.withoutTimings.heads)
    }

    @Test func workerCancelsBetweenBatches() {
        let worker = ExperimentWorker()
        let inbox = Inbox()
        worker.run(.pause(generation: 3)) { _ in }
        worker.run(.start(generation: 3, ExperimentViewTests.config)) { inbox.append($0) }
        worker.run(.cancel(generation: 3)) { _ in }
        worker.waitUntilIdle()
        guard case .finished(3, let result)? = inbox.all.last else {
            Issue.record("no result after cancel")
            return
        }
        #expect(result.cancelled)
        #expect(result.heads.allSatisfy { $0.batchLosses.isEmpty })
    }

    /// The messages a worker posted, and the thread each came from.
    final class Inbox: @unchecked Sendable {
        private var msgs: [ExperimentMsg] = []
        private var senders: [pthread_t] = []
        private let lock = NSLock()
        func append(_ m: ExperimentMsg) {
            let sender = pthread_self()
            lock.withLock {
                msgs.append(m)
                senders.append(sender)
            }
        }
        var all: [ExperimentMsg] { lock.withLock { msgs } }
        var threads: [pthread_t] { lock.withLock { senders } }
    }
}

/// The settings line and its keys: what the next run trains with, at both sizes.
@Suite struct ExperimentSettingsViewTests {
    @Test(arguments: ExperimentViewTests.sizes) func changedSettings(_ size: (Int, Int)) {
        var state = AppState(width: size.0, height: size.1)
        Fixtures.send(&state, .show(.experiment))
        Fixtures.typeKeys(&state, "]]o.Eg")
        let c = state.experiment.configuration
        #expect(c.optimizer == .sgd && c.learningRate == 0.01, "o switches to SGD at Keras' default rate")
        #expect(c.batchSize == 64 && c.epochs == ExperimentConfiguration().epochs + 1 && c.gapInput == nil)
        Fixtures.typeKeys(&state, "GG[m")
        let d = state.experiment.configuration
        #expect(d.gapInput == 40 && d.learningRate == 0.003 && d.momentum == 0.99)
        let screen = Fixtures.render(state)
        Snapshot.assert("experiment-settings-\(size.0)x\(size.1)", screen.plainText)
        #expect(screen.find("SGD") != nil && screen.find("lr 0.003") != nil && screen.find("mom. 0.99") != nil)
        #expect(screen.find("GAP 40×40") != nil)
        #expect(update(&state, .key(.enter)) == [.experiment(.start(generation: 1, d))])
    }

    @Test func savingNeedsAFinishedRun() {
        var state = AppState(width: 80, height: 24)
        Fixtures.send(&state, .show(.experiment))
        #expect(update(&state, .key(.char("w"))) == [])
        #expect(state.message?.kind == .error)
    }

    @Test func dataCommandSetsThePath() {
        var state = AppState(width: 80, height: 24)
        #expect(setExperimentData(&state, "/data/mnist") == [])
        #expect(state.experiment.configuration.dataPath == "/data/mnist" && state.screen == .experiment)
        _ = setExperimentData(&state, "shapes")
        #expect(state.experiment.configuration.dataPath == nil)
    }
}
