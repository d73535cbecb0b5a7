/// How much of the input one output position sees, per spatial axis.
///
/// `size` is the receptive field's extent in input pixels and `jump` the
/// distance in input pixels between two neighbouring outputs (the effective
/// stride). After Flatten or global pooling every output sees the whole input.
public enum ReceptiveField: Sendable, Hashable, CustomStringConvertible {
    case spatial(size: [Int], jump: [Int])
    case global

    /// The field of the input itself: one pixel, one pixel apart.
    public static func input(spatialRank: Int) -> ReceptiveField {
        .spatial(size: Array(repeating: 1, count: spatialRank), jump: Array(repeating: 1, count: spatialRank))
    }

    /// The field after a window of `kernel` (already dilated) moved by `strides`.
    func through(window: [Int], strides: [Int]) -> ReceptiveField {
        guard case .spatial(let size, let jump) = self, size.count == window.count else { return self }
        var newSize = size, newJump = jump
        for axis in size.indices {
            let (grown, o1) = (window[axis] - 1).multipliedReportingOverflow(by: jump[axis])
            let (total, o2) = size[axis].addingReportingOverflow(grown)
            let (stepped, o3) = jump[axis].multipliedReportingOverflow(by: strides[axis])
            if o1 || o2 || o3 { return .global }
            newSize[axis] = total
            newJump[axis] = stepped
        }
        return .spatial(size: newSize, jump: newJump)
    }

    /// The field of `layer`'s output, given the field of its input.
    public func after(_ layer: LayerSpec) -> ReceptiveField {
        switch layer.kind {
        case .conv(let c):
            let window = zip(c.kernel, c.dilation).map { $1 * ($0 - 1) + 1 }
            return through(window: window, strides: c.strides)
        case .pool(let p):
            return through(window: p.poolSize, strides: p.strides)
        case .globalPool, .flatten:
            return .global
        case .layerNorm(let l) where l.axes != [-1]:
            return mixesPositions(l.axes)
        case .softmax(let axes) where axes != [-1]:
            return mixesPositions(axes)
        case .dense, .batchNorm, .layerNorm, .dropout, .activation, .relu, .softmax, .zeroPadding, .cropping, .rescaling,
             .normalization, .leakyReLU, .prelu, .elu, .noise, .activityRegularization, .merge,
             .augmentation:
            return self
        case .convTranspose, .upSampling, .reshape, .permute, .repeatVector, .resize:
            // An output cell maps back to a fraction of a cell, or to another layout: not a window.
            return .spatial(size: [], jump: [])
        }
    }

    /// The field where several paths meet: the widest of them (a merge sees what each input sees).
    static func merged(_ fields: [ReceptiveField]) -> ReceptiveField {
        var best: ReceptiveField?
        for f in fields {
            guard case .spatial(let size, _) = f else { return .global }
            if case .spatial(let bestSize, _)? = best, bestSize.count == size.count,
               bestSize.reduce(0, +) >= size.reduce(0, +) { continue }
            best = f
        }
        return best ?? .global
    }

    /// After an op over some axes (batched, -1 the last): global when one of them is spatial.
    private func mixesPositions(_ axes: [Int]) -> ReceptiveField {
        guard case .spatial(let size, _) = self, !size.isEmpty else { return self }
        let rank = size.count + 2
        return axes.contains(where: { a in let p = a < 0 ? a + rank : a; return p >= 1 && p <= size.count }) ? .global : self
    }

    /// `5×5 /2` for a 5×5 field with jump 2; `global` for the whole input.
    public var description: String { text(times: "×") }

    /// The description with `times` between the axes (`x` on an ASCII screen).
    public func text(times: String) -> String {
        switch self {
        case .global: return "global"
        case .spatial(let size, let jump):
            if size.isEmpty { return "-" }
            // Appended in place: the table shows a field per row on every frame.
            func joined(_ values: [Int], into text: inout String) {
                for (i, v) in values.enumerated() {
                    if i > 0 { text += times }
                    text += String(v)
                }
            }
            var text = ""
            joined(size, into: &text)
            if jump.allSatisfy({ $0 == jump[0] }) {
                if jump[0] != 1 { text += " /" + String(jump[0]) }
            } else {
                text += " /"
                joined(jump, into: &text)
            }
            return text
        }
    }
}
