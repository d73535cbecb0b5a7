import Foundation
import Testing
@testable import LessonKit

/// Every shipped lesson parses, validates against the engine, and plays headless.
@Suite struct LessonLibraryTests {
    let loaded = LessonLibrary.load(directory: LessonFixtures.lessonsDirectory)

    @Test func everyLessonParsesAndValidates() {
        #expect(loaded.errors.isEmpty, "\(loaded.errors.map(\.description).joined(separator: "\n"))")
        #expect(loaded.lessons.count >= 10)
        let problems = LessonValidator.validate(loaded.lessons)
        #expect(problems.isEmpty, "\(problems.map(\.description).joined(separator: "\n"))")
    }

    @Test func lessonsAreInOrderWithDistinctOrders() {
        let orders = loaded.lessons.map(\.meta.order)
        #expect(orders == orders.sorted())
        #expect(Set(orders).count == orders.count)
    }

    @Test func everyTranscriptIsClean() {
        for lesson in loaded.lessons {
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
        #expect(LessonLibrary.locateDirectory(environment: ["CNN_TUTOR_LESSONS": "/x/y"], executablePath: nil) == "/x/y")
    }

    @Test func locateFindsLessonsAboveTheExecutable() {
        let exe = LessonFixtures.lessonsDirectory + "/../.build/release/cnn-tutor"
        let found = LessonLibrary.locateDirectory(environment: [:], executablePath: exe, compiledAt: "/nonexistent/a/b/c.swift")
        #expect(found.map { URL(fileURLWithPath: $0).standardizedFileURL.path } == URL(fileURLWithPath: LessonFixtures.lessonsDirectory).standardizedFileURL.path)
    }

    @Test func findByIdOrderOrFileName() throws {
        let dir = LessonFixtures.lessonsDirectory
        #expect(try LessonLibrary.find("4", in: dir).meta.order == 4)
        let first = try #require(loaded.lessons.first)
        #expect(try LessonLibrary.find(first.id, in: dir).id == first.id)
        #expect(throws: LessonErrors.self) { try LessonLibrary.find("no-such-lesson", in: dir) }
    }
}
