/// Output shapes, weights and mult-adds of a layer, derived from shapes alone.
///
/// Shapes exclude the batch axis. The rules follow Keras 3 with
/// channels_last, including what it refuses.
extension LayerSpec {
    /// The output shape for an input shape, or a reason Keras would refuse it.
    public func outputShape(for input: [Int]) throws(ShapeError) -> [Int] {
        switch kind {
        case .conv(let c):
            try requireRank(input, c.rank + 1, "a \(c.rank)D map (rank \(c.rank + 2) with the batch)")
            let channels = input[c.rank]
            if case .standard = c.style, c.groups > 1 {
                if channels % c.groups != 0 {
                    throw ShapeError("the number of input channels (\(channels)) must be divisible by groups (\(c.groups))")
                }
            }
            var out: [Int] = []
            for axis in 0..<c.rank {
                let window = WindowAxis(input: input[axis], kernel: c.kernel[axis], stride: c.strides[axis],
                                        dilation: c.dilation[axis], padding: c.padding)
                let effective = window.span, size = window.output
                if size <= 0 {
                    throw ShapeError("computed output size would be zero or negative: on axis \(axis + 1) the "
                        + (c.dilation[axis] > 1 ? "dilated " : "")
                        + "kernel spans \(effective) but the input is only \(input[axis]) long "
                        + "(⌊(\(input[axis]) − \(effective))/\(c.strides[axis])⌋ + 1 = \(size))")
                }
                out.append(size)
            }
            switch c.style {
            case .standard, .separable: out.append(c.filters)
            case .depthwise(let m):
                guard let ch = try? CheckedMath.multiply(channels, m) else { throw ShapeError.overflow }
                out.append(ch)
            }
            return out

        case .pool(let p):
            try requireRank(input, p.rank + 1, "a \(p.rank)D map (rank \(p.rank + 2) with the batch)")
            var out: [Int] = []
            for axis in 0..<p.rank {
                // Pooling has no 'causal': anything but 'same' is 'valid'.
                out.append(WindowAxis(input: input[axis], kernel: p.poolSize[axis], stride: p.strides[axis],
                                      padding: p.padding == .same ? .same : .valid).output)
            }
            // Keras refuses a 'valid' pooling as soon as one axis comes out zero or negative.
            if p.padding != .same, let axis = out.firstIndex(where: { $0 <= 0 }) {
                throw ShapeError("computed output size would be zero or negative: on axis \(axis + 1) the pool "
                    + "\(p.poolSize[axis]) with stride \(p.strides[axis]) doesn't fit the input \(input[axis]) "
                    + "(⌊(\(input[axis]) − \(p.poolSize[axis]))/\(p.strides[axis])⌋ + 1 = \(out[axis]))")
            }
            out.append(input[p.rank])
            return out

        case .globalPool(let g):
            try requireRank(input, g.rank + 1, "a \(g.rank)D map (rank \(g.rank + 2) with the batch)")
            let channels = input[g.rank]
            return g.keepdims ? Array(repeating: 1, count: g.rank) + [channels] : [channels]

        case .batchNorm(let b):
            _ = try Self.normalizedAxes([b.axis], rank: input.count + 1)
            return input
        case .layerNorm(let l):
            _ = try Self.normalizedAxes(l.axes, rank: input.count + 1)
            return input
        case .softmax(let axes):
            _ = try Self.normalizedAxes(axes, rank: input.count + 1, allowBatch: true)
            return input
        case .activation, .relu:
            return input

        case .dropout(_, let spatialRank, _):
            if let spatialRank {
                try requireRank(input, spatialRank + 1, "a \(spatialRank)D map (rank \(spatialRank + 2) with the batch)")
            }
            return input

        case .flatten:
            guard let n = try? CheckedMath.product(input) else { throw ShapeError.overflow }
            return [n]

        case .dense(let d):
            return Array(input.dropLast()) + [d.units]

        case .zeroPadding(let pads):
            try requireRank(input, pads.count + 1, "a \(pads.count)D map (rank \(pads.count + 2) with the batch)")
            var out = input
            for (axis, pad) in pads.enumerated() {
                out[axis] = input[axis] + pad.before + pad.after
            }
            return out

        case .merge(let m):
            throw ShapeError("A merge layer should be called on a list of inputs, such as "
                             + "layers.\(m.op.rawValue)()([x, y]); it got one tensor of shape \(ShapeFormat.keras(input))")
        case .cropping(let crops):
            try requireRank(input, crops.count + 1, "a \(crops.count)D map (rank \(crops.count + 2) with the batch)")
            var out = input
            for (axis, crop) in crops.enumerated() {
                out[axis] = input[axis] - crop.before - crop.after
                if out[axis] <= 0 {
                    throw ShapeError("the cropping (\(crop.before), \(crop.after)) on axis \(axis + 1) must be smaller "
                                     + "than the input's \(input[axis])")
                }
            }
            return out

        case .upSampling(let size, _):
            try requireRank(input, size.count + 1, "a \(size.count)D map (rank \(size.count + 2) with the batch)")
            var out = input
            for axis in size.indices {
                guard let n = try? CheckedMath.multiply(input[axis], size[axis]) else { throw ShapeError.overflow }
                out[axis] = n
            }
            return out

        case .convTranspose(let c):
            // Keras asks for at least rank + 2 axes; channels_last takes the last as channels.
            try requireRank(input, c.rank + 1, "a \(c.rank)D map (rank \(c.rank + 2) with the batch)")
            var out: [Int] = []
            for axis in 0..<c.rank {
                let n = c.outputLength(input[axis], axis: axis)
                if n <= 0 { throw ShapeError("computed output size would be zero or negative on axis \(axis + 1)") }
                out.append(n)
            }
            return out + [c.filters]

        case .rescaling, .leakyReLU, .elu, .noise, .activityRegularization, .augmentation:
            return input

        case .resize(let r):
            // Keras' rule puts height and width on the first two axes whatever the rank; only an image makes sense.
            try requireRank(input, 3, "an image (batch, height, width, channels)")
            return [r.height, r.width, input[2]]

        case .normalization(let n):
            if let axes = n.axes { _ = try Self.normalizedAxes(axes, rank: input.count + 1) }
            if let mean = n.mean, let variance = n.variance {
                let want = try normalizationStatsShape(n, input)
                let count = want.reduce(1, *)
                for (label, values) in [("mean", mean), ("variance", variance)] where values.count != 1 && values.count != count {
                    throw ShapeError("`\(label)` has \(values.count) values but the input has \(count) along `axis`")
                }
            }
            return input

        case .reshape(let target):
            guard let total = try? CheckedMath.product(input) else { throw ShapeError.overflow }
            guard let unknown = target.firstIndex(of: -1) else {
                if (try? CheckedMath.product(target)) != total {
                    throw ShapeError("the total size of the tensor must be unchanged: \(ShapeFormat.tuple(input)) holds "
                                     + "\(total) values, \(ShapeFormat.tuple(target)) \(target.reduce(1, *))")
                }
                return target
            }
            let known = target.filter { $0 != -1 }.reduce(1, *)
            guard known > 0, total % known == 0 else {
                throw ShapeError("the total size of the tensor must be unchanged, but the input's \(total) values "
                                 + "can't be divided by the sizes of \(ShapeFormat.tuple(target))")
            }
            var out = target
            out[unknown] = total / known
            return out

        case .permute(let dims):
            try requireRank(input, dims.count, "an input of rank \(dims.count + 1) (with the batch)")
            return dims.map { input[$0 - 1] }

        case .repeatVector(let n):
            try requireRank(input, 1, "a vector (rank 2 with the batch)")
            return [n, input[0]]

        case .prelu(let shared):
            for a in shared where a < 1 || a > input.count {
                throw ShapeError("`shared_axes` \(a) is not an axis of the input \(ShapeFormat.keras(input))")
            }
            return input
        }
    }

