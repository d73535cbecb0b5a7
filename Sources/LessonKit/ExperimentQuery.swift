import CNNCompute
import Race
import Foundation

/// What an `experiment HEAD PROPERTY` query reads from a seeded experiment run.
///
/// `experiment gap test_accuracy`, `experiment flatten runs 48`,
/// `experiment gap accuracy 64`; see `Lessons/README.md`.
public enum ExperimentProperty: Sendable, Hashable {
    case params, headParams, multAdds, peakMemoryBytes
    /// After the last epoch.
    case trainAccuracy, trainLoss, testAccuracy, testLoss
    /// On the shifted split: shapes near the edges.
    case shiftedAccuracy, shiftedLoss
    /// `yes` when the head runs on an N×N canvas, `no` when its shapes refuse it.
    case runs(Int)
    /// The accuracy on an N×N canvas; an error when the head can't run there.
    case largeAccuracy(Int)
    /// The size of the vector the first Dense layer receives on an N×N canvas.
    case denseInputs(Int)

    /// The properties that need no canvas, by their written name.
    static let simple: [String: ExperimentProperty] = [
        "params": .params, "head_params": .headParams, "mult_adds": .multAdds,
        "peak_memory_bytes": .peakMemoryBytes, "train_accuracy": .trainAccuracy,
        "train_loss": .trainLoss, "test_accuracy": .testAccuracy, "test_loss": .testLoss,
        "shifted_accuracy": .shiftedAccuracy, "shifted_loss": .shiftedLoss,
    ]
    /// The properties followed by a canvas size.
    static let sized: [String: @Sendable (Int) -> ExperimentProperty] = [
        "runs": { .runs($0) }, "accuracy": { .largeAccuracy($0) }, "dense_inputs": { .denseInputs($0) },
    ]
    /// The settings `experiment SETTING` reads from the configuration.
    static let settings = ["epochs", "seed", "train_images", "test_images", "shifted_images", "large_images",
                           "classes", "chance", "image_size"]
    static var names: String {
        (simple.keys.sorted() + sized.keys.sorted().map { "\($0) N" }).joined(separator: ", ")
    }

    var sourceText: String {
        switch self {
        case .runs(let n): return "runs \(n)"
        case .largeAccuracy(let n): return "accuracy \(n)"
        case .denseInputs(let n): return "dense_inputs \(n)"
        default: return Self.simple.first { $0.value == self }?.key ?? "property"
        }
    }
}

// MARK: - The fence

extension ExperimentConfiguration {
    /// The keys an ```` ```experiment ```` fence accepts, with what each sets.
    static let lessonKeys = ["epochs", "seed", "batch", "train", "test", "shifted", "large"]

    /// Reads `epochs=1 seed=1 train=400 …`; unset keys keep the defaults of `cnn-tutor experiment`.
    static func lessonSettings(_ words: [String]) throws(LessonExpressionError) -> ExperimentConfiguration {
        var c = ExperimentConfiguration()
        for word in words {
            let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                throw LessonExpressionError("write settings as KEY=VALUE, as in 'epochs=1 seed=1' (got '\(word)')")
            }
            let key = parts[0], text = parts[1].replacingOccurrences(of: "_", with: "")
            if key == "seed" {
                guard let s = UInt64(text) else { throw LessonExpressionError("seed must be a whole number from 0 (got '\(parts[1])')") }
                c.seed = s
                continue
            }
            guard let n = Int(text) else { throw LessonExpressionError("\(key) must be a whole number (got '\(parts[1])')") }
            switch key {
            case "epochs": c.epochs = n
            case "batch": c.batchSize = n
            case "train": c.trainCount = n
            case "test": c.testCount = n
            case "shifted": c.shiftedCount = n
            case "large": c.largeCount = n
            default:
                throw LessonExpressionError("unknown experiment setting '\(key)'; use \(lessonKeys.joined(separator: ", "))")
            }
        }
        do {
            try c.validate()
        } catch {
            throw LessonExpressionError(error.message.replacingOccurrences(of: "--epochs", with: "epochs"))
        }
        return c
    }
}

// MARK: - Running once

/// Seeded experiment runs, kept per configuration so each runs once per process.
///
/// The result depends only on the configuration, so every session, validator
/// and template that asks for the same settings shares one run.
public final class ExperimentCache: @unchecked Sendable {
    public static let shared = ExperimentCache()
    private let lock = NSLock()
    private var entries: [ExperimentConfiguration: Entry] = [:]

    /// One configuration's run, trained by its first caller.
    private final class Entry: @unchecked Sendable {
        let lock = NSLock()
        var outcome: Result<ExperimentResult, ExperimentError>?
    }

    /// The run for these settings, training it on first use.
    public func result(for configuration: ExperimentConfiguration) throws(ExperimentError) -> ExperimentResult {
        let entry = lock.withLock {
            if let known = entries[configuration] { return known }
            let fresh = Entry()
            entries[configuration] = fresh
            return fresh
        }
        // Held while training so that two callers never train the same run
        // twice; callers of other settings don't wait for it.
        let outcome = entry.lock.withLock {
            if let known = entry.outcome { return known }
            let fresh = Result { () throws(ExperimentError) in try ExperimentRun.run(configuration) }
            entry.outcome = fresh
            return fresh
        }
        return try outcome.get()
    }
}

// MARK: - Evaluation

