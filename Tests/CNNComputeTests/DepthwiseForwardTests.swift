import CNNModel
import Testing
@testable import CNNCompute

/// The one-filter-per-channel depthwise forward, which sums in registers,
/// gives exactly the values of the general loop that adds into memory.
@Suite struct DepthwiseForwardTests {
    /// (name, input shape with batch, kernel, strides, dilation, padding).
    static let cases: [(String, [Int], [Int], [Int], [Int], Padding)] = [
        ("2D same, 64 channels", [2, 9, 8, 64], [3, 3], [1, 1], [1, 1], .same),
        ("2D strided, dilated, 13 channels", [1, 12, 11, 13], [3, 2], [2, 1], [2, 3], .valid),
        ("2D same stride 2, 5 channels", [2, 7, 7, 5], [3, 3], [2, 2], [1, 1], .same),
        ("1D causal", [3, 20, 24], [4], [1], [2], .causal),
        ("3D same", [1, 4, 5, 6, 9], [3, 3, 3], [1, 1, 1], [1, 1, 1], .same),
    ]

    @Test func registerSumsEqualTheGeneralLoop() {
        for (name, shape, k, s, dl, padding) in Self.cases {
            var g = SeededGenerator(seed: UInt64(shape.reduce(0, +)))
            let c = shape[shape.count - 1]
            let geometry = WindowGeometry(input: shape, kernel: k, strides: s, dilation: dl, padding: padding,
                                          outChannels: c)
            let x = Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in g.normal() })
            let kernel = Tensor(shape: k + [c, 1], data: (0..<(k.reduce(1, *) * c)).map { _ in g.normal() })
            let fast = DepthwiseOp.singleFilter(x, kernel: kernel, geometry: geometry)
            let general = DepthwiseOp.anyMultiplier(x, kernel: kernel, geometry: geometry)
            #expect(fast.shape == general.shape, "\(name)")
            #expect(fast.data == general.data, "\(name)")
        }
    }
}
