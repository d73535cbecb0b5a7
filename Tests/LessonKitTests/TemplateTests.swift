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
