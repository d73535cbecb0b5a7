import CNNModel

/// The merge layers' forward and backward, with Keras' broadcasting (shapes aligned on the right,
/// a size of 1 stretched, the batch axis shared).
enum MergeOp {
    /// For each position of one sample's output, where it reads one sample of an input of `shape`.
    static func sourceIndex(_ shape: [Int], output: [Int]) -> [Int] {
        let padded = Array(repeating: 1, count: output.count - shape.count) + shape
        if padded == output { return Array(0..<output.reduce(1, *)) }
        var strides = Array(repeating: 0, count: output.count)
        var s = 1
        for a in stride(from: output.count - 1, through: 0, by: -1) {
            strides[a] = padded[a] == 1 ? 0 : s
            s *= padded[a]
        }
        var out: [Int] = []
        out.reserveCapacity(output.reduce(1, *))
        var index = Array(repeating: 0, count: output.count)
        for _ in 0..<output.reduce(1, *) {
            var k = 0
            for a in 0..<output.count { k += index[a] * strides[a] }
            out.append(k)
            var a = output.count - 1
            while a >= 0 {
                index[a] += 1
                if index[a] < output[a] { break }
                index[a] = 0
                a -= 1
            }
        }
        return out
    }

    static func forward(_ xs: [Tensor], _ m: Merge, outputShape: [Int]) -> Tensor {
        let batch = xs[0].shape[0]
        if m.op == .concatenate { return concatenate(xs, m, outputShape: outputShape) }
        let per = outputShape.reduce(1, *)
        var y = Tensor(zeros: [batch] + outputShape)
        let maps = xs.map { sourceIndex(Array($0.shape.dropFirst()), output: outputShape) }
        for b in 0..<batch {
            for (i, x) in xs.enumerated() {
                let inPer = x.count / batch
                let map = maps[i]
                for j in 0..<per {
                    let v = x.data[b * inPer + map[j]]
                    let o = b * per + j
                    if i == 0 { y.data[o] = v; continue }
                    switch m.op {
                    case .add, .average: y.data[o] += v
                    case .subtract: y.data[o] -= v
                    case .multiply: y.data[o] *= v
                    case .maximum: y.data[o] = max(y.data[o], v)
                    case .minimum: y.data[o] = min(y.data[o], v)
                    case .concatenate: break
                    }
                }
            }
        }
        if m.op == .average {
            let n = Float(xs.count)
            for i in 0..<y.count { y.data[i] /= n }
        }
        return y
    }

    /// dL/dx for every input; a broadcast input gets the sum over the positions it was stretched to.
    static func backward(_ dy: Tensor, inputs xs: [Tensor], _ m: Merge) -> [Tensor] {
        let batch = dy.shape[0]
        let outputShape = Array(dy.shape.dropFirst())
        if m.op == .concatenate { return split(dy, inputs: xs, m) }
        let per = outputShape.reduce(1, *)
        let maps = xs.map { sourceIndex(Array($0.shape.dropFirst()), output: outputShape) }
        // The running value of a max/min chain, to send each position's gradient where TensorFlow does.
        var winner = [Int](repeating: 0, count: batch * per)
        if m.op == .maximum || m.op == .minimum {
            for b in 0..<batch {
                for j in 0..<per {
                    var best = xs[0].data[b * (xs[0].count / batch) + maps[0][j]]
                    for i in 1..<xs.count {
                        let v = xs[i].data[b * (xs[i].count / batch) + maps[i][j]]
                        // TF's Maximum/Minimum gradient goes to the first argument on ties.
                        if m.op == .maximum ? v > best : v < best { best = v; winner[b * per + j] = i }
                    }
                }
            }
        }
        var grads = xs.map { Tensor(zeros: $0.shape) }
        for (i, x) in xs.enumerated() {
            let inPer = x.count / batch
            for b in 0..<batch {
                for j in 0..<per {
                    let g = dy.data[b * per + j]
                    var d: Float
                    switch m.op {
                    case .add: d = g
                    case .subtract: d = i == 0 ? g : -g
                    case .average: d = g / Float(xs.count)
                    case .multiply:
                        d = g
                        for (k, other) in xs.enumerated() where k != i {
                            d *= other.data[b * (other.count / batch) + maps[k][j]]
                        }
                    case .maximum, .minimum: d = winner[b * per + j] == i ? g : 0
                    case .concatenate: d = 0
                    }
                    grads[i].data[b * inPer + maps[i][j]] += d
                }
            }
        }
        return grads
    }

    /// Where the concatenation axis sits in one sample (without the batch), and the block sizes around it.
    static func layout(_ shape: [Int], axis: Int) -> (outer: Int, inner: Int, size: Int) {
        let rank = shape.count + 1
        let a = (axis + rank) % rank - 1
        return (shape[..<a].reduce(1, *), shape[(a + 1)...].reduce(1, *), shape[a])
    }

    static func concatenate(_ xs: [Tensor], _ m: Merge, outputShape: [Int]) -> Tensor {
        let batch = xs[0].shape[0]
        var y = Tensor(zeros: [batch] + outputShape)
        let total = layout(outputShape, axis: m.axis)
        var offset = 0
        for x in xs {
            let l = layout(Array(x.shape.dropFirst()), axis: m.axis)
            for b in 0..<batch {
                for o in 0..<l.outer {
                    let src = (b * l.outer + o) * l.size * l.inner
                    let dst = (b * total.outer + o) * total.size * total.inner + offset * total.inner
                    for k in 0..<(l.size * l.inner) { y.data[dst + k] = x.data[src + k] }
                }
            }
            offset += l.size
        }
        return y
    }

    static func split(_ dy: Tensor, inputs xs: [Tensor], _ m: Merge) -> [Tensor] {
        let batch = dy.shape[0]
        let total = layout(Array(dy.shape.dropFirst()), axis: m.axis)
        var offset = 0
        var grads: [Tensor] = []
        for x in xs {
            let l = layout(Array(x.shape.dropFirst()), axis: m.axis)
            var g = Tensor(zeros: x.shape)
            for b in 0..<batch {
                for o in 0..<l.outer {
                    let dst = (b * l.outer + o) * l.size * l.inner
                    let src = (b * total.outer + o) * total.size * total.inner + offset * total.inner
                    for k in 0..<(l.size * l.inner) { g.data[dst + k] = dy.data[src + k] }
                }
            }
            grads.append(g)
            offset += l.size
        }
        return grads
    }
}
