import CNNModel

/// A batch-first, channels-last map of 1, 2 or 3 spatial axes, seen as
/// N × D × H × W × C (unused axes have size 1), so that one loop nest serves
/// every rank.
struct Map3: Sendable, Equatable {
    var n: Int, d: Int, h: Int, w: Int, c: Int

    /// Views a shape with the batch axis: (N, W, C), (N, H, W, C) or (N, D, H, W, C).
    init(_ shape: [Int]) {
        n = shape[0]
        c = shape[shape.count - 1]
        let spatial = Array(shape[1..<(shape.count - 1)])
        let padded = Array(repeating: 1, count: 3 - spatial.count) + spatial
        d = padded[0]; h = padded[1]; w = padded[2]
    }

    init(n: Int, d: Int, h: Int, w: Int, c: Int) {
        self.n = n; self.d = d; self.h = h; self.w = w; self.c = c
    }

    /// Values in one sample.
    var perSample: Int { d * h * w * c }
    /// Spatial positions in one sample.
    var positions: Int { d * h * w }
}

/// A sliding window over 1, 2 or 3 spatial axes (convolution or pooling),
/// with everything in D, H, W order and unused axes of size 1.
struct WindowGeometry: Sendable, Equatable {
    var input: Map3
    var output: Map3
    var kernel: [Int]
    var strides: [Int]
    var dilation: [Int]
    /// Zeros (or ignored cells, for pooling) before the first input on each axis.
    var padBefore: [Int]

    /// Builds the geometry, with Keras' padding (see ``WindowAxis``).
    init(input inShape: [Int], kernel k: [Int], strides s: [Int], dilation dl: [Int],
         padding: Padding, outChannels: Int) {
        let rank = k.count
        let lift = { (v: [Int], fill: Int) in Array(repeating: fill, count: 3 - rank) + v }
        let map = Map3(inShape), inSizes = [map.d, map.h, map.w]
        let k3 = lift(k, 1), s3 = lift(s, 1), d3 = lift(dl, 1)
        let axes = (0..<3).map {
            WindowAxis(input: inSizes[$0], kernel: k3[$0], stride: s3[$0], dilation: d3[$0], padding: padding)
        }
        (input, kernel, strides, dilation) = (map, k3, s3, d3)
        padBefore = axes.map(\.padBefore)
        let outSizes = axes.map { max($0.output, 0) }
        output = Map3(n: input.n, d: outSizes[0], h: outSizes[1], w: outSizes[2], c: outChannels)
    }

    /// The output shape with batch, in the input's rank.
    func outputShape(rank: Int) -> [Int] {
        [output.n] + Array([output.d, output.h, output.w].suffix(rank)) + [output.c]
    }

    /// Window size in cells.
    var window: Int { kernel[0] * kernel[1] * kernel[2] }
}
