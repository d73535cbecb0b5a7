/// What the one terminal loop runs: messages in, effects and frames out.
///
/// The builder alone (``AppState``) and the lesson shell (``TutorShell``) are
/// both programs. The loop owns the value, blocks until a key, a signal, a
/// tick or an effect's result arrives, feeds it to ``handle(_:)`` and draws.
/// Tests and `lessons validate` drive the same value through ``ProgramDriver``.
public protocol Program: Sendable {
    /// Effects to start as soon as the loop runs, such as the forward pass a lesson's first step asks for.
    mutating func start() -> [Effect]
    /// Applies one message and returns the work it asks for.
    mutating func handle(_ msg: Msg) -> [Effect]
    /// Draws the program; returns where the text cursor is, if it shows one.
    @discardableResult
    func draw(into buffer: inout ScreenBuffer) -> (x: Int, y: Int)?
    /// True while time matters: playback, or a computation showing progress.
    var wantsTicks: Bool { get }
    /// True while the program can't move on until an effect's result arrives.
    var isWaitingForWork: Bool { get }
    /// Set when the program wants to end: the exit status.
    var exitCode: Int32? { get }
    /// True while Ctrl-C should arrive as a key (it closes an open prompt) instead of interrupting.
    var interruptIsKey: Bool { get }
}

extension Program {
    public var interruptIsKey: Bool { false }
}

extension AppState: Program {
    public mutating func start() -> [Effect] { [] }
    public mutating func handle(_ msg: Msg) -> [Effect] { update(&self, msg) }
    @discardableResult
    public func draw(into buffer: inout ScreenBuffer) -> (x: Int, y: Int)? { view(self, into: &buffer) }
    public var wantsTicks: Bool { isWaitingForWork }
    public var interruptIsKey: Bool { prompt != nil || confirmingQuit }
    public var isWaitingForWork: Bool {
        if case .running = features.status { return true }
        if case .running = features.training { return true }
        return experiment.status == .running
    }
}
