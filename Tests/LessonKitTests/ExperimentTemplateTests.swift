import CNNCompute
import Race
import Testing
@testable import LessonKit

/// `experiment …` queries read a seeded run: the same numbers the experiment
/// itself gives, and a wrong stated number fails validation.
@Suite struct ExperimentTemplateTests {
    /// Small enough for a debug build: two batches of four.
    static let fence = "```experiment epochs=1 seed=3 batch=4 train=8 test=4 shifted=4 large=2\n```"
    static let settings = ExperimentConfiguration(seed: 3, epochs: 1, batchSize: 4, trainCount: 8, testCount: 4,
                                                  shiftedCount: 4, largeCount: 2)

    /// The run made directly, outside LessonKit's cache.
    static let direct: Result<ExperimentResult, ExperimentError> = Result { () throws(ExperimentError) in
        try ExperimentRun.run(settings)
    }

    static func state() throws -> LessonState {
        let lesson = try LessonParser.parse(LessonFixtures.lesson("## Run\n\n\(fence)\n"), file: "sample.md")
        var state = LessonState()
        for action in lesson.steps.flatMap(\.actions) { try state.apply(action.kind) }
        return state
    }

    static func render(_ body: String, _ state: LessonState) throws -> String {
        try Template.parse(body).render(in: state)
    }

    // MARK: - The fence

    @Test func fenceReadsItsSettings() throws {
        #expect(try Self.state().experiment == Self.settings)
    }

    @Test func badSettingIsAParseError() {
        let problems = LessonFixtures.problems(LessonFixtures.lesson("## Run\n\n```experiment epochs=0 seed=1\n```\n"))
        #expect(problems.count == 1)
        #expect(problems.first?.line == 10)
        #expect(problems.first?.message.contains("epochs must be at least 1") == true)
        let unknown = LessonFixtures.problems(LessonFixtures.lesson("## Run\n\n```experiment speed=9\n```\n"))
        #expect(unknown.first?.message.contains("unknown experiment setting 'speed'") == true)
    }

    @Test func queryWithoutAFenceSaysWhatIsMissing() {
        let problems = LessonFixtures.problems(LessonFixtures.lesson("## Run\n\nIt got {{experiment gap test_accuracy | %}}.\n"))
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("no experiment run yet") == true)
    }

    // MARK: - The same numbers as the experiment

    @Test func templatesGiveTheExperimentsNumbers() throws {
        let run = try Self.direct.get()
        let state = try Self.state()
        let gap = try #require(run.head(.globalPooling)), flat = try #require(run.head(.flatten))
        #expect(try Self.render("experiment gap test_accuracy | .6f", state)
            == NumberFormat.fixed(try #require(gap.finalTestAccuracy), decimals: 6))
        #expect(try Self.render("experiment flatten shifted_accuracy | .6f", state)
            == NumberFormat.fixed(try #require(flat.shifted?.accuracy), decimals: 6))
        #expect(try Self.render("experiment gap shifted_loss | .6f", state)
            == NumberFormat.fixed(try #require(gap.shifted?.loss), decimals: 6))
        #expect(try Self.render("experiment flatten params", state) == NumberFormat.grouped(flat.params))
        #expect(try Self.render("experiment train_images", state) == "8")
        let flat48 = try #require(flat.large.first { $0.canvas == 48 })
        let gap48 = try #require(gap.large.first { $0.canvas == 48 })
        #expect(try Self.render("experiment flatten runs 48", state) == (flat48.evaluation == nil ? "no" : "yes"))
        #expect(try Self.render("experiment gap runs 48", state) == (gap48.evaluation == nil ? "no" : "yes"))
        #expect(try Self.render("experiment gap accuracy 48 | .6f", state)
            == NumberFormat.fixed(try #require(gap48.evaluation?.accuracy), decimals: 6))
    }

    @Test func flattenHeadCannotRunOnALargerCanvas() throws {
        let state = try Self.state()
        #expect(try Self.render("experiment flatten runs 48", state) == "no")
        #expect(throws: LessonExpressionError.self) { try Self.render("experiment flatten accuracy 48", state) }
    }

    // MARK: - Validation

    @Test func statedNumbersAreChecked() throws {
        let run = try Self.direct.get()
        let params = try #require(run.head(.flatten)).params
        let accuracy = try #require(run.head(.globalPooling)?.finalTestAccuracy)
        let right = LessonFixtures.lesson("## Run\n\n\(Self.fence)\n\nThe Flatten head has {{experiment flatten params == \(params)}} weights; the GAP head scores {{experiment gap test_accuracy ≈ \(accuracy) ± 0.000001}}.\n\n```expect\nexperiment flatten runs 48 == no\nexperiment gap runs 48 == yes\n```\n")
        #expect(LessonFixtures.problems(right).isEmpty)

        let wrong = LessonFixtures.lesson("## Run\n\n\(Self.fence)\n\nThe Flatten head has {{experiment flatten params == \(params + 1)}} weights; the GAP head scores {{experiment gap test_accuracy ≈ \(accuracy + 0.25) ± 0.01}}.\n")
        let problems = LessonFixtures.problems(wrong)
        #expect(problems.count == 2)
        #expect(problems.allSatisfy { $0.line == 13 })
        #expect(problems.first?.message.contains("experiment flatten params is \(NumberFormat.grouped(params))") == true)
    }

    @Test func wrongExpectOverTheExperimentFails() {
        let text = LessonFixtures.lesson("## Run\n\n\(Self.fence)\n\n```expect\nexperiment flatten runs 48 == yes\n```\n")
        let problems = LessonFixtures.problems(text)
        #expect(problems.count == 1)
        #expect(problems.first?.line == 14)
    }
}
