import CNNModel
import Testing
@testable import CNNCompute

/// Finite-difference checks of every op's backward pass: each model puts the
/// op between weighted layers, so both its input gradient (through the
/// weights before it) and its own weight gradients are checked.
@Suite struct GradientCheckTests {
    /// (name, input shape, layers between a first conv and the classifier head).
    static let cases: [(String, String)] = [
        ("conv1d valid stride 2", "Input(shape=(13, 3)), Conv1D(4, 3, strides=2), GlobalAveragePooling1D()"),
        ("conv1d same dilation", "Input(shape=(12, 3)), Conv1D(4, 3, padding='same', dilation_rate=2), Flatten()"),
        ("conv1d causal", "Input(shape=(10, 2)), Conv1D(3, 4, padding='causal', activation='tanh'), Flatten()"),
        ("conv2d same stride 2", "Input(shape=(9, 8, 3)), Conv2D(4, 3, strides=2, padding='same', activation='sigmoid'), Flatten()"),
        ("conv2d groups", "Input(shape=(6, 6, 4)), Conv2D(6, 3, groups=2, activation='elu'), GlobalMaxPooling2D()"),
        ("conv2d direct kernels", "Input(shape=(10, 11, 16)), Conv2D(16, 3, padding='same', activation='relu'), Conv2D(32, 3, activation='swish'), GlobalAveragePooling2D()"),
        ("conv2d direct strided", "Input(shape=(21, 19, 3)), Conv2D(16, (3, 2), strides=2, activation='gelu'), Flatten()"),
        ("conv3d", "Input(shape=(4, 5, 5, 2)), Conv3D(3, 2, padding='same', activation='selu'), Flatten()"),
        ("depthwise", "Input(shape=(7, 7, 3)), DepthwiseConv2D(3, depth_multiplier=2, strides=2, padding='same', activation='softplus'), Flatten()"),
        ("separable", "Input(shape=(8, 8, 3)), SeparableConv2D(5, 3, depth_multiplier=2, activation='softsign'), Flatten()"),
        ("max pool 1d/2d", "Input(shape=(9, 9, 2)), Conv2D(3, 2), MaxPooling2D(2, padding='same'), Flatten()"),
        ("max pool 3d", "Input(shape=(4, 6, 6, 2)), Conv3D(3, 1), MaxPooling3D(2), Flatten()"),
        ("max pool 1d", "Input(shape=(11, 2)), Conv1D(3, 2), MaxPooling1D(3, strides=2), Flatten()"),
        ("avg pool same", "Input(shape=(9, 7, 2)), Conv2D(3, 2), AveragePooling2D(3, strides=2, padding='same'), Flatten()"),
        ("avg pool 3d", "Input(shape=(4, 5, 5, 2)), Conv3D(2, 1), AveragePooling3D((1, 2, 2), padding='same'), Flatten()"),
        ("global pools keepdims", "Input(shape=(5, 5, 3)), Conv2D(4, 2), GlobalAveragePooling2D(keepdims=True), Flatten()"),
        ("global max 1d", "Input(shape=(9, 3)), Conv1D(4, 2), GlobalMaxPooling1D()"),
        ("global avg 3d", "Input(shape=(3, 4, 4, 2)), Conv3D(4, 2), GlobalAveragePooling3D()"),
        ("batch norm", "Input(shape=(6, 6, 2)), Conv2D(4, 3), BatchNormalization(), Activation('relu6'), Flatten()"),
        ("layer norm", "Input(shape=(6, 6, 2)), Conv2D(4, 3), LayerNormalization(), Activation('leaky_relu'), Flatten()"),
        ("zero padding", "Input(shape=(5, 5, 2)), Conv2D(3, 2), ZeroPadding2D((1, 2)), Conv2D(2, 3), Flatten()"),
        ("dense on maps", "Input(shape=(4, 4, 3)), Conv2D(4, 2), Dense(3, activation='hard_sigmoid'), Flatten()"),
        ("relu layer", "Input(shape=(6, 3)), Conv1D(4, 2), ReLU(max_value=0.5, negative_slope=0.1, threshold=-0.05), Flatten()"),
        ("exponential", "Input(shape=(6, 3)), Conv1D(4, 2), Activation('exponential'), Flatten()"),
        ("softmax layer", "Input(shape=(5, 3)), Conv1D(4, 2), Flatten(), Softmax()"),
        ("dropout at rate 0", "Input(shape=(6, 6, 2)), Conv2D(3, 2), SpatialDropout2D(0.0), Flatten(), Dropout(0.0)"),
    ]

