import CNNModel
import Testing
@testable import CNNCompute

/// The training kernels that split their work over the threads (batch-norm
/// statistics and backward, the depthwise backward) agree with plain
/// double-precision loops, on maps large enough to be split.
@Suite struct TrainingKernelTests {
    @Test func batchNormTrainingMatchesNaiveStatistics() throws {
        var g = SeededGenerator(seed: 21)
        let c = 160, rows = 8 * 32 * 32
        let x = Tensor(shape: [8, 32, 32, c], data: (0..<(rows * c)).map { i in g.normal() + Float(i % c) * 0.5 })
        let gamma = (0..<c).map { _ in g.uniform(0.5, 1.5) }, beta = (0..<c).map { _ in g.uniform(-1, 1) }
        let r = BatchNormOp.training(x, gamma: gamma, beta: beta, epsilon: 1e-3)
        var mean = [Double](repeating: 0, count: c), variance = [Double](repeating: 0, count: c)
        for i in 0..<x.count { mean[i % c] += Double(x.data[i]) }
        for j in 0..<c { mean[j] /= Double(rows) }
        for i in 0..<x.count { let d = Double(x.data[i]) - mean[i % c]; variance[i % c] += d * d }
        for j in 0..<c { variance[j] /= Double(rows) }
        var worst = 0.0
        for j in 0..<c {
            worst = max(worst, abs(Double(r.mean[j]) - mean[j]) / (1 + abs(mean[j])))
            worst = max(worst, abs(Double(r.variance[j]) - variance[j]) / (1 + variance[j]))
        }
        for i in stride(from: 0, to: x.count, by: 7) {
            let j = i % c
            let expected = (Double(x.data[i]) - mean[j]) / (variance[j] + 1e-3).squareRoot() * Double(gamma[j]) + Double(beta[j])
            worst = max(worst, abs(Double(r.y.data[i]) - expected) / (1 + abs(expected)))
        }
        // Float sums of 8,192 values near 80: the mean's rounding alone is ~1e-4 of a standard deviation.
        #expect(worst < 1e-3)

        let dy = Tensor(shape: x.shape, data: (0..<x.count).map { _ in g.normal() })
        let b = BatchNormOp.backward(dy, cache: r.cache, gamma: gamma)
        var dBeta = [Double](repeating: 0, count: c), dGamma = [Double](repeating: 0, count: c)
        for i in 0..<x.count {
            dBeta[i % c] += Double(dy.data[i])
            dGamma[i % c] += Double(dy.data[i]) * Double(r.cache.normalized[i])
        }
        worst = 0
        for j in 0..<c {
            worst = max(worst, abs(Double(b.dBeta[j]) - dBeta[j]) / (1 + abs(dBeta[j])))
            worst = max(worst, abs(Double(b.dGamma[j]) - dGamma[j]) / (1 + abs(dGamma[j])))
        }
        let m = Double(rows)
        for i in stride(from: 0, to: x.count, by: 7) {
            let j = i % c
            let inv = 1 / (variance[j] + 1e-3).squareRoot()
            let expected = Double(gamma[j]) * inv / m
                * (m * Double(dy.data[i]) - dBeta[j] - Double(r.cache.normalized[i]) * dGamma[j])
            worst = max(worst, abs(Double(b.dx.data[i]) - expected) / (1 + abs(expected)))
        }
        #expect(worst < 1e-3)
    }

    @Test(arguments: [1, 2])
    func depthwiseBackwardMatchesNaiveLoops(_ multiplier: Int) throws {
        var g = SeededGenerator(seed: UInt64(30 + multiplier))
        let (n, h, w, c) = (4, 20, 18, 32)
        let geometry = WindowGeometry(input: [n, h, w, c], kernel: [3, 3], strides: [1, 1], dilation: [1, 1],
                                      padding: .same, outChannels: c * multiplier)
        let x = Tensor(shape: [n, h, w, c], data: (0..<(n * h * w * c)).map { _ in g.normal() })
        let kernel = Tensor(shape: [3, 3, c, multiplier], data: (0..<(9 * c * multiplier)).map { _ in g.normal() })
        let oc = c * multiplier
        let dy = Tensor(shape: [n, h, w, oc], data: (0..<(n * h * w * oc)).map { _ in g.normal() })
        let r = DepthwiseOp.backward(dy, x: x, kernel: kernel, hasBias: true, geometry: geometry, needInput: true)
        var dx = [Double](repeating: 0, count: x.count), dk = [Double](repeating: 0, count: kernel.count)
        for b in 0..<n {
            for oh in 0..<h {
                for ow in 0..<w {
                    for i in 0..<3 {
                        for j in 0..<3 {
                            let ih = oh + i - 1, iw = ow + j - 1
                            if ih < 0 || ih >= h || iw < 0 || iw >= w { continue }
                            for ci in 0..<c {
                                for m in 0..<multiplier {
                                    let gy = Double(dy.data[((b * h + oh) * w + ow) * oc + ci * multiplier + m])
                                    let xi = ((b * h + ih) * w + iw) * c + ci
                                    let ki = (i * 3 + j) * c * multiplier + ci * multiplier + m
                                    dk[ki] += Double(x.data[xi]) * gy
                                    dx[xi] += Double(kernel.data[ki]) * gy
                                }
                            }
                        }
                    }
                }
            }
        }
        let rdx = try #require(r.dx)
        var worst = 0.0
        for i in 0..<dk.count { worst = max(worst, abs(Double(r.dKernel.data[i]) - dk[i]) / (1 + abs(dk[i]))) }
        for i in 0..<dx.count { worst = max(worst, abs(Double(rdx.data[i]) - dx[i]) / (1 + abs(dx[i]))) }
        #expect(worst < 1e-4)
        let withoutInput = DepthwiseOp.backward(dy, x: x, kernel: kernel, hasBias: false, geometry: geometry, needInput: false)
        #expect(withoutInput.dx == nil)
        #expect(withoutInput.dKernel == r.dKernel)
    }
}
