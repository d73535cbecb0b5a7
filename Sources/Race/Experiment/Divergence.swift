import Foundation

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

    /// Where the non-finite value showed up.
    public enum Site: Sendable, Equatable {
        /// The training batch's loss itself.
        case trainingLoss
        /// A layer's output during a training step, before the loss (the compute core's words).
        case trainingPass(String)
        /// The test split's pass after an epoch (the compute core's words, when it named a layer).
        case testSplit(String?)
    }

    /// The stop for `head` at `epoch`, `batch`, where `site` saw `value`, with advice for these settings.
    public init(head: ExperimentHead, epoch: Int, batch: Int, value: Float, site: Site = .trainingLoss,
                configuration c: ExperimentConfiguration) {
        self.head = head
        self.epoch = epoch
        self.batch = batch
        loss = value.isNaN ? "nan" : value > 0 ? "inf" : "-inf"
        let what: String
        switch site {
        case .trainingLoss:
            what = "The \(head.title)'s training loss became \(loss) at epoch \(epoch), batch \(batch)"
        case .trainingPass(let detail):
            what = "The \(head.title) stopped at epoch \(epoch), batch \(batch): \(detail)"
        case .testSplit(let detail):
            what = "The \(head.title)'s test pass after epoch \(epoch) gave values that are not numbers"
                + (detail.map { " (\($0))" } ?? "")
        }
        message = what + ". Training stopped there: the weights grew until the arithmetic overflowed, "
            + "which usually means the steps are too large."
        // %g: "0.0001", where a Float's own description gives "0.000100000005".
        let rate = { (x: Float) in String(format: "%g", Double(x)) }
        var tips = ["lower the learning rate (now \(rate(c.learningRate)); try \(rate(c.learningRate / 10)))"]
        if c.optimizer == .sgd { tips.append("use Adam, which scales its steps") }
        if c.optimizer == .sgd && c.momentum >= 0.95 { tips.append("lower the momentum (now \(c.momentum))") }
        if c.batchSize < 16 { tips.append("use a larger batch (now \(c.batchSize))") }
        advice = "Try: " + tips.joined(separator: ", or ") + "."
    }

    /// The message and the advice, as one paragraph.
    public var text: String { message + " " + advice }
}