    @Test(arguments: GradientCheckTests.cases)
    func matchesFiniteDifferences(_ name: String, _ body: String) throws {
        let source = "keras.Sequential([\(body), Dense(5), Dense(3, activation='softmax')])"
        let model = try KerasParser.parse(source)
        let net = try Network(model: model, seed: 3)
        // Non-zero biases and BN shifts, so no gradient is trivially zero.
        var g = SeededGenerator(seed: 11)
        for p in net.parameters where p.weightName == "bias" || p.weightName == "beta" {
            for i in 0..<p.value.count { p.value.data[i] = g.uniform(-0.2, 0.2) }
        }
        let batch = 3
        let shape = [batch] + net.inputShape
        let x = Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in g.normal() })
        let labels = [0, 2, 1]
        let analytic = try net.gradients(x, labels: labels).gradients
        for p in net.parameters where p.trainable {
            let grad = try #require(analytic[p.key])
            let picks = Set((0..<6).map { _ in Int(g.next() % UInt64(p.value.count)) })
            for i in picks {
                let saved = p.value.data[i]
                let h: Float = 1e-3
                p.value.data[i] = saved + h
                let up = try net.gradients(x, labels: labels).step.loss
                p.value.data[i] = saved - h
                let down = try net.gradients(x, labels: labels).step.loss
                p.value.data[i] = saved
                let numeric = (up - down) / (2 * h)
                let a = grad.data[i]
                #expect(abs(numeric - a) <= 2e-3 + 5e-2 * abs(a), "\(name): \(p.key)[\(i)] numeric \(numeric) analytic \(a)")
            }
        }
    }

    @Test func dropoutScalesKeptValuesAndMasksGradients() {
        var rng = SeededGenerator(seed: 5)
        let x = Tensor(repeating: 2, shape: [4, 50])
        let mask = DropoutOp.mask(for: x.shape, rate: 0.3, spatial: false, rng: &rng)
        let y = DropoutOp.forward(x, mask: mask)
        let kept = y.data.filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 2 / 0.7) < 1e-5 })
        #expect(kept.count > 100 && kept.count < 180)
        let dx = DropoutOp.backward(Tensor(repeating: 1, shape: x.shape), mask: mask)
        #expect(dx.data == mask)
    }

    @Test func spatialDropoutDropsWholeChannels() {
        var rng = SeededGenerator(seed: 6)
        let shape = [2, 3, 3, 8]
        let mask = DropoutOp.mask(for: shape, rate: 0.5, spatial: true, rng: &rng)
        for n in 0..<2 {
            for c in 0..<8 {
                let values = (0..<9).map { mask[(n * 9 + $0) * 8 + c] }
                #expect(Set(values).count == 1)
            }
        }
        #expect(Set(mask).count == 2)
    }

    @Test func gemmMatchesNaiveProduct() {
        var g = SeededGenerator(seed: 9)
        for (m, n, k) in [(1, 1, 1), (7, 33, 5), (17, 65, 300), (40, 8, 513), (8, 64, 100), (3, 40, 513)] {
            for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
                let a = (0..<(m * k)).map { _ in g.normal() }, b = (0..<(k * n)).map { _ in g.normal() }
                var c = [Float](repeating: 0, count: m * n)
                Gemm.multiply(a, b, into: &c, m: m, n: n, k: k, transA: ta, transB: tb)
                var worst: Float = 0
                for i in 0..<m {
                    for j in 0..<n {
                        var s: Float = 0
                        for p in 0..<k { s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]) }
                        worst = max(worst, abs(s - c[i * n + j]))
                    }
                }
                #expect(worst < 1e-3, "\(m)×\(n)×\(k) transA \(ta) transB \(tb)")
            }
        }
    }
}

/// The two fast input-gradient kernels agree with each other.
@Suite struct InputGradientKernelTests {
    @Test(arguments: [(9, 10, 16, 32, Padding.valid), (12, 12, 64, 64, .valid), (7, 9, 32, 16, .same), (3, 20, 16, 48, .same)])
    func scatterMatchesFullConvolution(_ h: Int, _ w: Int, _ inC: Int, _ outC: Int, _ padding: Padding) throws {
        var g = SeededGenerator(seed: UInt64(h * w + inC))
        let geometry = WindowGeometry(input: [2, h, w, inC], kernel: [3, 3], strides: [1, 1], dilation: [1, 1],
                                      padding: padding, outChannels: outC)
        let o = geometry.output
        let dy = Tensor(shape: [2, o.h, o.w, outC], data: (0..<(2 * o.h * o.w * outC)).map { _ in g.normal() })
        let kernel = Tensor(shape: [3, 3, inC, outC], data: (0..<(9 * inC * outC)).map { _ in g.normal() })
        let full = try #require(DirectConv.fullGradient(dy, kernel: kernel, geometry: geometry))
        let scattered = try #require(ScatterGradient.inputGradient(dy, kernel: kernel, geometry: geometry))
        #expect(full.shape == scattered.shape)
        var worst: Float = 0
        for i in 0..<full.count { worst = max(worst, abs(full.data[i] - scattered.data[i]) / (1 + abs(full.data[i]))) }
        #expect(worst < 1e-4)
    }
}
