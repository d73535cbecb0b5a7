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
    ///
    /// A failure (a full disk, a read-only state folder) throws with the file
    /// and the system's reason, for the app to show: progress is never lost in silence.
    public func save(_ progress: LearnerProgress) throws(ProgressSaveError) {
        if let failure = Self.makeDirectories(directory) { throw ProgressSaveError(path: path, reason: failure) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data: Data
        do {
            data = try encoder.encode(progress)
        } catch {
            throw ProgressSaveError(path: path, reason: "the progress could not be encoded: \(error)")
        }
        let temp = "\(directory)/.progress.json.\(getpid()).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ProgressSaveError(path: path, reason: Self.systemReason()) }
        var failure: String?
        data.withUnsafeBytes { bytes in
            var done = 0
            while done < bytes.count {
                let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { failure = Self.systemReason(); return }
                done += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = Self.systemReason() }
        if close(fd) != 0, failure == nil { failure = Self.systemReason() }
        if failure == nil, rename(temp, path) != 0 { failure = Self.systemReason() }
        if let failure {
            unlink(temp)
            throw ProgressSaveError(path: path, reason: failure)
        }
    }

    private static func systemReason() -> String { String(cString: strerror(errno)) }

    /// `mkdir -p`, with the reason when a folder can't be made.
    private static func makeDirectories(_ path: String) -> String? {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                return "can't create the folder \(current): " + systemReason()
            }
        }
        return nil
    }

    /// Loads, changes one lesson's progress, and saves.
    public func update(_ lessonID: String, _ change: (inout LessonProgress) -> Void) throws(ProgressSaveError) {
        var (progress, _) = load()
        var entry = progress.lessons[lessonID] ?? LessonProgress()
        change(&entry)
        entry.updated = Date()
        progress.lessons[lessonID] = entry
        progress.lastLesson = lessonID
        try save(progress)
    }
}

/// Why progress could not be saved: the file and the system's reason.
public struct ProgressSaveError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The progress file that was being written.
    public var path: String
    /// What went wrong, such as "No space left on device" or "Read-only file system".
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    /// "progress not saved to PATH: REASON".
    public var description: String { "progress not saved to \(path): \(reason)" }
}
