import Testing
@testable import LessonKit

/// Task goals are shown in the learner's words, near misses are rejected, and text after a task holds on any model that meets it.
@Suite struct TaskGoalTests {
    let base = LessonFixtures.seedBase

    func task(goals: String, solution: String = "add GlobalAveragePooling2D()\n  add Dense(10, activation='softmax')",
              nearMiss: String? = nil, after: String = "") -> String {
        let miss = nearMiss.map { "near_miss:\n  - |\n    \($0)\n" } ?? ""
        return LessonFixtures.lesson("## Base\n\n\(base)\n\n```task\nprompt: Add a head.\ngoal:\n\(goals)solution: |\n  \(solution)\n\(miss)```\n\n\(after)")
    }

    static let goals = """
      - check: output_shape == (10,)
        say: Ten class scores
      - check: count Flatten == 0
        say: No Flatten layer

    """

    @Test func goalsCarryTheirWordsAndSayWhichHold() throws {
        let lesson = try LessonParser.parse(task(goals: Self.goals), file: "t.md")
        var s = LessonSession(lesson: lesson)
        let t = try #require(s.pendingTask)
        #expect(t.goals.map(\.label) == ["Ten class scores", "No Flatten layer"])
        let status = t.goalStatus(in: s.state)
        #expect(status.map(\.label) == ["Ten class scores", "No Flatten layer"])
        #expect(status.map(\.holds) == [false, true])
        s.solveTask()
        #expect(t.goalStatus(in: s.state).allSatisfy { $0.holds })
    }

    @Test func goalWithoutWordsIsAnError() {
        let problems = LessonFixtures.problems(task(goals: "  - output_shape == (10,)\n"))
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("say:") == true)
    }

    @Test func nearMissThatMeetsTheGoalIsReported() {
        let problems = LessonFixtures.problems(task(goals: Self.goals, nearMiss: "add GlobalMaxPooling2D()\n    add Dense(10)"))
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("near miss 1 meets every goal") == true)
    }

    @Test func nearMissThatFailsTheGoalIsFine() throws {
        let text = task(goals: Self.goals, nearMiss: "add Flatten()\n    add Dense(10)")
        #expect(LessonFixtures.problems(text).isEmpty)
        let lesson = try LessonParser.parse(text, file: "t.md")
        guard case .task(let t) = lesson.steps[0].actions.last?.kind else { Issue.record("no task"); return }
        #expect(t.nearMisses.count == 1 && t.nearMisses[0].count == 2)
    }

    @Test func textAfterATaskMustHoldOnEveryModelThatMeetsIt() {
        // 66,602 holds for the solution, but a Dense(16) before the output also meets the goals.
        let loose = task(goals: Self.goals, after: "Now {{total_params == 66,602}} parameters.\n")
        let problems = LessonFixtures.problems(loose)
        #expect(problems.count == 1)
        #expect(problems.first?.line == 36)
        #expect(problems.first?.message.contains("another model that meets its goals") == true)
        let pinned = task(goals: Self.goals + "  - check: total_params == 66,602\n    say: 66,602 parameters\n",
                          after: "Now {{total_params == 66,602}} parameters.\n")
        #expect(LessonFixtures.problems(pinned).isEmpty)
    }

    @Test func queriesForHeads() throws {
        var state = LessonState()
        state.model = try KerasSource.model("model = keras.Sequential([keras.layers.Input(shape=(32, 32, 3)), keras.layers.SeparableConv2D(8, 3),"
            + " keras.layers.MaxPooling2D(), keras.layers.GlobalAveragePooling2D(), keras.layers.Dropout(0.2), keras.layers.Dense(10, activation='softmax')])",
            file: "t", firstLine: 1)
        func value(_ text: String) throws -> LessonValue { try LessonExpression.parse(text).evaluate(in: state) }
        #expect(try value("convolutions") == .number(1))
        #expect(try value("pooled_head") == .text("yes"))
        #expect(try value("layer -1 activation") == .text("softmax"))
        #expect(try value("layer 2 activation") == .text("none"))
        #expect(try value("layer max_pooling2d stride") == .number(2))
        state.model.layers.remove(at: 2)
        state.model.layers.insert(state.model.layers[2], at: 0)
        #expect(try value("pooled_head") == .text("no"))
    }
}
