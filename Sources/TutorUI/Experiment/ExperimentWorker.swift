import CNNCompute
import Race
import Foundation

/// Trains the experiment on its own thread, one batch at a time, and reports
/// after each; pausing and cancelling take effect between batches.
///
/// The UI thread only flips flags here, so the keyboard never waits for a batch.
public final class ExperimentWorker: @unchecked Sendable {
    private let condition = NSCondition()
    private var paused: Set<Int> = []
    private var cancelled: Set<Int> = []
    private let queue = DispatchQueue(label: "cnn-tutor.experiment", qos: .userInitiated)
    /// The last finished run, kept (on the queue) for saving its weights.
    private var lastRun: (generation: Int, run: ExperimentRun)?

    public init() {}

    /// Carries out one experiment effect; reports arrive through `post`.
    public func run(_ effect: ExperimentEffect, post: @escaping @Sendable (ExperimentMsg) -> Void) {
        switch effect {
        case .start(let generation, let configuration):
            queue.async { [self] in train(generation, configuration, post: post) }
        case .pause(let generation):
            flag { paused.insert(generation) }
        case .resume(let generation):
            flag { paused.remove(generation) }
        case .cancel(let generation):
            flag { cancelled.insert(generation) }
        case .saveWeights(let generation, let folder):
            queue.async { [self] in
                guard let last = lastRun, last.generation == generation else {
                    post(.saveFailed(generation: generation, "that run is gone; run the race again"))
                    return
                }
                do {
                    post(.saved(generation: generation, files: try last.run.saveWeights(to: folder)))
                } catch {
                    post(.saveFailed(generation: generation, "\(error)"))
                }
            }
        }
    }

    /// Blocks until the current run, if any, has finished (for scripts and tests).
    public func waitUntilIdle() {
        queue.sync {}
    }

    private func flag(_ change: () -> Void) {
        condition.lock()
        change()
        condition.broadcast()
        condition.unlock()
    }

    /// Waits while paused; true when the run should stop.
    private func shouldStop(_ generation: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while paused.contains(generation) && !cancelled.contains(generation) { condition.wait() }
        return cancelled.contains(generation)
    }

    private func train(_ generation: Int, _ configuration: ExperimentConfiguration,
                       post: @escaping @Sendable (ExperimentMsg) -> Void) {
        let run: ExperimentRun
        do {
            run = try ExperimentRun(configuration)
        } catch {
            post(.failed(generation: generation, error.message))
            return
        }
        post(.progress(generation: generation, run.progress))
        while run.progress.phase == .training {
            if shouldStop(generation) {
                run.cancel()
                break
            }
            run.step()
            post(.progress(generation: generation, run.progress))
        }
        if shouldStop(generation) { run.cancel() }
        let result = run.finish()
        lastRun = (generation, run)
        post(.finished(generation: generation, result))
        flag {
            paused.remove(generation)
            cancelled.remove(generation)
        }
    }
}
