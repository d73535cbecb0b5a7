import CNNModel

/// Finds a model's head and builds the same backbone with the other kind of head.
///
/// The head starts at the first Flatten or global pooling layer. A Flatten
/// head becomes global pooling, the head's non-Dense layers (Dropout …) and
/// its last Dense, which is how the seed article turns 11,574,090 parameters
/// into 66,602. A pooled head becomes Flatten followed by the same layers.
public enum HeadSwap {
    /// The index of the layer that starts the head, if the model has one.
    public static func headStart(_ layers: [LayerSpec]) -> Int? {
        layers.firstIndex { spec in
            switch spec.kind {
            case .flatten, .globalPool: return true
            default: return false
            }
        }
    }

    /// The head kind a model has now, if any.
    public static func kind(of layers: [LayerSpec]) -> HeadKind? {
        guard let i = headStart(layers) else { return nil }
        if case .globalPool(let g) = layers[i].kind { return g.op == .max ? .globalMax : .globalAverage }
        return .flatten
    }

    /// The spatial rank of the backbone's output, from the layers before the head (2 when unknown).
    static func spatialRank(_ layers: [LayerSpec], inputShape: [Int]?) -> Int {
        for spec in layers.reversed() {
            switch spec.kind {
            case .conv(let c): return c.rank
            case .pool(let p): return p.rank
            case .zeroPadding(let p): return p.count
            default: continue
            }
        }
        return max(1, (inputShape?.count ?? 3) - 1)
    }

    /// The layers with their head replaced by one of `kind`; nil when there is no head.
    public static func swapped(_ layers: [LayerSpec], to kind: HeadKind, inputShape: [Int]?) -> [LayerSpec]? {
        guard let start = headStart(layers) else { return nil }
        let backbone = Array(layers[..<start])
        let head = Array(layers[start...])
        let rank = spatialRank(backbone, inputShape: inputShape)
        let rest = head.dropFirst()
        switch kind {
        case .flatten:
            return backbone + [LayerSpec(.flatten)] + rest.map(unnamed)
        case .globalAverage, .globalMax:
            let pool = LayerSpec(.globalPool(GlobalPooling(op: kind == .globalMax ? .max : .average, rank: rank)))
            if HeadSwap.kind(of: layers) != .flatten {
                return backbone + [pool] + rest.map(unnamed)
            }
            let lastDense = rest.lastIndex { if case .dense = $0.kind { return true } else { return false } }
            var newHead: [LayerSpec] = [pool]
            for i in rest.indices {
                if case .dense = rest[i].kind, i != lastDense { continue }
                newHead.append(unnamed(rest[i]))
            }
            return backbone + newHead
        }
    }

    /// The layers before `layers`' head, then `reference`'s head from its Flatten on; nil when
    /// either has no head, `reference`'s is not Flatten, or the layers before the heads differ.
    public static func withFlattenHead(of reference: [LayerSpec], on layers: [LayerSpec]) -> [LayerSpec]? {
        guard let start = headStart(layers), let refStart = headStart(reference), kind(of: reference) == .flatten,
              reference[..<refStart].map(unnamed) == layers[..<start].map(unnamed) else { return nil }
        return Array(layers[..<start]) + reference[refStart...].map(unnamed)
    }

    /// The layer without its source location, which no longer applies after a swap.
    private static func unnamed(_ spec: LayerSpec) -> LayerSpec {
        var s = spec
        s.location = nil
        return s
    }
}
