import CNNModel
import Testing
@testable import CNNCompute

/// The direct kernel on the windows it takes as segments of contiguous input
/// (dilated, 1D and 3D, strided, padded, grouped) against the im2col + GEMM
/// path, at every vector width.
@Suite struct DirectConvWindowTests {
    /// (name, input shape with batch, kernel, strides, dilation, padding, filters, groups).
    static let cases: [(String, [Int], [Int], [Int], [Int], Padding, Int, Int)] = [
        ("2D dilated same", [2, 13, 11, 16], [3, 3], [1, 1], [2, 2], .same, 32, 1),
        ("2D dilated valid, uneven", [1, 15, 14, 8], [3, 2], [1, 1], [3, 2], .valid, 16, 1),
        ("2D dilated along H only", [2, 9, 10, 5], [3, 3], [1, 1], [2, 1], .same, 16, 1),
        ("2D stride 2 same", [2, 17, 17, 7], [3, 3], [2, 2], [1, 1], .same, 32, 1),
        ("1D", [3, 40, 12], [3], [1], [1], .valid, 16, 1),
        ("1D dilated same", [2, 30, 9], [3], [1], [4], .same, 48, 1),
        ("3D valid", [2, 6, 7, 8, 5], [3, 3, 3], [1, 1, 1], [1, 1, 1], .valid, 16, 1),
        ("3D same", [1, 5, 6, 7, 16], [3, 3, 3], [1, 1, 1], [1, 1, 1], .same, 48, 1),
        ("3D strided, dilated in depth", [2, 9, 7, 8, 4], [3, 2, 3], [2, 1, 2], [2, 1, 1], .valid, 32, 1),
        ("2D 4 groups same", [2, 9, 10, 64], [3, 3], [1, 1], [1, 1], .same, 64, 4),
        ("2D 2 groups dilated", [2, 9, 10, 6], [3, 3], [1, 1], [2, 1], .same, 32, 2),
        ("2D 3 groups of 48", [1, 8, 8, 9], [2, 3], [1, 1], [1, 1], .valid, 144, 3),
        ("1D 2 groups", [2, 20, 8], [3], [2], [1], .same, 32, 2),
    ]

    @Test(arguments: KernelWidth.allCases)
    func theDirectKernelMatchesIm2col(_ width: KernelWidth) {
        for (name, shape, k, s, dl, padding, filters, groups) in Self.cases {
            var g = SeededGenerator(seed: UInt64(shape.reduce(0, +) * 13 + filters))
            let geometry = WindowGeometry(input: shape, kernel: k, strides: s, dilation: dl, padding: padding,
                                          outChannels: filters)
            #expect(DirectConv.supportsForward(geometry, groups: groups), "\(name): not taken by the direct kernel")
            let inC = shape[shape.count - 1]
            let x = Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in g.normal() })
            let kernel = Tensor(shape: k + [inC / groups, filters],
                                data: (0..<(k.reduce(1, *) * inC / groups * filters)).map { _ in g.normal() })
            let bias = Tensor(shape: [filters], data: (0..<filters).map { _ in g.normal() })
            var reference = Tensor(zeros: geometry.outputShape(rank: k.count))
            ConvOp.genericForward(x, kernel: kernel, geometry: geometry, groups: groups, into: &reference)
            ConvOp.addBias(bias, to: &reference)
            ActivationOp.applyReLU(&reference)
            let direct = KernelWidth.$forced.withValue(width) {
                ConvOp.forward(x, kernel: kernel, bias: bias, geometry: geometry, groups: groups, relu: true)
            }
            #expect(direct.shape == reference.shape, "\(name)")
            var worst: Float = 0
            for i in 0..<min(direct.count, reference.count) {
                worst = max(worst, abs(direct.data[i] - reference.data[i]) / (1 + abs(reference.data[i])))
            }
            #expect(worst < 1e-4, "\(name) at \(width.rawValue) lanes: \(worst)")
        }
    }

    /// Every width sums the same products in the same order, on these windows too.
    @Test func theWidthsAgreeExactly() {
        for (name, shape, k, s, dl, padding, filters, groups) in Self.cases {
            var g = SeededGenerator(seed: UInt64(shape.reduce(0, +) * 7 + filters))
            let geometry = WindowGeometry(input: shape, kernel: k, strides: s, dilation: dl, padding: padding,
                                          outChannels: filters)
            let inC = shape[shape.count - 1]
            let x = Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in g.normal() })
            let kernel = Tensor(shape: k + [inC / groups, filters],
                                data: (0..<(k.reduce(1, *) * inC / groups * filters)).map { _ in g.normal() })
            let run = { (w: KernelWidth) in
                KernelWidth.$forced.withValue(w) { ConvOp.forward(x, kernel: kernel, bias: nil, geometry: geometry, groups: groups) }
            }
            let reference = run(.w16)
            for width in KernelWidth.allCases where width != .w16 {
                #expect(run(width) == reference, "\(name): \(width.rawValue) lanes against 16")
            }
        }
    }
}
