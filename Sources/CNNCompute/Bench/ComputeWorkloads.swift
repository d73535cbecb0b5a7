import CNNModel
import Foundation

/// The compute core's workloads, exactly those of `tf_baseline.py`, plus the
/// raw speed of the 3×3 convolution.
public enum ComputeWorkloads {
    /// Every compute workload, in the order `bench` prints them.
    public static var all: [BenchWorkload] {
        [
            inference(size: 224, head: .globalAveragePooling, batch: 8, name: "infer_gap_224_b8_img_s"),
            inference(size: 224, head: .flatten, batch: 8, name: "infer_flatten_224_b8_img_s"),
            training(size: 32, head: .globalAveragePooling, batch: 32, steps: 20, name: "train_gap_32x32x1_b32_img_s"),
            training(size: 32, head: .flatten, batch: 32, steps: 20, name: "train_flatten_32x32x1_b32_img_s"),
            convolutionGFLOPS(),
        ]
    }

    /// The threads the compute core uses.
    public static var threads: Int { Parallel.threads }

    static func normalBatch(_ shape: [Int], seed: UInt64) -> Tensor {
        var g = SeededGenerator(seed: seed)
        return Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in g.normal() })
    }

    /// Inference images per second on a random batch.
    public static func inference(size: Int, head: SeedArticle.Head, batch: Int, name: String) -> BenchWorkload {
        BenchWorkload(name: name, unit: "img/s", repeats: 7) {
            let net = try Network(model: SeedArticle.model(head: head, inputShape: [size, size, 3]), seed: 1)
            let x = normalBatch([batch, size, size, 3], seed: 0)
            return {
                var y: Tensor?
                let t = try BenchWorkload.seconds { y = try net.predict(x) }
                guard let y, y.data[0].isFinite else { throw NetworkError("the prediction is not finite") }
                return Double(batch) / t
            }
        }
    }

    /// Training images per second: Adam, sparse categorical cross-entropy,
    /// `steps` batches per repeat, dropout active.
    public static func training(size: Int, head: SeedArticle.Head, batch: Int, steps: Int, name: String) -> BenchWorkload {
        BenchWorkload(name: name, unit: "img/s", repeats: 5) {
            let net = try Network(model: SeedArticle.model(head: head, inputShape: [size, size, 1]), seed: 1)
            let optimizer = Optimizer.adam()
            var g = SeededGenerator(seed: 7)
            let batches = (0..<steps).map { s in normalBatch([batch, size, size, 1], seed: UInt64(100 + s)) }
            let labels = (0..<steps).map { _ in (0..<batch).map { _ in Int(g.next() % 10) } }
            return {
                let t = try BenchWorkload.seconds {
                    for s in 0..<steps { try net.trainStep(batches[s], labels: labels[s], optimizer: optimizer) }
                }
                return Double(batch * steps) / t
            }
        }
    }

    /// GFLOP/s of the 222×222×32 → 220×220×32 3×3 convolution forward (one image).
    public static func convolutionGFLOPS() -> BenchWorkload {
        BenchWorkload(name: "conv_gflops", unit: "GFLOP/s", repeats: 7) {
            let x = normalBatch([1, 222, 222, 32], seed: 3)
            let k = normalBatch([3, 3, 32, 32], seed: 4)
            let g = WindowGeometry(input: x.shape, kernel: [3, 3], strides: [1, 1], dilation: [1, 1],
                                   padding: .valid, outChannels: 32)
            let flops = 2.0 * 220 * 220 * 32 * 3 * 3 * 32
            return {
                var y: Tensor?
                let t = BenchWorkload.seconds { y = ConvOp.forward(x, kernel: k, bias: nil, geometry: g, groups: 1) }
                // Reading the output keeps the optimizer from dropping the stores.
                guard let y, y.data[y.count / 2].isFinite else { throw NetworkError("the convolution diverged") }
                return flops / t / 1e9
            }
        }
    }
}
