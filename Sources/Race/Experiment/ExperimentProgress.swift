import CNNCompute
/// Where a running experiment is: the epoch, the batch, and each head's
/// curves so far. The app redraws from this value alone.
public struct ExperimentProgress: Sendable, Equatable {
    /// What the run is doing.
    public enum Phase: Sendable, Equatable {
        case training
        /// Training is over; the shifted and large splits are being measured.
        case evaluating
        case finished
        case cancelled
    }

    public var phase: Phase
    /// The epoch in progress, from 1.
    public var epoch: Int
    public var epochs: Int
    /// Batches finished in the current epoch.
    public var batch: Int
    public var batchesPerEpoch: Int
    public var heads: [HeadProgress]
    /// Set when a loss stopped being a number: the run stopped there.
    public var divergence: Divergence? = nil

    /// The fraction of all training batches done, in [0, 1].
    public var fraction: Double {
        let total = epochs * batchesPerEpoch
        guard total > 0 else { return 1 }
        if phase != .training { return phase == .cancelled ? Double(done) / Double(total) : 1 }
        return Double(done) / Double(total)
    }

    /// Training batches finished over all epochs.
    public var done: Int { (epoch - 1) * batchesPerEpoch + batch }
}

/// One head's live figures.
public struct HeadProgress: Sendable, Equatable {
    public var head: ExperimentHead
    public var params: Int
    public var peakMemoryBytes: Int
    /// Every training batch's loss and accuracy so far.
    public var batchLosses: [Double]
    public var batchAccuracies: [Double]
    /// The finished epochs.
    public var epochs: [EpochRecord]
    /// The mean loss and accuracy of the current epoch's batches so far (of
    /// the last finished epoch between epochs).
    public var runningLoss: Double
    public var runningAccuracy: Double
    /// Training images per second of this head's training time.
    public var imagesPerSecond: Double
    public var stopped: StopReason?
}
