import Foundation

/// Replays an asciicast v2 file on a small screen model: what a viewer of the recording saw, frame by frame.
///
/// It understands what cnn-tutor's recorder writes (cursor moves, clear,
/// SGR, cursor show/hide) and ignores other sequences.
struct CastScreen {
    let width: Int
    let height: Int
    private(set) var rows: [[Character]]
    private var x = 0, y = 0

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        rows = Array(repeating: Array(repeating: " ", count: width), count: height)
    }

    /// The screen after each output event of a cast file's text.
    static func frames(ofCast text: String) throws -> [CastScreen] {
        var lines = text.split(separator: "\n").map(String.init)
        guard !lines.isEmpty, let header = try JSONSerialization.jsonObject(with: Data(lines.removeFirst().utf8)) as? [String: Any],
              header["version"] as? Int == 2, let w = header["width"] as? Int, let h = header["height"] as? Int else {
            throw CastError.badHeader
        }
        var screen = CastScreen(width: w, height: h)
        var frames: [CastScreen] = []
        for line in lines {
            guard let event = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any], event.count == 3,
                  event[0] is Double || event[0] is Int, let kind = event[1] as? String, let data = event[2] as? String else {
                throw CastError.badEvent(line)
            }
            guard kind == "o" else { continue }
            screen.feed(data)
            frames.append(screen)
        }
        return frames
    }

    enum CastError: Error { case badHeader, badEvent(String) }

    mutating func feed(_ data: String) {
        var chars = Array(data)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "\u{1B}", chars.first == "[" {
                chars = chars.dropFirst()
                var params = ""
                while let p = chars.first, !p.isLetter {
                    params.append(p)
                    chars = chars.dropFirst()
                }
                guard let final = chars.first else { break }
                chars = chars.dropFirst()
                apply(final, params)
            } else if c == "\n" {
                y = min(height - 1, y + 1)
                x = 0
            } else if c == "\r" {
                x = 0
            } else {
                if y < height, x < width { rows[y][x] = c }
                x += 1
            }
        }
    }

    private mutating func apply(_ final: Character, _ params: String) {
        switch final {
        case "H":
            let parts = params.split(separator: ";").compactMap { Int($0) }
            y = max(0, min(height - 1, (parts.first ?? 1) - 1))
            x = max(0, min(width - 1, (parts.count > 1 ? parts[1] : 1) - 1))
        case "J" where params == "2":
            rows = Array(repeating: Array(repeating: " ", count: width), count: height)
        default: break
        }
    }

    /// The screen as text, one line per row.
    var text: String { rows.map { String($0) }.joined(separator: "\n") }

    /// The text inside the lesson's box at 80 columns (rows between `│` borders), lines joined with spaces.
    var lessonText: String {
        rows.filter { $0.first == "│" && $0.last == "│" }
            .map { String($0.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
            .split(separator: " ").joined(separator: " ")
    }
}
