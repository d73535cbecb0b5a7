import Testing
@testable import LessonKit

/// The validator checks every claim against the engine and names the line of each one that is wrong.
@Suite struct LessonValidatorTests {
    let base = LessonFixtures.seedBase

    @Test func soundLessonPasses() {
        let text = LessonFixtures.lesson("## Base\n\n\(base)\n\nIt has {{total_params == 65,952}} parameters, {{non_trainable_params}} frozen.\n\n```expect\nlayer -1 output_shape == (53, 53, 64)\nlast_layer_type == BatchNormalization\n```\n")
        #expect(LessonFixtures.problems(text).isEmpty)
    }

    @Test func failingExpectNamesItsLine() {
        let text = LessonFixtures.lesson("## Base\n\n\(base)\n\n```expect\ntotal_params == 65,952\ntotal_params == 11,574,090\n```\n")
        let problems = LessonFixtures.problems(text)
        #expect(problems.count == 1)
        #expect(problems.first?.line == 26)
        #expect(problems.first?.message.contains("total_params is 65,952") == true)
    }

    @Test func quizAnswerThatDisagreesWithTheEngine() {
        let text = LessonFixtures.lesson("## Base\n\n\(base)\n\n```quiz\nquestion: Flatten gives?\nanswer: 1536\ncheck: layer flatten output_size\n```\n\n```add\nFlatten()\n```\n")
        let problems = LessonFixtures.problems(text)
        #expect(problems.count == 1)
        #expect(problems.first?.line == 24)
        #expect(problems.first?.message.contains("179,776") == true)
    }

    @Test func quizIsCheckedAfterItsReveal() {
        let text = LessonFixtures.lesson("## Base\n\n\(base)\n\n```quiz\nquestion: Flatten gives?\nanswer: (179776,)\ncheck: layer flatten output_shape\n```\n\n```add\nFlatten()\n```\n")
        #expect(LessonFixtures.problems(text).isEmpty)
    }

    @Test func templateClaimThatDisagrees() {
        let text = LessonFixtures.lesson("## Base\n\n\(base)\n\nA (7, 7, 32) map flattens to\n{{7 * 7 * 32 == 1,536}} values.\n")
        let problems = LessonFixtures.problems(text)
        #expect(problems.count == 1)
        #expect(problems.first?.line == 25)
        #expect(problems.first?.message.contains("1,568") == true)
    }

    @Test func approximateTemplateUsesTheDigitsWritten() {
        let ok = LessonFixtures.lesson("## Base\n\n\(base)\n\nAbout {{total_params ≈ 66k}} parameters.\n")
        #expect(LessonFixtures.problems(ok).isEmpty)
        let off = LessonFixtures.lesson("## Base\n\n\(base)\n\nAbout {{total_params ≈ 67k}} parameters.\n")
        #expect(LessonFixtures.problems(off).count == 1)
    }

    @Test func taskSolutionThatMissesItsGoal() {
        let text = LessonFixtures.lesson("## Base\n\n\(base)\n\n```task\nprompt: Add a head.\ngoal:\n  - check: output_shape == (10,)\n    say: Ten outputs\n  - check: total_params < 70000\n    say: Under 70,000\nsolution: |\n  add Flatten()\n  add Dense(10)\n```\n")
        let problems = LessonFixtures.problems(text)
        #expect(problems.count == 1)
        #expect(problems.first?.line == 29)
        #expect(problems.first?.message.contains("does not meet the goal") == true)
    }

    @Test func taskSolutionThatMeetsItsGoal() {
        let text = LessonFixtures.lesson("## Base\n\n\(base)\n\n```task\nprompt: Add a head.\ngoal:\n  - check: output_shape == (10,)\n    say: Ten outputs\n  - check: total_params < 70000\n    say: Under 70,000\nsolution: |\n  add GlobalAveragePooling2D()\n  add Dense(10)\n```\n")
        #expect(LessonFixtures.problems(text).isEmpty)
    }

    @Test func taskWhoseGoalAlreadyHolds() {
        let text = LessonFixtures.lesson("## Base\n\n\(base)\n\n```task\nprompt: Nothing to do.\ngoal:\n  - check: total_params < 70000\n    say: Under 70,000\nsolution: |\n  add Dropout(0.5)\n```\n")
        #expect(LessonFixtures.problems(text).first?.message.contains("already holds") == true)
    }

    @Test func removingAMissingLayer() {
        let text = LessonFixtures.lesson("## Base\n\n\(base)\n\n```remove flatten\n```\n")
        let problems = LessonFixtures.problems(text)
        #expect(problems.first?.line == 24)
        #expect(problems.first?.message.contains("no layer named 'flatten'") == true)
    }

    @Test func addThatBreaksTheModel() {
        let text = LessonFixtures.lesson("## Base\n\n\(base)\n\n```add\nConv2D(8, (60, 60))\n```\n")
        let problems = LessonFixtures.problems(text)
        #expect(problems.count == 1)
        #expect(problems.first?.line == 24)
        #expect(problems.first?.message.contains("conv2d_4") == true)
    }

    @Test func unknownRequirement() {
        let text = "---\nid: a\ntitle: A\norder: 1\nrequires: [ghost]\n---\n\n## S\n\nText.\n"
        let lesson = try! LessonParser.parse(text, file: "a.md")
        let problems = LessonValidator.validate([lesson])
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("ghost") == true)
    }
}
