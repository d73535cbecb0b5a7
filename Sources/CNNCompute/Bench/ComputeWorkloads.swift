import CNNModel
import Foundation

/// The compute core's workloads, exactly those of `tf_baseline.py` (the
/// project's copy in Scripts/bench), plus the raw speed of the 3×3
/// convolution and of the other convolution layers.
public enum ComputeWorkloads {
    /// Every compute workload, in the order `bench` prints them.
    public static var all: [BenchWorkload] {
        [
            inference(size: 224, head: .globalAveragePooling, batch: 8, name: "infer_gap_224_b8_img_s"),
            inference(size: 224, head: .flatten, batch: 8, name: "infer_flatten_224_b8_img_s"),
            training(size: 32, head: .globalAveragePooling, batch: 32, steps: 20, name: "train_gap_32x32x1_b32_img_s"),
            training(size: 32, head: .flatten, batch: 32, steps: 20, name: "train_flatten_32x32x1_b32_img_s"),
            convolutionGFLOPS(),
            convolutionGFLOPS(direct: true),
        ] + layerCases.map { layerGFLOPS($0.0, input: $0.1, layer: $0.2) } + [batchNormTraining()]
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

    /// GFLOP/s of the 222×222×32 → 220×220×32 3×3 convolution forward (one
    /// image), as layers run it (on Winograd's transforms: `conv_gflops`) and
    /// on the direct kernel (`conv_direct_gflops`), both counted as direct flops.
    public static func convolutionGFLOPS(direct: Bool = false) -> BenchWorkload {
        BenchWorkload(name: direct ? "conv_direct_gflops" : "conv_gflops", unit: "GFLOP/s", repeats: 7) {
            let x = normalBatch([1, 222, 222, 32], seed: 3)
            let k = normalBatch([3, 3, 32, 32], seed: 4)
            let g = WindowGeometry(input: x.shape, kernel: [3, 3], strides: [1, 1], dilation: [1, 1],
                                   padding: .valid, outChannels: 32)
            let flops = 2.0 * 220 * 220 * 32 * 3 * 3 * 32
            var y = Tensor(uninitialized: g.outputShape(rank: 2))
            return {
                let t = BenchWorkload.seconds {
                    if direct {
                        DirectConv.forward(x, kernel: k, bias: nil, relu: false, geometry: g, into: &y)
                    } else {
                        y = ConvOp.forward(x, kernel: k, bias: nil, geometry: g, groups: 1)
                    }
                }
                // Reading the output keeps the optimizer from dropping the stores.
                guard y.data[y.count / 2].isFinite else { throw NetworkError("the convolution diverged") }
                return flops / t / 1e9
            }
        }
    }

    /// The layers beyond the article's 3×3 convolutions, as in `tf_baseline.py`:
    /// (name, input shape without the batch, layer code).
    public static let layerCases: [(String, [Int], String)] = [
        ("conv1d_gflops", [1024, 64], "Conv1D(64, 3)"),
        ("conv3d_gflops", [16, 32, 32, 16], "Conv3D(32, 3)"),
        ("depthwise_gflops", [112, 112, 64], "DepthwiseConv2D(3, padding='same')"),
        ("grouped_gflops", [56, 56, 64], "Conv2D(64, 3, groups=4, padding='same')"),
        ("dilated_gflops", [56, 56, 64], "Conv2D(64, 3, dilation_rate=2, padding='same')"),
    ]

    /// GFLOP/s of one layer's inference on a batch of 8 (2 flops per mult-add, bias excluded).
    public static func layerGFLOPS(_ name: String, input: [Int], layer: String) -> BenchWorkload {
        BenchWorkload(name: name, unit: "GFLOP/s", repeats: 7) {
            let shape = input.map(String.init).joined(separator: ", ")
            let model = try KerasParser.parse("keras.Sequential([keras.Input(shape=(\(shape),)), \(layer)])")
            let net = try Network(model: model, seed: 1)
            let batch = 8
            let flops = 2.0 * Double(try model.summary().totalMultAdds) * Double(batch)
            let x = normalBatch([batch] + input, seed: 5)
            return {
                var y: Tensor?
                let t = try BenchWorkload.seconds { y = try net.predict(x) }
                guard let y, y.data[y.count / 2].isFinite else { throw NetworkError("\(name) diverged") }
                return flops / t / 1e9
            }
        }
    }

    /// Gigabytes of input a second through BatchNormalization's training-mode
    /// forward (the batch statistics, then the normalisation) on a
    /// (8, 112, 112, 64) map, as `tf_baseline.py`'s `layer(x, training=True)`.
    public static func batchNormTraining() -> BenchWorkload {
        BenchWorkload(name: "batchnorm_train_gbs", unit: "GB/s", repeats: 7) {
            // As in a network: freed maps stay in the heap rather than fault in afresh.
            _ = Memory.configured
            let x = normalBatch([8, 112, 112, 64], seed: 6)
            let gamma = [Float](repeating: 1, count: 64), beta = [Float](repeating: 0, count: 64)
            return {
                var y: Tensor?
                let t = BenchWorkload.seconds { y = BatchNormOp.training(x, gamma: gamma, beta: beta, epsilon: 1e-3).y }
                guard let y, y.data[y.count / 2].isFinite else { throw NetworkError("batch norm diverged") }
                return Double(x.count * 4) / t / 1e9
            }
        }
    }
}
