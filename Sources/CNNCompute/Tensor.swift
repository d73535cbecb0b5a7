/// A float32 tensor: batch-first, channels-last, with contiguous row-major storage.
///
/// Kept deliberately small: a shape and a flat array. Ops live in their own
/// files as free functions on tensors, each forward next to its backward.
public struct Tensor: Sendable, Equatable {
    /// The sizes of each axis, batch first and channels last.
    public var shape: [Int]
    /// The values, row-major (the last axis varies fastest).
    public var data: [Float]

    /// A tensor of the given shape and values; `data.count` must match the shape.
    public init(shape: [Int], data: [Float]) {
        precondition(shape.reduce(1, *) == data.count, "shape \(shape) does not hold \(data.count) values")
        self.shape = shape
        self.data = data
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.shape = shape
        self.data = [Float](repeating: 0, count: shape.reduce(1, *))
    }

    /// A tensor filled with one value.
    public init(repeating value: Float, shape: [Int]) {
        self.shape = shape
        self.data = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// The number of scalars.
    public var count: Int { data.count }

    /// The number of axes.
    public var rank: Int { shape.count }

    /// The same values under another shape with the same count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, data: data)
    }

    /// One sample of the batch, keeping a batch axis of 1.
    public func sample(_ index: Int) -> Tensor {
        let per = shape.dropFirst().reduce(1, *)
        return Tensor(shape: [1] + shape.dropFirst(), data: Array(data[index * per ..< (index + 1) * per]))
    }
}