    /// The shape of Normalization's mean and variance: the input's sizes on its axes.
    func normalizationStatsShape(_ n: Normalization, _ input: [Int]) throws(ShapeError) -> [Int] {
        guard let axes = n.axes else { return [] }
        return try Self.normalizedAxes(axes, rank: input.count + 1).map { input[$0 - 1] }
    }

    /// The weight tensors this layer creates on an input shape, in Keras' order;
    /// all of them non-trainable when the layer is frozen.
    public func weights(for input: [Int]) -> [WeightSpec] {
        let all = kindWeights(for: input)
        guard !trainable else { return all }
        return all.map { WeightSpec($0.name, $0.shape, trainable: false) }
    }

    private func kindWeights(for input: [Int]) -> [WeightSpec] {
        let channels = input.last ?? 0
        switch kind {
        case .conv(let c):
            var w: [WeightSpec] = []
            switch c.style {
            case .standard:
                w.append(WeightSpec("kernel", c.kernel + [channels / max(c.groups, 1), c.filters]))
                if c.useBias { w.append(WeightSpec("bias", [c.filters])) }
            case .depthwise(let m):
                w.append(WeightSpec("kernel", c.kernel + [channels, m]))
                if c.useBias { w.append(WeightSpec("bias", [channels * m])) }
            case .separable(let m):
                w.append(WeightSpec("depthwise_kernel", c.kernel + [channels, m]))
                w.append(WeightSpec("pointwise_kernel", Array(repeating: 1, count: c.rank) + [channels * m, c.filters]))
                if c.useBias { w.append(WeightSpec("bias", [c.filters])) }
            }
            return w
        case .batchNorm(let bn):
            let n = ((try? Self.normalizedAxes([bn.axis], rank: input.count + 1)) ?? [input.count]).map { input[$0 - 1] }
            var w: [WeightSpec] = []
            if bn.scale { w.append(WeightSpec("gamma", n)) }
            if bn.center { w.append(WeightSpec("beta", n)) }
            w.append(WeightSpec("moving_mean", n, trainable: false))
            w.append(WeightSpec("moving_variance", n, trainable: false))
            return w
        case .layerNorm(let ln):
            let shape = ((try? Self.normalizedAxes(ln.axes, rank: input.count + 1)) ?? [input.count]).map { input[$0 - 1] }
            var w: [WeightSpec] = []
            if ln.scale { w.append(WeightSpec("gamma", shape)) }
            if ln.center { w.append(WeightSpec("beta", shape)) }
            return w
        case .dense(let d):
            var w = [WeightSpec("kernel", [channels, d.units])]
            if d.useBias { w.append(WeightSpec("bias", [d.units])) }
            return w
        case .convTranspose(let c):
            var w = [WeightSpec("kernel", c.kernel + [c.filters, channels])]
            if c.useBias { w.append(WeightSpec("bias", [c.filters])) }
            return w
        case .prelu(let shared):
            return [WeightSpec("alpha", input.enumerated().map { shared.contains($0.offset + 1) ? 1 : $0.element })]
        case .normalization(let n):
            // Given mean and variance are constants; otherwise adapt() fills three weights.
            guard n.mean == nil, let stats = try? normalizationStatsShape(n, input) else { return [] }
            return [WeightSpec("mean", stats, trainable: false), WeightSpec("variance", stats, trainable: false),
                    WeightSpec("count", [], trainable: false)]
        case .pool, .globalPool, .dropout, .activation, .relu, .softmax, .flatten, .zeroPadding, .cropping, .upSampling,
             .rescaling, .reshape, .permute, .repeatVector, .leakyReLU, .elu, .noise, .activityRegularization, .merge,
             .augmentation, .resize:
            return []
        }
    }

