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
            queue.async { [self] in post(.modelFileLoaded(path: path, result: EffectRunner.readText(path))) }
        case .loadImage(let path):
            queue.async { [self] in post(.imageLoaded(path: path, result: EffectRunner.readImage(path))) }
        case .runForward(let request):
            queue.async { [self] in
                let result = EffectRunner.forward(request) { done, total in
                    self.post(.forwardProgress(generation: request.generation, done: done, total: total))
                }
                post(.forwardFinished(generation: request.generation, result: result))
            }
        case .experiment(let e):
            experimentWorker.run(e) { [self] msg in post(.experiment(msg)) }
        }
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

    private func post(_ msg: Msg) {
        lock.lock()
        inbox.append(msg)
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
    public static func forward(_ request: ForwardRequest, progress: (Int, Int) -> Void) -> Result<FeatureMapsResult, LoadError> {
        let image = request.image
        let shape = [image.height, image.width, image.channels]
        do {
            let net = try Network(model: request.model, inputShape: shape, seed: request.seed)
            progress(0, net.summary.layers.count)
            // Inputs are centred so that random weights give maps of both signs.
            let input = Tensor(shape: [1] + shape, data: image.pixels.map { $0 * 2 - 1 })
            let outputs = try net.forward(input)
            progress(outputs.count, outputs.count)
            let rows = net.summary.layers
            let result = FeatureMapsResult(
                imageName: image.name,
                input: .init(layerIndex: -1, name: "input", typeName: "Input", shape: shape, values: image.pixels),
                outputs: zip(rows, outputs).map { row, t in
                    .init(layerIndex: row.index, name: row.name, typeName: row.typeName, shape: Array(t.shape.dropFirst()), values: t.data)
                })
            return .success(result)
        } catch let e {
            return .failure(LoadError(e.description))
        }
    }
}
