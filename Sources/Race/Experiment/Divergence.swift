/// Why a run stopped when a loss stopped being a number: which head, where,
/// what the loss became, and what to change.
public struct Divergence: Sendable, Equatable, Encodable {
    public var head: ExperimentHead
    public var epoch: Int
    /// The batch within the epoch, from 1; 0 when the test split after the epoch found it.
    public var batch: Int
    /// `nan`, `inf` or `-inf`.
    public var loss: String
    /// What happened, in a sentence.
    public var message: String
    /// What to try instead.
    public var advice: String

    /// The stop for `head`'s loss `value` at `epoch`, `batch`, with advice for these settings.
    /// - Parameter detail: where the compute core first saw a non-finite value, when it did.
    public init(head: ExperimentHead, epoch: Int, batch: Int, value: Float, configuration c: ExperimentConfiguration,
                detail: String? = nil) {
        self.head = head
        self.epoch = epoch
        self.batch = batch
        loss = value.isNaN ? "nan" : value > 0 ? "inf" : "-inf"
        let when = batch > 0 ? "at epoch \(epoch), batch \(batch)" : "after epoch \(epoch)"
        message = "The \(head.title)'s training loss became \(loss) \(when), so the run "
            + "stopped" + (detail.map { " (\($0))" } ?? "") + ": the weights grew until the arithmetic overflowed, which usually "
            + "means the steps are too large."
        let lower = c.learningRate / 10
        var tips = ["lower the learning rate (now \(c.learningRate); try \(lower))"]
        if c.optimizer == .sgd { tips.append("use Adam, which scales its steps") }
        if c.batchSize < 16 { tips.append("use a larger batch (now \(c.batchSize))") }
        advice = "Try: " + tips.joined(separator: ", or ") + "."
    }

    /// The message and the advice, as one paragraph.
    public var text: String { message + " " + advice }
}