    /// Multiply-accumulates for one sample: convolutions and dense layers only,
    /// bias excluded (the convention torchinfo's "mult-adds" follows).
    public func multAdds(input: [Int], output: [Int]) throws(ShapeError) -> Int {
        do {
            let channels = input.last ?? 0
            switch kind {
            case .conv(let c):
                let positions = try CheckedMath.product(output.dropLast())
                let window = try CheckedMath.product(c.kernel)
                switch c.style {
                case .standard:
                    return try CheckedMath.product([positions, window, channels / max(c.groups, 1), c.filters])
                case .depthwise(let m):
                    return try CheckedMath.product([positions, window, channels, m])
                case .separable(let m):
                    let depthwise = try CheckedMath.product([positions, window, channels, m])
                    let pointwise = try CheckedMath.product([positions, channels, m, c.filters])
                    return try CheckedMath.add(depthwise, pointwise)
                }
            case .dense(let d):
                let positions = try CheckedMath.product(output.dropLast())
                return try CheckedMath.product([positions, channels, d.units])
            case .convTranspose(let c):
                // Every input position meets the whole kernel once.
                let positions = try CheckedMath.product(input.dropLast())
                return try CheckedMath.product([positions, CheckedMath.product(c.kernel), channels, c.filters])
            default:
                return 0
            }
        } catch {
            throw ShapeError.overflow
        }
    }

    /// Axes of the batched tensor (rank `rank`, batch at 0) made non-negative and
    /// sorted, as Keras' normalisation layers sort them; the batch axis only where
    /// `allowBatch` (Softmax), since a weight can't have the batch's size.
    public static func normalizedAxes(_ axes: [Int], rank: Int, allowBatch: Bool = false) throws(ShapeError) -> [Int] {
        var out: [Int] = []
        for a in axes {
            let p = a < 0 ? a + rank : a
            guard p >= 0, p < rank else {
                throw ShapeError("axis \(a) is out of bounds for an input of rank \(rank) (with the batch)")
            }
            if p == 0, !allowBatch {
                throw ShapeError("axis \(a) is the batch axis, whose size is None: a weight can't have that shape")
            }
            if out.contains(p) { throw ShapeError("axis \(a) is given twice") }
            out.append(p)
        }
        // Keras sorts the axes as written; mixing signs would lay its weights out in another order.
        if axes.sorted() != axes.sorted(by: { ($0 < 0 ? $0 + rank : $0) < ($1 < 0 ? $1 + rank : $1) }) {
            throw ShapeError("axes \(ShapeFormat.tuple(axes)) mix negative and positive indices in another order; "
                             + "write them all positive (Keras would lay the weights out in the written order)")
        }
        return out.sorted()
    }

    private func requireRank(_ input: [Int], _ rank: Int, _ what: @autoclosure () -> String) throws(ShapeError) {
        if input.count != rank {
            throw ShapeError("expects \(what()), but got an input of rank \(input.count + 1) \(ShapeFormat.keras(input))")
        }
    }
}

/// A reason a layer can't take an input shape, without the layer's identity;
/// ``Model`` wraps it into a ``ModelError`` that names the layer.
public struct ShapeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }

    static let overflow = ShapeError("the sizes overflow a 64-bit integer: this model is too large to exist")
}
