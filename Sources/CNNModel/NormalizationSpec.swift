/// `Normalization(axis, mean, variance, invert)`.
public struct Normalization: Sendable, Hashable {
    /// The axes the statistics are per (batched, -1 the last); nil for `axis=None` (one scalar).
    public var axes: [Int]?
    /// nil when the layer would be `adapt()`ed: then it has mean, variance and count weights to load.
    public var mean: [Double]?
    public var variance: [Double]?
    public var invert: Bool
    public init(axes: [Int]? = [-1], mean: [Double]? = nil, variance: [Double]? = nil, invert: Bool = false) {
        self.axes = axes
        self.mean = mean
        self.variance = variance
        self.invert = invert
    }
}
