import CNNModel
import Testing
@testable import LessonKit

/// Templates compute numbers from the engine and format them.
@Suite struct TemplateTests {
    var state: LessonState {
        var s = LessonState()
        s.model = Model(inputShape: [7, 7, 32], layers: [LayerSpec(.flatten), LayerSpec(.dense(Dense(units: 10)))])
        return s
    }

    func render(_ body: String) throws -> String {
        try Template.parse(body).render(in: state)
    }

    @Test func formats() throws {
        #expect(try render("total_params") == "15,690")
        #expect(try render("total_params | raw") == "15690")
        #expect(try render("total_params | k") == "15.7k")
        #expect(try render("total_params | M") == "0.0M")
        #expect(try render("layer flatten output_shape") == "(1568,)")
        #expect(try render("layer flatten output_shape | keras") == "(None, 1568)")
        #expect(try render("layer dense params / total_params | pct") == "100.0%")
        #expect(try render("layer 0 input_shape") == "(7, 7, 32)")
        #expect(try render("product layer 0 input_shape") == "1,568")
        #expect(try render("layer -1 type") == "Dense")
        #expect(try render("count Flatten") == "1")
        #expect(try render("1568 / 32 | .1f") == "49.0")
    }

    @Test func claimedValueIsShownWhenItHolds() throws {
        #expect(try render("layer flatten output_size == 1,568") == "1,568")
        #expect(try render("total_params ≈ 15.7k") == "15.7k")
        #expect(throws: LessonExpressionError.self) { try render("layer flatten output_size == 1,536") }
    }

    @Test func errorsNameTheProblem() {
        do throws(LessonExpressionError) {
            _ = try Template.parse("layer conv2d params").render(in: state)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("no layer named 'conv2d'"))
            #expect(error.message.contains("flatten, dense"))
        }
        #expect(throws: LessonExpressionError.self) { try Template.parse("total_params | fancy") }
        #expect(throws: LessonExpressionError.self) { try Template.parse("layer flatten colour") }
    }
}

/// A failing template shows the value the engine computed on screen, never its error.
@Suite struct FailingTemplateTests {
    @Test func failedClaimShowsTheComputedValue() throws {
        var state = LessonState()
        state.model = .init(inputShape: [7, 7, 32], layers: [.init(.flatten)])
        let claim = try Template.parse("layer flatten output_size == 1,536")
        #expect(claim.shownText(in: state) == "1,568")
        let broken = try Template.parse("layer ghost params")
        #expect(broken.shownText(in: state) == "?")
        let runs = [Inline.template(claim, .plain)].rendered(in: state)
        #expect(runs.map(\.text).joined() == "1,568")
        #expect(!runs.map(\.text).joined().contains("⟨"))
    }

}

/// Actions are worded for the learner: counts pluralised, saved-model names never shown.
@Suite struct LearnerLineTests {
    @Test func modelLineHidesItsNameAndPluralises() throws {
        let one = try KerasSource.model("model = keras.Sequential([keras.layers.Input(shape=(8, 8, 1)), keras.layers.Flatten()])", file: "t", firstLine: 1)
        let line = ActionKind.model(source: "", model: one, saveAs: "seed_base").learnerLine
        #expect(line == "› a new model: 1 layer, input (8, 8, 1)")
        #expect(ActionKind.save("seed").learnerLine == nil)
        #expect(ActionKind.load("seed").learnerLine?.contains("seed") == false)
    }
}
