import ArgumentParser
import Foundation
import LessonKit
import TutorUI

/// `cnn-tutor learn`: open a lesson, resuming where you left off.
struct LearnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "Open a lesson by id, order number or path; without one, the lesson menu.")

    @Argument(help: "A lesson id (flatten-dense), order number (4) or path to a lesson .md file.")
    var lesson: String?

    @Flag(help: "Start the lesson from its first step instead of resuming.")
    var restart = false

    func run() throws {
        let code = try openLessons(lesson, restart: restart)
        if code != 0 { throw ExitCode(code) }
    }
}

/// Opens the lesson menu, or one lesson, with the learner's saved progress.
///
/// Warnings (a corrupt progress file moved aside, lessons that don't parse)
/// are shown in the menu and on stderr; they never stop the app.
func openLessons(_ key: String?, restart: Bool = false) throws -> Int32 {
    let store = ProgressStore.standard()
    let (progress, warning) = store.load()
    var warnings: [String] = []
    if let warning {
        warnings.append(warning)
        printError(warning)
    }
    let source = LessonLibrary.locate()
    let loaded = LessonLibrary.load(source)
    let lessons = loaded.lessons
    warnings += loaded.errors.map(\.description)
    for e in loaded.errors { printError(e.description) }
    var shell = TutorShell(menu: LessonMenu(lessons: lessons, progress: progress, warnings: warnings))
    var title = "cnn-tutor"
    if let key {
        let found: Lesson
        do throws(LessonErrors) {
            found = try LessonLibrary.find(key, in: source)
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
        let saved = progress.lessons[found.id]
        let step = restart || saved?.completed == true ? 0 : min(saved?.step ?? 0, found.steps.count - 1)
        shell.open(found, step: step, fresh: restart || saved?.completed == true)
        title += ": \(found.title)"
    }
    return try LessonLoop.runInTerminal(shell, store: store, recordTo: nil, title: title) {
        lessons.map { "\($0.meta.order). \($0.title) (\($0.id))" }.joined(separator: "\n") + "\n"
    }
}
