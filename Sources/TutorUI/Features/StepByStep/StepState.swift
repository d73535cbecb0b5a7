import CNNModel

/// The step-by-step view of one output cell of the feature maps: which layer
/// and cell, and which input channel a convolution shows.
public struct StepState: Hashable, Sendable {
    /// An index into the feature maps' `result.outputs`.
    public var output: Int
    public var row: Int
    public var col: Int
    /// The output channel (a filter); for Flatten, the input's channel.
    public var channel: Int
    /// The input channel whose patch, kernel and products a convolution shows.
    public var inputChannel: Int

    public init(output: Int, row: Int = 0, col: Int = 0, channel: Int = 0, inputChannel: Int = 0) {
        self.output = output
        self.row = row
        self.col = col
        self.channel = channel
        self.inputChannel = inputChannel
    }
}

/// The layers the step-by-step view explains.
enum StepKind: Equatable {
    case convolution(Convolution)
    case maxPool(Pooling)
    case globalAverage
    case flatten

    /// The kind of a layer, or nil when the view doesn't explain it.
    init?(_ spec: LayerSpec?) {
        switch spec?.kind {
        case .conv(let c)? where c.rank == 2 && c.style == .standard && c.groups == 1: self = .convolution(c)
        case .pool(let p)? where p.rank == 2 && p.op == .max: self = .maxPool(p)
        case .globalPool(let g)? where g.rank == 2 && g.op == .average: self = .globalAverage
        case .flatten?: self = .flatten
        default: return nil
        }
    }

    static let explained = "Conv2D, MaxPooling2D, GlobalAveragePooling2D and Flatten"
}
