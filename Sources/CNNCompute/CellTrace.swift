import CNNModel

/// How one value of a layer's output comes from its input, step by step, in
/// numbers a learner can follow: the window, the products, the sum, the bias
/// and the activation of a convolution; the winner of a max pooling; the mean
/// of a global average pooling; where Flatten puts a cell.
///
/// Maps are channels-last, (H, W, C), one sample; a leading batch axis of 1 is allowed.
///
/// ```swift
/// let step = CellTrace.convolution(input: x, kernel: k, bias: b, spec: conv, row: 0, col: 0, filter: 0)
/// step.products, step.sum, step.activated       // the real numbers
/// ```
public enum CellTrace {
    /// Where a window sits: the input row and column of each tap (outside the map: padding).
    public struct Window: Sendable, Hashable {
        /// The input row under each kernel row; negative or ≥ height is padding.
        public var rows: [Int]
        /// The input column under each kernel column.
        public var cols: [Int]
        public var inputHeight: Int
        public var inputWidth: Int
        public var strides: [Int]
        /// Zeros before the first row and column ('same' padding).
        public var padBefore: [Int]

        /// True when tap (ky, kx) lies on padding, outside the input.
        public func isPadding(_ ky: Int, _ kx: Int) -> Bool {
            !(0..<inputHeight).contains(rows[ky]) || !(0..<inputWidth).contains(cols[kx])
        }

        /// The window of output cell (row, col), with Keras' padding rules (``WindowAxis``).
        public init(inputHeight h: Int, inputWidth w: Int, kernel: [Int], strides: [Int], dilation: [Int] = [1, 1],
                    padding: Padding, row: Int, col: Int) {
            let ay = WindowAxis(input: h, kernel: kernel[0], stride: strides[0], dilation: dilation[0], padding: padding)
            let ax = WindowAxis(input: w, kernel: kernel[1], stride: strides[1], dilation: dilation[1], padding: padding)
            rows = (0..<kernel[0]).map { row * strides[0] - ay.padBefore + $0 * dilation[0] }
            cols = (0..<kernel[1]).map { col * strides[1] - ax.padBefore + $0 * dilation[1] }
            inputHeight = h
            inputWidth = w
            self.strides = strides
            padBefore = [ay.padBefore, ax.padBefore]
        }
    }

    /// One output value of a Conv2D.
    public struct ConvStep: Sendable, Hashable {
        public var window: Window
        public var inputChannels: Int
        /// The input under the window, `(ky · kw + kx) · cin + ci`; 0 on padding.
        public var patch: [Float]
        /// The filter's weights in the same layout.
        public var kernel: [Float]
        /// patch × kernel, tap by tap.
        public var products: [Float]
        /// The products summed per input channel.
        public var channelSums: [Float]
        /// Every product summed.
        public var sum: Float
        public var bias: Float
        /// sum + bias.
        public var preActivation: Float
        public var activation: Activation
        /// The activation of sum + bias: the value the map holds.
        public var activated: Float
    }

    /// How output cell (row, col) of filter `filter` is computed from `input` (H, W, C).
    ///
    /// - Parameter kernel: (kh, kw, cin, filters), Keras' layout; `bias`: (filters,) or nil.
    public static func convolution(input: Tensor, kernel: Tensor, bias: Tensor?, spec: Convolution,
                                   row: Int, col: Int, filter: Int) -> ConvStep {
        let (h, w, cin) = map3(input.shape)
        let (kh, kw) = (kernel.shape[0], kernel.shape[1])
        let filters = kernel.shape[3]
        let window = Window(inputHeight: h, inputWidth: w, kernel: [kh, kw], strides: spec.strides,
                            dilation: spec.dilation, padding: spec.padding, row: row, col: col)
        var patch = [Float](repeating: 0, count: kh * kw * cin)
        var weights = patch, products = patch
        var channelSums = [Float](repeating: 0, count: cin)
        var total: Double = 0
        for ky in 0..<kh {
            for kx in 0..<kw {
                for ci in 0..<cin {
                    let t = (ky * kw + kx) * cin + ci
                    let x: Float = window.isPadding(ky, kx) ? 0 : input.data[(window.rows[ky] * w + window.cols[kx]) * cin + ci]
                    let k = kernel.data[t * filters + filter]
                    patch[t] = x
                    weights[t] = k
                    products[t] = x * k
                    channelSums[ci] += x * k
                    total += Double(x) * Double(k)
                }
            }
        }
        let b = bias.map { $0.data[filter] } ?? 0
        let pre = Float(total) + b
        return ConvStep(window: window, inputChannels: cin, patch: patch, kernel: weights, products: products,
                        channelSums: channelSums, sum: Float(total), bias: b, preActivation: pre,
                        activation: spec.activation, activated: ActivationOp.value(pre, spec.activation))
    }

