import CNNCompute
import CNNModel
import Foundation
import LessonKit
import Race

/// Carries out ``Effect``s off the UI thread and posts their results as ``Msg``s.
///
/// The loop calls ``run(_:)`` with each effect `update` returns and drains
/// ``takeMessages()`` between key reads, so the keyboard never waits for a
/// forward pass or a file. `.quit` is the loop's business and is ignored here.
public final class EffectRunner: @unchecked Sendable {
    private let lock = NSLock()
    private var inbox: [Msg] = []
    private var latestForward = 0
    private var latestTraining = 0
    private let training = DispatchQueue(label: "cnn-tutor.training", qos: .userInitiated)
    /// Effects started and not yet answered.
    private var inFlight = 0
    private let queue = DispatchQueue(label: "cnn-tutor.effects", qos: .userInitiated)
    private let experimentWorker = ExperimentWorker()
    private let preparing = DispatchQueue(label: "cnn-tutor.lesson-experiments", qos: .utility)
    /// Called (from any thread) after a message was posted, to wake the loop.
    public var onPost: (@Sendable () -> Void)?

    public init() {}

    /// Starts an effect; its result arrives later through ``takeMessages()``.
    public func run(_ effect: Effect) {
        switch effect {
        case .quit: break
        case .loadModelFile(let path):
            begin()
            queue.async { [self] in post(.modelFileLoaded(path: path, result: EffectRunner.readText(path)), ending: true) }
        case .loadImage(let path):
            begin()
            queue.async { [self] in post(.imageLoaded(path: path, result: EffectRunner.readImage(path)), ending: true) }
        case .runForward(let request):
            lock.lock()
            latestForward = max(latestForward, request.generation)
            inFlight += 1
            lock.unlock()
            queue.async { [self] in
                // A newer request makes this one stale: stop at the next layer.
                let result = EffectRunner.forward(request, isCancelled: { self.isStale(request.generation) }) { done, total in
                    self.post(.forwardProgress(generation: request.generation, done: done, total: total))
                }
                post(.forwardFinished(generation: request.generation, result: result), ending: true)
            }
        case .trainModel(let request):
            lock.lock()
            latestTraining = max(latestTraining, request.generation)
            inFlight += 1
            lock.unlock()
            training.async { [self] in
                let result = EffectRunner.train(request, isCancelled: { self.isStaleTraining(request.generation) }) { step, steps, loss in
                    self.post(.training(generation: request.generation, .progress(step: step, steps: steps, loss: loss)))
                }
                post(.training(generation: request.generation, .finished(result)), ending: true)
            }
        case .writeFile(let path, let contents, let what):
            begin()
            queue.async { [self] in post(.fileWritten(path: path, result: EffectRunner.write(contents, to: path, what: what)), ending: true) }
        case .prepareLessonExperiments(let configurations):
            // Nothing waits for this: a template that needs the run before it is done waits for the cache.
            preparing.async { for c in configurations { _ = try? ExperimentCache.shared.result(for: c) } }
        case .experiment(let e):
            if case .start = e { begin() }
            experimentWorker.run(e) { [self] msg in
                let ends: Bool
                switch msg {
                case .finished, .failed: ends = true
                default: ends = false
                }
                post(.experiment(msg), ending: ends)
            }
        }
    }

    /// True while an effect it started has not answered yet.
    public var isBusy: Bool {
        lock.lock()
        defer { lock.unlock() }
        return inFlight > 0
    }

    private func begin() {
        lock.lock()
        inFlight += 1
        lock.unlock()
    }

    /// Every message posted since the last call, oldest first.
    public func takeMessages() -> [Msg] {
        lock.lock()
        defer { lock.unlock() }
        let out = inbox
        inbox.removeAll()
        return out
    }

    /// Blocks until every effect started so far has finished (for scripts and tests).
    public func waitUntilIdle() {
        queue.sync {}
        training.sync {}
        queue.sync {}
        experimentWorker.waitUntilIdle()
    }

    private func isStale(_ generation: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return generation < latestForward
    }

    private func isStaleTraining(_ generation: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return generation < latestTraining
    }

    private func post(_ msg: Msg, ending: Bool = false) {
        lock.lock()
        inbox.append(msg)
        if ending { inFlight = max(0, inFlight - 1) }
        lock.unlock()
        onPost?()
    }

    // MARK: - The work itself

    /// Reads a UTF-8 text file, with an error a learner can act on.
    public static func readText(_ path: String) -> Result<String, LoadError> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(LoadError("can't read \(path): no such file, or no permission"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(LoadError("\(path) is not UTF-8 text"))
        }
        return .success(text)
    }

