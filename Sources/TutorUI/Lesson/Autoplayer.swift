/// Plays a lesson with no one at the keyboard: the pace, the pause state, what it is typing.
///
/// Time comes from the caller (`tick(seconds)`), so a recording or a test
/// plays the same way on any machine. The player never guesses how long work
/// takes: it waits while a forward pass runs, then goes on.
public struct Autoplayer: Hashable, Sendable {
    /// Playback speed: 2 is twice as fast.
    public private(set) var speed: Double
    public internal(set) var paused = false
    /// Seconds until the next beat, at speed 1.
    var wait: Double = 0
    /// Text still to type, and what pressing Enter after it does.
    var typing: [Character] = []
    var typed = ""
    /// The index of the next solution command of the waiting task.
    var solutionIndex = 0
    /// True once the current step's content has been read.
    var readStep = false

    /// Seconds per typed character, per word read, and pauses, at speed 1.
    static let perChar = 0.06
    static let perWord = 0.22
    static let beat = 0.8

    public init(speed: Double = 1) {
        self.speed = Autoplayer.clamp(speed)
    }

    public mutating func faster() { speed = Autoplayer.clamp(speed * 1.5) }
    public mutating func slower() { speed = Autoplayer.clamp(speed / 1.5) }

    static func clamp(_ s: Double) -> Double { min(50, max(0.1, s.isFinite ? s : 1)) }

    /// The time to read some words, capped so a long paragraph doesn't stall a class.
    static func readingTime(words: Int) -> Double { min(8, 0.6 + Double(words) * perWord) }
}