    /// One output value of a MaxPooling2D.
    public struct PoolStep: Sendable, Hashable {
        public var window: Window
        /// The input under the window, `ky · kw + kx`; nil on padding (pooling ignores it).
        public var values: [Float?]
        /// The tap that wins.
        public var winner: Int
        public var value: Float
    }

    /// Which input wins output cell (row, col) of `channel`.
    public static func maxPool(input: Tensor, spec: Pooling, row: Int, col: Int, channel: Int) -> PoolStep {
        let (h, w, c) = map3(input.shape)
        let window = Window(inputHeight: h, inputWidth: w, kernel: spec.poolSize, strides: spec.strides,
                            padding: spec.padding, row: row, col: col)
        var values: [Float?] = []
        var winner = 0, best = -Float.infinity
        for ky in 0..<spec.poolSize[0] {
            for kx in 0..<spec.poolSize[1] {
                guard !window.isPadding(ky, kx) else { values.append(nil); continue }
                let v = input.data[(window.rows[ky] * w + window.cols[kx]) * c + channel]
                if v > best { best = v; winner = values.count }
                values.append(v)
            }
        }
        return PoolStep(window: window, values: values, winner: winner, value: best)
    }

    /// One value of a GlobalAveragePooling2D: the mean of a whole channel.
    public struct MeanStep: Sendable, Hashable {
        public var channel: Int
        public var sum: Float
        public var count: Int
        public var mean: Float
        /// The channel's smallest and largest value.
        public var minimum: Float
        public var maximum: Float
    }

    /// The mean of `channel` over every position of `input`.
    public static func globalAverage(input: Tensor, channel: Int) -> MeanStep {
        let (h, w, c) = map3(input.shape)
        var total: Double = 0, lo = Float.infinity, hi = -Float.infinity
        for p in 0..<(h * w) {
            let v = input.data[p * c + channel]
            total += Double(v)
            lo = min(lo, v)
            hi = max(hi, v)
        }
        let n = h * w
        return MeanStep(channel: channel, sum: Float(total), count: n, mean: Float(total / Double(max(1, n))),
                        minimum: lo, maximum: hi)
    }

    /// Where Flatten puts a cell: channels fastest, then columns, then rows.
    public struct FlattenStep: Sendable, Hashable {
        public var index: Int
        /// The index of the cell one row below, nil on the last row.
        public var below: Int?
        /// width × channels: how far apart two vertical neighbours end up.
        public var rowStride: Int
    }

    /// The flat index of (row, col, channel) in a (H, W, C) map.
    public static func flatten(shape: [Int], row: Int, col: Int, channel: Int) -> FlattenStep {
        let (h, w, c) = map3(shape)
        let index = (row * w + col) * c + channel
        return FlattenStep(index: index, below: row + 1 < h ? index + w * c : nil, rowStride: w * c)
    }

    /// (H, W, C) from a map's shape, with or without a batch axis of 1.
    static func map3(_ shape: [Int]) -> (Int, Int, Int) {
        let s = shape.count == 4 ? Array(shape.dropFirst()) : shape
        return (s[0], s[1], s[2])
    }
}
