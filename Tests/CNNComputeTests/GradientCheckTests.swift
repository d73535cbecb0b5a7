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
 ("conv2d direct same stride 2 after weights", "Input(shape=(9, 10, 3)), Conv2D(16, 1), Conv2D(16, 3, strides=2, padding='same', activation='swish'), Flatten()"),
        ("conv2d direct scatter same", "Input(shape=(5, 6, 2)), Conv2D(16, 1), Conv2D(16, 3, padding='same', activation='gelu'), MaxPooling2D(2), Flatten()"),
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
        ("batch norm axis 1", "Input(shape=(6, 5, 2)), Conv2D(4, 2), BatchNormalization(axis=1), Flatten()"),
        ("layer norm axes", "Input(shape=(6, 5, 2)), Conv2D(4, 2), LayerNormalization(axis=(1, 2)), LayerNormalization(axis=[1, 3]), Flatten()"),
        ("softmax axes", "Input(shape=(5, 4, 2)), Conv2D(3, 2), Softmax(axis=(1, 2)), Softmax(axis=1), Flatten()"),
        ("frozen batch norm", "Input(shape=(6, 6, 2)), Conv2D(4, 3), BatchNormalization(trainable=False), Flatten()"),
        ("depthwise strides with dilation", "Input(shape=(11, 11, 2)), DepthwiseConv2D(3, strides=2, dilation_rate=2), Flatten()"),
        ("conv2d transpose same", "Input(shape=(4, 3, 2)), Conv2DTranspose(3, 3, strides=2, padding='same', activation='tanh'), Flatten()"),
        ("conv1d transpose valid", "Input(shape=(5, 2)), Conv1DTranspose(3, 2, strides=3), Flatten()"),
        ("conv3d transpose", "Input(shape=(2, 3, 2, 2)), Conv3DTranspose(2, (1, 2, 2), strides=(1, 2, 1), padding='same', output_padding=(0, 1, 0)), Flatten()"),
        ("cropping and upsampling", "Input(shape=(6, 5, 2)), Conv2D(3, 2), Cropping2D(((1, 0), (0, 1))), UpSampling2D((2, 1)), UpSampling2D(2, interpolation='bilinear'), Flatten()"),
        ("upsampling 1d 3d", "Input(shape=(2, 3, 3, 2)), Conv3D(2, 1), UpSampling3D((1, 2, 1)), Reshape((-1, 2)), UpSampling1D(2), Cropping1D((1, 2)), Flatten()"),
        ("reshape permute repeat", "Input(shape=(4, 3, 2)), Conv2D(3, 1), Permute((2, 1, 3)), Reshape((6, -1)), Flatten(), Dense(4), RepeatVector(2), Flatten()"),
        ("rescaling normalization", "Input(shape=(5, 2)), Conv1D(2, 2), Rescaling(0.5, offset=1), Normalization(mean=[0.1, 0.2], variance=[2, 3]), Flatten()"),
        ("prelu", "Input(shape=(4, 4, 2)), Conv2D(3, 2), PReLU(), Conv2D(3, 1), PReLU(shared_axes=[1, 2]), Flatten()"),
        ("leaky relu elu", "Input(shape=(6, 3)), Conv1D(4, 2), LeakyReLU(), ELU(alpha=0.7), Flatten()"),
        ("new activations", "Input(shape=(6, 3)), Conv1D(4, 2, activation='mish'), Conv1D(4, 1, activation='hard_swish'), Conv1D(4, 1, activation='squareplus'), Conv1D(4, 1, activation='celu'), Conv1D(4, 1, activation='log_sigmoid'), Conv1D(4, 1, activation='tanh_shrink'), Flatten()"),
        ("resizing and crops", "Input(shape=(7, 9, 2)), Conv2D(2, 2), RandomFlip(), Resizing(5, 7), Resizing(8, 6, interpolation='nearest'), Resizing(6, 6, crop_to_aspect_ratio=True), Resizing(4, 7, pad_to_aspect_ratio=True), CenterCrop(3, 5), CenterCrop(4, 4), RandomCrop(3, 2), Flatten()"),
        ("log softmax sparsemax", "Input(shape=(6, 3)), Conv1D(4, 2, activation='log_softmax'), Conv1D(5, 1, activation='sparsemax'), Flatten()"),
    ]

    /// Each case at every kernel width.
    @Test(arguments: GradientCheckTests.cases, KernelWidth.allCases)
    func matchesFiniteDifferences(_ c: (String, String), _ width: KernelWidth) throws {
        try KernelWidth.$forced.withValue(width) { try check(c.0, c.1) }
    }

    func check(_ name: String, _ body: String) throws {
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

    @Test(arguments: KernelWidth.allCases)
    func gemmMatchesNaiveProduct(_ width: KernelWidth) {
        KernelWidth.$forced.withValue(width) { gemmCheck() }
    }

    func gemmCheck() {
        var g = SeededGenerator(seed: 9)
        for (m, n, k) in [(1, 1, 1), (7, 33, 5), (17, 65, 300), (40, 8, 513), (8, 64, 100), (3, 40, 513), (13, 17, 7), (200, 70, 40)] {
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
    @Test(arguments: [(9, 10, 16, 32, Padding.valid), (12, 12, 64, 64, .valid), (7, 9, 32, 16, .same), (3, 20, 16, 48, .same)],
          KernelWidth.allCases)
    func scatterMatchesFullConvolution(_ c: (Int, Int, Int, Int, Padding), _ width: KernelWidth) throws {
        try KernelWidth.$forced.withValue(width) { try check(c.0, c.1, c.2, c.3, c.4) }
    }

    func check(_ h: Int, _ w: Int, _ inC: Int, _ outC: Int, _ padding: Padding) throws {
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

/// ReLU fused into a convolution gives exactly the gradients of a separate
/// `ReLU()` layer (finite differences are unreliable across ReLU's kink).
@Suite struct FusedReLUTests {
    @Test(arguments: ["strides=2, padding='same'", "padding='valid'", "padding='same'"])
    func fusedReLUMatchesSeparateLayer(_ options: String) throws {
        let head = "keras.Sequential([Input(shape=(9, 10, 3)), Conv2D(16, 1, name='c0'), "
        let tail = "Flatten(name='f'), Dense(3, activation='softmax', name='d')])"
        let fused = try Network(model: KerasParser.parse(head + "Conv2D(16, 3, \(options), activation='relu', name='c1'), " + tail), seed: 3)
        let separate = try Network(model: KerasParser.parse(head + "Conv2D(16, 3, \(options), name='c1'), ReLU(name='r'), " + tail), seed: 3)
        var g = SeededGenerator(seed: 11)
        var weights = fused.weights
        for (k, v) in weights where k.hasSuffix("bias") {
            weights[k] = Tensor(shape: v.shape, data: v.data.map { _ in g.uniform(-0.2, 0.2) })
        }
        try fused.load(weights)
        try separate.load(weights)
        let x = Tensor(shape: [3, 9, 10, 3], data: (0..<(3 * 270)).map { _ in g.normal() })
        let a = try fused.gradients(x, labels: [0, 2, 1]), b = try separate.gradients(x, labels: [0, 2, 1])
        #expect(a.step.loss == b.step.loss)
        #expect(a.gradients == b.gradients)
    }
}

/// The fast 2D kernels agree with the generic im2col path.
@Suite struct DirectKernelTests {
    static let shapes: [(Int, Int, Int, Int, Int, Padding)] = [
        (9, 10, 3, 16, 2, .same), (9, 10, 16, 16, 1, .same), (12, 11, 8, 32, 2, .valid), (7, 9, 16, 48, 1, .valid),
        (10, 10, 3, 16, 3, .same), (4, 5, 5, 64, 1, .valid),
        // Maps of more than 256 output pixels: the kernel gradient runs in bands of rows.
        (40, 21, 16, 32, 1, .same), (50, 30, 3, 16, 2, .valid),
    ]

    @Test(arguments: DirectKernelTests.shapes, KernelWidth.allCases)
    func directMatchesGeneric(_ c: (Int, Int, Int, Int, Int, Padding), _ width: KernelWidth) throws {
        try KernelWidth.$forced.withValue(width) { try check(c.0, c.1, c.2, c.3, c.4, c.5) }
    }

    /// Every width sums the same products in the same order: the outputs and
    /// gradients are identical, bit for bit.
    @Test(arguments: DirectKernelTests.shapes)
    func everyWidthGivesTheSameValues(_ c: (Int, Int, Int, Int, Int, Padding)) throws {
        let (h, w, inC, outC, stride, padding) = c
        var g = SeededGenerator(seed: 5)
        let geometry = WindowGeometry(input: [2, h, w, inC], kernel: [3, 3], strides: [stride, stride], dilation: [1, 1],
                                      padding: padding, outChannels: outC)
        let x = Tensor(shape: [2, h, w, inC], data: (0..<(2 * h * w * inC)).map { _ in g.normal() })
        let kernel = Tensor(shape: [3, 3, inC, outC], data: (0..<(9 * inC * outC)).map { _ in g.normal() })
        let bias = Tensor(shape: [outC], data: (0..<outC).map { _ in g.normal() })
        let o = geometry.output
        let dy = Tensor(shape: [2, o.h, o.w, outC], data: (0..<(2 * o.h * o.w * outC)).map { _ in g.normal() })
        func run(_ width: KernelWidth) -> [Tensor?] {
            KernelWidth.$forced.withValue(width) {
                [ConvOp.forward(x, kernel: kernel, bias: bias, geometry: geometry, groups: 1, relu: true),
                 DirectConv.kernelGradient(dy, x: x, geometry: geometry),
                 DirectConv.fullGradient(dy, kernel: kernel, geometry: geometry)]
            }
        }
        let reference = run(.w16)
        for width in KernelWidth.allCases where width != .w16 {
            #expect(run(width) == reference, "\(width) against 16 lanes")
        }
    }

    func check(_ h: Int, _ w: Int, _ inC: Int, _ outC: Int, _ stride: Int, _ padding: Padding) throws {
        var g = SeededGenerator(seed: UInt64(h * 31 + w * 7 + inC + stride))
        let geometry = WindowGeometry(input: [2, h, w, inC], kernel: [3, 3], strides: [stride, stride], dilation: [1, 1],
                                      padding: padding, outChannels: outC)
        #expect(DirectConv.supports(geometry))
        let x = Tensor(shape: [2, h, w, inC], data: (0..<(2 * h * w * inC)).map { _ in g.normal() })
        let kernel = Tensor(shape: [3, 3, inC, outC], data: (0..<(9 * inC * outC)).map { _ in g.normal() })
        var generic = Tensor(zeros: geometry.outputShape(rank: 2))
        ConvOp.genericForward(x, kernel: kernel, geometry: geometry, groups: 1, into: &generic)
        let direct = ConvOp.forward(x, kernel: kernel, bias: nil, geometry: geometry, groups: 1)
        #expect(direct.shape == generic.shape)
        var worst: Float = 0
        for i in 0..<direct.count { worst = max(worst, abs(direct.data[i] - generic.data[i]) / (1 + abs(generic.data[i]))) }
        #expect(worst < 1e-4, "forward \(worst)")

        // Bias and ReLU applied in the kernel's store, against adding them after.
        let bias = Tensor(shape: [outC], data: (0..<outC).map { _ in g.normal() })
        var reference = generic
        ConvOp.addBias(bias, to: &reference)
        ActivationOp.applyReLU(&reference)
        let fused = ConvOp.forward(x, kernel: kernel, bias: bias, geometry: geometry, groups: 1, relu: true)
        worst = 0
        for i in 0..<fused.count { worst = max(worst, abs(fused.data[i] - reference.data[i]) / (1 + abs(reference.data[i]))) }
        #expect(worst < 1e-4, "forward with bias and ReLU \(worst)")
        #expect(fused.data.allSatisfy { $0 >= 0 })

        let dy = Tensor(shape: generic.shape, data: (0..<generic.count).map { _ in g.normal() })
        let fast = try #require(DirectConv.kernelGradient(dy, x: x, geometry: geometry))
        var slow = [Float](repeating: 0, count: kernel.count)
        // The generic kernel gradient: Σ im2col(x)ᵀ · dy, image by image.
        let rowLen = 9 * inC, positions = geometry.output.positions
        var cols = [Float](repeating: 0, count: positions * rowLen)
        for img in 0..<2 {
            x.data.withUnsafeBufferPointer { xb in
                cols.withUnsafeMutableBufferPointer { cb in
                    ConvOp.im2col(xb.baseAddress! + img * h * w * inC, geometry, channel0: 0, channels: inC, into: cb.baseAddress!)
                }
            }
            let dyImage = Array(dy.data[(img * positions * outC)..<((img + 1) * positions * outC)])
            Gemm.multiply(cols, dyImage, into: &slow, m: rowLen, n: outC, k: positions, transA: true, accumulate: true)
        }
        worst = 0
        for i in 0..<slow.count { worst = max(worst, abs(fast.data[i] - slow[i]) / (1 + abs(slow[i]))) }
        #expect(worst < 1e-4, "kernel gradient \(worst)")
    }
}
