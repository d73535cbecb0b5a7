import Foundation

/// Finds the lesson folder and loads the lessons in it.
public enum LessonLibrary {
    /// The lesson folder: `$CNN_TUTOR_LESSONS`, else `Lessons/` beside the
    /// executable or up to three folders above it, else the repository's
    /// `Lessons/` as it was at compile time.
    public static func locateDirectory(environment: [String: String] = ProcessInfo.processInfo.environment,
                                       executablePath: String? = CommandLine.arguments.first,
                                       compiledAt: String = #filePath) -> String? {
        let fm = FileManager.default
        func isDir(_ p: String) -> Bool {
            var d: ObjCBool = false
            return fm.fileExists(atPath: p, isDirectory: &d) && d.boolValue
        }
        if let env = environment["CNN_TUTOR_LESSONS"], !env.isEmpty { return env }
        if let exe = executablePath {
            var url = URL(fileURLWithPath: exe).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0...3 {
                let candidate = url.appendingPathComponent("Lessons").path
                if isDir(candidate) { return candidate }
                url = url.deletingLastPathComponent()
            }
        }
        // Sources/LessonKit/LessonLibrary.swift → the repository root.
        let root = URL(fileURLWithPath: compiledAt).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let built = root.appendingPathComponent("Lessons").path
        return isDir(built) ? built : nil
    }

    /// The lesson files in a folder (every `.md` but README.md), sorted by name.
    public static func files(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".md") && $0.lowercased() != "readme.md" }.sorted().map { directory + "/" + $0 }
    }

    /// Loads every lesson in a folder, sorted by `order`; parse problems come back beside them.
    public static func load(directory: String) -> (lessons: [Lesson], errors: [LessonError]) {
        var lessons: [Lesson] = []
        var errors: [LessonError] = []
        for file in files(in: directory) {
            do throws(LessonErrors) {
                lessons.append(try LessonParser.parse(contentsOf: file))
            } catch {
                errors.append(contentsOf: error.errors)
            }
        }
        lessons.sort { ($0.meta.order, $0.id) < ($1.meta.order, $1.id) }
        return (lessons, errors)
    }

    /// Finds a lesson by path, id, file name or order number (`4`).
    public static func find(_ key: String, in directory: String?) throws(LessonErrors) -> Lesson {
        if key.hasSuffix(".md") || key.contains("/") {
            return try LessonParser.parse(contentsOf: key)
        }
        guard let directory else {
            throw LessonErrors([LessonError(file: key, line: 1, "no lesson folder found; set CNN_TUTOR_LESSONS")])
        }
        let (lessons, errors) = load(directory: directory)
        if let l = lessons.first(where: { $0.id == key || URL(fileURLWithPath: $0.file).deletingPathExtension().lastPathComponent == key }) {
            return l
        }
        if let n = Int(key), let l = lessons.first(where: { $0.meta.order == n }) { return l }
        let known = lessons.map { "\($0.meta.order) \($0.id)" }.joined(separator: ", ")
        throw LessonErrors(errors + [LessonError(file: directory, line: 1, "no lesson '\(key)'; lessons: \(known)")])
    }
}
