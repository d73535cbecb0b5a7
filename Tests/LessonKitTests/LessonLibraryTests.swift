import CNNCompute
import Race
import Foundation
import LessonFiles
import Testing
@testable import LessonKit

/// Every shipped lesson parses, validates against the engine, and plays headless.
///
/// The lessons' seeded experiments run here at ``LessonFixtures/smallExperiment``'s
/// size, so no test waits minutes behind a training run; `cnn-tutor lessons
/// validate` (in `.ci/run` and the end-to-end tests) checks them at their own size.
@Suite struct LessonLibraryTests {
    let loaded = LessonLibrary.load(directory: LessonFixtures.lessonsDirectory)
    var lessons: [Lesson] { loaded.lessons.map(LessonFixtures.withSmallExperiments) }

    @Test func everyLessonParsesAndValidates() {
        #expect(loaded.errors.isEmpty, "\(loaded.errors.map(\.description).joined(separator: "\n"))")
        #expect(loaded.lessons.count >= 10)
        let problems = LessonValidator.validate(lessons)
        #expect(problems.isEmpty, "\(problems.map(\.description).joined(separator: "\n"))")
    }

    @Test func someLessonRunsAnExperiment() {
        let settings = loaded.lessons.flatMap(\.steps).flatMap(\.actions).compactMap { a -> ExperimentConfiguration? in
            if case .experiment(let c) = a.kind { c } else { nil }
        }
        #expect(!settings.isEmpty, "no lesson has an experiment fence: the small-run substitution tests nothing")
        #expect(settings.allSatisfy { $0 != LessonFixtures.smallExperiment($0) }, "the lessons' runs are already small")
    }

    @Test func lessonsAreInOrderWithDistinctOrders() {
        let orders = loaded.lessons.map(\.meta.order)
        #expect(orders == orders.sorted())
        #expect(Set(orders).count == orders.count)
    }

    @Test func everyTranscriptIsClean() {
        for lesson in lessons {
            let text = LessonTranscript.render(lesson)
            #expect(!text.contains("⟨"), "\(lesson.file): a template failed")
            #expect(!text.contains("  ! "), "\(lesson.file): an action failed")
            #expect(!text.contains("  ✗ "), "\(lesson.file): a check failed")
        }
    }

    @Test func seedNumbersAppearInTheirLessons() throws {
        let flatten = try #require(loaded.lessons.first { $0.meta.order == 4 })
        let pooling = try #require(loaded.lessons.first { $0.meta.order == 6 })
        #expect(LessonTranscript.render(flatten).contains("11,574,090"))
        #expect(LessonTranscript.render(pooling).contains("66,602"))
        #expect(LessonTranscript.render(pooling).contains("1,568"))
    }

    @Test func locateUsesTheEnvironmentFirst() {
        #expect(LessonLibrary.locate(environment: ["CNN_TUTOR_LESSONS": "/x/y"]) == .directory("/x/y"))
        #expect(LessonLibrary.locate(environment: [:]) == .builtIn)
        #expect(LessonLibrary.locate(environment: ["CNN_TUTOR_LESSONS": ""]) == .builtIn)
    }

    /// The lessons built into the binary are the files of `Lessons/`, as they are now.
    @Test func builtInLessonsAreTheLessonsFolder() throws {
        let files = LessonLibrary.files(in: LessonFixtures.lessonsDirectory)
        #expect(BuiltInLessons.files.map(\.name) == files.map { URL(fileURLWithPath: $0).lastPathComponent })
        for (file, path) in zip(BuiltInLessons.files, files) {
            #expect(file.text == (try String(contentsOfFile: path, encoding: .utf8)), "\(file.name) differs from its built-in copy")
        }
        let builtIn = LessonLibrary.load(.builtIn)
        #expect(builtIn.errors.isEmpty)
        #expect(builtIn.lessons.map(\.id) == loaded.lessons.map(\.id))
        #expect(builtIn.lessons.first?.file.hasPrefix("Lessons/") == true)
    }

    @Test func findByIdOrderOrFileName() throws {
        let dir = LessonLibrary.Source.directory(LessonFixtures.lessonsDirectory)
        #expect(try LessonLibrary.find("4", in: dir).meta.order == 4)
        #expect(try LessonLibrary.find("flatten-dense", in: .builtIn).meta.order == 4)
        #expect(try LessonLibrary.find("04-flatten-dense", in: .builtIn).meta.order == 4)
        let first = try #require(loaded.lessons.first)
        #expect(try LessonLibrary.find(first.id, in: dir).id == first.id)
        #expect(throws: LessonErrors.self) { try LessonLibrary.find("no-such-lesson", in: dir) }
    }
}