extension LessonState {
    /// The seeded run the last ```` ```experiment ```` block set up.
    func experimentResult() throws(LessonExpressionError) -> ExperimentResult {
        guard let configuration = experiment else {
            throw LessonExpressionError("no experiment run yet; add a ```experiment block, as in '```experiment epochs=1 seed=1'")
        }
        do {
            return try ExperimentCache.shared.result(for: configuration)
        } catch {
            throw LessonExpressionError("the experiment failed: \(error.message)")
        }
    }
}

extension Query {
    /// Reads an experiment fact; nil for queries about a model.
    func evaluateExperiment(in state: LessonState) throws(LessonExpressionError) -> LessonValue? {
        switch self {
        case .experimentSetting(let name):
            guard let c = state.experiment else {
                throw LessonExpressionError("no experiment run yet; add a ```experiment block, as in '```experiment epochs=1 seed=1'")
            }
            switch name {
            case "epochs": return .number(Double(c.epochs))
            case "seed": return .number(Double(c.seed))
            case "train_images": return .number(Double(c.trainCount))
            case "test_images": return .number(Double(c.testCount))
            case "shifted_images": return .number(Double(c.shiftedCount))
            case "classes": return .number(Double(Glyph.allCases.count))
            case "chance": return .number(1 / Double(Glyph.allCases.count))
            case "image_size":
                let side = (try? ExperimentHead.flatten.model().inputShape?.first) ?? nil
                guard let side else { throw LessonExpressionError("the experiment's model has no input size") }
                return .number(Double(side))
            default: return .number(Double(c.largeCount))
            }
        case .experiment(let head, let property):
            let result = try state.experimentResult()
            guard let h = result.head(head) else { throw LessonExpressionError("the experiment has no \(head.title)") }
            return try property.read(h)
        default:
            return nil
        }
    }
}

extension ExperimentProperty {
    func read(_ h: HeadResult) throws(LessonExpressionError) -> LessonValue {
        func last() throws(LessonExpressionError) -> EpochRecord {
            guard let e = h.epochs.last else {
                throw LessonExpressionError("the \(h.head.title) finished no epoch\(h.stopped.map { ": \($0.message)" } ?? "")")
            }
            return e
        }
        func shifted() throws(LessonExpressionError) -> Evaluation {
            guard let s = h.shifted else { throw LessonExpressionError("the \(h.head.title) was not tested on the shifted split") }
            return s
        }
        func large(_ n: Int) throws(LessonExpressionError) -> LargeInputResult {
            guard let r = h.large.first(where: { $0.canvas == n }) else {
                let known = h.large.map { String($0.canvas) }.joined(separator: ", ")
                throw LessonExpressionError("the experiment tests no \(n)×\(n) canvas; it tests \(known.isEmpty ? "none" : known)")
            }
            return r
        }
        switch self {
        case .params: return .number(Double(h.params))
        case .headParams: return .number(Double(h.headParams))
        case .multAdds: return .number(Double(h.multAddsPerImage))
        case .peakMemoryBytes: return .number(Double(h.peakMemoryBytes))
        case .trainAccuracy: return .number(try last().trainAccuracy)
        case .trainLoss: return .number(try last().trainLoss)
        case .testAccuracy: return .number(try last().testAccuracy)
        case .testLoss: return .number(try last().testLoss)
        case .shiftedAccuracy: return .number(try shifted().accuracy)
        case .shiftedLoss: return .number(try shifted().loss)
        case .runs(let n): return .text(try large(n).evaluation == nil ? "no" : "yes")
        case .denseInputs(let n): return .number(Double(try large(n).denseInputs))
        case .largeAccuracy(let n):
            let r = try large(n)
            guard let e = r.evaluation else {
                throw LessonExpressionError("the \(h.head.title) can't run on \(n)×\(n): \(r.error ?? "its shapes refuse it")")
            }
            return .number(e.accuracy)
        }
    }
}

// MARK: - Parsing

extension LessonExpressionParser {
    /// Reads what follows `experiment`: a setting, or a head and a property.
    mutating func experimentQuery() throws(LessonExpressionError) -> Query {
        let heads = ExperimentHead.allCases.map(\.rawValue).joined(separator: ", ")
        guard case .word(let w)? = next() else {
            throw LessonExpressionError("'experiment' needs a head (\(heads)) and a property, as in 'experiment gap test_accuracy'")
        }
        if ExperimentProperty.settings.contains(w) { return .experimentSetting(w) }
        guard let head = ExperimentHead(rawValue: w) else {
            throw LessonExpressionError("unknown experiment head '\(w)'; use \(heads), or a setting: \(ExperimentProperty.settings.joined(separator: ", "))")
        }
        guard case .word(let p)? = next() else {
            throw LessonExpressionError("'experiment \(w)' needs a property: \(ExperimentProperty.names)")
        }
        if let prop = ExperimentProperty.simple[p] { return .experiment(head, prop) }
        guard let make = ExperimentProperty.sized[p] else {
            throw LessonExpressionError("unknown experiment property '\(p)'; use one of \(ExperimentProperty.names)")
        }
        guard case .number(let x, _)? = next(), x == x.rounded(), x >= 1 else {
            throw LessonExpressionError("'experiment \(w) \(p)' needs a canvas size, as in '\(p) 48'")
        }
        return .experiment(head, make(Int(x)))
    }
}
