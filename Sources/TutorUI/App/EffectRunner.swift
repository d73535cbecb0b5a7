import CNNCompute
import CNNModel
import Foundation

/// Carries out ``Effect``s off the UI thread and posts their results as ``Msg``s.
///
/// The loop calls ``run(_:)`` with each effect `update` returns and drains
/// ``takeMessages()`` between key reads, so the keyboard never waits for a
/// forward pass or a file. `.quit` is the loop's business and is ignored here.
public final class EffectRunner: @unchecked Sendable {
    private let lock = NSLock()
    private var inbox: [Msg] = []
    private var latestForward = 0
    /// Effects started and not yet answered.
    private var inFlight = 0
    private let queue = DispatchQueue(label: "cnn-tutor.effects", qos: .userInitiated)
    private let experimentWorker = ExperimentWorker()
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
        experimentWorker.waitUntilIdle()
    }

    private func isStale(_ generation: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return generation < latestForward
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
        let summary: ModelSummary
        do {
            summary = try request.model.summary(inputShape: shape)
        } catch let e {
            return .failure(LoadError(e.description))
        }
        // Inputs are centred so that random weights give maps of both signs.
        var x = Tensor(shape: [1] + shape, data: image.pixels.map { $0 * 2 - 1 })
        var outputs: [FeatureMapsResult.Output] = []
        progress(0, summary.layers.count)
        for row in summary.layers {
            if isCancelled() { return .failure(LoadError("cancelled: the model changed")) }
            var spec = row.spec
            spec.name = row.name
            do {
                let net = try Network(model: Model(inputShape: row.inputShape, layers: [spec]),
                                      seed: request.seed &+ UInt64(row.index))
                x = try net.predict(x)
            } catch let e {
                return .failure(LoadError("\(row.name): \(e.description)"))
            }
            outputs.append(.init(layerIndex: row.index, name: row.name, typeName: row.typeName,
                                 shape: Array(x.shape.dropFirst()), values: x.data))
            progress(row.index + 1, summary.layers.count)
        }
        return .success(FeatureMapsResult(
            imageName: image.name,
            input: .init(layerIndex: -1, name: "input", typeName: "Input", shape: shape, values: image.pixels),
            outputs: outputs))
    }
}
