import Testing
@testable import LessonKit

/// `lessons validate` reports what would make playback wait forever, and compare views that can't show the lesson's models.
@Suite struct RunAndViewCheckTests {
    let base = LessonFixtures.seedBase

    @Test func runOnAModelTheAppCantRun() {
        let text = LessonFixtures.lesson("## Seq\n\n```model\nmodel = keras.Sequential([keras.layers.Input(shape=(100, 16)), keras.layers.Conv1D(8, 3)])\n```\n\n```run\n```\n")
        let problems = LessonFixtures.problems(text)
        #expect(problems.count == 1)
        #expect(problems.first?.line == 14)
        #expect(problems.first?.message.contains("wait") == true)
    }

    @Test func runOnAnImageModelIsFine() {
        #expect(LessonFixtures.problems(LessonFixtures.lesson("## Base\n\n\(base)\n\n```run\n```\n")).isEmpty)
    }

    @Test func runBeforeAnyModel() {
        let problems = LessonFixtures.problems(LessonFixtures.lesson("## Empty\n\n```run\n```\n"))
        #expect(problems.first?.message.contains("no input") == true)
    }

    @Test func compareNeedsAHead() {
        let problems = LessonFixtures.problems(LessonFixtures.lesson("## Base\n\n\(base)\n\n```view compare\n```\n"))
        #expect(problems.first?.message.contains("no head") == true)
    }

    @Test func compareWithTheLessonsFlattenModel() throws {
        let body = "## Base\n\n\(base)\n\n```add\nFlatten()\nDense(10)\n```\n\n```save flat\n```\n\n```replace flatten\nGlobalAveragePooling2D()\n```\n\n"
        let ok = LessonFixtures.lesson(body + "```view compare flat\n```\n\nText.\n")
        #expect(LessonFixtures.problems(ok).isEmpty)
        let lesson = try LessonParser.parse(ok, file: "c.md")
        let s = LessonSession(lesson: lesson)
        #expect(s.state.compareFlatten?.layers.contains { if case .flatten = $0.kind { true } else { false } } == true)
        let (flatten, pooled) = try s.state.comparison()
        #expect(try flatten.summary().totalParams == 65_952 + 53 * 53 * 64 * 10 + 10)
        #expect(try pooled.summary().totalParams == 65_952 + 650)
        let missing = LessonFixtures.lesson(body + "```view compare ghost\n```\n")
        #expect(LessonFixtures.problems(missing).first?.message.contains("no saved model '@ghost'") == true)
    }
}
