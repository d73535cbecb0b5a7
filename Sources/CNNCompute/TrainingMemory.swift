import CNNModel
import Foundation

/// Estimates of the memory that training holds, from a model's sizes alone.
public enum TrainingMemory {
    /// The bytes training one batch holds at its peak: the weights, their
    /// gradients and Adam's two moments; the input batch and every layer's
    /// output (the forward pass keeps them for the backward); the two largest
    /// gradient maps alive at once during the backward; and one im2col buffer
    /// per thread for the largest convolution.
    public static func peakBytes(_ summary: ModelSummary, batchSize: Int, threads: Int = 2) -> Int {
        let float = 4
        let weights = summary.totalParams * float
        let optimizer = summary.trainableParams * float * 3
        let input = summary.inputShape.reduce(1, *) * float * batchSize
        let activations = summary.totalActivationBytes * batchSize
        let largest = summary.layers.map(\.outputBytes).sorted(by: >).prefix(2).reduce(0, +) * batchSize
        let unfold = summary.layers.map { layer -> Int in
            guard case .conv(let c) = layer.spec.kind else { return 0 }
            let window = c.kernel.reduce(1, *) * (layer.inputShape.last ?? 1)
            return layer.outputShape.dropLast().reduce(1, *) * window * float
        }.max() ?? 0
        return weights + optimizer + input + activations + largest + unfold * threads
    }

    /// The process's peak resident memory (Linux `VmHWM`), or nil where unknown.
    public static func processPeakBytes() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if parts.count >= 2, let kb = Int(parts[1]) { return kb * 1024 }
        }
        return nil
    }
}
