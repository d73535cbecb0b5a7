import CNNModel
import Testing
@testable import CNNCompute

/// The Winograd F(2×2, 3×3) convolution against the im2col + GEMM path, at
/// every vector width: plain, pooled, padded, odd-sized, as the input
/// gradient of a convolution, and its backward.
@Suite struct WinogradConvTests {
    /// (name, input shape with batch, padding, filters).
    static let cases: [(String, [Int], Padding, Int)] = [
        ("valid, even output", [2, 10, 12, 16], .valid, 32),
        ("valid, odd output", [3, 9, 7, 32], .valid, 16),
        ("same, odd map", [2, 7, 9, 16], .same, 48),
        ("one row of outputs", [1, 3, 20, 48], .valid, 16),
        ("several blocks for each chunk", [8, 20, 18, 16], .same, 16),
        // 16, 32, 64 and 128 channels run on transforms specialised on the count, 48 on the general ones.
        ("64 in, 128 out", [1, 6, 7, 64], .same, 128),
    ]

    static func random(_ shape: [Int], _ g: inout SeededGenerator) -> Tensor {
        Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in g.normal() })
    }

    /// The largest |a − b| / (1 + |b|).
    static func worst(_ a: Tensor, _ b: Tensor) -> Float {
        zip(a.data, b.data).reduce(0) { max($0, abs($1.0 - $1.1) / (1 + abs($1.1))) }
    }

    static func geometry(_ shape: [Int], _ padding: Padding, _ filters: Int) -> WindowGeometry {
        WindowGeometry(input: shape, kernel: [3, 3], strides: [1, 1], dilation: [1, 1], padding: padding,
                       outChannels: filters)
    }

    @Test(arguments: KernelWidth.allCases)
    func itMatchesIm2col(_ width: KernelWidth) {
        for (name, shape, padding, filters) in Self.cases {
            var g = SeededGenerator(seed: UInt64(shape.reduce(0, +) * 11 + filters))
            let geometry = Self.geometry(shape, padding, filters)
            #expect(WinogradConv.supports(geometry), "\(name): not taken by the Winograd kernel")
            let x = Self.random(shape, &g)
            let kernel = Self.random([3, 3, shape[3], filters], &g), bias = Self.random([filters], &g)
            var reference = Tensor(zeros: geometry.outputShape(rank: 2))
            ConvOp.genericForward(x, kernel: kernel, geometry: geometry, groups: 1, into: &reference)
            ConvOp.addBias(bias, to: &reference)
            ActivationOp.applyReLU(&reference)
            let y = KernelWidth.$forced.withValue(width) {
                ConvOp.forward(x, kernel: kernel, bias: bias, geometry: geometry, groups: 1, relu: true)
            }
            #expect(y.shape == reference.shape, "\(name)")
            #expect(Self.worst(y, reference) < 1e-4, "\(name) at \(width.rawValue) lanes")
        }
    }

    /// The transforms run lane by lane and the products sum in channel order at every width.
    @Test func theWidthsAgreeExactly() {
        for (name, shape, padding, filters) in Self.cases {
            var g = SeededGenerator(seed: UInt64(shape.reduce(0, +) * 5 + filters))
            let geometry = Self.geometry(shape, padding, filters)
            let x = Self.random(shape, &g), kernel = Self.random([3, 3, shape[3], filters], &g)
            let run = { (w: KernelWidth) in
                KernelWidth.$forced.withValue(w) { WinogradConv.forward(x, kernel: kernel, bias: nil, relu: false, geometry: geometry) }
            }
            let reference = run(.w16)
            for width in KernelWidth.allCases where width != .w16 {
                #expect(run(width) == reference, "\(name): \(width.rawValue) lanes against 16")
            }
        }
    }

    /// Pooled, each tile's four outputs give the 2×2 maximum the pooling layer takes of the plain output.
    @Test(arguments: KernelWidth.allCases)
    func poolingTheTilesIsTheMaxPooling(_ width: KernelWidth) {
        for (name, shape, padding, filters) in Self.cases where shape[1] >= 4 {
            var g = SeededGenerator(seed: UInt64(shape.reduce(0, +) * 3 + filters))
            let geometry = Self.geometry(shape, padding, filters)
            let x = Self.random(shape, &g)
            let kernel = Self.random([3, 3, shape[3], filters], &g), bias = Self.random([filters], &g)
            KernelWidth.$forced.withValue(width) {
                let plain = WinogradConv.forward(x, kernel: kernel, bias: bias, relu: true, geometry: geometry)
                let pooled = WinogradConv.forward(x, kernel: kernel, bias: bias, relu: true, geometry: geometry, pooled: true)
                let pool = WindowGeometry(input: plain.shape, kernel: [2, 2], strides: [2, 2], dilation: [1, 1],
                                          padding: .valid, outChannels: filters)
                let reference = PoolingOp.forward(plain, geometry: pool, max: true)
                #expect(pooled == reference, "\(name) at \(width.rawValue) lanes")
            }
        }
    }

    /// As the input gradient (the "full" convolution of dy), it is the
    /// adjoint of the forward: Σ dx·x = Σ dy·conv(x), with conv(x) from im2col.
    @Test(arguments: KernelWidth.allCases)
    func theInputGradientIsTheAdjoint(_ width: KernelWidth) throws {
        for (name, shape, padding, filters) in Self.cases {
            var g = SeededGenerator(seed: UInt64(shape.reduce(0, +) * 17 + filters))
            let geometry = Self.geometry(shape, padding, filters)
            let x = Self.random(shape, &g), kernel = Self.random([3, 3, shape[3], filters], &g)
            let dy = Self.random(geometry.outputShape(rank: 2), &g)
            var y = Tensor(zeros: geometry.outputShape(rank: 2))
            ConvOp.genericForward(x, kernel: kernel, geometry: geometry, groups: 1, into: &y)
            let dx = try #require(KernelWidth.$forced.withValue(width) {
                DirectConv.fullGradient(dy, kernel: kernel, geometry: geometry)
            }, "\(name): no full gradient")
            #expect(dx.shape == x.shape, "\(name)")
            let left = zip(dx.data, x.data).reduce(Double(0)) { $0 + Double($1.0) * Double($1.1) }
            let right = zip(dy.data, y.data).reduce(Double(0)) { $0 + Double($1.0) * Double($1.1) }
            let scale = zip(dy.data, y.data).reduce(Double(0)) { $0 + abs(Double($1.0) * Double($1.1)) }
            #expect(abs(left - right) / (1 + scale) < 1e-5, "\(name) at \(width.rawValue) lanes: \(left) against \(right)")
        }
    }

    /// The backward through the transforms, gated by a ReLU's output, against
    /// the mask applied first and then the direct kernel gradient, the "full"
    /// convolution's input gradient and the plain bias sum.
    @Test(arguments: KernelWidth.allCases)
    func theBackwardMatchesTheDirectGradients(_ width: KernelWidth) throws {
        for (name, shape, padding, filters) in Self.cases {
            var g = SeededGenerator(seed: UInt64(shape.reduce(0, +) * 23 + filters))
            let geometry = Self.geometry(shape, padding, filters)
            let x = Self.random(shape, &g), kernel = Self.random([3, 3, shape[3], filters], &g)
            let dy = Self.random(geometry.outputShape(rank: 2), &g), gate = Self.random(dy.shape, &g)
            let dz = ActivationOp.reluBackwardWithBias(dy, y: gate).dz
            let dk = try #require(DirectConv.kernelGradient(dz, x: x, geometry: geometry))
            let dx = try #require(DirectConv.fullGradient(dz, kernel: kernel, geometry: geometry))
            for needInput in [true, false] {
                let r = KernelWidth.$forced.withValue(width) {
                    WinogradConv.backward(dy, x: x, kernel: kernel, gate: gate, hasBias: true, geometry: geometry,
                                          needInput: needInput)
                }
                #expect(r.dKernel.shape == kernel.shape, "\(name)")
                #expect(Self.worst(r.dKernel, dk) < 1e-4, "\(name) at \(width.rawValue) lanes: the kernel")
                let bias = try #require(r.dBias)
                #expect(Self.worst(bias, ConvOp.biasGradient(dz)) < 1e-4, "\(name) at \(width.rawValue) lanes: the bias")
                if needInput {
                    let rx = try #require(r.dx, "\(name): no input gradient")
                    #expect(rx.shape == [shape[0], shape[1], shape[2], shape[3]], "\(name)")
                    #expect(Self.worst(rx, dx) < 1e-4, "\(name) at \(width.rawValue) lanes: the input")
                } else {
                    #expect(r.dx == nil, "\(name)")
                }
            }
            // ConvOp takes this path for a batch of at least inputGradientImages, the mask first otherwise.
            let op = KernelWidth.$forced.withValue(width) {
                ConvOp.backward(dy, x: x, kernel: kernel, hasBias: true, reluOutput: gate, geometry: geometry, groups: 1,
                                needInput: true)
            }
            let opDx = try #require(op.dx), opBias = try #require(op.dBias)
            #expect(Self.worst(op.dKernel, dk) < 1e-4 && Self.worst(opDx, dx) < 1e-4
                        && Self.worst(opBias, ConvOp.biasGradient(dz)) < 1e-4,
                    "\(name) at \(width.rawValue) lanes: through ConvOp")
        }
    }

    @Test func theBackwardIsTheSameAtEveryWidth() {
        for (name, shape, padding, filters) in Self.cases {
            var g = SeededGenerator(seed: UInt64(shape.reduce(0, +) * 29 + filters))
            let geometry = Self.geometry(shape, padding, filters)
            let x = Self.random(shape, &g), kernel = Self.random([3, 3, shape[3], filters], &g)
            let dy = Self.random(geometry.outputShape(rank: 2), &g)
            for needInput in [true, false] {
                let run = { (w: KernelWidth) in
                    KernelWidth.$forced.withValue(w) {
                        WinogradConv.backward(dy, x: x, kernel: kernel, gate: nil, hasBias: true, geometry: geometry,
                                              needInput: needInput)
                    }
                }
                let reference = run(.w16)
                for width in KernelWidth.allCases where width != .w16 {
                    let r = run(width)
                    #expect(r.dKernel == reference.dKernel && r.dx == reference.dx && r.dBias == reference.dBias,
                            "\(name): \(width.rawValue) lanes against 16")
                }
            }
        }
    }
}
