/// Plays a lesson with no one at the keyboard: the pace, the pause state, and where it has read to.
///
/// It presses the keys a learner would (scrolling, typing an answer, `:`
/// commands for a task, `n` for the next step), through the same handler.
/// Time comes from the caller (`.tick(seconds:)`), so a recording or a test
/// plays the same way on any machine; work is waited for, never timed.
public struct Autoplayer: Hashable, Sendable {
    /// Playback speed: 2 is twice as fast.
    public private(set) var speed: Double
    public internal(set) var paused = false
    /// Seconds until the next key, at speed 1.
    var wait: Double = 0
    /// Keys still to press, such as an answer being typed.
    var pending: [Key] = []
    /// Lines of the current step the class has had time to read (from the top).
    var readLines = 0
    /// The index of the next solution command of the waiting task.
    var solutionIndex = 0
    /// Seconds the summary stays up before playback ends; nil waits for a key.
    public var summarySeconds: Double?

    /// Reading speed, and the pauses around questions and results, at speed 1.
    static let wordsPerMinute = 180.0
    static let perChar = 0.08
    /// Time to think before an answer is typed.
    static let thinking = 4.0
    /// The pause after an answer or a result appears, before reading on.
    static let afterResult = 2.0
    static let beat = 0.6
    /// How long another screen (compare, feature maps) stays before the lesson comes back.
    static let awayTime = 8.0

    public init(speed: Double = 1, summarySeconds: Double? = nil) {
        self.speed = Autoplayer.clamp(speed)
        self.summarySeconds = summarySeconds
    }

    public mutating func faster() { speed = Autoplayer.clamp(speed * 1.5) }
    public mutating func slower() { speed = Autoplayer.clamp(speed / 1.5) }

    static func clamp(_ s: Double) -> Double { min(50, max(0.1, s.isFinite ? s : 1)) }

    /// Seconds to read some words at the class's pace.
    static func readingTime(words: Int) -> Double { Double(words) * 60 / wordsPerMinute }
}
