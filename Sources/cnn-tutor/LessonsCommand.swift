import ArgumentParser
import Foundation
import LessonKit

/// `cnn-tutor lessons`: list or validate lessons.
struct LessonsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessons",
        abstract: "List or validate lessons.",
        subcommands: [List.self, Validate.self],
        defaultSubcommand: List.self)

    /// `cnn-tutor lessons list`: every lesson with its order, id, time and progress.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the lessons, in order, with your progress.")

        @Argument(help: "A lesson folder (default: $CNN_TUTOR_LESSONS, else the lessons built into cnn-tutor).")
        var directory: String?

        func run() throws {
            let (lessons, errors) = LessonLibrary.load(lessonSource(directory))
            let (progress, warning) = ProgressStore.standard().load()
            if let warning { printError(warning) }
            for lesson in lessons {
                let p = progress.lessons[lesson.id]
                let mark = p?.completed == true ? "✓" : (p != nil ? "…" : " ")
                let where_ = p.map { $0.completed ? "done" : "step \($0.step + 1)/\(lesson.steps.count)" } ?? "\(lesson.steps.count) steps"
                let order = String(lesson.meta.order).leftPadded(to: 2)
                let title = lesson.title.count > 44 ? String(lesson.title.prefix(43)) + "…" : lesson.title
                print("\(mark) \(order)  \(lesson.id.padded(to: 22)) \(title.padded(to: 44)) \(String(lesson.meta.minutes).leftPadded(to: 3)) min  \(where_)")
            }
            for e in errors { printError(e.description) }
            if !errors.isEmpty { throw ExitCode(1) }
        }
    }

    /// `cnn-tutor lessons validate`: parse every lesson and check every number it states.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every lesson: its format, expects, quiz answers, task solutions and {{…}} numbers.")

        @Argument(help: "A lesson folder or a lesson file (default: $CNN_TUTOR_LESSONS, else the lessons built into cnn-tutor).")
        var path: String?

        func run() throws {
            var lessons: [Lesson] = []
            var errors: [LessonError] = []
            var isDir: ObjCBool = false
            if let path, FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue {
                do throws(LessonErrors) { lessons = [try LessonParser.parse(contentsOf: path)] }
                catch { errors = error.errors }
            } else {
                let source = lessonSource(path)
                (lessons, errors) = LessonLibrary.load(source)
                if lessons.isEmpty, errors.isEmpty {
                    printError("\(source): no lessons (*.md files other than README.md)")
                    throw ExitCode(1)
                }
            }
            errors += LessonValidator.validate(lessons)
            let broken = Set(errors.map(\.file))
            for lesson in lessons where !broken.contains(lesson.file) {
                if let e = try playbackProblem(lesson) { errors.append(e) }
            }
            for e in errors { print(e.description) }
            let checks = lessons.reduce(0) { $0 + LessonStats(lesson: $1).checks }
            if errors.isEmpty {
                print("ok: \(lessons.count) lesson\(lessons.count == 1 ? "" : "s"), \(checks) checks against the engine")
            } else {
                print("\(errors.count) problem\(errors.count == 1 ? "" : "s") in \(Set(errors.map(\.file)).count) file(s)")
                throw ExitCode(1)
            }
        }
    }
}

/// Plays a lesson to its end on a virtual clock at 80×24, as a class would watch it; a stall is a problem.
func playbackProblem(_ lesson: Lesson) throws -> LessonError? {
    // At 50 times the classroom's pace, ten virtual minutes are over eight hours of lesson.
    guard case .stalled(let why) = try LessonLoop.playVirtually(lesson, speed: 50, width: 80, height: 24, maxSeconds: 600) else { return nil }
    return LessonError(file: lesson.file, line: lesson.steps.first?.line ?? 1, "playback never finishes: \(why)")
}

/// The lesson folder an argument names, else the located default.
func lessonSource(_ given: String?) -> LessonLibrary.Source {
    given.map { .directory($0) } ?? LessonLibrary.locate()
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

extension String {
    func padded(to n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
