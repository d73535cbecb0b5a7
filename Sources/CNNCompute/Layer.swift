import CNNModel

/// A layer that runs: forward in inference or training mode, backward from
/// dL/dy, and the weights it owns.
///
/// A layer keeps what its backward pass needs from the last training-mode
/// forward; call `backward` only after `forward(training: true)`.
class ComputeLayer {
    let name: String
    let spec: LayerSpec
    /// Shapes without the batch axis.
    let inputShape: [Int]
    let outputShape: [Int]
    var parameters: [Parameter] = []

    init(name: String, spec: LayerSpec, inputShape: [Int], outputShape: [Int]) {
        self.name = name
        self.spec = spec
        self.inputShape = inputShape
        self.outputShape = outputShape
    }

    func forward(_ x: Tensor, training: Bool, rng: inout SeededGenerator) -> Tensor { x }

    /// dL/dx (when `needInput`), adding each weight's gradient into its parameter.
    func backward(_ dy: Tensor, needInput: Bool) -> Tensor? { dy }

    /// The pre-softmax values of the last training-mode forward, when this
    /// layer ends in a softmax over the last axis (so the loss can use them
    /// as Keras does), else nil.
    var softmaxLogits: Tensor? { nil }

    /// The backward pass from dL/d(logits), skipping the softmax; only called
    /// when ``softmaxLogits`` is not nil.
    func backward(logitsGradient dz: Tensor, needInput: Bool) -> Tensor? { nil }

    /// The parameter with this Keras weight name.
    func parameter(_ weight: String) -> Parameter? {
        parameters.first { $0.weightName == weight }
    }

    /// Makes the parameters from Keras' weight specs (values set later).
    func makeParameters(_ specs: [WeightSpec]) {
        parameters = specs.map { Parameter(layer: name, spec: $0, value: Tensor(zeros: $0.shape)) }
    }

    /// Adds `delta` into a parameter's gradient.
    func accumulate(_ weight: String, _ delta: Tensor?) {
        guard let delta, let p = parameter(weight) else { return }
        delta.data.withUnsafeBufferPointer { d in
            p.gradient.data.withUnsafeMutableBufferPointer { g in
                for i in 0..<g.count { g[i] += d[i] }
            }
        }
    }
}

// MARK: - Building

extension LayerSpec {
    /// Why the compute core can't run this layer, or nil: `glu` halves an axis
    /// that Keras' summary keeps, and `threshold` fails in Keras itself.
    var runRefusal: String? {
        let activation: Activation?
        switch kind {
        case .resize(let r) where r.interpolation != .bilinear && r.interpolation != .nearest:
            return "\(r.kind.rawValue): interpolation '\(r.interpolation.rawValue)' doesn't run here (bilinear and nearest do)"
        case .conv(let c): activation = c.activation
        case .dense(let d): activation = d.activation
        case .convTranspose(let c): activation = c.activation
        case .activation(let a): activation = a
        default: activation = nil
        }
        guard let activation, !activation.runsInCompute else { return nil }
        return activation == .glu
            ? "activation 'glu' halves the last axis when it runs, which Keras' summary doesn't show; cnn-tutor can't run it"
            : "activation 'threshold' needs a threshold and a default value, which a name can't give: Keras fails when it runs"
    }
}

extension ComputeLayer {
    /// The running layer for a spec.
    static func make(_ spec: LayerSpec, name: String, inputShape: [Int], outputShape: [Int]) -> ComputeLayer {
        let layer: ComputeLayer
        switch spec.kind {
        case .conv(let c):
            layer = ConvLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape, config: c)
        case .pool(let p):
            layer = PoolLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape, config: p)
        case .globalPool(let g):
            layer = GlobalPoolLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape, config: g)
        case .batchNorm(let b):
            layer = BatchNormLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape, config: b)
        case .layerNorm(let l):
            layer = LayerNormLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape, config: l)
        case .dropout(let rate, let rank, let seed):
            layer = DropoutLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape,
                                 rate: Float(rate), spatial: rank != nil, seed: seed)
        case .activation(let f):
            layer = ActivationLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape, kind: .function(f))
        case .relu(let r):
            layer = ActivationLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape, kind: .relu(r))
        case .softmax(let axes):
            let rank = inputShape.count + 1
            let resolved = (try? LayerSpec.normalizedAxes(axes, rank: rank, allowBatch: true)) ?? [rank - 1]
            layer = ActivationLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape,
                                    kind: .softmax(resolved))
        case .flatten:
            layer = FlattenLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
        case .dense(let d):
            layer = DenseLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape, config: d)
        case .zeroPadding(let pads):
            layer = ZeroPaddingLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape,
                                     before: pads.map(\.before))
        case .merge(let m):
            layer = MergeLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape, config: m)
        case .cropping(let crops):
            layer = ZeroPaddingLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape,
                                     before: crops.map(\.before), crops: true)
        case .upSampling(let size, let bilinear):
            layer = UpSamplingLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape,
                                    size: size, bilinear: bilinear)
        case .convTranspose(let c):
            layer = ConvTransposeLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape, config: c)
        case .rescaling, .normalization:
            layer = AffineLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
        case .reshape:
            layer = ReshapeLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
        case .permute(let dims):
            layer = PermuteLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape, dims: dims)
        case .repeatVector:
            layer = RepeatVectorLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
        case .leakyReLU(let slope):
            layer = ActivationLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape,
                                    kind: .relu(ReLUConfig(negativeSlope: slope)))
        case .prelu(let shared):
            layer = PReLULayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape, shared: shared)
        case .elu(let alpha):
            layer = ActivationLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape,
                                    kind: .elu(Float(alpha)))
        case .noise(let n):
            layer = NoiseLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape, noise: n)
        case .resize(let r):
            layer = ResizeLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape, config: r)
        case .augmentation:
            // Random in training (not run here: training sees the images unchanged), the identity at inference.
            layer = ComputeLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
        case .activityRegularization:
            // The identity: its L1/L2 penalty is a term of Keras' loss, not of the output.
            layer = ComputeLayer(name: name, spec: spec, inputShape: inputShape, outputShape: outputShape)
        }
        layer.makeParameters(spec.weights(for: inputShape))
        return layer
    }
}
