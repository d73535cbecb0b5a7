import CNNModel
import TutorUI

/// Records frames as an asciicast v2 file: a JSON header line, then `o` (output)
/// and `m` (marker) events, each `[seconds, "o", "text"]`.
///
/// Time is given by the caller, so a scripted lesson records the same file on
/// any machine. Only the cells that changed go into each `o` event.
public struct AsciicastRecorder {
    public let width: Int
    public let height: Int
    public private(set) var lines: [String]
    private var renderer = ANSIRenderer()
    /// Receives each line as it is recorded (to write the file as it goes).
    private var sink: ((String) -> Void)?

    /// Starts a recording with its header.
    ///
    /// - Parameter timestamp: seconds since 1970, or nil to leave it out (for reproducible files).
    public init(width: Int, height: Int, title: String, timestamp: Int? = nil, environment: [String: String] = ["TERM": "xterm-256color", "SHELL": "/bin/bash"]) {
        self.width = width
        self.height = height
        var header = "{\"version\": 2, \"width\": \(width), \"height\": \(height)"
        if let timestamp { header += ", \"timestamp\": \(timestamp)" }
        header += ", \"title\": \(JSONText.quoted(title))"
        let env = environment.keys.sorted().map { "\(JSONText.quoted($0)): \(JSONText.quoted(environment[$0]!))" }
        header += ", \"env\": {\(env.joined(separator: ", "))}}"
        lines = []
        append(header)
    }

    /// Sends every line, the header first, to `sink` as it is recorded.
    public mutating func stream(to sink: @escaping (String) -> Void) {
        for line in lines { sink(line) }
        self.sink = sink
    }

    private mutating func append(_ line: String) {
        lines.append(line)
        sink?(line)
    }

    /// Adds the changes from the previous frame as an `o` event at `time` seconds.
    public mutating func frame(_ buffer: ScreenBuffer, at time: Double) {
        let text = renderer.render(buffer)
        guard !text.isEmpty else { return }
        append("[\(AsciicastRecorder.seconds(time)), \"o\", \(JSONText.quoted(text))]")
    }

    /// Adds a marker (a chapter a player can jump to) at `time` seconds.
    public mutating func marker(_ label: String, at time: Double) {
        append("[\(AsciicastRecorder.seconds(time)), \"m\", \(JSONText.quoted(label))]")
    }

    /// The whole file.
    public var text: String { lines.joined(separator: "\n") + "\n" }

    static func seconds(_ t: Double) -> String {
        let ms = Int((max(0, t) * 1000).rounded())
        let frac = String(ms % 1000)
        return "\(ms / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
    }
}
