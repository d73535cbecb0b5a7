/// The reduction a pooling layer applies to its window.
public enum PoolOp: String, Sendable, Hashable {
    case max
    case average
}
