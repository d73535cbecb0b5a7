import CNNModel
import Testing
@testable import TutorUI

/// The compare screen uses a lesson's own Flatten model, and names where each side comes from.
@Suite struct CompareLessonModelTests {
    let flat = SeedArticle.model(head: .flatten)
    let gap = SeedArticle.model(head: .globalAveragePooling)

    @Test func lessonFlattenModelGivesTheArticlesRatio() throws {
        let cmp = try #require(Comparison.make(gap, pooling: .globalAverage, flattenReference: flat))
        #expect(cmp.flatten.summary?.totalParams == 11_574_090)
        #expect(cmp.pooled.summary?.totalParams == 66_602)
        #expect(cmp.flatten.source == .lesson && cmp.pooled.source == .builder)
    }

    @Test func withoutAReferenceTheFlattenSideIsSwapped() throws {
        let cmp = try #require(Comparison.make(gap, pooling: .globalAverage))
        #expect(cmp.flatten.source == .swapped)
        #expect(cmp.flatten.summary?.totalParams != 11_574_090)
    }

    @Test func referenceWithOtherLayersBeforeItsHeadIsIgnored() throws {
        var other = flat
        other.layers.remove(at: 0)
        let cmp = try #require(Comparison.make(gap, pooling: .globalAverage, flattenReference: other))
        #expect(cmp.flatten.source == .swapped)
    }

    @Test func screenNamesBothModels() {
        var state = AppState(model: gap, width: 80, height: 24)
        state.compareFlatten = flat
        Fixtures.send(&state, .show(.compare))
        let text = Fixtures.render(state).plainText
        #expect(text.contains("the lesson's model"))
        #expect(text.contains("in the builder"))
        #expect(text.contains("174×"))
    }
}