    /// Reads a PGM or PPM image.
    public static func readImage(_ path: String) -> Result<SampleImage, LoadError> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(LoadError("can't read \(path): no such file, or no permission"))
        }
        do {
            return .success(try SampleImage.netpbm([UInt8](data), name: (path as NSString).lastPathComponent))
        } catch let e {
            return .failure(e)
        }
    }

    /// Writes bytes to a file; says what was written, or why not.
    public static func write(_ contents: [UInt8], to path: String, what: String) -> Result<String, LoadError> {
        if FileManager.default.createFile(atPath: path, contents: Data(contents)) {
            return .success("wrote \(path): \(what)")
        }
        var isDirectory: ObjCBool = false
        let why = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            ? "it is a folder" : "no such folder, or no permission"
        return .failure(LoadError("can't write \(path): \(why)"))
    }

    /// Trains the model briefly on the synthetic shapes (``ModelTraining``), reporting each step.
    public static func train(_ request: TrainRequest, isCancelled: () -> Bool = { false },
                             progress: (Int, Int, Float) -> Void) -> Result<WeightSet, LoadError> {
        do {
            let outcome = try ModelTraining.train(request.model, plan: request.plan, settings: request.settings,
                                                  shouldStop: isCancelled) { p in progress(p.step, p.steps, p.loss) }
            let shape = outcome.plan.inputShape
            let percent = { (a: Double) in "\(Int((a * 100).rounded()))%" }
            let glyph = Glyph(rawValue: outcome.sampleLabel)?.name ?? "shape"
            let origin = "\(outcome.steps) steps, test accuracy \(percent(outcome.accuracyBefore)) → \(percent(outcome.accuracyAfter))"
            let details = "trained \(outcome.steps) steps on the synthetic shapes (seed \(request.settings.seed), batches of "
                + "\(request.settings.batchSize), Adam \(request.settings.learningRate)): test accuracy "
                + "\(percent(outcome.accuracyBefore)) → \(percent(outcome.accuracyAfter))"
                + (outcome.plan.notes.isEmpty ? "" : "; " + outcome.plan.notes.joined(separator: "; "))
            let sample = SampleImage(name: "a test \(glyph)", width: shape[1], height: shape[0], channels: shape[2],
                                     pixels: outcome.sampleImage.data)
            var weights = WeightSet(tensors: outcome.weights, origin: origin, inputShape: shape, sample: sample, revision: request.revision)
            weights.details = details
            return .success(weights)
        } catch {
            return .failure(LoadError(error.message))
        }
    }

    /// Runs the model on the image with seeded random weights and keeps every layer's output.
    ///
    /// Layer by layer, so that progress is reported after each one and a
    /// cancelled run stops early. Each layer gets its own seed; inference
    /// mode, so Dropout passes values through and BatchNorm uses its moving
    /// statistics.
    public static func forward(_ request: ForwardRequest, isCancelled: () -> Bool = { false },
                               progress: (Int, Int) -> Void) -> Result<FeatureMapsResult, LoadError> {
        let image = request.image
        let shape = [image.height, image.width, image.channels]
        let x = LayerByLayer.input(image, centred: request.weights == nil)
        let steps: [LayerByLayer.Step]
        do {
            steps = try LayerByLayer.run(request.model, input: x, seed: request.seed, weights: request.weights?.tensors,
                                         isCancelled: isCancelled, progress: progress)
        } catch {
            return .failure(LoadError(error.message))
        }
        let outputs = steps.map { step -> FeatureMapsResult.Output in
            var output = FeatureMapsResult.Output(layerIndex: step.row.index, name: step.row.name, typeName: step.row.typeName,
                                                  shape: Array(step.output.shape.dropFirst()), values: step.output.data)
            var spec = step.row.spec
            spec.name = step.row.name
            output.spec = spec
            if case .conv = spec.kind, let kernel = step.weights[step.row.name + "/kernel"] {
                output.kernelShape = kernel.shape
                output.kernel = kernel.data
                output.bias = step.weights[step.row.name + "/bias"]?.data ?? []
            }
            return output
        }
        var result = FeatureMapsResult(
            imageName: image.name,
            input: .init(layerIndex: -1, name: "input", typeName: "Input", shape: shape, values: x.data),
            outputs: outputs)
        result.shown = request.weights == nil ? .initial : .trained
        return .success(result)
    }
}
