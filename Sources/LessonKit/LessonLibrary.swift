import Foundation
import LessonFiles

/// Finds the lessons and loads them.
///
/// `Lessons/` is the source of truth: the `EmbedLessons` build plugin builds
/// its files into the binary, so `cnn-tutor` finds them from any folder, even
/// copied elsewhere, and `$CNN_TUTOR_LESSONS` points it at another folder.
public enum LessonLibrary {
    /// Where lessons come from.
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        /// The lesson files of a folder: every `.md` but README.md.
        case directory(String)
        /// The lesson files of `Lessons/` as they were when the binary was built.
        case builtIn

        public var description: String {
            switch self {
            case .directory(let path): path
            case .builtIn: "the lessons built into cnn-tutor"
            }
        }
    }

    /// `$CNN_TUTOR_LESSONS` when it is set, else the built-in lessons.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) -> Source {
        if let folder = environment["CNN_TUTOR_LESSONS"], !folder.isEmpty { return .directory(folder) }
        return .builtIn
    }

    /// The lesson files in a folder (every `.md` but README.md), sorted by name.
    public static func files(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".md") && $0.lowercased() != "readme.md" }.sorted().map { directory + "/" + $0 }
    }

    /// Loads every lesson of a source, sorted by `order`; parse problems come back beside them.
    public static func load(_ source: Source) -> (lessons: [Lesson], errors: [LessonError]) {
        var lessons: [Lesson] = []
        var errors: [LessonError] = []
        func add(_ parsed: Result<Lesson, LessonErrors>) {
            switch parsed {
            case .success(let lesson): lessons.append(lesson)
            case .failure(let problems): errors.append(contentsOf: problems.errors)
            }
        }
        switch source {
        case .directory(let directory):
            var isFolder: ObjCBool = false
            if !FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder) || !isFolder.boolValue {
                errors.append(LessonError(file: directory, line: 1, "no such lesson folder"))
            }
            for path in files(in: directory) {
                add(Result { () throws(LessonErrors) in try LessonParser.parse(contentsOf: path) })
            }
        case .builtIn:
            // Named as in the repository, so messages point at the file to edit.
            for file in BuiltInLessons.files {
                add(Result { () throws(LessonErrors) in try LessonParser.parse(file.text, file: "Lessons/" + file.name) })
            }
        }
        lessons.sort { ($0.meta.order, $0.id) < ($1.meta.order, $1.id) }
        return (lessons, errors)
    }

    /// Loads every lesson in a folder (see ``load(_:)``).
    public static func load(directory: String) -> (lessons: [Lesson], errors: [LessonError]) {
        load(.directory(directory))
    }

    /// Finds a lesson by path, id, file name or order number (`4`).
    public static func find(_ key: String, in source: Source) throws(LessonErrors) -> Lesson {
        if key.hasSuffix(".md") || key.contains("/") {
            return try LessonParser.parse(contentsOf: key)
        }
        let (lessons, errors) = load(source)
        if let l = lessons.first(where: { $0.id == key || URL(fileURLWithPath: $0.file).deletingPathExtension().lastPathComponent == key }) {
            return l
        }
        if let n = Int(key), let l = lessons.first(where: { $0.meta.order == n }) { return l }
        let known = lessons.map { "\($0.meta.order) \($0.id)" }.joined(separator: ", ")
        throw LessonErrors(errors + [LessonError(file: source.description, line: 1, "no lesson '\(key)'; lessons: \(known)")])
    }
}
