import Foundation

/// A learner's progress in one lesson.
public struct LessonProgress: Codable, Sendable, Hashable {
    /// The step to resume at (0-based).
    public var step: Int
    public var completed: Bool
    public var quizzesRight: Int
    public var quizzesAnswered: Int
    public var updated: Date?
    /// The quizzes and tasks answered, to show them answered on resume; nil in files written before it existed.
    public var answers: LessonAnswers?

    public init(step: Int = 0, completed: Bool = false, quizzesRight: Int = 0, quizzesAnswered: Int = 0, updated: Date? = nil,
                answers: LessonAnswers? = nil) {
        self.step = step
        self.completed = completed
        self.quizzesRight = quizzesRight
        self.quizzesAnswered = quizzesAnswered
        self.updated = updated
        self.answers = answers
    }
}

/// Everything the progress file holds.
public struct LearnerProgress: Codable, Sendable, Hashable {
    public var version: Int = 1
    public var lessons: [String: LessonProgress] = [:]
    /// The lesson to resume when the app opens.
    public var lastLesson: String?

    public init() {}
}

/// Reads and writes `progress.json` under `$XDG_STATE_HOME/cnn-tutor/`.
///
/// Writes go to a temporary file in the same folder, then `rename(2)` over the
/// old one, so a crash never leaves half a file. A file that can't be read is
/// moved aside (`progress.json.corrupt-<time>`) with a warning, never a crash.
public struct ProgressStore: Sendable {
    public let directory: String
    public var path: String { directory + "/progress.json" }

    public init(directory: String) {
        self.directory = directory
    }

    /// The store at `$XDG_STATE_HOME/cnn-tutor`, else `~/.local/state/cnn-tutor`.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> ProgressStore {
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            return ProgressStore(directory: xdg + "/cnn-tutor")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return ProgressStore(directory: home + "/.local/state/cnn-tutor")
    }

    /// Loads the progress; a missing file is empty progress.
    ///
    /// - Returns: the progress, and a warning when the file was corrupt and moved aside.
    public func load() -> (LearnerProgress, warning: String?) {
        let fm = FileManager.default
        guard fm.fileExists(atPath: path) else { return (LearnerProgress(), nil) }
        guard let data = fm.contents(atPath: path) else {
            return (LearnerProgress(), "warning: can't read \(path); starting with no progress")
        }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let progress = try decoder.decode(LearnerProgress.self, from: data)
            guard progress.version == 1 else { throw CocoaError(.fileReadCorruptFile) }
            return (progress, nil)
        } catch {
            let stamp = Int(Date().timeIntervalSince1970)
            var aside = "\(path).corrupt-\(stamp)"
            var n = 1
            while fm.fileExists(atPath: aside) { aside = "\(path).corrupt-\(stamp)-\(n)"; n += 1 }
            if rename(path, aside) == 0 {
                return (LearnerProgress(), "warning: \(path) was unreadable; moved it to \(aside) and started fresh")
            }
            return (LearnerProgress(), "warning: \(path) was unreadable and could not be moved aside; starting fresh")
        }
    }

    /// Writes the progress atomically, creating the folder if needed.
    public func save(_ progress: LearnerProgress) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(progress)
        let temp = "\(directory)/.progress.json.\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temp, contents: data) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temp])
        }
        if let handle = FileHandle(forWritingAtPath: temp) {
            try? handle.synchronize()
            try? handle.close()
        }
        guard rename(temp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "can't write \(path): \(reason)"])
        }
    }

    /// Loads, changes one lesson's progress, and saves.
    public func update(_ lessonID: String, _ change: (inout LessonProgress) -> Void) throws {
        var (progress, _) = load()
        var entry = progress.lessons[lessonID] ?? LessonProgress()
        change(&entry)
        entry.updated = Date()
        progress.lessons[lessonID] = entry
        progress.lastLesson = lessonID
        try save(progress)
    }
}
