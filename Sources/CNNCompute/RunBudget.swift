import CNNModel
import Foundation

/// Whether a model is small enough to run here, decided from its sizes
/// alone, before any tensor is allocated.
///
/// Every path that runs a model asks first: `forward` (with or without
/// `--init`), the race, and the feature-map screen. They refuse with the
/// same words: "too big to run here: N params and X of outputs", then why,
/// and the caller's hint (a smaller input, a pooled head).
public enum RunBudget {
    /// The feature-map screen's limits: its weights and outputs must fit comfortably.
    public static let featureMapParameterLimit = 50_000_000
    public static let featureMapActivationLimit = 1 << 30

    /// The bytes an inference pass holds at its peak: the weights, the input
    /// batch, every layer's output (when `keepOutputs`, as `forward` writes them
    /// all; else the two largest alive at once) and one im2col buffer per
    /// thread for the largest convolution. Saturates at `Int.max`.
    public static func inferenceBytes(_ summary: ModelSummary, batchSize: Int, keepOutputs: Bool = true,
                                      threads: Int = 2) -> Int {
        let batch = max(batchSize, 1)
        let outputs = keepOutputs ? summary.totalActivationBytes
            : summary.layers.map(\.outputBytes).sorted(by: >).prefix(2).reduce(0, +)
        return sum([product([summary.totalParams, 4]),
                    product([summary.inputShape.reduce(1) { product([$0, $1]) }, 4, batch]),
                    product([outputs, batch]),
                    product([unfoldBytes(summary), max(threads, 1)])])
    }

    /// The bytes a training step holds at its peak (``TrainingMemory/peakBytes(_:batchSize:threads:)``).
    public static func trainingBytes(_ summary: ModelSummary, batchSize: Int, threads: Int = 2) -> Int {
        TrainingMemory.peakBytes(summary, batchSize: batchSize, threads: threads)
    }

    /// The memory a run may use: physical memory, or less when a cgroup or `ulimit -v` says so.
    public static var availableBytes: Int {
        var limit = Int.max
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        if pages > 0, size > 0 { limit = product([pages, size]) }
        if let text = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
           let n = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), n > 0 {
            limit = min(limit, n)
        }
        var rl = rlimit()
        if getrlimit(RLIMIT_AS_VALUE, &rl) == 0, rl.rlim_cur != rlim_t.max, rl.rlim_cur < rlim_t(Int.max) {
            limit = min(limit, Int(rl.rlim_cur))
        }
        return limit
    }

    /// Why a pass of `bytes` can't run within `limit`, or nil when it can.
    ///
    /// - Parameters:
    ///   - what: the pass, as in "a forward pass on a batch of 4".
    public static func refusal(_ summary: ModelSummary, bytes: Int, limit: Int = availableBytes,
                               what: String) -> String? {
        guard bytes > limit else { return nil }
        return head(summary) + "; \(what) needs about \(KerasFormat.bytes(bytes)), "
            + "more than the \(KerasFormat.bytes(limit)) of memory here"
    }

    /// The inference refusal for a batch, or nil.
    public static func inferenceRefusal(_ summary: ModelSummary, batchSize: Int, keepOutputs: Bool = true,
                                        limit: Int = availableBytes) -> String? {
        refusal(summary, bytes: inferenceBytes(summary, batchSize: batchSize, keepOutputs: keepOutputs), limit: limit,
                what: "a forward pass on a batch of \(batchSize)")
    }

    /// The training refusal for a batch, or nil.
    public static func trainingRefusal(_ summary: ModelSummary, batchSize: Int, limit: Int = availableBytes) -> String? {
        refusal(summary, bytes: trainingBytes(summary, batchSize: batchSize), limit: limit,
                what: "a training step on a batch of \(batchSize)")
    }

    /// The feature-map screen's refusal (its fixed limits), or nil; the screen adds its key hints.
    public static func featureMapRefusal(_ summary: ModelSummary) -> String? {
        guard summary.totalParams > featureMapParameterLimit || summary.totalActivationBytes > featureMapActivationLimit
        else { return nil }
        return head(summary)
    }

    /// "too big to run here: 11,574,090 params and 34.3 GB of outputs".
    static func head(_ summary: ModelSummary) -> String {
        "too big to run here: \(KerasFormat.grouped(summary.totalParams)) params and "
            + "\(KerasFormat.bytes(summary.totalActivationBytes)) of outputs"
    }

    /// The largest convolution's im2col buffer for one sample.
    static func unfoldBytes(_ summary: ModelSummary) -> Int {
        summary.layers.map { layer -> Int in
            guard case .conv(let c) = layer.spec.kind else { return 0 }
            let window = product([c.kernel.reduce(1) { product([$0, $1]) }, layer.inputShape.last ?? 1])
            return product([layer.outputShape.dropLast().reduce(1) { product([$0, $1]) }, window, 4])
        }.max() ?? 0
    }

    private static func product(_ values: [Int]) -> Int {
        var result = 1
        for v in values {
            let (p, overflow) = result.multipliedReportingOverflow(by: v)
            if overflow { return Int.max }
            result = p
        }
        return result
    }

    private static func sum(_ values: [Int]) -> Int {
        var result = 0
        for v in values {
            let (s, overflow) = result.addingReportingOverflow(v)
            if overflow { return Int.max }
            result = s
        }
        return result
    }
}

#if canImport(Glibc)
private let RLIMIT_AS_VALUE = Int32(RLIMIT_AS.rawValue)
#else
private let RLIMIT_AS_VALUE = RLIMIT_AS
#endif
