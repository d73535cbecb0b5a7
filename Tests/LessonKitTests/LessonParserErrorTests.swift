import Testing
@testable import LessonKit

/// Each kind of broken lesson gives one clear `file:line: message`.
@Suite struct LessonParserErrorTests {
    func only(_ text: String) -> LessonError? {
        let problems = LessonFixtures.problems(text)
        #expect(problems.count == 1, "expected one problem, got \(problems)")
        return problems.first
    }

    @Test func unclosedFence() {
        let e = only(LessonFixtures.lesson("## Step\n\nText.\n\n```add\nDense(10)\n"))
        #expect(e?.line == 12)
        #expect(e?.description.hasPrefix("sample.md:12: unclosed ``` fence") == true)
    }

    @Test func unknownAction() {
        let e = only(LessonFixtures.lesson("## Step\n\n```ad\nDense(10)\n```\n"))
        #expect(e?.line == 10)
        #expect(e?.message.contains("unknown action 'ad'") == true)
    }

    @Test func quizWithoutAnswer() {
        let e = only(LessonFixtures.lesson("## Step\n\n```quiz\nquestion: How many?\ncheck: total_params\n```\n"))
        #expect(e?.line == 10)
        #expect(e?.message.contains("quiz has no 'answer:'") == true)
    }

    @Test func quizWithoutCheck() {
        let e = only(LessonFixtures.lesson("## Step\n\n```quiz\nquestion: How many?\nanswer: 10\n```\n"))
        #expect(e?.line == 10)
        #expect(e?.message.contains("no 'check:'") == true)
    }

    @Test func invalidFrontMatterYAML() {
        let text = "---\nid: sample\ntitle: [unclosed\norder: 1\n---\n\n## Step\n\nText.\n"
        let e = only(text)
        #expect(e?.message.contains("invalid YAML in the front matter") == true)
        #expect((3...5).contains(e?.line ?? 0))
    }

    @Test func invalidQuizYAML() {
        let e = only(LessonFixtures.lesson("## Step\n\n```quiz\nquestion: \"open\nanswer: 3\n```\n"))
        #expect(e?.message.contains("invalid YAML in quiz") == true)
        #expect((11...13).contains(e?.line ?? 0))
    }

    @Test func missingFrontMatter() {
        let e = only("## Step\n\nText.\n")
        #expect(e?.line == 1)
        #expect(e?.message.contains("front matter") == true)
    }

    @Test func missingFrontMatterKey() {
        let e = only("---\nid: x\ntitle: X\n---\n\n## Step\n\nText.\n")
        #expect(e?.message.contains("no 'order:'") == true)
    }

    @Test func unknownFrontMatterKey() {
        let e = only("---\nid: x\ntitle: X\norder: 1\ntitel: Y\n---\n\n## Step\n\nText.\n")
        #expect(e?.line == 5)
        #expect(e?.message.contains("unknown front matter key 'titel'") == true)
    }

    @Test func badLayerCodeGivesItsOwnLine() {
        let e = only(LessonFixtures.lesson("## Step\n\n```add\nDense(10)\nConv2D(32, (3, 3), activaton='relu')\n```\n"))
        #expect(e?.line == 12)
        #expect(e?.message.contains("activaton") == true)
    }

    @Test func unknownQueryInTemplate() {
        let e = only(LessonFixtures.lesson("## Step\n\nThe model has\n{{total_parms}} parameters.\n"))
        #expect(e?.line == 11)
        #expect(e?.message.contains("unknown query 'total_parms'") == true)
    }

    @Test func unclosedTemplate() {
        let e = only(LessonFixtures.lesson("## Step\n\nIt has {{total_params parameters.\n"))
        #expect(e?.line == 10)
        #expect(e?.message.contains("unclosed template") == true)
    }

    @Test func emptyStep() {
        let e = only(LessonFixtures.lesson("## First\n\n## Second\n\nText.\n"))
        #expect(e?.line == 8)
        #expect(e?.message.contains("empty") == true)
    }

    @Test func actionBeforeFirstStep() {
        let e = only(LessonFixtures.lesson("```input 32, 32, 3\n```\n\n## Step\n\nText.\n"))
        #expect(e?.line == 8)
    }

    @Test func unknownView() {
        let e = only(LessonFixtures.lesson("## Step\n\n```view sideways\n```\n"))
        #expect(e?.message.contains("unknown view 'sideways'") == true)
    }

    @Test func manyProblemsAreAllReported() {
        let problems = LessonFixtures.problems(LessonFixtures.lesson("## Step\n\n```ad\n```\n\n```quiz\nquestion: q\n```\n\n{{nope}}\n"))
        #expect(problems.count == 3)
        #expect(problems.map(\.line) == [10, 13, 17])
    }
}
