import CNNCompute
import Race

/// The experiment screen's state: the run in progress, its last progress
/// report, and the result once it is over.
public struct ExperimentState: Sendable {
    /// Where the run is, as the screen shows it.
    public enum Status: Sendable, Equatable {
        case idle
        case running
        case paused
        case finished
        case cancelled
        case failed(String)

        /// True while a worker is training (running or paused).
        public var isActive: Bool { self == .running || self == .paused }
    }

    /// What the body of the screen shows.
    public enum Page: Int, Sendable, CaseIterable {
        /// Progress bars and live loss and accuracy curves.
        case curves
        /// The results table and the shape errors explained.
        case results
        /// A few images of each split with each head's prediction.
        case examples

        public var title: String {
            switch self {
            case .curves: "curves"
            case .results: "results"
            case .examples: "examples"
            }
        }
    }

    public internal(set) var status: Status = .idle
    /// What the next start trains with; the settings keys change it.
    public var configuration = ExperimentConfiguration()
    /// What the run on screen trains with (nil before the first start).
    public internal(set) var running: ExperimentConfiguration?
    /// Increases with every start; reports from older runs are dropped.
    public internal(set) var generation = 0
    public internal(set) var progress: ExperimentProgress?
    public internal(set) var result: ExperimentResult?
    public internal(set) var page: Page = .curves
    /// The first line of the notes under the results table.
    public internal(set) var notesScroll = 0

    public init() {}
}

/// The experiment's messages: the worker's reports and the learner's commands.
public enum ExperimentMsg: Sendable {
    /// Starts a run (replacing one in progress), with these settings or the current ones.
    case start(ExperimentConfiguration?)
    case togglePause
    case cancel
    case setPage(ExperimentState.Page)
    /// Scrolls the notes under the results table by this many lines.
    case scrollNotes(Int)
    /// After every batch.
    case progress(generation: Int, ExperimentProgress)
    /// After the final measurements, or soon after a cancel.
    case finished(generation: Int, ExperimentResult)
    case failed(generation: Int, String)
    /// Saves the finished run's weights and models into a folder.
    case saveWeights(String)
    /// The files written.
    case saved(generation: Int, files: [String])
    /// Why the weights could not be saved.
    case saveFailed(generation: Int, String)
}

/// Work for the experiment's worker thread.
public enum ExperimentEffect: Hashable, Sendable {
    /// Train off the UI thread; answers with ``ExperimentMsg/progress(generation:_:)`` and
    /// ``ExperimentMsg/finished(generation:_:)``.
    case start(generation: Int, ExperimentConfiguration)
    case pause(generation: Int)
    case resume(generation: Int)
    case cancel(generation: Int)
    /// Write that run's weights (``ExperimentRun/saveWeights(to:)``); answers with ``ExperimentMsg/saved(generation:_:)``.
    case saveWeights(generation: Int, folder: String)
}
